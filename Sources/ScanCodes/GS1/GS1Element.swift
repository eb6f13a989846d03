#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One element string of a GS1 message: the AI, its raw value and the value typed.
public struct GS1Element: Sendable, Hashable {
    public var ai: String
    /// The data field exactly as carried (digits of a GTIN, the batch text, "000195", ...).
    public var value: String
    /// The AI's GS1 data title.
    public var title: String
    /// Byte offset of the AI in the payload after the AIM identifier.
    public var offset: Int
    /// The value typed, or nil when the value breaks its AI's rules.
    public var typed: GS1Value?

    public init(ai: String, value: String, title: String, offset: Int = 0, typed: GS1Value? = nil) {
        self.ai = ai
        self.value = value
        self.title = title
        self.offset = offset
        self.typed = typed
    }

    /// Compares AI and value only (offsets and typing follow from them).
    public func sameData(as other: GS1Element) -> Bool { ai == other.ai && value == other.value }
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
