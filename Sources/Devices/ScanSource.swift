/// A kind of scanner input. Each source runs on a thread of its own (blocking reads never
/// run on the Swift concurrency pool) and hands scans to a `ScanChannel`.
public protocol ScanSource: Sendable {
    /// The source's name in logs and the scan log (`stdin`, `usb:1-4`, ...).
    var name: String { get }
    /// Starts reading on a thread of its own; calls `channel.finish()` once when the source
    /// has ended (end of input, or the channel was cancelled).
    func start(into channel: ScanChannel)
}
