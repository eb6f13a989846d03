public import Foundation

extension Decimal {
    /// `value / 10^decimals`, built from its digits with trailing zeros dropped: equal in
    /// value and in text to the `Decimal` quotient, which costs microseconds (stations
    /// turn stored micro-units into decimals for every quantity of every scan).
    public init(value: Int64, decimals: Int) {
        var significand = value.magnitude
        guard significand != 0 else {
            self.init(0)
            return
        }
        var exponent = -decimals
        while exponent < 0, significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        self.init(sign: value < 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }
}
