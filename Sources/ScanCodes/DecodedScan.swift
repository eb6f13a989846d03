/// What a payload is, by the site's label scheme, before the workflow resolves it.
public enum ScanKind: String, Sendable, Hashable, Codable {
    case gs1, gtin, sscc, epc, command, `operator`, text
}

/// A command barcode (`CMD-…`): its name in lower case and its argument, if any.
public struct ScanCommand: Sendable, Hashable {
    public var name: String
    public var argument: String?

    public init(name: String, argument: String? = nil) {
        self.name = name
        self.argument = argument
    }
}

/// A classified, validated scan: the typed view of one payload.
public struct DecodedScan: Sendable, Hashable {
    /// The payload as received (AIM identifier included).
    public var input: [UInt8]
    /// The AIM identifier found at the start of the payload, if any.
    public var aimIdentifier: AIMIdentifier?
    /// From the AIM identifier, or from the device when it reports one.
    public var symbology: Symbology?
    public var kind: ScanKind
    /// GTIN-14 when the scan names a trade item.
    public var gtin: String?
    /// SSCC-18 when the scan names a logistic unit.
    public var sscc: String?
    public var command: ScanCommand?
    /// The badge text after the operator prefix.
    public var badge: String?
    /// The data after the AIM identifier, as text (GS kept as U+001D).
    public var text: String {
        get { textStorage.string }
        set { textStorage = .string(newValue) }
    }
    /// The text, or the bytes it is made from when read: most scans (GS1, EPC) are never
    /// read as text, and making the string costs an allocation and a UTF-8 pass.
    private var textStorage: ScanText
    /// Set when the payload claims a type but fails its rules (bad check digit, ...).
    public var error: ScanCodeError?

    // The GS1 attributes the workflows use, lifted from the element string's AIs.
    /// AI 10, batch or lot number.
    public var batch: String?
    /// AI 17, expiration date (day 00 resolved to the month's last day).
    public var expiry: CalendarDate?
    /// AI 15, best-before date.
    public var bestBefore: CalendarDate?
    /// AI 02, GTIN of the trade items contained in a logistic unit.
    public var contentGTIN: String?
    /// AI 37, count of trade items in a logistic unit.
    public var count: Int?
    /// AI 30, variable count of items.
    public var variableCount: Int?
    /// AI 21, serial number (or the serial of an SGTIN/GRAI EPC).
    public var serial: String?

    /// The GS1 elements, in the order scanned (also when `error` is set, as far as parsed).
    public var elements: [GS1Element] = []
    /// The decoded EPC, for RFID reads.
    public var epc: EPCIdentity? {
        get { epcBox?.identity }
        set { epcBox = newValue.map(EPCBox.init) }
    }
    /// Boxed: an identity is a dozen strings, and a scan is copied and destroyed whole.
    private var epcBox: EPCBox?
    /// Findings that do not reject the scan (e.g. an AI that GS1 wants alongside another).
    public var warnings: [ScanCodeError] = []
    /// The name of the site pattern the scan matched (a LabelScheme pattern), if any.
    public var label: String?

    public var ok: Bool { error == nil }

    /// A scan whose text is `textBytes` read as UTF-8 (repaired like `String(decoding:as:)`).
    init(input: [UInt8], aimIdentifier: AIMIdentifier?, symbology: Symbology?, kind: ScanKind, textBytes: ArraySlice<UInt8>) {
        self.input = input
        self.aimIdentifier = aimIdentifier
        self.symbology = symbology
        self.kind = kind
        textStorage = .bytes(textBytes)
    }

    public init(
        input: [UInt8], aimIdentifier: AIMIdentifier?, symbology: Symbology?, kind: ScanKind,
        text: String, gtin: String? = nil, sscc: String? = nil, command: ScanCommand? = nil,
        badge: String? = nil, error: ScanCodeError? = nil
    ) {
        self.input = input
        self.aimIdentifier = aimIdentifier
        self.symbology = symbology
        self.kind = kind
        textStorage = .string(text)
        self.gtin = gtin
        self.sscc = sscc
        self.command = command
        self.badge = badge
        self.error = error
    }
}

/// A scan's text, kept as the bytes it is made from until it is read. Compares and hashes
/// as the text, whichever form it is in.
enum ScanText: Sendable, Hashable {
    case bytes(ArraySlice<UInt8>)
    case string(String)

    var string: String {
        switch self {
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .string(let string): string
        }
    }

    static func == (lhs: ScanText, rhs: ScanText) -> Bool { lhs.string == rhs.string }
    func hash(into hasher: inout Hasher) { hasher.combine(string) }
}

/// An EPC identity behind one reference; compares and hashes as the identity.
final class EPCBox: Sendable, Hashable {
    let identity: EPCIdentity
    init(_ identity: EPCIdentity) { self.identity = identity }
    static func == (lhs: EPCBox, rhs: EPCBox) -> Bool { lhs.identity == rhs.identity }
    func hash(into hasher: inout Hasher) { hasher.combine(identity) }
}
