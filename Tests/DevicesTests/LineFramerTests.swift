import Devices
import Testing

@Suite struct LineFramerTests {
    @Test func splitsOnLineFeedAcrossChunks() {
        var framer = LineFramer(limit: 100)
        var lines: [LineFramer.Line] = []
        framer.feed(Array("AB".utf8)) { lines.append($0) }
        framer.feed(Array("C\r\nD\u{1D}E\n\nF".utf8)) { lines.append($0) }
        #expect(lines.map(\.bytes) == [Array("ABC\r".utf8), Array("D\u{1D}E".utf8), []])
        #expect(framer.finish()?.bytes == Array("F".utf8))
        #expect(framer.finish() == nil)
    }

    @Test func keepsOnlyTheLimitButCountsTheWholeLine() {
        var framer = LineFramer(limit: 4)
        var lines: [LineFramer.Line] = []
        framer.feed(Array(repeating: UInt8(ascii: "x"), count: 10_000) + [0x0A]) { lines.append($0) }
        #expect(lines.count == 1)
        #expect(lines[0].bytes.count == 4)
        #expect(lines[0].totalLength == 10_000)
    }
}

@Suite struct ScanChannelTests {
    @Test func deliversInOrderAndEndsWhenAllProducersFinish() async {
        let channel = ScanChannel(capacity: 2, producers: 2)
        let producer = Thread {
            for index in 0..<50 { channel.send(RawScan(source: "a", bytes: Array("\(index)".utf8))) }
            channel.finish()
        }
        producer.start()
        channel.finish() // the second producer has nothing
        var received: [String] = []
        for await scan in channel { received.append(String(decoding: scan.bytes, as: UTF8.self)) }
        #expect(received == (0..<50).map(String.init))
    }

    @Test func cancelledConsumerStopsABlockedProducer() async throws {
        let channel = ScanChannel(capacity: 1, producers: 1)
        let outcome = ProducerOutcome()
        let producer = Thread {
            var sent = 0
            while channel.send(RawScan(source: "a", bytes: [0x41])) { sent += 1 }
            outcome.finish(sent: sent)
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(50))
        #expect(!outcome.isFinished, "the producer blocks on a full buffer instead of growing it")
        channel.cancel()
        for _ in 0..<200 where !outcome.isFinished { try await Task.sleep(for: .milliseconds(5)) }
        #expect(outcome.isFinished)
        #expect(outcome.sent == 1)
    }
}

import Foundation

final class ProducerOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var count = 0
    func finish(sent: Int) { lock.lock(); finished = true; count = sent; lock.unlock() }
    var isFinished: Bool { lock.lock(); defer { lock.unlock() }; return finished }
    var sent: Int { lock.lock(); defer { lock.unlock() }; return count }
}
