public import Ledger
import Synchronization

/// One station's scan counters and scan-to-acknowledgement latency histogram. Recording
/// a scan takes one uncontended lock and allocates nothing (the counts live in arrays
/// sized once, updated in place); the lock also keeps a scrape's histogram consistent
/// (its +Inf bucket equals its count).
public final class StationMetrics: Sendable {
    public let station: String
    /// The histogram's upper bounds, in nanoseconds, ascending.
    let boundsNanoseconds: [UInt64]

    struct Counts {
        /// By `ScanResult` in `resultOrder`.
        var scans: [Int]
        /// Non-cumulative: `buckets[i]` counts latencies in (bound[i-1], bound[i]]; the
        /// last entry counts those above every bound (+Inf).
        var buckets: [Int]
        var latencySumNanoseconds: UInt64 = 0
        var latencyCount = 0
    }

    static let resultOrder: [ScanResult] = [.accepted, .warning, .rejected]
    private let counts: Mutex<Counts>

    public init(station: String, boundsNanoseconds: [UInt64] = StationMetrics.defaultBoundsNanoseconds) {
        self.station = station
        self.boundsNanoseconds = boundsNanoseconds.sorted()
        counts = Mutex(Counts(scans: Array(repeating: 0, count: Self.resultOrder.count), buckets: Array(repeating: 0, count: boundsNanoseconds.count + 1)))
    }

    /// 0.5 ms to 5 s: a commit on a warehouse PC's SSD takes about a millisecond; seconds
    /// mean a struggling disk or a stuck station.
    public static let defaultBoundsNanoseconds: [UInt64] = [
        500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000,
    ]

    /// Counts one answered scan and its latency (from the scan's completion at the device
    /// to the answer written).
    public func record(result: ScanResult, latencyNanoseconds: UInt64) {
        let resultIndex = switch result {
        case .accepted: 0
        case .warning: 1
        case .rejected: 2
        }
        var bucket = boundsNanoseconds.count
        for (index, bound) in boundsNanoseconds.enumerated() where latencyNanoseconds <= bound {
            bucket = index
            break
        }
        counts.withLock { counts in
            counts.scans[resultIndex] += 1
            counts.buckets[bucket] += 1
            counts.latencySumNanoseconds &+= latencyNanoseconds
            counts.latencyCount += 1
        }
    }

    /// A consistent copy of the counts.
    public struct Snapshot: Sendable, Equatable {
        public var scans: [ScanResult: Int]
        /// Cumulative, as Prometheus wants them: `(upper bound in seconds, count ≤ bound)`,
        /// ending with `(+infinity, count)`.
        public var cumulativeBuckets: [(bound: Double, count: Int)]
        public var latencySumSeconds: Double
        public var latencyCount: Int

        public static func == (lhs: Snapshot, rhs: Snapshot) -> Bool {
            lhs.scans == rhs.scans && lhs.latencySumSeconds == rhs.latencySumSeconds && lhs.latencyCount == rhs.latencyCount
                && lhs.cumulativeBuckets.map(\.bound) == rhs.cumulativeBuckets.map(\.bound)
                && lhs.cumulativeBuckets.map(\.count) == rhs.cumulativeBuckets.map(\.count)
        }
    }

    public func snapshot() -> Snapshot {
        let copy = counts.withLock { $0 }
        var scans: [ScanResult: Int] = [:]
        for (index, result) in Self.resultOrder.enumerated() { scans[result] = copy.scans[index] }
        var running = 0
        var buckets: [(bound: Double, count: Int)] = []
        for (index, count) in copy.buckets.enumerated() {
            running += count
            let bound = index < boundsNanoseconds.count ? Double(boundsNanoseconds[index]) / 1e9 : Double.infinity
            buckets.append((bound, running))
        }
        return Snapshot(scans: scans, cumulativeBuckets: buckets, latencySumSeconds: Double(copy.latencySumNanoseconds) / 1e9, latencyCount: copy.latencyCount)
    }
}
