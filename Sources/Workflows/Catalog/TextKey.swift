import Foundation

/// A text as a key of the in-memory catalog's tables. Each step looks up a dozen or more
/// product codes, locations and document numbers; a `String` key hashes each through
/// `Hasher` (seeding, feeding its bytes one call at a time, a terminator, finalizing), about
/// as dear as the rest of the lookup together. This key hashes the text's bytes in one pass,
/// a word at a time, and mixes in the table's seed: the same equality, a cheaper hash.
struct TextKey: Hashable, Sendable {
    var text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: TextKey, rhs: TextKey) -> Bool {
        lhs.text == rhs.text
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(Self.hash(text, seed: 0))
    }

    /// What `Set` and `Dictionary` hash with (a public, if underscored, requirement of
    /// `Hashable`, which `hash(into:)` would otherwise serve through a `Hasher`).
    func _rawHashValue(seed: Int) -> Int {
        Self.hash(text, seed: seed)
    }

    /// The text's UTF-8 bytes in Unicode's composed normal form (NFC), eight at a time, each
    /// word multiplied into 128 bits and folded (the high half XORed into the low), so the
    /// low bits a table indexes by depend on every byte. `String` holds canonically equivalent texts equal, and such texts have
    /// the same NFC bytes; ASCII text is in NFC already (the catalog's codes are ASCII), so
    /// only other text is normalized first.
    static func hash(_ text: String, seed: Int) -> Int {
        if let hashed = hashIfASCII(text, seed: seed) { return hashed }
        return hashIfASCII(text.precomposedStringWithCanonicalMapping, seed: seed, anyText: true) ?? seed
    }

    /// The hash of ASCII text's bytes (of any text's with `anyText`, once in NFC); nil when
    /// it is not ASCII. Read in 8-byte words, the last one overlapping the one before when the
    /// length is no multiple of 8 (shorter texts: two overlapping 4-byte halves), with the
    /// length mixed in, so no byte is read twice into the same place nor read past the end.
    static func hashIfASCII(_ text: String, seed: Int, anyText: Bool = false) -> Int? {
        let hashed: UInt64?? = text.utf8.withContiguousStorageIfAvailable { bytes -> UInt64? in
            let raw = UnsafeRawBufferPointer(bytes)
            let count = raw.count
            var state = UInt64(bitPattern: Int64(seed)) ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
            var bits: UInt64 = 0
            if count >= 8 {
                var offset = 0
                while offset + 8 < count {
                    let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    bits |= word
                    state = mix(state ^ word)
                    offset += 8
                }
                let last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                bits |= last
                state = mix(state ^ last)
            } else if count >= 4 {
                let first = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                let last = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                bits = first | last
                state = mix(state ^ (first << 32 | last))
            } else {
                var word: UInt64 = 0
                for index in 0..<count { word = word << 8 | UInt64(raw[index]) }
                bits = word
                state = mix(state ^ word)
            }
            guard anyText || bits & 0x8080_8080_8080_8080 == 0 else { return nil }
            return state
        }
        switch hashed {
        case let hash??: return Int(bitPattern: UInt(truncatingIfNeeded: hash))
        case .some(nil): return nil
        case nil:
            // Text not stored as contiguous UTF-8 (bridged): a native copy is.
            var native = text
            native.makeContiguousUTF8()
            return hashIfASCII(native, seed: seed, anyText: anyText)
        }
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xFF51_AFD7_ED55_8CCD)
        return product.high ^ product.low
    }
}
