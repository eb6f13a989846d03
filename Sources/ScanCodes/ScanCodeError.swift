/// Why a payload is not what it claims to be. A value, never a trap.
public struct ScanCodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable machine-readable code (CONTRACTS.md lists them); new codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let unknownAI = Code(rawValue: "unknown_ai")
        public static let aiPatternMismatch = Code(rawValue: "ai_pattern_mismatch")
        public static let invalidDate = Code(rawValue: "invalid_date")
        public static let gtinCheckDigit = Code(rawValue: "gtin_check_digit")
        public static let ssccCheckDigit = Code(rawValue: "sscc_check_digit")
        public static let glnCheckDigit = Code(rawValue: "gln_check_digit")
        public static let missingSeparator = Code(rawValue: "missing_separator")
        public static let repeatedAIConflict = Code(rawValue: "repeated_ai_conflict")
        public static let emptyMessage = Code(rawValue: "empty_message")
        public static let epcUnknownHeader = Code(rawValue: "epc_unknown_header")
        public static let epcBadPartition = Code(rawValue: "epc_bad_partition")
        public static let epcWrongLength = Code(rawValue: "epc_wrong_length")
        public static let notHex = Code(rawValue: "not_hex")
        public static let badCharacter = Code(rawValue: "bad_character")
        /// Input hygiene (scanstation run): a control byte other than GS, RS or EOT.
        public static let controlCharacter = Code(rawValue: "control_character")
        /// Input hygiene: the bytes are not valid UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        /// Input hygiene: longer than the 4096 bytes a scan may have.
        public static let tooLong = Code(rawValue: "too_long")
        /// The check digit of a GS1 key other than GTIN, SSCC and GLN (GRAI, GDTI, GSRN, ...).
        public static let keyCheckDigit = Code(rawValue: "key_check_digit")
        /// A warning: two AIs that GS1 forbids in the same message (e.g. 01 with 02).
        public static let excludedAIPair = Code(rawValue: "excluded_ai_pair")
        /// A warning: an AI that GS1 requires alongside another is not in this scan (it may
        /// be on another barcode of the same item, so this does not reject the scan).
        public static let missingRequiredAI = Code(rawValue: "missing_required_ai")
        /// A GS1 Digital Link URI whose path breaks the URI syntax (qualifier order, ...).
        public static let digitalLinkInvalid = Code(rawValue: "digital_link_invalid")
        /// An EPC field whose value is out of range for its partition.
        public static let epcBadField = Code(rawValue: "epc_bad_field")
    }

    public var code: Code
    /// What is wrong and what to do, for a warehouse admin.
    public var message: String
    /// Byte offset in the payload after the AIM identifier (hex digit offset for EPC).
    public var offset: Int

    public init(_ code: Code, _ message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(code): \(message) (at offset \(offset))" }
}
