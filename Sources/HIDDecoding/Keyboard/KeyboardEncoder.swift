/// The reverse of the decoder: which keystrokes type a text in a layout, as a keyboard-wedge
/// scanner set to that keyboard country sends them. Used to build test streams and emulated
/// scanners; it assumes the host's Caps Lock off and Num Lock on (the decoder's start state).
public struct KeyboardEncoder: Sendable {
    /// One key press: the boot report's modifier byte and the key's usage.
    public struct Keystroke: Sendable, Hashable {
        public var modifiers: UInt8
        public var usage: UInt8
        public init(modifiers: UInt8, usage: UInt8) {
            self.modifiers = modifiers
            self.usage = usage
        }
    }

    /// Why a text cannot be typed in a layout.
    public struct EncodingError: Error, Sendable, Hashable, CustomStringConvertible {
        public var character: Character
        public var offset: Int
        public var description: String { "the character '\(character)' at offset \(offset) cannot be typed in this layout" }
    }

    public let layout: KeyboardLayout
    private var byText: [[UInt8]: [Keystroke]] = [:]

    public init(layout: KeyboardLayout) {
        self.layout = layout
        let table = layout.table
        let levelThreeBit = (0..<8).first { table.modifierBits[$0] & KeyState.levelThree.rawValue != 0 }
        // Preference: no modifier, Shift, AltGr, Shift+AltGr, then the same with Ctrl.
        var states: [(state: UInt8, modifiers: UInt8)] = []
        for control in [false, true] {
            for levelThree in [false, true] {
                if levelThree && levelThreeBit == nil { continue }
                for shift in [false, true] {
                    var state = KeyState.numLock.rawValue
                    var modifiers: UInt8 = 0
                    if shift { state |= KeyState.shift.rawValue; modifiers |= 0x02 }
                    if control { state |= KeyState.control.rawValue; modifiers |= 0x01 }
                    if levelThree, let bit = levelThreeBit { state |= KeyState.levelThree.rawValue; modifiers |= 1 << UInt8(bit) }
                    states.append((state, modifiers))
                }
            }
        }
        // The main block before the keypad, so digits come from the top row as scanners send them.
        let usages = Array(0x04..<0x54) + Array(0x64..<0xE0) + Array(0x54..<0x64)
        var byKeysym: [UInt32: Keystroke] = [:]
        var byText: [[UInt8]: [Keystroke]] = [:]
        for (state, modifiers) in states {
            for usage in usages where table.hasRow[usage] {
                let cell = table.cell(usage: UInt8(usage), state: state)
                let stroke = Keystroke(modifiers: modifiers, usage: UInt8(usage))
                if cell.keysym != 0, byKeysym[cell.keysym] == nil { byKeysym[cell.keysym] = stroke }
                if cell.textLength > 0, !cell.isDeadKey, byText[cell.text] == nil { byText[cell.text] = [stroke] }
            }
        }
        // Control characters the classic way: Ctrl with the key of the character 0x40 above
        // (Ctrl+] for GS, Ctrl+^ for RS, Ctrl+D for EOT), in the layout's own way.
        for code in UInt8(0x01)...0x1F {
            for base in [code | 0x40, code | 0x60] {
                guard let plain = byText[[base]]?.first else { continue }
                let candidate = Keystroke(modifiers: plain.modifiers | 0x01, usage: plain.usage)
                let state = Self.state(for: candidate.modifiers, table: table)
                if table.cell(usage: candidate.usage, state: state).text == [code] {
                    byText[[code]] = [candidate]
                    break
                }
            }
        }
        // Dead key compositions for what no single keystroke types.
        for (key, result) in ComposeTable.standard.results where byText[result] == nil {
            let dead = UInt32(truncatingIfNeeded: key >> 32)
            let next = UInt32(truncatingIfNeeded: key)
            guard let deadStroke = byKeysym[dead], let nextStroke = byKeysym[next] else { continue }
            byText[result] = [deadStroke, nextStroke]
        }
        self.byText = byText
    }

    static func state(for modifiers: UInt8, table: LayoutTable) -> UInt8 {
        var state = KeyState.numLock.rawValue
        for bit in 0..<8 where modifiers & (1 << UInt8(bit)) != 0 { state |= table.modifierBits[bit] }
        return state
    }

    /// The keystrokes that type `character` (a dead key first when it needs one), or nil.
    public func keystrokes(for character: Character) -> [Keystroke]? {
        byText[Array(String(character).utf8)]
    }

    /// Every character this layout types with one keystroke or a dead key composition, control
    /// characters excluded, in code point order.
    public var printableCharacters: [Character] {
        byText.keys.compactMap { bytes -> Character? in
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first,
                  scalar.value >= 0x20, scalar.value != 0x7F, !(0x80...0x9F).contains(scalar.value)
            else { return nil }
            return Character(scalar)
        }.sorted { $0.unicodeScalars.first?.value ?? 0 < $1.unicodeScalars.first?.value ?? 0 }
    }

    /// Boot-protocol reports typing `text`: a press and an all-zero release per keystroke,
    /// then the terminator's key (Enter 0x28, Tab 0x2B).
    public func bootReports(for text: String, terminator: ScanTerminator = .enter) throws(EncodingError) -> [[UInt8]] {
        var reports: [[UInt8]] = []
        for (offset, character) in text.enumerated() {
            guard let strokes = keystrokes(for: character) else { throw EncodingError(character: character, offset: offset) }
            for stroke in strokes {
                reports.append([stroke.modifiers, 0, stroke.usage, 0, 0, 0, 0, 0])
                reports.append([0, 0, 0, 0, 0, 0, 0, 0])
            }
        }
        switch terminator {
        case .enter: reports.append([0, 0, 0x28, 0, 0, 0, 0, 0])
        case .tab: reports.append([0, 0, 0x2B, 0, 0, 0, 0, 0])
        case .none: return reports
        }
        reports.append([0, 0, 0, 0, 0, 0, 0, 0])
        return reports
    }
}
