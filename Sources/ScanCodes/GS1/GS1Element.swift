#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One element string of a GS1 message: the AI, its raw value and the value typed.
///
/// A parsed element keeps a reference to its AI definition (not copies of its strings), the
/// scanned bytes and the reference date, and makes the value's text and its typed value only
/// when asked: most scans never look at most of them, and the decoding path then copies a
/// few words per element instead of strings.
public struct GS1Element: Sendable, Hashable {
    /// The table's definition of the AI, for parsed elements; nil for elements built by hand
    /// whose AI and title are given (`overrides`).
    ///
    /// Unowned and unchecked on purpose: only definitions of `ApplicationIdentifierTable`
    /// are stored here (the parsers take them from the table), and the table lives as long
    /// as the process, so the reference is always valid. Copying an element then costs no
    /// reference count for it, and elements are copied on every scan.
    private(set) unowned(unsafe) var definition: ApplicationIdentifier?
    /// AI, title or typed value given explicitly (built by hand, or changed after parsing).
    private var overrides: Overrides?
    /// The AI as a number, for the message rules and the lifted keys: kept with the element
    /// so that reading it touches neither strings nor the definition.
    private(set) var code: AICode
    /// Byte offset of the AI in the payload after the AIM identifier.
    public var offset: Int
    /// The data field's bytes (a slice of the scan, or of the unescaped Digital Link value).
    private(set) var valueBytes: ArraySlice<UInt8>
    /// For typing a valid parsed value on demand (the GS1 century rule needs it).
    private var referenceDate: CalendarDate
    /// Whether the value passed its AI's rules (then `typed` is made from the bytes).
    private var isValid: Bool

    /// Boxed so that a parsed element carries one nil word for them: copying an element
    /// then costs two reference counts, not six.
    private final class Overrides: Sendable {
        let ai: String?
        let title: String?
        /// Set when the typed value was given: then it is `typed`, nil included.
        let typed: GS1Value??
        init(ai: String?, title: String?, typed: GS1Value??) {
            self.ai = ai
            self.title = title
            self.typed = typed
        }
    }

    public init(ai: String, value: String, title: String, offset: Int = 0, typed: GS1Value? = nil) {
        definition = nil
        overrides = Overrides(ai: ai, title: title, typed: .some(typed))
        code = AICode(ai) ?? AICode(digits: 0, number: -1)
        self.offset = offset
        valueBytes = Array(value.utf8)[...]
        referenceDate = CalendarDate(year: 2000, month: 1, day: 1)
        isValid = false
    }

    /// A scanned element whose value broke its AI's rules (`typed` is nil).
    init(_ definition: ApplicationIdentifier, invalidValue value: ArraySlice<UInt8>, offset: Int) {
        self.definition = definition
        code = definition.code
        self.offset = offset
        valueBytes = value
        referenceDate = CalendarDate(year: 2000, month: 1, day: 1)
        isValid = false
    }

    /// A scanned element whose value passed its AI's rules, typed when asked.
    init(_ definition: ApplicationIdentifier, validValue value: ArraySlice<UInt8>, offset: Int, referenceDate: CalendarDate) {
        self.definition = definition
        code = definition.code
        self.offset = offset
        valueBytes = value
        self.referenceDate = referenceDate
        isValid = true
    }

    public var ai: String {
        get { overrides?.ai ?? definition?.ai ?? "" }
        set {
            overrides = Overrides(ai: newValue, title: overrides?.title, typed: overrides?.typed)
            code = AICode(newValue) ?? AICode(digits: 0, number: -1)
        }
    }

    /// The AI's GS1 data title.
    public var title: String {
        get { overrides?.title ?? definition?.title ?? "" }
        set { overrides = Overrides(ai: overrides?.ai, title: newValue, typed: overrides?.typed) }
    }

    /// The table's definition of the element's AI (also for elements built by hand).
    var tableDefinition: ApplicationIdentifier? {
        if overrides == nil, let definition { return definition }
        if let definition, overrides?.ai == nil { return definition }
        return ApplicationIdentifierTable.definition(digits: code.digits, number: code.number)
    }

    /// The data field exactly as carried (digits of a GTIN, the batch text, "000195", ...).
    public var value: String {
        get { String(decoding: valueBytes, as: UTF8.self) }
        set {
            overrides = Overrides(ai: overrides?.ai, title: overrides?.title, typed: .some(typed))
            valueBytes = Array(newValue.utf8)[...]
        }
    }

    /// The value typed, or nil when the value breaks its AI's rules.
    public var typed: GS1Value? {
        get {
            if let given = overrides?.typed { return given }
            guard isValid, let definition else { return nil }
            return GS1Parser.typedValue(definition, value: valueBytes, referenceDate: referenceDate)
        }
        set { overrides = Overrides(ai: overrides?.ai, title: overrides?.title, typed: .some(newValue)) }
    }

    /// For a parsed element that passed its AI's rules, the value's text: what `typed`
    /// wraps for the AIs typed as text, GTIN or SSCC, without making the typed value.
    /// Nil for invalid elements and for elements built or changed by hand.
    var parsedValidText: String? {
        guard overrides == nil, isValid else { return nil }
        return String(decoding: valueBytes, as: UTF8.self)
    }

    /// For a parsed valid element of a date AI (YYMMDD), the date `typed` holds.
    var parsedValidDate: CalendarDate? {
        guard overrides == nil, isValid else { return nil }
        return GS1Parser.date(valueBytes, referenceDate: referenceDate)
    }

    /// For a parsed valid element of a count AI (30, 37), the count `typed` holds.
    var parsedValidCount: Int? {
        guard overrides == nil, isValid else { return nil }
        return GS1Parser.digits(valueBytes, 0, valueBytes.count)
    }

    /// Whether `parsedValidText`/`parsedValidDate` apply (else `typed` must be asked).
    var isParsed: Bool { overrides == nil && definition != nil }

    /// Compares AI and value only (offsets and typing follow from them).
    public func sameData(as other: GS1Element) -> Bool { ai == other.ai && value == other.value }

    public static func == (lhs: GS1Element, rhs: GS1Element) -> Bool {
        lhs.ai == rhs.ai && lhs.title == rhs.title && lhs.offset == rhs.offset
            && lhs.value == rhs.value && lhs.typed == rhs.typed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ai)
        hasher.combine(title)
        hasher.combine(offset)
        hasher.combine(value)
        hasher.combine(typed)
    }
}

/// A GS1 element's value, typed as its AI defines it.
public enum GS1Value: Sendable, Hashable {
    /// GTIN-14 (AI 01, 02).
    case gtin(String)
    /// SSCC-18 (AI 00).
    case sscc(String)
    /// GLN (AI 410-417).
    case gln(String)
    /// Another GS1 identification key (GRAI, GDTI, GIAI, GSRN, GCN, GINC, GSIN, CPID, GMN).
    case key(kind: String, value: String)
    /// A calendar date, day 00 already resolved to the month's last day.
    case date(CalendarDate)
    /// A date with a time of day (second nil when the AI carries none).
    case dateTime(CalendarDate, hour: Int, minute: Int, second: Int?)
    /// A date and an optional end date (AI 7007).
    case dateRange(CalendarDate, end: CalendarDate?)
    /// A measure: weight, length, area, volume (310n-369n); unit as in the AI's title.
    case measure(Decimal, unit: String)
    /// An amount payable or a price; currency as ISO 4217 numeric code when the AI has one.
    case amount(Decimal, currency: String?)
    /// A percentage (394n).
    case percentage(Decimal)
    /// A count of items (30, 37).
    case count(Int)
    /// ISO 3166-1 numeric country code (422, 424, 426).
    case country(String)
    /// A GTIN with piece number and total pieces (8006, 8026).
    case pieceOfTotal(gtin: String, piece: Int, total: Int)
    /// A temperature (4330-4333) in the unit ("C" or "F").
    case temperature(Decimal, unit: String)
    /// Text with no further typing (batch, serial, order number, ...).
    case text(String)
}

extension GS1Element {
    /// The date this element carries (start date for a range, date part of a date-time).
    public var date: CalendarDate? {
        switch typed {
        case .date(let date), .dateTime(let date, _, _, _), .dateRange(let date, _): date
        default: nil
        }
    }

    /// The decimal value of a measure, amount, percentage, temperature or count.
    public var decimal: Decimal? {
        switch typed {
        case .measure(let value, _), .amount(let value, _), .percentage(let value), .temperature(let value, _): value
        case .count(let count): Decimal(count)
        default: nil
        }
    }

    /// The unit of a measure or temperature.
    public var unit: String? {
        switch typed {
        case .measure(_, let unit), .temperature(_, let unit): unit
        default: nil
        }
    }

    /// The ISO 4217 numeric currency of an amount.
    public var currency: String? {
        if case .amount(_, let currency) = typed { return currency }
        return nil
    }
}
