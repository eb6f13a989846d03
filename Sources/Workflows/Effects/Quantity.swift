public import Foundation
import ScanCodes

/// A decimal quantity with six fractional digits, as an integer count of millionths.
/// Weights and lengths fit (milligrams of a kilogram); arithmetic is exact and cheap, which
/// `Decimal` is not (a step does dozens of additions and comparisons). It converts to and
/// from `Decimal` at the edges and codes as a JSON number. Arithmetic saturates instead of
/// trapping: no input can crash a step.
public struct Quantity: Sendable, Hashable, Comparable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Millionths per unit.
    public static let scale: Int64 = 1_000_000
    /// The largest quantity a scan may set (a trillion units); larger input is refused.
    public static let maximumInput = Quantity(micros: 1_000_000_000_000 * scale / 1000)
    public static let zero = Quantity(micros: 0)

    public var micros: Int64

    public init(micros: Int64) {
        self.micros = micros
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public init(_ value: Int) {
        let (product, overflow) = Int64(value).multipliedReportingOverflow(by: Self.scale)
        micros = overflow ? (value < 0 ? Int64.min : Int64.max) : product
    }

    /// From a `Decimal`, rounded to millionths.
    public init(_ decimal: Decimal) {
        var scaled = decimal * Decimal(Self.scale)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        micros = Int64(truncating: NSDecimalNumber(decimal: rounded))
    }

    /// Parses "12", "2.5", "0.125" (a point, at most six decimals); nil for anything else.
    public init?(_ text: some StringProtocol) {
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            digits += 1
            if seenPoint {
                guard fractionDigits < 6 else { return nil }
                fraction = fraction * 10 + digit
                fractionDigits += 1
            } else {
                guard whole < 100_000_000_000_000 / 10 else { return nil }
                whole = whole * 10 + digit
            }
        }
        guard digits > 0 else { return nil }
        for _ in fractionDigits..<6 { fraction *= 10 }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: Self.scale)
        guard !overflow else { return nil }
        micros = scaled + fraction
    }

    /// Whether the quantity has no fraction ("3", not "1.5").
    public var isWhole: Bool {
        micros % Self.scale == 0
    }

    public var decimal: Decimal {
        Decimal(value: micros, decimals: 6)
    }

    /// "12", "2.5", "-0.125": as a worker reads it.
    public var description: String {
        // Written as bytes in place (most quantities fit a small string, with no allocation):
        // number-to-text conversions and joined pieces cost more than the rest of many prompts.
        String(unsafeUninitializedCapacity: textLength) { writeText(into: $0) }
    }

    /// The most bytes `description` can have: a sign, the 13 digits of the largest whole
    /// number of units, the point and six decimals.
    static let longestText = 21

    /// Writes `description`'s bytes into `buffer` from `start` (room for `longestText` bytes
    /// there is enough); returns how many.
    func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        writeText(into: UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + textLength)]))
    }

    /// The whole units and the fraction's significant digits (millionths without their
    /// trailing zeros) with how many of them there are.
    private var parts: (whole: UInt64, fraction: UInt64, fractionDigits: Int) {
        let magnitude = micros.magnitude
        var fraction = magnitude % UInt64(Self.scale)
        var fractionDigits = fraction == 0 ? 0 : 6
        while fraction != 0, fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        return (magnitude / UInt64(Self.scale), fraction, fractionDigits)
    }

    /// How many bytes `description` has.
    private var textLength: Int {
        let (whole, _, fractionDigits) = parts
        return (micros < 0 ? 1 : 0) + Self.digitCount(whole) + (fractionDigits == 0 ? 0 : 1 + fractionDigits)
    }

    private static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }

    /// Writes `description` into a buffer of exactly `textLength` bytes; returns that length.
    private func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let (whole, fraction, fractionDigits) = parts
        var end = buffer.count
        // From the last digit backwards: the fraction (zero-padded to its digits), the point, the whole.
        var rest = fraction
        for _ in 0..<fractionDigits {
            end -= 1
            buffer[end] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        if fractionDigits > 0 {
            end -= 1
            buffer[end] = UInt8(ascii: ".")
        }
        rest = whole
        repeat {
            end -= 1
            buffer[end] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        if micros < 0 {
            end -= 1
            buffer[end] = UInt8(ascii: "-")
        }
        return buffer.count
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.micros < rhs.micros }

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
        let (sum, overflow) = lhs.micros.addingReportingOverflow(rhs.micros)
        return Quantity(micros: overflow ? (rhs.micros < 0 ? Int64.min : Int64.max) : sum)
    }

    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
        let (difference, overflow) = lhs.micros.subtractingReportingOverflow(rhs.micros)
        return Quantity(micros: overflow ? (rhs.micros > 0 ? Int64.min : Int64.max) : difference)
    }

    public static func * (lhs: Quantity, rhs: Quantity) -> Quantity {
        let saturated = Quantity(micros: (lhs.micros < 0) != (rhs.micros < 0) ? Int64.min : Int64.max)
        // lhs × (whole + fraction/scale), each part checked for overflow.
        let (wholePart, overflowWhole) = lhs.micros.multipliedReportingOverflow(by: rhs.micros / scale)
        let fraction = rhs.micros % scale
        let (highPart, overflowHigh) = (lhs.micros / scale).multipliedReportingOverflow(by: fraction)
        let lowPart = (lhs.micros % scale) * fraction / scale
        guard !overflowWhole, !overflowHigh else { return saturated }
        let (partial, overflowSum) = wholePart.addingReportingOverflow(highPart)
        guard !overflowSum else { return saturated }
        let (total, overflowTotal) = partial.addingReportingOverflow(lowPart)
        return overflowTotal ? saturated : Quantity(micros: total)
    }

    public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }
    public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }
    public static prefix func - (value: Quantity) -> Quantity { zero - value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(try container.decode(Decimal.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }
}
