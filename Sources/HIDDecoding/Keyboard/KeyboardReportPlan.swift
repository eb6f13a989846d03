/// Where a keyboard report, as its descriptor lays it out, keeps its modifiers and keys.
struct KeyboardReportPlan: Sendable {
    var reportID: UInt8?
    /// The boot layout (modifier byte, reserved byte, key array of bytes): read directly.
    var bootKeyArrayStart: Int?
    /// The Keyboard/Keypad page fields, for any other layout (bitmaps, other sizes).
    var fields: [ReportField]

    static let boot = KeyboardReportPlan(reportID: nil, bootKeyArrayStart: 2, fields: [])

    /// Plans for every input report with Keyboard/Keypad page fields.
    static func plans(for descriptor: ReportDescriptor) -> [KeyboardReportPlan] {
        descriptor.reports.compactMap { report in
            guard report.kind == .input else { return nil }
            let fields = report.fields.filter { !$0.isConstant && $0.hasUsage(onPage: HIDUsage.Page.keyboard) }
            guard !fields.isEmpty else { return nil }
            return KeyboardReportPlan(reportID: report.reportID, bootKeyArrayStart: isBootShaped(fields) ? 2 : nil, fields: fields)
        }
    }

    private static func isBootShaped(_ fields: [ReportField]) -> Bool {
        guard fields.count == 2 else { return false }
        let modifiers = fields[0]
        let keys = fields[1]
        return modifiers.bitOffset == 0 && modifiers.bitSize == 1 && modifiers.count == 8 && !modifiers.isArray
            && modifiers.usages == [HIDUsageRange(first: HIDUsage(page: 7, id: 0xE0), last: HIDUsage(page: 7, id: 0xE7))]
            && keys.bitOffset == 16 && keys.bitSize == 8 && keys.isArray && keys.logicalMinimum == 0
            && keys.logicalMaximum <= 0xFF && keys.usages.first?.first == HIDUsage(page: 7, id: 0)
            && keys.usages.count == 1
    }

    /// Reads the modifier byte and the keys down from `data` (the report after its ID byte).
    func extract(_ data: UnsafeBufferPointer<UInt8>, keys: inout [UInt8]) -> UInt8 {
        var modifiers: UInt8 = 0
        keys.removeAll(keepingCapacity: true)
        for field in fields {
            let size = min(field.bitSize, 32)
            if field.isArray {
                for index in 0..<field.count {
                    let raw = readBits(data, bitOffset: field.bitOffset + index * field.bitSize, bitSize: size)
                    let value = field.logicalMinimum < 0 ? signExtend(raw, bitSize: size) : Int64(bitPattern: raw)
                    guard value >= field.logicalMinimum, value <= field.logicalMaximum,
                          let usage = field.usage(at: Int(value - field.logicalMinimum)),
                          usage.page == HIDUsage.Page.keyboard, usage.id != 0, usage.id < 256
                    else { continue }
                    keys.append(UInt8(usage.id))
                }
            } else if field.bitSize == 1 {
                // A bitmap: skip whole zero bytes, most of a key bitmap is zero.
                var index = 0
                while index < field.count {
                    let position = field.bitOffset + index
                    let byteIndex = position >> 3
                    guard byteIndex < data.count else { break }
                    if position & 7 == 0, data[byteIndex] == 0 {
                        index += 8
                        continue
                    }
                    if (data[byteIndex] >> UInt8(position & 7)) & 1 != 0, let usage = field.usage(at: index),
                       usage.page == HIDUsage.Page.keyboard, usage.id < 256 {
                        if usage.id >= 0xE0, usage.id <= 0xE7 {
                            modifiers |= 1 << UInt8(usage.id - 0xE0)
                        } else if usage.id != 0 {
                            keys.append(UInt8(usage.id))
                        }
                    }
                    index += 1
                }
            } else {
                for index in 0..<field.count {
                    guard readBits(data, bitOffset: field.bitOffset + index * field.bitSize, bitSize: size) != 0,
                          let usage = field.usage(at: index), usage.page == HIDUsage.Page.keyboard, usage.id < 256
                    else { continue }
                    if usage.id >= 0xE0, usage.id <= 0xE7 {
                        modifiers |= 1 << UInt8(usage.id - 0xE0)
                    } else if usage.id != 0 {
                        keys.append(UInt8(usage.id))
                    }
                }
            }
        }
        return modifiers
    }
}
