/// A kind of scanner input. Each source runs on a thread of its own (blocking reads never
/// run on the Swift concurrency pool) and hands scans to a `ScanChannel`.
public protocol ScanSource: Sendable {
    /// The source's name in logs and the scan log (`stdin`, `usb:1-4`, ...).
    var name: String { get }
    /// Starts reading on a thread of its own; calls `channel.finish()` once when the source
    /// has ended (end of input, or the channel was cancelled).
    func start(into channel: ScanChannel)
    /// Waits, up to `timeoutSeconds`, until the started source has let go of its device
    /// after its channel was cancelled (so a restarted source can open it again); true
    /// when it has. Sources holding nothing return at once.
    func waitUntilReleased(timeoutSeconds: Double) -> Bool
}

extension ScanSource {
    public func waitUntilReleased(timeoutSeconds: Double) -> Bool { true }
}
