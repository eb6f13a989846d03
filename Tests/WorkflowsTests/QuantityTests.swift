import Foundation
import Testing
import Workflows

@Suite struct QuantityTests {
    @Test(arguments: [("12", "12"), ("2.5", "2.5"), ("0.125", "0.125"), ("007", "7"), ("1.500000", "1.5"), ("0.000001", "0.000001")])
    func parsesAndFormats(_ text: String, _ shown: String) {
        #expect(Quantity(text)?.description == shown)
    }

    /// Text written as bytes in place: every length, sign and fraction width, and the extremes.
    @Test(arguments: [
        (Int64(0), "0"), (-1, "-0.000001"), (10, "0.00001"), (1_000_000, "1"), (-1_200_000, "-1.2"),
        (123_456_789_000, "123456.789"), (999_999_999_999_999, "999999999.999999"),
        (Int64.max, "9223372036854.775807"), (Int64.min, "-9223372036854.775808"),
    ])
    func formatsEveryWidth(_ micros: Int64, _ shown: String) {
        #expect(Quantity(micros: micros).description == shown)
    }

    @Test(arguments: ["", ".", "1.2.3", "-1", "1e3", "12a", "0.0000001", "99999999999999999999"])
    func refusesWhatIsNotAPlainDecimal(_ text: String) {
        #expect(Quantity(text) == nil)
    }

    @Test func arithmeticIsExact() {
        let half = Quantity("0.5") ?? 0
        #expect(half + half == 1)
        #expect(Quantity("1.5").map { $0 * 12 } == 18)
        #expect(Quantity("0.1").map { $0 * (Quantity("0.1") ?? 0) } == Quantity("0.01"))
        #expect((3 as Quantity) - 5 == -2)
        #expect((-2 as Quantity).description == "-2")
        #expect(Quantity("2.25").map { -$0 }?.description == "-2.25")
    }

    @Test func overflowSaturatesInsteadOfTrapping() {
        let huge = Quantity(micros: Int64.max - 1)
        #expect(huge + 10 == Quantity(micros: Int64.max))
        #expect(huge * 1000 == Quantity(micros: Int64.max))
        #expect(-huge * 1000 == Quantity(micros: Int64.min))
        #expect(Quantity(Int.max) == Quantity(micros: Int64.max))
    }

    @Test func convertsToDecimalAndCodesAsANumber() throws {
        let value = Quantity("36.25") ?? 0
        #expect(value.decimal == Decimal(string: "36.25"))
        #expect(Quantity(Decimal(string: "36.25") ?? 0) == value)
        let json = try JSONEncoder().encode([value])
        #expect(String(decoding: json, as: UTF8.self) == "[36.25]")
        #expect(try JSONDecoder().decode([Quantity].self, from: json) == [value])
    }
}
