import Foundation
import ScanCodes
import Testing

/// Quantities are stored as integers and shown as decimals: the digit-built decimal must
/// be the quotient exactly, in value, in text and in hashing.
@Suite struct DecimalDigitsTests {
    @Test func equalsTheQuotientInValueAndText() {
        var generator = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 1, -1, 10, 1_000_000, -1_000_000, 2_500_000, 125_000, 999_999, 1_000_001, Int64.max, Int64.min + 1]
        for _ in 0..<2000 {
            values.append(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator))
            // Round numbers (whole units, tenths) are what warehouses mostly count.
            values.append(Int64.random(in: -1000...1000, using: &generator) * [1, 10, 100_000, 1_000_000].randomElement(using: &generator)!)
        }
        for value in values {
            for decimals in [0, 3, 6] {
                var divisor = Decimal(1)
                for _ in 0..<decimals { divisor *= 10 }
                let quotient = Decimal(value) / divisor
                let built = Decimal(value: value, decimals: decimals)
                #expect(built == quotient, "\(value) / 10^\(decimals)")
                #expect(built.description == quotient.description, "\(value) / 10^\(decimals)")
                #expect(built.hashValue == quotient.hashValue, "\(value) / 10^\(decimals)")
            }
        }
    }
}
