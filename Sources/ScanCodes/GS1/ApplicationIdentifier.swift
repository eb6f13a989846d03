/// One GS1 Application Identifier: its data title, the format of its data field, whether a
/// separator must follow it, the AIs it needs or excludes, and what its value means.
/// A class: the table's entries are shared, never copied, on the decoding hot path.
public final class ApplicationIdentifier: Sendable, Hashable {
    /// The AI digits, e.g. "01", "3103", "8020".
    public let ai: String
    /// The GS1 data title, e.g. "BATCH/LOT".
    public let title: String
    /// The data field, component by component.
    public let components: [Component]
    /// Whether the AI is in the GS1 table of pre-defined lengths (GS1 General Specifications
    /// figure 7.8.5-1): then no separator follows it.
    public let predefinedLength: Bool
    /// Every group must be satisfied by at least one AI of the group (patterns: `n` is a digit).
    public let requires: [[String]]
    /// AIs (or patterns) that must not appear in the same message.
    public let excludes: [String]
    /// How the value is typed.
    public let meaning: Meaning
    /// The AI's role in a GS1 Digital Link URI.
    public let digitalLink: DigitalLinkRole

    /// The shortest and longest data field.
    public let minimumLength: Int
    public let maximumLength: Int
    /// The data field has one length (all components fixed, none optional).
    public var isFixedLength: Bool { minimumLength == maximumLength }
    /// A separator (GS) must follow the field when another element comes after it.
    public var needsSeparator: Bool { !predefinedLength }

    public enum CharacterSet: Sendable, Hashable {
        /// Digits 0-9.
        case numeric
        /// GS1 AI encodable character set 82 (GS1 General Specifications figure 7.11-1).
        case cset82
        /// GS1 AI encodable character set 39 (figure 7.11-2).
        case cset39
        /// File-safe URI-safe base64 (figure 7.11-3), used by AI 8030.
        case cset64
    }

    /// A content rule beyond the character set (the GS1 "linters").
    public enum Rule: String, Sendable, Hashable {
        case checkDigit, dateDay00, date, dateHour, hourMinute, minuteOptionalSecond, country, countryList
        case currency, pieceOfTotal, yesNo, nonZero, winding, latitude, longitude, minusSign
        case zero, countryAlpha2, noZeroPrefix
        /// ISO 3166-1 numeric country, or 999 for "unknown" (AIs 7030-7039).
        case countryOrUnknown
        /// The GMN's check character pair (GS1 General Specifications 7.9.6).
        case checkCharacterPair
        /// ISO/IEC 5218 sex code: 0 not known, 1 male, 2 female, 9 not applicable.
        case biologicalSex
        /// YYYYMMDD, a real date.
        case fullDate
        /// YYYYMMDDHHMM, a real date and time of day.
        case fullDateHourMinute
        /// "p/n": position p of n, 1 <= p <= n (the birth sequence of AI 7258).
        case positionInSequence
    }

    public struct Component: Sendable, Hashable {
        public let characters: CharacterSet
        public let minimum: Int
        public let maximum: Int
        public let optional: Bool
        public let rule: Rule?
    }

    /// What the value is, for typing.
    public enum Meaning: Sendable, Hashable {
        case text, gtin, sscc, gln
        /// Another GS1 key (GRAI, GDTI, GIAI, GSRN, ...), named.
        case key(String)
        case date
        /// Date and hour:minute (7003, 4324, 4325).
        case dateTime
        /// A date with a four-digit year, YYYYMMDD (7250).
        case fullDate
        /// A date with a four-digit year and hour:minute, YYYYMMDDHHMM (7251).
        case fullDateTime
        /// Date with an optional time (7011).
        case dateOptionalTime
        /// A date, optionally followed by an end date (7007).
        case dateRange
        /// YYMMDDHH and optional MM[SS] (8008).
        case productionTime
        /// A measure with the number of decimals in the AI's last digit.
        case measure(unit: String)
        /// An amount with the number of decimals in the AI's last digit.
        case amount
        /// ISO 4217 numeric currency + amount, decimals in the AI's last digit.
        case amountWithCurrency
        /// Percentage with decimals in the AI's last digit (394n).
        case percentage
        /// A count of items (30, 37).
        case count
        /// ISO 3166 numeric country code (422, 424, 426).
        case country
        /// A GTIN followed by piece and total (8006, 8026).
        case pieceOfTotal
        /// A temperature with two decimals and an optional trailing minus (4330-4333).
        case temperature(unit: String)
    }

    public enum DigitalLinkRole: Sendable, Hashable {
        /// Not a primary key; may appear as a query attribute.
        case attribute
        /// A primary key and the ordered alternatives of qualifier sequences it accepts.
        case primaryKey(qualifiers: [[String]])
    }

    /// `requires` and `excludes` as numeric patterns, for checking messages quickly.
    let requiredCodes: [[AICode.Pattern]]
    let excludedCodes: [AICode.Pattern]
    /// `requiredCodes` flattened, with where each group ends: the message check walks one
    /// array instead of an array of arrays.
    let requiredPatterns: [AICode.Pattern]
    let requiredGroupEnds: [Int]
    /// The AI as a number with its digit count.
    let code: AICode
    /// A primary key's qualifier sequences as AI numbers (empty for attributes).
    let qualifierCodes: [[AICode]]
    /// The AI's last digit: the decimals of a measure or amount.
    let lastDigit: Int

    /// Whether GS1 forbids `code` in the same message as this AI.
    @inline(__always)
    func excludes(_ code: AICode) -> Bool {
        for pattern in excludedCodes where pattern.matches(code) { return true }
        return false
    }

    public static func == (lhs: ApplicationIdentifier, rhs: ApplicationIdentifier) -> Bool { lhs.ai == rhs.ai }
    public func hash(into hasher: inout Hasher) { hasher.combine(ai) }

    init(
        ai: String, title: String, components: [Component], predefinedLength: Bool,
        requires: [[String]], excludes: [String], meaning: Meaning, digitalLink: DigitalLinkRole
    ) {
        self.ai = ai
        self.title = title
        self.components = components
        self.predefinedLength = predefinedLength
        self.requires = requires
        self.excludes = excludes
        self.meaning = meaning
        self.digitalLink = digitalLink
        minimumLength = components.reduce(0) { $0 + ($1.optional ? 0 : $1.minimum) }
        maximumLength = components.reduce(0) { $0 + $1.maximum }
        requiredCodes = requires.map { $0.map(AICode.Pattern.init) }
        excludedCodes = excludes.map(AICode.Pattern.init)
        requiredPatterns = requiredCodes.flatMap { $0 }
        var ends: [Int] = []
        for group in requiredCodes { ends.append((ends.last ?? 0) + group.count) }
        requiredGroupEnds = ends
        code = AICode(ai) ?? AICode(digits: 0, number: -1)
        lastDigit = code.number % 10
        if case .primaryKey(let alternatives) = digitalLink {
            qualifierCodes = alternatives.map { $0.map { AICode($0) ?? AICode(digits: 0, number: -1) } }
        } else {
            qualifierCodes = []
        }
    }

    /// Whether `ai` matches `pattern`, where `n` in the pattern stands for any digit.
    static func matches(_ ai: String, pattern: String) -> Bool {
        guard ai.utf8.count == pattern.utf8.count else { return false }
        for (a, p) in zip(ai.utf8, pattern.utf8) where p != UInt8(ascii: "n") && a != p { return false }
        return true
    }
}

/// An AI as a number and its digit count ("01" and "1" differ), for comparisons without strings.
struct AICode: Sendable, Hashable {
    let digits: Int
    let number: Int

    init(digits: Int, number: Int) {
        self.digits = digits
        self.number = number
    }

    init?<C: Collection>(_ text: C) where C.Element == UInt8 {
        guard (2...4).contains(text.count) else { return nil }
        var number = 0
        for byte in text {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        self.init(digits: text.count, number: number)
    }

    init?(_ text: String) { self.init(text.utf8) }

    /// An AI pattern whose trailing `n`s stand for any digit ("310n", "31nn", "01").
    struct Pattern: Sendable, Hashable {
        let digits: Int
        let prefix: Int
        let divisor: Int

        init(_ text: String) {
            var prefix = 0
            var divisor = 1
            for byte in text.utf8 {
                if byte == UInt8(ascii: "n") {
                    divisor *= 10
                } else {
                    prefix = prefix * 10 + Int(byte &- 0x30)
                }
            }
            self.digits = text.utf8.count
            self.prefix = prefix
            self.divisor = divisor
        }

        @inline(__always)
        func matches(_ code: AICode) -> Bool { code.digits == digits && code.number / divisor == prefix }
    }
}
