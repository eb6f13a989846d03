/// JSON string literals as scanstation prints them everywhere (feedback, decode, reports,
/// logs): control bytes escaped as `\u00XX`, so a GS separator stays visible as `\u001d`.
public enum JSONLiteral {
    public static func string(_ value: String) -> String {
        // Bytes, not scalars: every byte that needs escaping is ASCII, and the rest of the
        // UTF-8 is copied as it is (this runs for every field of every answer).
        let utf8 = value.utf8
        guard utf8.contains(where: needsEscape) else { return "\"" + value + "\"" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        bytes.append(0x22)
        for byte in utf8 {
            guard needsEscape(byte) else {
                bytes.append(byte)
                continue
            }
            bytes.append(0x5C)
            switch byte {
            case 0x22, 0x5C: bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes += [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
    }

    public static func optionalString(_ value: String?) -> String {
        value.map(string) ?? "null"
    }
}
