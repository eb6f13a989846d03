import Station
import Testing

@Suite struct StationHealthTests {
    @Test func aStationStuckOnOneScanIsReported() {
        let health = StationHealth()
        health.begin(station: "a", atNanoseconds: 1_000)
        health.begin(station: "b", atNanoseconds: 5_000)
        #expect(health.stuckStations(atNanoseconds: 5_500, limit: 1_000) == ["a"])
        health.end(station: "a")
        #expect(health.stuckStations(atNanoseconds: 5_500, limit: 1_000).isEmpty)
        #expect(health.stuckStations(atNanoseconds: 7_000, limit: 1_000) == ["b"])
    }

    @Test func watchdogIntervalComesFromTheEnvironment() {
        #expect(SystemdNotifier(environment: [:]).isActive == false)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000"]).watchdogInterval == .seconds(30))
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil, "the watchdog is another process's")
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]).watchdogInterval == nil)
    }
}
