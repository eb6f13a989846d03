import Foundation
import ScanCodes
import Testing
import Workflows

/// Divergences found walking whole shifts through the CLI, each pinned at the workflow.
@Suite struct ShiftScenarioTests {
    @Test func anotherOrderWhilePickingSaysToFinishTheOpenOne() {
        var station = TestStation(settings: sampleSettings(mode: .pick))
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        station.catalog.add(Order(number: "O-2", lines: [OrderLine(line: 1, sku: "GADGET-2", quantity: 1)]))
        station.scan("O-1")
        let other = station.scan("O-2")
        #expect(other.rejection?.code == "document_open")
        #expect(station.prompt.hasPrefix("Finish or cancel O-1 first."), "\(station.prompt)")
        #expect(other.claims.isEmpty)
        #expect(station.state.task.document == DocumentRef(.order, "O-1"))
    }

    @Test func helpRightAfterAnIdleLogoutSaysSoOnce() {
        var settings = sampleSettings()
        settings.requireLogin = true
        settings.idleLogoutSeconds = 60
        var station = TestStation(settings: settings)
        station.scan("OP-ANNA")
        station.now += 61_000
        #expect(station.scan("CMD-HELP").feedback == .ok)
        #expect(station.prompt == "Logged out after idle time. Scan your badge.")
        #expect(station.state.operatorBadge == nil)
    }
}
