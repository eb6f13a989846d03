public import Synchronization

/// Counters of one camera source, for /metrics and the benchmark.
public final class CameraMetrics: Sendable {
    /// Frames read from the camera or stream.
    public let framesCaptured = Atomic<Int>(0)
    /// Frames zbar scanned.
    public let framesScanned = Atomic<Int>(0)
    /// Frames zbar never saw because it was busy with an earlier one.
    public let framesDropped = Atomic<Int>(0)
    /// Frames the DataMatrix decoder searched, and those it skipped while busy.
    public let dataMatrixFramesScanned = Atomic<Int>(0)
    public let dataMatrixFramesDropped = Atomic<Int>(0)
    /// Scans handed to the station.
    public let scans = Atomic<Int>(0)
    /// Times the camera was reopened after it went away.
    public let reconnects = Atomic<Int>(0)
    /// Sum and maximum of the time from a frame's capture to its scan, in nanoseconds.
    public let latencyTotalNanoseconds = Atomic<UInt64>(0)
    public let latencyMaximumNanoseconds = Atomic<UInt64>(0)

    public init() {}

    func recordLatency(_ nanoseconds: UInt64) {
        latencyTotalNanoseconds.wrappingAdd(nanoseconds, ordering: .relaxed)
        var current = latencyMaximumNanoseconds.load(ordering: .relaxed)
        while nanoseconds > current {
            let (exchanged, original) = latencyMaximumNanoseconds.compareExchange(expected: current, desired: nanoseconds, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }
}
