/// The GS1 modulo-10 check digit shared by GTIN, SSCC, GLN and the other GS1 keys.
public enum CheckDigit {
    /// The check digit for `digits` (ASCII '0'...'9', without the check digit), or nil when
    /// a byte is not a digit.
    public static func gs1Mod10<C: Collection>(for digits: C) -> UInt8? where C.Element == UInt8 {
        var sum = 0
        // Weights alternate 3,1,3,... from the rightmost data digit.
        var weight = 3
        for byte in digits.reversed() {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            sum += Int(byte - 0x30) * weight
            weight = weight == 3 ? 1 : 3
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// The check digit for `digits`, walking backwards without copying. Inlinable: a caller
    /// in another module gets it compiled for its collection rather than the generic
    /// version, which cost thousands of instructions for an 18-digit SSCC.
    @inlinable
    public static func gs1Mod10<C: BidirectionalCollection>(for digits: C) -> UInt8? where C.Element == UInt8 {
        var sum = 0
        var weight = 3
        var index = digits.endIndex
        while index != digits.startIndex {
            digits.formIndex(before: &index)
            let byte = digits[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            sum += Int(byte - 0x30) * weight
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// Whether the last digit of `digits` is the GS1 check digit of the others: the scan's
    /// bytes read in place (the generic version below walks a reversed collection).
    public static func isValidGS1(_ digits: ArraySlice<UInt8>) -> Bool {
        digits.withUnsafeBufferPointer { bytes in
            guard bytes.count >= 2 else { return false }
            var sum = 0
            // The digit next to the check digit weighs 3, then 1, 3, ... to the left.
            var weight = bytes.count % 2 == 0 ? 3 : 1
            for byte in bytes {
                guard byte >= 0x30, byte <= 0x39 else { return false }
                sum += Int(byte &- 0x30) &* weight
                weight = 4 &- weight
            }
            // The check digit itself was added with weight 1: a valid number sums to 0 mod 10.
            return sum % 10 == 0
        }
    }

    /// Whether the last digit of `digits` is the GS1 check digit of the others.
    public static func isValidGS1<C: BidirectionalCollection>(_ digits: C) -> Bool where C.Element == UInt8 {
        guard let last = digits.last, last >= 0x30, last <= 0x39, digits.count >= 2 else { return false }
        guard let expected = gs1Mod10(for: digits.dropLast()) else { return false }
        return expected == last - 0x30
    }
}
