import Foundation

/// A bounded hand-off from a source's own thread to async code. The producer thread
/// blocks when the buffer is full (back-pressure instead of unbounded memory); the
/// consumer awaits without blocking a Swift concurrency thread.
public final class ScanChannel: AsyncSequence, @unchecked Sendable {
    // @unchecked: every stored property is guarded by `condition`.
    private let condition = NSCondition()
    private var buffer: [RawScan] = []
    private var head = 0
    private var waiter: CheckedContinuation<RawScan?, Never>?
    private var finished = false
    private var cancelled = false
    /// Run once when the consumer cancels: a producer that polls (the USB device thread)
    /// is woken at once rather than on its next timeout.
    private var cancelHandlers: [@Sendable () -> Void] = []
    private var openProducers: Int
    public let capacity: Int
    /// Wraps a lending producer's resumption of the waiting consumer (see `send`).
    private let handOff: (@Sendable (_ resume: () -> Void) -> Void)?

    /// - Parameters:
    ///   - capacity: scans buffered before producers block.
    ///   - producers: how many sources feed the channel; it ends when all have finished.
    ///   - handOff: the consumer's executor hook for producers that lend their thread: it
    ///     calls `resume`, and may run the resumed consumer on the producer's thread.
    public init(capacity: Int = 64, producers: Int = 1, handOff: (@Sendable (_ resume: () -> Void) -> Void)? = nil) {
        self.capacity = Swift.max(1, capacity)
        self.openProducers = producers
        self.handOff = handOff
    }

    /// Hands a scan over, blocking while the buffer is full. Returns false when the
    /// consumer has gone away: the producer should stop.
    ///
    /// `lendingThread`: the producer's thread reads for this channel alone and may do the
    /// consumer's work for a scan it hands to the waiting consumer (when the consumer's
    /// `handOff` allows), so no other thread is woken; the call then returns after the
    /// consumer has handled the scan and waits again.
    @discardableResult
    public func send(_ scan: RawScan, lendingThread: Bool = false) -> Bool {
        condition.lock()
        while buffer.count - head >= capacity && !cancelled && !finished {
            condition.wait()
        }
        if cancelled || finished {
            condition.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            if lendingThread, let handOff {
                handOff { waiter.resume(returning: scan) }
            } else {
                waiter.resume(returning: scan)
            }
            return true
        }
        buffer.append(scan)
        condition.unlock()
        return true
    }

    /// One producer has no more scans; when the last one finishes, the consumer ends
    /// after draining what is buffered.
    public func finish() {
        condition.lock()
        openProducers -= 1
        guard openProducers <= 0 else {
            condition.unlock()
            return
        }
        finished = true
        let waiter = self.waiter
        self.waiter = nil
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// Ends the channel for every producer (the batch on standard input is over): the
    /// consumer drains what is buffered, then ends; other producers' sends return false.
    public func finishAll() {
        condition.lock()
        finished = true
        openProducers = 0
        let waiter = self.waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// The consumer has stopped: wakes and stops the producer.
    public func cancel() {
        condition.lock()
        cancelled = true
        let waiter = self.waiter
        self.waiter = nil
        let handlers = cancelHandlers
        cancelHandlers = []
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
        for handler in handlers { handler() }
    }

    /// Calls `handler` once the consumer cancels (at once if it has).
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        condition.lock()
        guard !cancelled else {
            condition.unlock()
            handler()
            return
        }
        cancelHandlers.append(handler)
        condition.unlock()
    }

    /// Whether scans are waiting to be taken: a consumer does its idle-time work (a WAL
    /// checkpoint) only when none are.
    public var hasBufferedScans: Bool {
        condition.lock()
        defer { condition.unlock() }
        return head < buffer.count
    }

    /// Whether the consumer is waiting for a scan (diagnostics and tests: a scan sent now
    /// is handed over rather than buffered).
    public var isConsumerWaiting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return waiter != nil
    }

    /// Whether the consumer has stopped; a source with nothing to send polls it to stop.
    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The next scan, waiting on the caller's actor: a consumer isolated to an actor does
    /// not hop to the global executor and back for each scan.
    func next(isolation actor: isolated (any Actor)?) async -> RawScan? {
        await withTaskCancellationHandler {
            await withCheckedContinuation(isolation: actor) { (continuation: CheckedContinuation<RawScan?, Never>) in
                condition.lock()
                if head < buffer.count {
                    let scan = buffer[head]
                    head += 1
                    if head > 256 && head * 2 > buffer.count {
                        buffer.removeFirst(head)
                        head = 0
                    }
                    condition.signal()
                    condition.unlock()
                    continuation.resume(returning: scan)
                } else if finished || cancelled || Task.isCancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else {
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: ScanChannel
        public mutating func next() async -> RawScan? { await channel.next(isolation: nil) }
        public mutating func next(isolation actor: isolated (any Actor)?) async -> RawScan? { await channel.next(isolation: actor) }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
