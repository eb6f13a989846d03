/// Alt + numeric keypad codes as Windows hosts read them and scanners send them for control
/// characters: `Alt+029` (OEM code page 437) and `Alt+0029` (ANSI code page 1252) both give GS.
enum AltNumpadCode {
    /// The text for the digits typed while Alt was held, or nil with the reason.
    static func text(digits: [UInt8]) -> Result<[UInt8], AltCodeError> {
        guard !digits.isEmpty else { return .failure(AltCodeError(message: "Alt was released without a keypad code")) }
        var value = 0
        for digit in digits.prefix(10) { value = value * 10 + Int(digit) }
        // Windows keeps the low byte of longer codes.
        let code = value & 0xFF
        let ansi = digits.first == 0
        guard code != 0 else { return .failure(AltCodeError(message: "Alt+keypad code \(digitsText(digits)) is NUL; ignored")) }
        if code < 0x80 { return .success([UInt8(code)]) }
        let scalar: Character?
        if ansi {
            scalar = code < 0xA0 ? windows1252High[code - 0x80] : Character(Unicode.Scalar(UInt8(code)))
        } else {
            scalar = codePage437High[code - 0x80]
        }
        guard let scalar, scalar != "?" else {
            return .failure(AltCodeError(message: "Alt+keypad code \(digitsText(digits)) has no character in code page 1252; ignored"))
        }
        return .success(Array(String(scalar).utf8))
    }

    struct AltCodeError: Error { var message: String }

    static func digitsText(_ digits: [UInt8]) -> String { digits.map { String($0) }.joined() }

    /// Code page 437, 0x80-0xFF.
    static let codePage437High: [Character?] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}"
    ).map { Optional($0) }

    /// Code page 1252, 0x80-0x9F ("?" where the code page has no character).
    static let windows1252High: [Character?] = Array("€?‚ƒ„…†‡ˆ‰Š‹Œ?Ž??‘’“”•–—˜™š›œ?žŸ").map { Optional($0) }
}
