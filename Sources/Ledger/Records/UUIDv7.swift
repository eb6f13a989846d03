import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then randomness.
/// Time-ordered, so new rows land at the end of the primary-key index.
public struct UUIDv7Generator: Sendable {
    private var lastMilliseconds: UInt64 = 0
    private var counter: UInt16 = 0

    public init() {}

    /// A new id; ids from one generator are strictly increasing, even within a millisecond.
    public mutating func next<R: RandomNumberGenerator>(milliseconds: UInt64, using random: inout R) -> String {
        var time = milliseconds
        if time <= lastMilliseconds {
            // Same (or a backwards) millisecond: keep order with the 12-bit counter.
            time = lastMilliseconds
            counter &+= 1
            if counter > 0x0FFF {
                time += 1
                counter = UInt16.random(in: 0...0x01FF, using: &random)
            }
        } else {
            counter = UInt16.random(in: 0...0x01FF, using: &random)
        }
        lastMilliseconds = time
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - UInt64(index)))) }
        bytes[6] = 0x70 | UInt8(counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        let tail = random.next()
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: tail >> (8 * UInt64(index - 8))) }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return Self.format(bytes)
    }

    public mutating func next(milliseconds: UInt64) -> String {
        var generator = BufferedSystemRandom.Generator(source: random)
        return next(milliseconds: milliseconds, using: &generator)
    }

    /// The system's randomness, fetched 256 bytes at a time: a getrandom(2) call per id
    /// (two when the millisecond changes) was a visible share of a scan's work.
    private let random = BufferedSystemRandom()

    static func format(_ bytes: [UInt8]) -> String {
        let digits: StaticString = "0123456789abcdef"
        var text = [UInt8]()
        text.reserveCapacity(36)
        digits.withUTF8Buffer { digits in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The kernel's random numbers (what `SystemRandomNumberGenerator` returns), read in
/// blocks of 32 words. A class: copies of a generator draw from one block and so never
/// repeat each other's words.
final class BufferedSystemRandom: Sendable {
    private struct Block {
        var words = [UInt64](repeating: 0, count: 32)
        var used = 32
    }
    private let block = Mutex(Block())

    func next() -> UInt64 {
        block.withLock { block in
            if block.used == block.words.count {
                // glibc's arc4random_buf: one getrandom(2) for the whole block; it cannot fail.
                block.words.withUnsafeMutableBytes { buffer in
                    if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
                }
                block.used = 0
            }
            defer { block.used += 1 }
            return block.words[block.used]
        }
    }

    /// A generator over the block, for the generic `next(milliseconds:using:)`.
    struct Generator: RandomNumberGenerator {
        let source: BufferedSystemRandom
        mutating func next() -> UInt64 { source.next() }
    }
}
