/// Report descriptors and reports of the emulated devices.
public enum ReportDescriptors {
    /// The HID 1.11 appendix B.1 boot keyboard: modifiers, reserved byte, 5 LEDs out, 6 keys.
    public static let bootKeyboard: [UInt8] = [
        0x05, 0x01, 0x09, 0x06, 0xA1, 0x01,
        0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
        0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
        0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02,
        0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
        0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00,
        0xC0,
    ]
}

/// Boot-keyboard reports a US-layout keyboard-wedge scanner sends: for each character a
/// press (Shift in the modifier byte where needed) and an all-zero release; Enter last.
public enum BootKeyboardTyping {
    public static func us(_ text: String, enter: Bool = true) -> [[UInt8]] {
        var reports: [[UInt8]] = []
        for character in text.unicodeScalars {
            guard let (modifier, usage) = usUsage(character) else { continue }
            reports.append([modifier, 0, usage, 0, 0, 0, 0, 0])
            reports.append([UInt8](repeating: 0, count: 8))
        }
        if enter {
            reports.append([0, 0, 0x28, 0, 0, 0, 0, 0])
            reports.append([UInt8](repeating: 0, count: 8))
        }
        return reports
    }

    static func usUsage(_ character: Unicode.Scalar) -> (UInt8, UInt8)? {
        let value = character.value
        switch character {
        case "a"..."z": return (0, UInt8(0x04 + value - 0x61))
        case "A"..."Z": return (0x02, UInt8(0x04 + value - 0x41))
        case "1"..."9": return (0, UInt8(0x1E + value - 0x31))
        case "0": return (0, 0x27)
        case "-": return (0, 0x2D)
        case ".": return (0, 0x37)
        case "/": return (0, 0x38)
        case " ": return (0, 0x2C)
        default: return nil
        }
    }
}
