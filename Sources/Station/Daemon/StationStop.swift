import Devices
import Synchronization

/// Stops one running station without stopping the daemon (a reload that removes or
/// restarts it): the station takes no new scans, answers what its sources already handed
/// over, then ends and its sources let go of their devices.
public final class StationStop: Sendable {
    private struct State {
        var requested = false
        var channel: ScanChannel?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    public init() {}

    public var isRequested: Bool { state.withLock { $0.requested } }

    /// Asks the station to stop; returns at once (the station's service ends after it has
    /// drained).
    public func request() {
        let (channel, waiters) = state.withLock { state -> (ScanChannel?, [CheckedContinuation<Void, Never>]) in
            state.requested = true
            defer { state.waiters = [] }
            return (state.channel, state.waiters)
        }
        // finishAll: what is buffered is still answered; sources' further sends are refused.
        channel?.finishAll()
        waiters.forEach { $0.resume() }
    }

    /// The channel the station reads now; a stop asked for earlier ends it at once.
    func attach(_ channel: ScanChannel) {
        let requested = state.withLock { state -> Bool in
            state.channel = channel
            return state.requested
        }
        if requested { channel.finishAll() }
    }

    /// Returns once a stop is requested, or when the calling task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.requested || Task.isCancelled { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume() }
        }
    }
}
