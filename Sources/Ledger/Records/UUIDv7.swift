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
        var random = SystemRandomNumberGenerator()
        return next(milliseconds: milliseconds, using: &random)
    }

    static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append("-") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
