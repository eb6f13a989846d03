/// Key-down edges, modifiers, locks, dead keys and Alt+keypad codes: what a Linux host with the
/// layout's XKB keymap would type for a stream of keyboard reports. A plain state machine.
struct KeyboardDecoder: Sendable {
    let layout: KeyboardLayout
    private let table: LayoutTable
    private let compose: ComposeTable
    /// The layout's decoder bits for each value of the modifier byte.
    private let stateForModifiers: [KeyState]
    /// Keys down in the previous report (usage bitmap).
    private var previousKeys: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var previousState: KeyState = []
    var capsLock = false
    var numLock: Bool
    private var pendingDeadKey: UInt32?
    private var altDigits: [UInt8] = []

    init(layout: KeyboardLayout, numLock: Bool = true) {
        self.layout = layout
        self.table = layout.table
        self.compose = .standard
        self.numLock = numLock
        let table = layout.table
        self.stateForModifiers = (0..<256).map { byte in
            var state = KeyState(rawValue: 0)
            for bit in 0..<8 where byte & (1 << bit) != 0 { state.formUnion(KeyState(rawValue: table.modifierBits[bit])) }
            return state
        }
    }

    /// One report: the modifier byte (bit 0 LeftCtrl ... bit 7 RightGUI) and the keys down.
    /// Usages 0x01-0x03 (rollover, POST fail, undefined error) make it a phantom report: the
    /// keys stay as they were.
    mutating func process(modifiers: UInt8, keys: UnsafeBufferPointer<UInt8>, at now: UInt64, framer: inout ScanFramer, scans: inout [HIDScan]) {
        var modifierByte = modifiers
        var phantom = false
        for usage in keys {
            if usage >= 0xE0, usage <= 0xE7 { modifierByte |= 1 << (usage - 0xE0) }
            if usage >= 0x01, usage <= 0x03 { phantom = true }
        }
        var state = stateForModifiers.withUnsafeBufferPointer { $0[Int(modifierByte)] }
        if previousState.contains(.alt), !state.contains(.alt) { finishAltCode(at: now, framer: &framer, scans: &scans) }
        previousState = state
        guard !phantom else { return }
        if capsLock { state.insert(.lock) }
        if numLock { state.insert(.numLock) }

        var current: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for usage in keys where usage >= 0x04 && (usage < 0xE0 || usage > 0xE7) {
            let word = usage >> 6
            let bit = UInt64(1) << UInt64(usage & 63)
            let wasDown: Bool
            switch word {
            case 0:
                wasDown = (previousKeys.0 | current.0) & bit != 0
                current.0 |= bit
            case 1:
                wasDown = (previousKeys.1 | current.1) & bit != 0
                current.1 |= bit
            case 2:
                wasDown = (previousKeys.2 | current.2) & bit != 0
                current.2 |= bit
            default:
                wasDown = (previousKeys.3 | current.3) & bit != 0
                current.3 |= bit
            }
            if !wasDown {
                keyDown(usage, state: state, at: now, framer: &framer, scans: &scans)
                // Caps/Num Lock pressed in this report change the state for the keys after it.
                state = capsLock ? state.union(.lock) : state.subtracting(.lock)
                state = numLock ? state.union(.numLock) : state.subtracting(.numLock)
            }
        }
        previousKeys = current
    }

    private mutating func keyDown(_ usage: UInt8, state: KeyState, at now: UInt64, framer: inout ScanFramer, scans: inout [HIDScan]) {
        guard table.hasRow[Int(usage)] else {
            framer.warn("key usage 0x\(hex(usage, width: 2)) has no key in the Linux keyboard table; it was ignored")
            return
        }
        if state.contains(.alt), usage >= 0x59, usage <= 0x62 {
            altDigits.append(usage == 0x62 ? 0 : usage - 0x58)
            return
        }
        if !altDigits.isEmpty {
            framer.warn("Alt+keypad code \(AltNumpadCode.digitsText(altDigits)) was interrupted by another key; it was ignored")
            altDigits.removeAll()
        }
        let cell = table.cell(usage: usage, state: state.rawValue)
        switch cell.keysym {
        case 0xFFE5:  // Caps_Lock
            capsLock.toggle()
            return
        case 0xFF7F:  // Num_Lock
            numLock.toggle()
            return
        case 0xFF14:  // Scroll_Lock
            return
        default:
            break
        }
        if cell.isDeadKey {
            if let dead = pendingDeadKey {
                pendingDeadKey = nil
                emitComposed(dead: dead, next: cell, usage: usage, at: now, framer: &framer, scans: &scans)
            } else {
                pendingDeadKey = cell.keysym
            }
            return
        }
        if let dead = pendingDeadKey {
            pendingDeadKey = nil
            emitComposed(dead: dead, next: cell, usage: usage, at: now, framer: &framer, scans: &scans)
            return
        }
        emit(cell, usage: usage, state: state, at: now, framer: &framer, scans: &scans)
    }

    @inline(__always)
    private mutating func emit(_ cell: KeyCell, usage: UInt8, state: KeyState, at now: UInt64, framer: inout ScanFramer, scans: inout [HIDScan]) {
        guard cell.textLength > 0 else {
            if cell.keysym == 0 {
                framer.warn("key usage 0x\(hex(usage, width: 2)) types nothing in the \(layout.rawValue) layout with these modifiers; check the scanner's keyboard country setting")
            } else {
                framer.warn("key usage 0x\(hex(usage, width: 2)) (keysym 0x\(hex(cell.keysym, width: 4))) types no text; it was ignored")
            }
            return
        }
        if cell.textLength == 1 {
            framer.append(UInt8(truncatingIfNeeded: cell.packedText), at: now, into: &scans)
        } else {
            framer.append(cell.text, at: now, into: &scans)
        }
    }

    private mutating func emitComposed(dead: UInt32, next: KeyCell, usage: UInt8, at now: UInt64, framer: inout ScanFramer, scans: inout [HIDScan]) {
        if let composed = compose.compose(dead, next.keysym) {
            framer.append(composed, at: now, into: &scans)
            return
        }
        // Not a composition: keep both characters rather than lose one, and say so.
        framer.warn("dead key 0x\(hex(dead, width: 4)) followed by key usage 0x\(hex(usage, width: 2)) does not compose; both were kept")
        if let spacing = compose.spacing(dead) { framer.append(spacing, at: now, into: &scans) }
        if next.isDeadKey {
            pendingDeadKey = next.keysym
        } else if next.textLength > 0 {
            framer.append(next.text, at: now, into: &scans)
        }
    }

    private mutating func finishAltCode(at now: UInt64, framer: inout ScanFramer, scans: inout [HIDScan]) {
        guard !altDigits.isEmpty else { return }
        let digits = altDigits
        altDigits.removeAll()
        switch AltNumpadCode.text(digits: digits) {
        case .success(let bytes): framer.append(bytes, at: now, into: &scans)
        case .failure(let error): framer.warn(error.message)
        }
    }

    /// At the end of a stream: a dead key still waiting is typed on its own.
    mutating func finish(at now: UInt64, framer: inout ScanFramer, scans: inout [HIDScan]) {
        if let dead = pendingDeadKey {
            pendingDeadKey = nil
            framer.warn("dead key 0x\(hex(dead, width: 4)) at the end of the scan; typed on its own")
            if let spacing = compose.spacing(dead) { framer.append(spacing, at: now, into: &scans) }
        }
    }
}
