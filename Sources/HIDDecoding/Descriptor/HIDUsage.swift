/// A HID usage: a page (HID Usage Tables) and an id within it.
public struct HIDUsage: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var page: UInt16
    public var id: UInt16

    public init(page: UInt16, id: UInt16) {
        self.page = page
        self.id = id
    }

    /// A 32-bit extended usage: page in the high half, id in the low half.
    public init(extended: UInt32) {
        self.page = UInt16(truncatingIfNeeded: extended >> 16)
        self.id = UInt16(truncatingIfNeeded: extended)
    }

    public var extended: UInt32 { UInt32(page) << 16 | UInt32(id) }

    public static func < (lhs: HIDUsage, rhs: HIDUsage) -> Bool { lhs.extended < rhs.extended }

    public var description: String { "0x" + hex(page, width: 4) + ":0x" + hex(id, width: 4) }

    /// Usage pages this decoder gives meaning to.
    public enum Page {
        public static let genericDesktop: UInt16 = 0x01
        public static let keyboard: UInt16 = 0x07
        public static let led: UInt16 = 0x08
        public static let button: UInt16 = 0x09
        public static let consumer: UInt16 = 0x0C
        public static let barcodeScanner: UInt16 = 0x8C
    }
}

/// Consecutive usages (a Usage Minimum/Maximum pair, or one Usage alone).
public struct HIDUsageRange: Sendable, Hashable, CustomStringConvertible {
    public var first: HIDUsage
    public var last: HIDUsage

    public init(_ usage: HIDUsage) {
        self.first = usage
        self.last = usage
    }

    /// `first` and `last` on the same page with `first.id <= last.id`.
    public init?(first: HIDUsage, last: HIDUsage) {
        guard first.page == last.page, first.id <= last.id else { return nil }
        self.first = first
        self.last = last
    }

    public var count: Int { Int(last.id) - Int(first.id) + 1 }

    public func contains(_ usage: HIDUsage) -> Bool {
        usage.page == first.page && usage.id >= first.id && usage.id <= last.id
    }

    public var description: String { first == last ? first.description : "\(first)...\(last)" }
}

func hex<T: BinaryInteger>(_ value: T, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
