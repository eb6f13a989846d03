import Testing
@testable import Workflows

/// The catalog's tables hash their text keys themselves (`TextKey`): texts `String` holds
/// equal must hash alike, canonically equivalent ones included, or a lookup would miss.
@Suite struct TextKeyTests {
    static let texts = [
        "", "A", "AB", "ABC", "ABCD", "SKU-1", "S-3-045", "O-1-23", "SKU-00012", "LOC-S-3-045", "04012345000127",
        "401234500000000017", "R-59-99-with-a-longer-number", "café", "cafe\u{301}", "\u{212A}", "K", "SKU-\u{212A}", "SKU-K",
        "Å", "A\u{30A}", "\u{212B}", "ﬁ", "fi", "日本", "x\u{0}y", "x\u{0}z",
    ]

    @Test func equalTextsHashAlike() {
        for seed in [0, 1, -7, Int.max] {
            for lhs in Self.texts {
                for rhs in Self.texts where lhs == rhs {
                    #expect(TextKey.hash(lhs, seed: seed) == TextKey.hash(rhs, seed: seed), "\(lhs.unicodeScalars.map(\.value)) \(rhs.unicodeScalars.map(\.value))")
                    #expect(TextKey(lhs).hashValue == TextKey(rhs).hashValue)
                }
            }
        }
        // The canonical equivalents above are in fact equal texts.
        #expect("\u{212A}" == "K")
        #expect("cafe\u{301}" == "café")
    }

    @Test func aTableFindsEveryTextByAnyEqualOne() {
        var table: [TextKey: Int] = [:]
        for (index, text) in Self.texts.enumerated() where table[TextKey(text)] == nil {
            table[TextKey(text)] = index
        }
        for text in Self.texts {
            let first = Self.texts.firstIndex(of: text)
            #expect(table[TextKey(text)] == first, "\(text)")
        }
    }

    @Test func textsOfEveryLengthAndByteSpreadTheirHashes() {
        // Each byte, at each place of texts up to 40 long, changes the hash and its low bits
        // (what a table of a few thousand keys indexes by).
        var hashes = Set<Int>()
        var lowBits = Set<Int>()
        var count = 0
        for length in 1...40 {
            let base = String(repeating: "0", count: length)
            for place in 0..<length {
                var bytes = Array(base.utf8)
                bytes[place] = UInt8(ascii: "7")
                let text = String(decoding: bytes, as: UTF8.self)
                let hash = TextKey.hash(text, seed: 0)
                hashes.insert(hash)
                lowBits.insert(hash & 0xFFFF)
                count += 1
            }
            hashes.insert(TextKey.hash(base, seed: 0))
            count += 1
        }
        #expect(hashes.count == count)
        #expect(lowBits.count > count * 9 / 10)
    }
}
