@testable import Station
import Testing

/// What a reload does to the running stations (`StationSupervisor.plan`), without devices.
@Suite struct StationReloadPlanTests {
    func station(_ name: String, _ sources: [SourceSpecification], mode: StationMode = .log) -> StationConfiguration {
        var station = StationConfiguration(name: name)
        station.sources = sources
        station.mode = mode
        return station
    }

    let serial = SourceSpecification.serial(path: "/dev/ttyACM0")
    let usb = SourceSpecification.usb(vendor: nil, product: nil)

    @Test func policiesAloneRestartNothing() {
        let before = station("dock-1", [serial])
        var after = before
        after.overReceipt = .reject
        after.receiveTo = "DOCK-9"
        let plan = StationSupervisor.plan(running: [before], fresh: [after])
        #expect(plan.leaving.isEmpty)
        #expect(plan.changes == StationSupervisor.Changes())
    }

    @Test func addedRemovedAndChangedStations() {
        let running = [station("dock-1", [serial]), station("dock-2", [.serial(path: "/dev/ttyUSB0")])]
        let fresh = [station("dock-1", [serial], mode: .receive), station("dock-3", [.serial(path: "/dev/ttyUSB1")])]
        let plan = StationSupervisor.plan(running: running, fresh: fresh)
        #expect(plan.leaving.sorted() == ["dock-1", "dock-2"])
        #expect(plan.changes.restarted == ["dock-1"])
        #expect(plan.changes.removed == ["dock-2"])
        #expect(plan.changes.added == ["dock-3"])
        #expect(plan.changes.needsRestart.isEmpty)
    }

    @Test func oneUSBStationRestartingTakesTheOthersWithIt() {
        let running = [station("dock-1", [usb]), station("dock-2", [usb]), station("bench", [serial])]
        var layout = running[0]
        layout.layout = "de"
        let plan = StationSupervisor.plan(running: running, fresh: [layout, running[1], running[2]])
        #expect(plan.leaving.sorted() == ["dock-1", "dock-2"], "the serial station keeps running")
        #expect(plan.changes.restarted.sorted() == ["dock-1", "dock-2"])
        // A station that starts reading USB restarts the device thread too.
        let gainsUSB = StationSupervisor.plan(running: running, fresh: [running[0], running[1], station("bench", [serial, usb])])
        #expect(gainsUSB.leaving.sorted() == ["bench", "dock-1", "dock-2"])
    }

    @Test func stdinStationsAreNeverRestartedAndHoldBackTheirUSBThread() {
        let running = [station("desk", [.standardInput, usb]), station("dock-1", [usb]), station("bench", [serial])]
        var desk = running[0]
        desk.mode = .count
        var bench = running[2]
        bench.mode = .pack
        let plan = StationSupervisor.plan(running: running, fresh: [desk, running[1], bench, station("dock-2", [usb])])
        #expect(plan.leaving == ["bench"], "only the serial station can restart")
        #expect(plan.changes.restarted == ["bench"])
        #expect(plan.changes.added.isEmpty, "a new USB station would need the USB thread restarted")
        #expect(plan.changes.needsRestart.contains("station desk (it reads standard input or a frame file)"))
        #expect(plan.changes.needsRestart.contains { $0.hasPrefix("station dock-1 (its USB scanners share") })
        #expect(plan.changes.needsRestart.contains { $0.hasPrefix("station dock-2 (its USB scanners share") })
    }
}
