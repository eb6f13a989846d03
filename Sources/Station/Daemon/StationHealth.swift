import Synchronization

/// Whether the stations are doing their work: each records when it started the scan in
/// hand. The watchdog pings systemd only while no station has been stuck on one scan for
/// longer than the limit, so a hung station gets the service restarted.
public final class StationHealth: Sendable {
    private let busySince = Mutex<[String: UInt64]>([:])

    public init() {}

    public func begin(station: String, atNanoseconds now: UInt64) {
        busySince.withLock { $0[station] = now }
    }

    public func end(station: String) {
        busySince.withLock { _ = $0.removeValue(forKey: station) }
    }

    /// The stations stuck on one scan for longer than `limit` nanoseconds.
    public func stuckStations(atNanoseconds now: UInt64, limit: UInt64) -> [String] {
        busySince.withLock { busy in
            busy.filter { now > $0.value && now - $0.value > limit }.map(\.key).sorted()
        }
    }
}
