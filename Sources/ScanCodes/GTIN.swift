/// GTIN helpers: normalisation to GTIN-14 and UPC-E expansion.
public enum GTIN {
    /// The GTIN-14 of a GTIN-8, -12, -13 or -14 (left-padded with zeros), or nil when
    /// `digits` is not 8, 12, 13 or 14 digits with a valid check digit.
    public static func normalized(_ digits: String) -> String? {
        let bytes = Array(digits.utf8)
        guard [8, 12, 13, 14].contains(bytes.count), bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              CheckDigit.isValidGS1(bytes) else { return nil }
        return String(repeating: "0", count: 14 - bytes.count) + digits
    }

    /// Expands a UPC-E number to its UPC-A (GTIN-12). Accepts 6 digits (number system 0,
    /// check digit computed), 7 digits (number system + 6) or 8 digits (number system, 6
    /// digits, check digit, which must be right). Nil when it is not a UPC-E.
    public static func expandUPCE(_ digits: String) -> String? {
        var bytes = Array(digits.utf8)
        guard bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var givenCheck: UInt8?
        switch bytes.count {
        case 6: bytes.insert(UInt8(ascii: "0"), at: 0)
        case 7: break
        case 8: givenCheck = bytes.removeLast()
        default: return nil
        }
        let numberSystem = bytes[0]
        guard numberSystem == UInt8(ascii: "0") || numberSystem == UInt8(ascii: "1") else { return nil }
        let d = Array(bytes[1...6])
        let zero = UInt8(ascii: "0")
        var body: [UInt8]
        switch d[5] {
        case UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "2"):
            body = [d[0], d[1], d[5], zero, zero, zero, zero, d[2], d[3], d[4]]
        case UInt8(ascii: "3"):
            body = [d[0], d[1], d[2], zero, zero, zero, zero, zero, d[3], d[4]]
        case UInt8(ascii: "4"):
            body = [d[0], d[1], d[2], d[3], zero, zero, zero, zero, zero, d[4]]
        default:
            body = [d[0], d[1], d[2], d[3], d[4], zero, zero, zero, zero, d[5]]
        }
        body.insert(numberSystem, at: 0)
        guard let check = CheckDigit.gs1Mod10(for: body) else { return nil }
        if let givenCheck, givenCheck != check + 0x30 { return nil }
        body.append(check + 0x30)
        return String(decoding: body, as: UTF8.self)
    }
}
