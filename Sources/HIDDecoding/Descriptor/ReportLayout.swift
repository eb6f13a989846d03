/// Which direction a report travels.
public enum ReportKind: String, Sendable, Hashable, CaseIterable {
    case input, output, feature
}

/// The flags of an Input, Output or Feature main item (HID 1.11 §6.2.2.5).
public struct MainItemFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let constant = MainItemFlags(rawValue: 1 << 0)
    public static let variable = MainItemFlags(rawValue: 1 << 1)
    public static let relative = MainItemFlags(rawValue: 1 << 2)
    public static let wrap = MainItemFlags(rawValue: 1 << 3)
    public static let nonLinear = MainItemFlags(rawValue: 1 << 4)
    public static let noPreferredState = MainItemFlags(rawValue: 1 << 5)
    public static let nullState = MainItemFlags(rawValue: 1 << 6)
    public static let volatile = MainItemFlags(rawValue: 1 << 7)
    public static let bufferedBytes = MainItemFlags(rawValue: 1 << 8)
}

/// A unit (HID 1.11 §6.2.2.7): system and exponent nibbles, plus the Unit Exponent item.
public struct HIDUnit: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public var exponent: Int

    public init(rawValue: UInt32, exponent: Int) {
        self.rawValue = rawValue
        self.exponent = exponent
    }

    public static let none = HIDUnit(rawValue: 0, exponent: 0)

    /// E.g. "cm", "s", "cm^2 g", "none".
    public var description: String {
        let system = rawValue & 0xF
        guard system != 0 else { return "none" }
        let names: [[String]] = [
            // length, mass, time, temperature, current, luminous intensity
            ["cm", "g", "s", "K", "A", "cd"],  // SI linear
            ["rad", "g", "s", "K", "A", "cd"],  // SI rotation
            ["in", "slug", "s", "F", "A", "cd"],  // English linear
            ["deg", "slug", "s", "F", "A", "cd"],  // English rotation
        ]
        guard system <= 4 else { return "vendor(0x\(hex(rawValue, width: 8)))" }
        var parts: [String] = []
        for index in 0..<6 {
            let nibble = Int((rawValue >> (4 * UInt32(index + 1))) & 0xF)
            guard nibble != 0 else { continue }
            let power = nibble >= 8 ? nibble - 16 : nibble
            let name = names[Int(system) - 1][index]
            parts.append(power == 1 ? name : "\(name)^\(power)")
        }
        let unit = parts.isEmpty ? "none" : parts.joined(separator: " ")
        return exponent == 0 ? unit : "\(unit) x10^\(exponent)"
    }
}

/// One Input, Output or Feature main item: `count` values of `bitSize` bits each.
public struct ReportField: Sendable, Hashable {
    /// Offset of the first value, in bits from the start of the report data (after the ID byte).
    public var bitOffset: Int
    public var bitSize: Int
    public var count: Int
    public var flags: MainItemFlags
    /// The local usages in order; a variable field's value `i` has the `i`-th usage (the last repeats).
    public var usages: [HIDUsageRange]
    public var logicalMinimum: Int64
    public var logicalMaximum: Int64
    public var physicalMinimum: Int64
    public var physicalMaximum: Int64
    public var unit: HIDUnit
    /// Index in `ReportDescriptor.collections` of the innermost enclosing collection.
    public var collection: Int?
    /// The usage of the enclosing application collection.
    public var application: HIDUsage?

    public var isConstant: Bool { flags.contains(.constant) }
    public var isArray: Bool { !flags.contains(.variable) }
    public var bitLength: Int { bitSize * count }

    /// The usage of value `index` of a variable field, or of array value `index` (an index into
    /// the usage list, i.e. value minus Logical Minimum) of an array field.
    public func usage(at index: Int) -> HIDUsage? {
        guard index >= 0, !usages.isEmpty else { return nil }
        var remaining = index
        for range in usages {
            if remaining < range.count {
                return HIDUsage(page: range.first.page, id: range.first.id &+ UInt16(remaining))
            }
            remaining -= range.count
        }
        // Variable fields reuse the last usage for the values beyond the list (HID 1.11 §6.2.2.8).
        return isArray ? nil : usages.last?.last
    }

    /// Whether any of the field's usages is on `page`.
    public func hasUsage(onPage page: UInt16) -> Bool { usages.contains { $0.first.page == page } }
}

/// The layout of one report: what each bit means.
public struct ReportLayout: Sendable, Hashable {
    public var kind: ReportKind
    /// The report ID byte that precedes the data, or nil when the descriptor uses no report IDs.
    public var reportID: UInt8?
    /// Length of the report data in bits, after the report ID byte.
    public var bitLength: Int
    public var fields: [ReportField]

    public init(kind: ReportKind, reportID: UInt8?, bitLength: Int, fields: [ReportField]) {
        self.kind = kind
        self.reportID = reportID
        self.bitLength = bitLength
        self.fields = fields
    }

    /// Bytes of data after the report ID byte.
    public var dataLength: Int { (bitLength + 7) / 8 }
    /// Bytes on the wire, including the report ID byte when there is one.
    public var wireLength: Int { dataLength + (reportID == nil ? 0 : 1) }
    /// The application collection the report's fields belong to (that of its first field).
    public var application: HIDUsage? { fields.first { $0.application != nil }?.application }
}

/// A collection (HID 1.11 §6.2.2.6).
public struct HIDCollection: Sendable, Hashable {
    /// 0 physical, 1 application, 2 logical, 3 report, 4 named array, 5 usage switch, 6 usage modifier.
    public var type: UInt8
    public var usage: HIDUsage?
    /// Index of the enclosing collection.
    public var parent: Int?
    /// Byte offset of the Collection item in the descriptor.
    public var offset: Int

    public var isApplication: Bool { type == 1 }

    public var typeName: String {
        switch type {
        case 0: "physical"
        case 1: "application"
        case 2: "logical"
        case 3: "report"
        case 4: "named_array"
        case 5: "usage_switch"
        case 6: "usage_modifier"
        case 0x80...0xFF: "vendor"
        default: "reserved"
        }
    }
}

/// Reads `bitSize` (at most 64) bits little-endian from `bytes` starting at `bitOffset`; bits
/// beyond the end read as zero (a short report is padded, never a trap).
@inlinable
func readBits(_ bytes: UnsafeBufferPointer<UInt8>, bitOffset: Int, bitSize: Int) -> UInt64 {
    guard bitSize > 0, bitOffset >= 0 else { return 0 }
    let size = min(bitSize, 64)
    if bitOffset & 7 == 0, size == 8 {
        let index = bitOffset >> 3
        return index < bytes.count ? UInt64(bytes[index]) : 0
    }
    var value: UInt64 = 0
    var produced = 0
    var position = bitOffset
    while produced < size {
        let byteIndex = position >> 3
        let bitInByte = position & 7
        let take = min(8 - bitInByte, size - produced)
        if byteIndex < bytes.count {
            let chunk = (UInt64(bytes[byteIndex]) >> UInt64(bitInByte)) & ((1 << UInt64(take)) - 1)
            value |= chunk << UInt64(produced)
        }
        produced += take
        position += take
    }
    return value
}

/// Sign-extends the low `bitSize` bits of `value`.
@inlinable
func signExtend(_ value: UInt64, bitSize: Int) -> Int64 {
    guard bitSize > 0, bitSize < 64 else { return Int64(bitPattern: value) }
    let shift = UInt64(64 - bitSize)
    return Int64(bitPattern: value << shift) >> Int64(shift)
}
