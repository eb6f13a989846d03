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

extension ReportDescriptors {
    /// A HID POS barcode scanner (HID Point of Sale Usage Tables 1.02, Barcode Scanner page
    /// 0x8C), written for these tests: input report 2 is the Scanned Data Report (Generic
    /// Desktop Byte Count, Symbology Identifier 1-3 carrying the AIM id, 56 bytes of Decoded
    /// Data, a Decode Data Continued bit); output report 4 has Sound Error Beep (0x85) and
    /// Sound Good Read Beep (0x86) bits.
    public static let hidPOSScanner: [UInt8] = hidPOSScanner(beeps: 0x85...0x86)

    /// The same scanner whose report 4 also has Sound Not On File Beep (0x87), bit 2: the
    /// point of sale's "read, but look" signal.
    public static let hidPOSScannerWithNotOnFileBeep: [UInt8] = hidPOSScanner(beeps: 0x85...0x87)

    /// The HID POS scanner with one output bit per Barcode Scanner page usage in `beeps`
    /// (at most 8), in report 4.
    static func hidPOSScanner(beeps: ClosedRange<UInt8>) -> [UInt8] {
        let count = UInt8(beeps.count)
        return [
            0x06, 0x8C, 0x00, // Usage Page (Barcode Scanner)
            0x09, 0x02, // Usage (Barcode Scanner)
            0xA1, 0x01, // Collection (Application)
            0x09, 0x12, //   Usage (Scanned Data Report)
            0xA1, 0x02, //   Collection (Logical)
            0x85, 0x02, //     Report ID (2)
            0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, //     Logical 0...255, 8 bits
            0x05, 0x01, 0x09, 0x3B, 0x95, 0x01, 0x81, 0x02, //     Generic Desktop Byte Count: Input
            0x06, 0x8C, 0x00, 0x19, 0xFB, 0x29, 0xFD, 0x95, 0x03, 0x81, 0x02, //     Symbology Identifier 1-3: Input
            0x09, 0xFE, 0x95, 0x38, 0x82, 0x02, 0x01, //     Decoded Data x56: Input (Buffered Bytes)
            0x09, 0xFF, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x81, 0x02, //     Decode Data Continued: 1 bit
            0x75, 0x07, 0x81, 0x03, //     padding
            0xC0, //   End Collection
            0x85, 0x04, //   Report ID (4)
            0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, count, //   1-bit controls
            0x19, beeps.lowerBound, 0x29, beeps.upperBound, 0x91, 0x02, //   Sound Error Beep, Sound Good Read Beep (...): Output
            0x75, 8 - count, 0x95, 0x01, 0x91, 0x03, //   padding
            0xC0, // End Collection
        ]
    }

    /// Scanned Data Reports for one scan: 56 data bytes per report, continued on all but the last.
    public static func hidPOSReports(aim: String, payload: [UInt8]) -> [[UInt8]] {
        let chunks = stride(from: 0, to: max(payload.count, 1), by: 56).map { start in
            Array(payload[start..<min(start + 56, payload.count)])
        }
        return chunks.enumerated().map { index, chunk in
            var report: [UInt8] = [0x02, UInt8(chunk.count)] + Array(aim.utf8.prefix(3))
            report += chunk + [UInt8](repeating: 0, count: 56 - chunk.count)
            report.append(index < chunks.count - 1 ? 0x01 : 0x00)
            return report
        }
    }
}

extension BootKeyboardTyping {
    /// Boot-keyboard reports a keyboard-wedge scanner set to the German (de) layout sends:
    /// Y and Z swapped, '-' on the key right of '.', '#' on the key left of Enter, ']' as
    /// AltGr+9 and GS (FNC1) as Ctrl+AltGr+9 (Ctrl+]); Enter last.
    public static func de(_ text: String, enter: Bool = true) -> [[UInt8]] {
        var reports: [[UInt8]] = []
        for character in text.unicodeScalars {
            guard let (modifier, usage) = deUsage(character) else { continue }
            reports.append([modifier, 0, usage, 0, 0, 0, 0, 0])
            reports.append([UInt8](repeating: 0, count: 8))
        }
        if enter {
            reports.append([0, 0, 0x28, 0, 0, 0, 0, 0])
            reports.append([UInt8](repeating: 0, count: 8))
        }
        return reports
    }

    static func deUsage(_ character: Unicode.Scalar) -> (UInt8, UInt8)? {
        let shift: UInt8 = 0x02, rightAlt: UInt8 = 0x40, leftControl: UInt8 = 0x01
        switch character {
        case "y": return (0, 0x1D)
        case "z": return (0, 0x1C)
        case "Y": return (shift, 0x1D)
        case "Z": return (shift, 0x1C)
        case "-": return (0, 0x38)
        case "#": return (0, 0x32)
        case "(": return (shift, 0x25)
        case ")": return (shift, 0x26)
        case "]": return (rightAlt, 0x26)
        case "\u{1D}": return (leftControl | rightAlt, 0x26)
        case ".", " ", "a"..."z", "A"..."Z", "0"..."9": return usUsage(character)
        default: return nil
        }
    }
}
