/// The check character pair of alphanumeric GS1 keys (GMN, AI 8013): GS1 General
/// Specifications section 7.9.6. Each character but the last two is given its CSET 82
/// value and weighted by a prime (2, 3, 5, ... from the right); the sum modulo 1021 is
/// written as two CSET 32 characters, the quotient and the remainder of a division by 32.
public enum CheckCharacterPair {
    /// CSET 82 in GS1 order: a character's value is its position.
    static let cset82 = Array("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
    /// CSET 32 (digits 2-9 and the capitals without I and O), for the check characters.
    static let cset32 = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    /// Weights from the rightmost character leftwards: a GMN has at most 23 before its pair.
    static let weights = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83]

    /// CSET 82 value by byte, -1 for bytes outside the set.
    private static let values: [Int] = {
        var table = [Int](repeating: -1, count: 256)
        for (value, byte) in cset82.enumerated() { table[Int(byte)] = value }
        return table
    }()

    /// The two check characters for `body` (the key without them); nil when the body is
    /// empty, longer than 23 characters, or has a character outside CSET 82.
    public static func pair<C: Collection>(for body: C) -> (first: UInt8, second: UInt8)? where C.Element == UInt8 {
        guard !body.isEmpty, body.count <= weights.count else { return nil }
        var sum = 0
        var weightIndex = body.count - 1
        for byte in body {
            let value = values[Int(byte)]
            guard value >= 0 else { return nil }
            sum += value * weights[weightIndex]
            weightIndex -= 1
        }
        let check = sum % 1021
        return (cset32[check / 32], cset32[check % 32])
    }

    /// Whether the last two characters of `key` are the check pair of the others.
    public static func isValid<C: BidirectionalCollection>(_ key: C) -> Bool where C.Element == UInt8 {
        guard key.count >= 3, let expected = pair(for: key.dropLast(2)) else { return false }
        let written = Array(key.suffix(2))
        return written[0] == expected.first && written[1] == expected.second
    }
}
