/// Bits of the decoder's keyboard state that select a table cell (the generator's order).
struct KeyState: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let shift = KeyState(rawValue: 1)
    static let lock = KeyState(rawValue: 2)
    static let control = KeyState(rawValue: 4)
    static let numLock = KeyState(rawValue: 8)
    static let levelThree = KeyState(rawValue: 16)
    /// Not a level modifier: Alt, for Alt+numeric-keypad codes.
    static let alt = KeyState(rawValue: 32)
    static let superKey = KeyState(rawValue: 64)

    /// The bits that index a table row.
    static let tableMask: UInt8 = 31
}

/// What one key types in one modifier state: the XKB keysym and its text (at most one code point).
struct KeyCell: Sendable, Hashable {
    var keysym: UInt32
    /// The UTF-8 bytes, packed little-endian; `textLength` of them are valid.
    var packedText: UInt32
    var textLength: UInt8

    static let empty = KeyCell(keysym: 0, packedText: 0, textLength: 0)

    var text: [UInt8] { (0..<Int(textLength)).map { UInt8(truncatingIfNeeded: packedText >> (8 * UInt32($0))) } }
    var isDeadKey: Bool { keysym >= 0xFE50 && keysym <= 0xFE8F }
}

/// A layout's generated table, unpacked once: 256 usages x 32 states.
struct LayoutTable: Sendable {
    var cells: [KeyCell]
    /// Decoder bits set by the modifier byte's bits 0-7 (LeftCtrl ... RightGUI).
    var modifierBits: [UInt8]
    /// Usages that have a row in the table.
    var hasRow: [Bool]

    static let statesPerUsage = 32

    @inline(__always)
    func cell(usage: UInt8, state: UInt8) -> KeyCell {
        cells.withUnsafeBufferPointer { $0[Int(usage) &* 32 &+ Int(state & KeyState.tableMask)] }
    }

    init(rows: String, modifierBits: [UInt8]) {
        var cells = [KeyCell](repeating: .empty, count: 256 * 32)
        var hasRow = [Bool](repeating: false, count: 256)
        for line in rows.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count >= 3, let usage = parseHex(fields[0]), usage < 256 else { continue }
            let indices = Array(fields[1])
            let entries = fields.dropFirst(2).map { field -> KeyCell in
                let parts = field.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
                let keysym = parts.first.flatMap(parseHex) ?? 0
                var packed: UInt32 = 0
                var length: UInt8 = 0
                if parts.count > 1 {
                    let digits = Array(parts[1])
                    var index = 0
                    while index + 1 < digits.count, length < 4 {
                        let byte = (hexValue(digits[index]) << 4) | hexValue(digits[index + 1])
                        packed |= UInt32(byte) << (8 * UInt32(length))
                        length += 1
                        index += 2
                    }
                }
                return KeyCell(keysym: UInt32(truncatingIfNeeded: keysym), packedText: packed, textLength: length)
            }
            guard indices.count == Self.statesPerUsage else { continue }
            for (state, digit) in indices.enumerated() {
                let entry = Int(base62Value(digit))
                if entry < entries.count { cells[Int(usage) * 32 + state] = entries[entry] }
            }
            hasRow[Int(usage)] = true
        }
        self.cells = cells
        self.hasRow = hasRow
        self.modifierBits = modifierBits.count == 8 ? modifierBits : [4, 1, 32, 64, 4, 1, 32, 64]
    }
}

/// Dead key compositions: (dead keysym, next keysym) -> text.
struct ComposeTable: Sendable {
    var results: [UInt64: [UInt8]]

    func compose(_ dead: UInt32, _ next: UInt32) -> [UInt8]? { results[UInt64(dead) << 32 | UInt64(next)] }

    /// The character a dead key types on its own (dead key then space).
    func spacing(_ dead: UInt32) -> [UInt8]? { compose(dead, 0x20) }

    init(rows: String) {
        var results: [UInt64: [UInt8]] = [:]
        for line in rows.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count == 3, let dead = parseHex(fields[0]), let next = parseHex(fields[1]) else { continue }
            let digits = Array(fields[2])
            var bytes: [UInt8] = []
            var index = 0
            while index + 1 < digits.count {
                bytes.append((hexValue(digits[index]) << 4) | hexValue(digits[index + 1]))
                index += 2
            }
            results[UInt64(dead & 0xFFFF_FFFF) << 32 | UInt64(next & 0xFFFF_FFFF)] = bytes
        }
        self.results = results
    }

    static let standard = ComposeTable(rows: KeyboardLayoutTables.compose)
}

extension KeyboardLayout {
    /// The unpacked table (built once per layout, on first use).
    var table: LayoutTable {
        switch self {
        case .us: LayoutTable.us
        case .uk: LayoutTable.uk
        case .de: LayoutTable.de
        case .fr: LayoutTable.fr
        case .es: LayoutTable.es
        case .it: LayoutTable.it
        }
    }
}

extension LayoutTable {
    static let us = LayoutTable(rows: KeyboardLayoutTables.us, modifierBits: KeyboardLayoutTables.usModifiers)
    static let uk = LayoutTable(rows: KeyboardLayoutTables.uk, modifierBits: KeyboardLayoutTables.ukModifiers)
    static let de = LayoutTable(rows: KeyboardLayoutTables.de, modifierBits: KeyboardLayoutTables.deModifiers)
    static let fr = LayoutTable(rows: KeyboardLayoutTables.fr, modifierBits: KeyboardLayoutTables.frModifiers)
    static let es = LayoutTable(rows: KeyboardLayoutTables.es, modifierBits: KeyboardLayoutTables.esModifiers)
    static let it = LayoutTable(rows: KeyboardLayoutTables.it, modifierBits: KeyboardLayoutTables.itModifiers)
}

private func parseHex(_ digits: Substring.UTF8View.SubSequence) -> UInt64? {
    guard !digits.isEmpty, digits.count <= 16 else { return nil }
    var value: UInt64 = 0
    for digit in digits {
        guard isHexDigit(digit) else { return nil }
        value = value << 4 | UInt64(hexValue(digit))
    }
    return value
}

private func parseHex(_ digits: ArraySlice<UInt8>) -> UInt64? {
    guard !digits.isEmpty, digits.count <= 16 else { return nil }
    var value: UInt64 = 0
    for digit in digits {
        guard isHexDigit(digit) else { return nil }
        value = value << 4 | UInt64(hexValue(digit))
    }
    return value
}

func isHexDigit(_ digit: UInt8) -> Bool {
    (digit >= 0x30 && digit <= 0x39) || (digit >= 0x61 && digit <= 0x66) || (digit >= 0x41 && digit <= 0x46)
}

func hexValue(_ digit: UInt8) -> UInt8 {
    switch digit {
    case 0x30...0x39: digit - 0x30
    case 0x61...0x66: digit - 0x61 + 10
    case 0x41...0x46: digit - 0x41 + 10
    default: 0
    }
}

private func base62Value(_ digit: UInt8) -> UInt8 {
    switch digit {
    case 0x30...0x39: digit - 0x30
    case 0x61...0x7A: digit - 0x61 + 10
    case 0x41...0x5A: digit - 0x41 + 36
    default: 0xFF
    }
}
