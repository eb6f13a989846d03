/// An AIM symbology identifier (ISO/IEC 15424): `]` + code character + modifier.
public struct AIMIdentifier: Sendable, Hashable {
    public var code: UInt8
    public var modifier: UInt8

    /// The three characters as they appear at the start of a payload, e.g. "]C1".
    public var text: String { "]" + String(UnicodeScalar(code)) + String(UnicodeScalar(modifier)) }

    /// The symbology the identifier names, in scanstation's vocabulary.
    public var symbology: Symbology {
        switch (code, modifier) {
        case (UInt8(ascii: "C"), UInt8(ascii: "1")): .gs1128
        case (UInt8(ascii: "C"), _): .code128
        case (UInt8(ascii: "E"), UInt8(ascii: "4")): .ean8
        case (UInt8(ascii: "E"), _): .ean13
        case (UInt8(ascii: "e"), _): .databar
        case (UInt8(ascii: "d"), UInt8(ascii: "2")), (UInt8(ascii: "d"), UInt8(ascii: "5")): .gs1DataMatrix
        case (UInt8(ascii: "d"), _): .datamatrix
        case (UInt8(ascii: "Q"), UInt8(ascii: "3")), (UInt8(ascii: "Q"), UInt8(ascii: "5")): .gs1QR
        case (UInt8(ascii: "Q"), _): .qr
        case (UInt8(ascii: "I"), UInt8(ascii: "1")): .itf14
        case (UInt8(ascii: "I"), _): .itf
        case (UInt8(ascii: "A"), _): .code39
        case (UInt8(ascii: "G"), _): .code93
        case (UInt8(ascii: "F"), _): .codabar
        case (UInt8(ascii: "L"), _): .pdf417
        case (UInt8(ascii: "z"), _): .aztec
        default: .unknown
        }
    }

    /// Whether the identifier itself says the data is a GS1 element string.
    public var announcesGS1: Bool {
        switch (code, modifier) {
        case (UInt8(ascii: "C"), UInt8(ascii: "1")), (UInt8(ascii: "e"), UInt8(ascii: "0")),
             (UInt8(ascii: "d"), UInt8(ascii: "2")), (UInt8(ascii: "Q"), UInt8(ascii: "3")),
             (UInt8(ascii: "z"), UInt8(ascii: "4")), (UInt8(ascii: "J"), UInt8(ascii: "1")):
            true
        default: false
        }
    }

    /// Splits a leading AIM identifier off `payload`, if there is one.
    public static func split(_ payload: [UInt8]) -> (identifier: AIMIdentifier?, rest: ArraySlice<UInt8>) {
        guard payload.count >= 3, payload[0] == UInt8(ascii: "]") else { return (nil, payload[...]) }
        let code = payload[1]
        let modifier = payload[2]
        let isLetter = (code >= 0x41 && code <= 0x5A) || (code >= 0x61 && code <= 0x7A)
        let isModifier = (modifier >= 0x30 && modifier <= 0x39) || (modifier >= 0x41 && modifier <= 0x5A)
        guard isLetter, isModifier else { return (nil, payload[...]) }
        return (AIMIdentifier(code: code, modifier: modifier), payload[3...])
    }
}
