internal import ScanCodes

/// Groups decoded characters into scans: terminator, inter-character timeout, CR+LF once,
/// prefix/suffix stripping. A plain state machine; time is an argument.
struct ScanFramer: Sendable {
    let framing: ScanFraming
    private let affixes: ScanAffixes
    /// The bytes of the scan in hand.
    private(set) var pending: [UInt8] = []
    private var warnings: [String] = []
    /// When the last character arrived (nil: none yet in this scan).
    private var lastCharacterAt: UInt64?
    /// The last scan ended with CR: an LF right after it belongs to that terminator.
    private var endedWithCarriageReturn = false

    init(framing: ScanFraming) {
        self.framing = framing
        self.affixes = ScanAffixes(prefix: framing.stripPrefix, suffix: framing.stripSuffix)
    }

    var isIdle: Bool { pending.isEmpty && warnings.isEmpty }

    /// Records a problem; it goes with the scan in hand (or the next one).
    mutating func warn(_ message: String) {
        warnings.append(message)
    }

    /// Ends the scan in hand first when the gap since the previous character is over the timeout.
    @inline(__always)
    mutating func noteTime(_ now: UInt64, into scans: inout [HIDScan]) {
        guard let timeout = framing.interCharacterTimeoutMilliseconds, let last = lastCharacterAt,
              now > last, now - last > UInt64(max(timeout, 0))
        else { return }
        endedWithCarriageReturn = false
        finish(into: &scans, byTimeout: true)
    }

    /// Adds the UTF-8 bytes of one typed character.
    @inline(__always)
    mutating func append(_ byte: UInt8, at now: UInt64, into scans: inout [HIDScan]) {
        noteTime(now, into: &scans)
        let afterCarriageReturn = endedWithCarriageReturn
        endedWithCarriageReturn = false
        switch (framing.terminator, byte) {
        case (.enter, 0x0D):
            endedWithCarriageReturn = true
            lastCharacterAt = nil
            finish(into: &scans, byTimeout: false)
            return
        case (.enter, 0x0A):
            lastCharacterAt = nil
            if afterCarriageReturn && pending.isEmpty { return }
            finish(into: &scans, byTimeout: false)
            return
        case (.tab, 0x09):
            lastCharacterAt = nil
            finish(into: &scans, byTimeout: false)
            return
        default:
            pending.append(byte)
            lastCharacterAt = now
        }
    }

    mutating func append(_ bytes: [UInt8], at now: UInt64, into scans: inout [HIDScan]) {
        for byte in bytes { append(byte, at: now, into: &scans) }
    }

    /// Whether a scan in hand would end at `now` (always, without a timeout or at `.max`).
    func timeoutElapsed(at now: UInt64) -> Bool {
        guard now != .max, let timeout = framing.interCharacterTimeoutMilliseconds, let last = lastCharacterAt else { return true }
        return now > last && now - last > UInt64(max(timeout, 0))
    }

    /// Ends the scan in hand when the timeout has passed at `now` (always, without a timeout).
    mutating func flush(at now: UInt64, into scans: inout [HIDScan]) {
        guard timeoutElapsed(at: now) else { return }
        endedWithCarriageReturn = false
        finish(into: &scans, byTimeout: true)
    }

    /// Hands over the warnings gathered so far (for a scan framed elsewhere).
    mutating func takeWarnings() -> [String] {
        defer { warnings.removeAll() }
        return warnings
    }

    /// Emits the scan in hand (if it has text or warnings).
    mutating func finish(into scans: inout [HIDScan], byTimeout: Bool, symbology: String? = nil) {
        lastCharacterAt = nil
        guard !isIdle else { return }
        var bytes = pending
        var notes = warnings
        pending.removeAll(keepingCapacity: true)
        warnings.removeAll()
        if byTimeout, framing.terminator != .none, !bytes.isEmpty {
            notes.append("the scan ended after a pause, without the \(framing.terminator.rawValue) terminator; check the scanner's suffix setting")
        }
        scans.append(Self.makeScan(bytes: &bytes, warnings: notes, affixes: affixes, symbology: symbology))
    }

    static func makeScan(bytes: inout [UInt8], warnings: [String], affixes: ScanAffixes, symbology: String?) -> HIDScan {
        let notes = warnings + affixes.strip(&bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        var named = symbology
        if named == nil, let identifier = AIMIdentifier.split(bytes).identifier {
            named = identifier.symbology.rawValue
        }
        return HIDScan(bytes: bytes, text: text, symbology: named, warnings: notes)
    }
}
