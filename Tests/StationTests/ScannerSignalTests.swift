import Devices
import Ledger
@testable import Station
import Testing

/// How a scan's result sounds on the scanner it came from.
struct ScannerSignalTests {
    @Test func eachResultHasItsOwnSignalAndAWarningIsNoGoodRead() {
        #expect(SourceFactory.scanSignal(for: .accepted) == .goodRead)
        #expect(SourceFactory.scanSignal(for: .warning) == .warning)
        #expect(SourceFactory.scanSignal(for: .rejected) == .badRead)
        // `devices watch --signal` names them the same way.
        #expect(ScanSignal.allCases.map(\.rawValue) == ["good", "warning", "bad"])
    }
}
