/// What ends a scan in a keystroke stream.
public enum ScanTerminator: String, Sendable, Hashable, CaseIterable {
    /// Enter (CR); an LF right after it, or LF alone, counts once.
    case enter
    /// Tab.
    case tab
    /// Nothing: only the inter-character timeout (or the end of the stream) ends a scan.
    case none
}

/// How keystrokes are grouped into scans.
public struct ScanFraming: Sendable, Hashable {
    public var terminator: ScanTerminator
    /// A gap longer than this between two characters ends the scan in hand; nil: no timeout.
    /// The default, 100 ms, is well above what a scanner leaves between characters (a
    /// character is a press and a release report, 2 to 20 ms apart at USB polling rates, plus
    /// any configured inter-character delay) and below a person's pause between keystrokes.
    public var interCharacterTimeoutMilliseconds: Int?
    /// A prefix the scanner is configured to send before each scan, removed from the text.
    public var stripPrefix: String?
    /// A suffix the scanner is configured to send after each scan, removed from the text.
    public var stripSuffix: String?

    public static let defaultTimeoutMilliseconds = 100

    public init(
        terminator: ScanTerminator = .enter,
        interCharacterTimeoutMilliseconds: Int? = ScanFraming.defaultTimeoutMilliseconds,
        stripPrefix: String? = nil,
        stripSuffix: String? = nil
    ) {
        self.terminator = terminator
        self.interCharacterTimeoutMilliseconds = interCharacterTimeoutMilliseconds
        self.stripPrefix = stripPrefix
        self.stripSuffix = stripSuffix
    }
}

/// One scan decoded from HID reports.
public struct HIDScan: Sendable, Hashable {
    /// The scan's bytes: UTF-8 of `text`, or the raw decoded data of a HID POS scanner.
    public var bytes: [UInt8]
    public var text: String
    /// The symbology in CONTRACTS.md's names (from the HID POS symbology identifier, or from an
    /// AIM identifier at the start of the text), or nil when nothing says.
    public var symbology: String?
    /// What went wrong while decoding (an unmapped usage, a dead key that did not compose, a
    /// missing terminator); the text keeps everything that was typed.
    public var warnings: [String]

    public init(bytes: [UInt8], text: String, symbology: String? = nil, warnings: [String] = []) {
        self.bytes = bytes
        self.text = text
        self.symbology = symbology
        self.warnings = warnings
    }
}
