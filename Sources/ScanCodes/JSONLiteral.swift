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
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal to `bytes` (a line built as bytes skips
    /// the intermediate strings).
    public static func append(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in value.utf8 { appendEscaped(byte, to: &bytes) }
        bytes.append(0x22)
    }

    /// Appends `input` (UTF-8 as received, possibly invalid) as the literal `string` gives
    /// for `String(decoding: input, as: UTF8.self)`: invalid sequences become U+FFFD.
    public static func append(utf8 input: [UInt8], to bytes: inout [UInt8]) {
        guard input.allSatisfy({ $0 < 0x80 }) else {
            append(String(decoding: input, as: UTF8.self), to: &bytes)
            return
        }
        bytes.append(0x22)
        for byte in input { appendEscaped(byte, to: &bytes) }
        bytes.append(0x22)
    }

    @inline(__always)
    private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
        guard needsEscape(byte) else {
            bytes.append(byte)
            return
        }
        bytes.append(0x5C)
        switch byte {
        case 0x22, 0x5C: bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(0x30)
            bytes.append(0x30)
            bytes.append(hexDigit(byte >> 4))
            bytes.append(hexDigit(byte & 0x0F))
        }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
    }

    public static func optionalString(_ value: String?) -> String {
        value.map(string) ?? "null"
    }
}
