/// The symbology a payload was read from, named as everywhere in scanstation
/// (decode, read-image, feedback, logs, database).
public enum Symbology: String, Sendable, Hashable, CaseIterable, Codable {
    case ean13 = "ean-13"
    case ean8 = "ean-8"
    case upcA = "upc-a"
    case upcE = "upc-e"
    case code128 = "code-128"
    case gs1128 = "gs1-128"
    case code39 = "code-39"
    case code93 = "code-93"
    case codabar
    case itf
    case itf14 = "itf-14"
    case databar
    case databarExpanded = "databar-expanded"
    case qr
    case gs1QR = "gs1-qr"
    case datamatrix
    case gs1DataMatrix = "gs1-datamatrix"
    case pdf417
    case aztec
    case epc
    case unknown

    /// Whether a symbol of this symbology carries a GS1 element string by definition.
    public var isGS1: Bool {
        switch self {
        case .gs1128, .gs1QR, .gs1DataMatrix, .databar, .databarExpanded: true
        default: false
        }
    }
}
