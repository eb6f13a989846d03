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
    private var openProducers: Int
    public let capacity: Int

    /// - Parameters:
    ///   - capacity: scans buffered before producers block.
    ///   - producers: how many sources feed the channel; it ends when all have finished.
    public init(capacity: Int = 64, producers: Int = 1) {
        self.capacity = Swift.max(1, capacity)
        self.openProducers = producers
    }

    /// Hands a scan over, blocking while the buffer is full. Returns false when the
    /// consumer has gone away: the producer should stop.
    @discardableResult
    public func send(_ scan: RawScan) -> Bool {
        condition.lock()
        while buffer.count - head >= capacity && !cancelled {
            condition.wait()
        }
        if cancelled || finished {
            condition.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: scan)
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

    /// The consumer has stopped: wakes and stops the producer.
    public func cancel() {
        condition.lock()
        cancelled = true
        let waiter = self.waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// Whether the consumer has stopped; a source with nothing to send polls it to stop.
    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    func next() async -> RawScan? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<RawScan?, Never>) in
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
        public mutating func next() async -> RawScan? { await channel.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
