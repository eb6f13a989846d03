/// JSON string literals as scanstation prints them everywhere (feedback, decode, reports,
/// logs): control bytes escaped as `\u00XX`, so a GS separator stays visible as `\u001d`.
public enum JSONLiteral {
    public static func string(_ value: String) -> String {
        var text = "\""
        text.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    public static func optionalString(_ value: String?) -> String {
        value.map(string) ?? "null"
    }
}
