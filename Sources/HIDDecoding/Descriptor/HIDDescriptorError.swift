/// Why a HID report descriptor cannot be used. A value, never a trap.
public struct HIDDescriptorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable machine-readable code; new codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The descriptor has no items at all.
        public static let empty = Code(rawValue: "empty_descriptor")
        /// An item's data runs past the end of the descriptor.
        public static let truncatedItem = Code(rawValue: "truncated_item")
        /// An item of the reserved type, or a main/global/local tag the HID specification does not define.
        public static let unknownItem = Code(rawValue: "unknown_item")
        /// End Collection without an open collection, or a collection left open at the end.
        public static let unbalancedCollection = Code(rawValue: "unbalanced_collection")
        /// Pop without a matching Push, or Push nested too deep.
        public static let unbalancedPush = Code(rawValue: "unbalanced_push")
        /// Collections nested deeper than any real device does.
        public static let nestingTooDeep = Code(rawValue: "nesting_too_deep")
        /// Report ID 0 (reserved) or above 255.
        public static let invalidReportID = Code(rawValue: "invalid_report_id")
        /// Some reports carry a report ID and others do not.
        public static let mixedReportIDs = Code(rawValue: "mixed_report_ids")
        /// A Report Size or Report Count that no report can hold.
        public static let invalidReportSize = Code(rawValue: "invalid_report_size")
        /// A report longer than the HID maximum this decoder accepts.
        public static let reportTooLong = Code(rawValue: "report_too_long")
        /// A Usage Page outside 16 bits, or a Usage Minimum above its Maximum.
        public static let invalidUsage = Code(rawValue: "invalid_usage")
        /// Too many items or usages for a descriptor of a real device.
        public static let tooLarge = Code(rawValue: "descriptor_too_large")
    }

    public var code: Code
    /// Byte offset of the offending item in the descriptor.
    public var offset: Int
    /// What is wrong and what to do, for a warehouse admin.
    public var message: String

    public init(_ code: Code, offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(code) at byte \(offset): \(message)" }
}
