public import Foundation
import ScanCodes

/// Decimal quantities as stored: an INTEGER count of millionths. Exact for every GS1
/// measure (AI 310n–369n carry at most 6 decimals), summable by SQLite without rounding,
/// and ±9.2 × 10¹² units of range.
public enum MicroUnits {
    public static let scale: Int64 = 1_000_000
    static let decimalScale = Decimal(1_000_000)

    /// The stored form of `quantity`; nil when it has more than 6 decimals or is out of range.
    public static func stored(_ quantity: Decimal) -> Int64? {
        guard quantity.isFinite else { return nil }
        var scaled = quantity * decimalScale
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, abs(rounded) <= Decimal(Int64.max / 2) else { return nil }
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// The decimal value of a stored quantity.
    public static func decimal(_ stored: Int64) -> Decimal {
        Decimal(value: stored, decimals: 6)
    }

    /// Parses a plain decimal (`12`, `-3.5`, `0.125`); `decimalComma` also accepts `3,5`.
    /// No exponent, no thousands separators: an import file means exactly what it says.
    public static func parse(_ text: String, decimalComma: Bool = false) -> Decimal? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        let separators: Set<Character> = decimalComma ? [".", ","] : ["."]
        var integerDigits = 0
        var fractionDigits = 0
        var seenSeparator = false
        var normalized = ""
        for character in body {
            if character.isASCII, character.isNumber {
                if seenSeparator { fractionDigits += 1 } else { integerDigits += 1 }
                normalized.append(character)
            } else if separators.contains(character), !seenSeparator {
                seenSeparator = true
                normalized.append(".")
            } else {
                return nil
            }
        }
        guard integerDigits > 0, !seenSeparator || fractionDigits > 0, integerDigits + fractionDigits <= 30 else { return nil }
        guard let value = Decimal(string: normalized, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return negative ? -value : value
    }

    /// Parses a plain decimal straight into its stored form: the import's hot path, with
    /// the same rules as `parse` (nil also for more than 6 decimals or out of range).
    public static func parseStored(_ text: String, decimalComma: Bool = false) -> Int64? {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var integerDigits = 0
        var fractionDigits = 0
        var seenSeparator = false
        for byte in utf8 {
            if byte >= 0x30, byte <= 0x39 {
                let digit = Int64(byte - 0x30)
                if seenSeparator {
                    fractionDigits += 1
                    guard fractionDigits <= 6 else { if digit == 0 { continue } else { return nil } }
                    fraction = fraction * 10 + digit
                } else {
                    integerDigits += 1
                    let (product, overflow) = whole.multipliedReportingOverflow(by: 10)
                    guard !overflow, product <= Int64.max / 2 / scale else { return nil }
                    whole = product + digit
                }
            } else if !seenSeparator, byte == UInt8(ascii: ".") || (decimalComma && byte == UInt8(ascii: ",")) {
                seenSeparator = true
            } else {
                return nil
            }
        }
        guard integerDigits > 0, !seenSeparator || fractionDigits > 0 else { return nil }
        for _ in min(fractionDigits, 6)..<6 { fraction *= 10 }
        let stored = whole * scale + fraction
        return negative ? -stored : stored
    }

    /// The shortest plain text of `quantity` (`36`, `1.5`, `-0.25`), as reports and JSON print it.
    public static func text(_ quantity: Decimal) -> String {
        var value = quantity
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 6, .plain)
        return NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }

    /// Text of a stored quantity without going through `Decimal` (reports of many rows).
    static func text(stored: Int64) -> String {
        let negative = stored < 0
        let magnitude = stored.magnitude
        let whole = magnitude / UInt64(scale)
        var fraction = magnitude % UInt64(scale)
        var text = (negative ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = 6
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }
}
