/// A signal the station gives the worker through the scanner itself.
public enum POSSignal: Sendable, Hashable, CaseIterable {
    /// Read and taken.
    case goodRead
    /// Taken, but the worker must look at the display (a warning).
    case warning
    /// Not taken.
    case badRead

    /// Barcode Scanner page (0x8C) controls that give the signal, best first (HID Usage
    /// Tables, Barcode Scanner page: Sound Good Read Beep 0x86, Good Read LED 0x7D;
    /// Sound Error Beep 0x85; Sound Not On File Beep 0x87), as Honeywell's HID POS trigger
    /// report (ID 4) carries them. A warning is the Not On File beep, the point of sale's
    /// "read, but look": a scanner without it gives the error beep, never the good-read one
    /// (which would tell the worker all is well).
    var usages: [UInt16] {
        switch self {
        case .goodRead: [0x86, 0x7D]
        case .warning: [0x87, 0x85]
        case .badRead: [0x85]
        }
    }
}

extension ReportDescriptor {
    /// The output report (report ID byte first when the descriptor uses IDs) that makes a HID POS
    /// scanner beep or light for `signal`, or nil when its descriptor has no such control. The
    /// control is switched on (its logical maximum, or its index in an array); the rest is 0.
    public func outputReport(for signal: POSSignal) -> [UInt8]? {
        for wanted in signal.usages {
            for report in reports where report.kind == .output {
                var bytes = [UInt8](repeating: 0, count: report.dataLength)
                var found = false
                for field in report.fields where !field.isConstant {
                    for index in 0..<field.count {
                        if field.isArray {
                            // An array selects a usage by index: send the index of the wanted usage.
                            for value in field.logicalMinimum...max(field.logicalMinimum, min(field.logicalMaximum, field.logicalMinimum + 4096)) {
                                guard let usage = field.usage(at: Int(value - field.logicalMinimum)),
                                      usage.page == HIDUsage.Page.barcodeScanner, usage.id == wanted else { continue }
                                writeBits(&bytes, bitOffset: field.bitOffset + index * field.bitSize, bitSize: field.bitSize, value: UInt64(bitPattern: value))
                                found = true
                                break
                            }
                            break
                        }
                        guard let usage = field.usage(at: index), usage.page == HIDUsage.Page.barcodeScanner, usage.id == wanted else { continue }
                        let on = field.logicalMaximum > 0 ? field.logicalMaximum : 1
                        writeBits(&bytes, bitOffset: field.bitOffset + index * field.bitSize, bitSize: field.bitSize, value: UInt64(bitPattern: on))
                        found = true
                        // Values past the usage list repeat its last usage: switch on only the first.
                        break
                    }
                }
                if found { return (report.reportID.map { [$0] } ?? []) + bytes }
            }
        }
        return nil
    }
}

/// Writes the low `bitSize` bits of `value` little-endian at `bitOffset`; bits past the end are dropped.
func writeBits(_ bytes: inout [UInt8], bitOffset: Int, bitSize: Int, value: UInt64) {
    var position = bitOffset
    for bit in 0..<min(bitSize, 64) {
        let byteIndex = position >> 3
        guard byteIndex >= 0, byteIndex < bytes.count else { return }
        if (value >> UInt64(bit)) & 1 != 0 { bytes[byteIndex] |= 1 << UInt8(position & 7) }
        position += 1
    }
}
