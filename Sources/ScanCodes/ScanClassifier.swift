/// How a payload is to be read: by the label scheme's rules, or forced.
public enum ScanReading: String, Sendable, Hashable, CaseIterable {
    /// The default label scheme's order (CONTRACTS.md).
    case auto
    /// As GS1 data: element string, human-readable `(AI)` form or Digital Link URI.
    case gs1
    /// As EPC binary in hexadecimal, whatever its header.
    case epc
    /// As plain text.
    case text
}

/// Classifies payloads into typed scans by syntax alone (CONTRACTS.md, default label scheme).
/// The workflow resolves plain text against the catalog afterwards.
public struct ScanClassifier: Sendable {
    public var scheme: LabelScheme

    public init(scheme: LabelScheme = .standard) {
        self.scheme = scheme
    }

    /// - Parameters:
    ///   - payload: the scan's bytes, after input hygiene.
    ///   - symbology: what the device reported, when it knows (HID POS, camera).
    ///   - referenceDate: today, for the GS1 century rule.
    ///   - reading: `.auto` follows the label scheme; the others force one reading.
    public func classify(
        _ payload: [UInt8], symbology deviceSymbology: Symbology? = nil, referenceDate: CalendarDate,
        reading: ScanReading = .auto
    ) -> DecodedScan {
        let (identifier, rest) = AIMIdentifier.split(payload)
        var symbology = identifier?.symbology ?? deviceSymbology
        // `]I1` is read as ITF-14 (as GS1 tools do); a `]I0` ITF of 14 digits is one too,
        // as the camera path (zbar) names it.
        if symbology == .itf, rest.count == 14, rest.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            symbology = .itf14
        }
        var scan = DecodedScan(input: payload, aimIdentifier: identifier, symbology: symbology, kind: .text, textBytes: rest)

        switch reading {
        case .text:
            return scan
        case .epc:
            readEPC(rest, into: &scan)
            return scan
        case .gs1:
            if let envelope = Self.iso15434Envelope(rest), let body = envelope.gs1Body {
                apply(GS1Parser.parseElementString(body, referenceDate: referenceDate, offsetOrigin: rest.startIndex), into: &scan)
                return scan
            }
            readGS1(rest, shape: gs1Shape(rest) ?? .elementString, referenceDate: referenceDate, into: &scan)
            return scan
        case .auto:
            break
        }

        // Nothing to read is a finding (decode prints one object per stdin line, blank
        // lines included), not an empty text label.
        if payload.isEmpty {
            scan.error = ScanCodeError(.emptyMessage, "The payload is empty: the line carries no data.", offset: 0)
            return scan
        }

        // An ISO/IEC 15434 envelope (what RS and EOT as data are for): format 05 holds GS1
        // element strings; another format (06: ASC MH10 data identifiers) is not GS1.
        if let envelope = Self.iso15434Envelope(rest) {
            if let body = envelope.gs1Body {
                apply(GS1Parser.parseElementString(body, referenceDate: referenceDate, offsetOrigin: rest.startIndex), into: &scan)
            }
            return scan
        }

        let announcesGS1 = identifier.map(\.announcesGS1) ?? (deviceSymbology?.isGS1 ?? false)
        if announcesGS1 {
            readGS1(rest, shape: gs1Shape(rest) ?? .elementString, referenceDate: referenceDate, into: &scan)
            return scan
        }

        if classifySiteLabel(&scan, rest) { return scan }

        let allDigits = !rest.isEmpty && rest.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        if allDigits, readNumber(rest, symbology: symbology, into: &scan) { return scan }

        if let shape = gs1Shape(rest) {
            readGS1(rest, shape: shape, referenceDate: referenceDate, into: &scan)
            if scan.kind != .text { return scan }
        }

        if scheme.unmarkedGS1, rest.count >= 16, startsWithLogisticsKey(rest) {
            let message = GS1Parser.parseElementString(rest, referenceDate: referenceDate)
            if Self.isStructurallySound(message) {
                apply(message, into: &scan)
                return scan
            }
        }

        if EPCDecoder.hasKnownHeader(rest), rest.allSatisfy({ DigitalLink.hexValue($0) != nil }) {
            readEPC(rest, into: &scan)
            return scan
        }
        return scan
    }

    // MARK: Site labels

    /// Commands, operator badges and the site's patterns.
    private func classifySiteLabel(_ scan: inout DecodedScan, _ bytes: ArraySlice<UInt8>) -> Bool {
        // Byte comparisons first: most scans are not site labels, and this runs for each.
        if Self.hasPrefix(bytes, scheme.commandPrefix) {
            let text = scan.text
            scan.kind = .command
            scan.command = command(from: text.dropFirst(scheme.commandPrefix.count))
            return true
        }
        if bytes.count > scheme.operatorPrefix.utf8.count, Self.hasPrefix(bytes, scheme.operatorPrefix) {
            let text = scan.text
            scan.kind = .operator
            scan.badge = String(text.dropFirst(scheme.operatorPrefix.count))
            return true
        }
        guard !scheme.patterns.isEmpty else { return false }
        let text = scan.text
        for pattern in scheme.patterns where pattern.matches(text) {
            scan.kind = pattern.kind
            scan.label = pattern.label
            if pattern.kind == .operator { scan.badge = text }
            return true
        }
        return false
    }

    /// Whether `bytes` start with `prefix`'s UTF-8, compared on the string's contiguous bytes
    /// (the generic `starts(with:)` over a UTF8View costs more than the rest of an EAN-13 scan).
    private static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { prefixBytes in
            guard bytes.count >= prefixBytes.count else { return false }
            var index = bytes.startIndex
            for byte in prefixBytes {
                guard bytes[index] == byte else { return false }
                index += 1
            }
            return true
        }
    }

    /// `QTY-12` → (qty, 12); `MODE-PICK` → (mode, pick); `DONE` → (done, nil).
    func command(from body: Substring) -> ScanCommand {
        let upper = body.uppercased()
        for (prefix, name) in scheme.argumentCommands.sorted(by: { $0.key.count > $1.key.count }) where upper.hasPrefix(prefix) {
            let argument = String(body.dropFirst(prefix.count))
            return ScanCommand(name: name, argument: name == "mode" ? argument.lowercased() : argument)
        }
        return ScanCommand(name: scheme.commands[upper] ?? body.lowercased())
    }

    static func command(from body: Substring) -> ScanCommand {
        ScanClassifier().command(from: body)
    }

    // MARK: Numbers

    /// Digits: GTIN-8/12/13/14, UPC-E, SSCC-18. False when the digits are none of these.
    private func readNumber(_ digits: ArraySlice<UInt8>, symbology: Symbology?, into scan: inout DecodedScan) -> Bool {
        let claimsGTIN: Bool
        switch symbology {
        case .ean13, .ean8, .upcA, .upcE, .itf14: claimsGTIN = true
        default: claimsGTIN = false
        }
        if symbology == .upcE, (6...8).contains(digits.count) {
            scan.kind = .gtin
            if let upcA = GTIN.expandUPCE(String(decoding: digits, as: UTF8.self)) {
                scan.gtin = "00" + upcA
            } else {
                scan.error = ScanCodeError(.gtinCheckDigit, "The UPC-E number \(scan.text) has a wrong check digit or number system. Rescan the item.", offset: digits.count - 1)
            }
            return true
        }
        switch digits.count {
        case 8, 12, 13, 14:
            if CheckDigit.isValidGS1(digits) {
                scan.kind = .gtin
                scan.gtin = String(repeating: "0", count: 14 - digits.count) + scan.text
                return true
            }
            guard claimsGTIN || scheme.rejectBadCheckDigits else { return false }
            scan.kind = .gtin
            scan.error = Self.checkDigitError(.gtinCheckDigit, "GTIN", digits)
            return true
        case 18 where !claimsGTIN:
            if CheckDigit.isValidGS1(digits) {
                scan.kind = .sscc
                scan.sscc = scan.text
                return true
            }
            guard scheme.rejectBadCheckDigits else { return false }
            scan.kind = .sscc
            scan.error = Self.checkDigitError(.ssccCheckDigit, "SSCC", digits)
            return true
        default:
            if claimsGTIN {
                scan.kind = .gtin
                scan.error = ScanCodeError(
                    .aiPatternMismatch,
                    "A \(symbology?.rawValue ?? "retail") barcode carries 8, 12, 13 or 14 digits, not \(digits.count). Rescan the item.",
                    offset: 0)
                return true
            }
            return false
        }
    }

    static func checkDigitError(_ code: ScanCodeError.Code, _ name: String, _ digits: ArraySlice<UInt8>) -> ScanCodeError {
        let expected = CheckDigit.gs1Mod10(for: digits.dropLast()).map(String.init) ?? "?"
        return ScanCodeError(
            code,
            "The \(name) \(String(decoding: digits, as: UTF8.self)) ends in \(UnicodeScalar(digits[digits.endIndex - 1])) but its check digit is \(expected): the barcode was misread or is misprinted. Rescan, or key in the number.",
            offset: digits.count - 1)
    }

    // MARK: GS1

    enum GS1Shape { case elementString, humanReadable, digitalLink }

    /// An ISO/IEC 15434 message: `[)>` RS, then formats, each `NN` GS … RS, then EOT.
    struct ISO15434Envelope {
        /// The data of format 05 (GS1 application identifiers), up to its RS; nil when
        /// the envelope's first format is another.
        var gs1Body: ArraySlice<UInt8>?
    }

    /// The envelope `bytes` are, if they start with its header `[)>` RS.
    static func iso15434Envelope(_ bytes: ArraySlice<UInt8>) -> ISO15434Envelope? {
        let start = bytes.startIndex
        guard bytes.count >= 4, bytes[start] == UInt8(ascii: "["), bytes[start + 1] == UInt8(ascii: ")"),
              bytes[start + 2] == UInt8(ascii: ">"), bytes[start + 3] == recordSeparator else { return nil }
        let format = start + 4
        guard bytes.count >= 7, bytes[format] == UInt8(ascii: "0"), bytes[format + 1] == UInt8(ascii: "5"),
              bytes[format + 2] == groupSeparator else { return ISO15434Envelope(gs1Body: nil) }
        let body = bytes[(format + 3)...]
        // The format ends at its RS; a reader that dropped the trailer (RS EOT) ends it too.
        let end = body.firstIndex(of: recordSeparator) ?? body.firstIndex(of: endOfTransmission) ?? body.endIndex
        return ISO15434Envelope(gs1Body: body[..<end])
    }

    private static let recordSeparator: UInt8 = 0x1E
    private static let endOfTransmission: UInt8 = 0x04

    /// The GS1 form the payload has on its face, if any: a GS (FNC1) in it, `(AI)` at the
    /// start, or an http(s) URI.
    private func gs1Shape(_ bytes: ArraySlice<UInt8>) -> GS1Shape? {
        guard let first = bytes.first else { return nil }
        if first == UInt8(ascii: "(") {
            var index = bytes.startIndex + 1
            while index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            let count = index - bytes.startIndex - 1
            if (2...4).contains(count), index < bytes.endIndex, bytes[index] == UInt8(ascii: ")") { return .humanReadable }
            return nil
        }
        if first == UInt8(ascii: "h") || first == UInt8(ascii: "H") {
            return DigitalLink.looksLikeURI(bytes) ? .digitalLink : nil
        }
        return bytes.contains(groupSeparator) ? .elementString : nil
    }

    private func readGS1(_ bytes: ArraySlice<UInt8>, shape: GS1Shape, referenceDate: CalendarDate, into scan: inout DecodedScan) {
        switch shape {
        case .elementString:
            apply(GS1Parser.parseElementString(bytes, referenceDate: referenceDate), into: &scan)
        case .humanReadable:
            apply(GS1Parser.parseHumanReadable(bytes, referenceDate: referenceDate), into: &scan)
        case .digitalLink:
            // A URL without a GS1 primary key is plain text.
            if let message = DigitalLink.parse(bytes, referenceDate: referenceDate) { apply(message, into: &scan) }
        }
    }

    private func startsWithLogisticsKey(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        let first = bytes[bytes.startIndex]
        let second = bytes[bytes.startIndex + 1]
        return first == UInt8(ascii: "0") && (second == UInt8(ascii: "0") || second == UInt8(ascii: "1") || second == UInt8(ascii: "2"))
    }

    /// Parsed to the end with no structural error (a bad check digit or date still counts
    /// as GS1: the label is GS1, its data is wrong).
    static func isStructurallySound(_ message: GS1Message) -> Bool {
        guard let error = message.error else { return true }
        switch error.code {
        case .gtinCheckDigit, .ssccCheckDigit, .glnCheckDigit, .keyCheckDigit, .invalidDate, .repeatedAIConflict, .excludedAIPair:
            return true
        default:
            return false
        }
    }

    /// Fills the scan from a parsed GS1 message.
    func apply(_ message: GS1Message, into scan: inout DecodedScan) {
        let ssccAI = AICode(digits: 2, number: 0)
        scan.kind = message.elements.count == 1 && message.elements[0].code == ssccAI ? .sscc : .gs1
        scan.elements = message.elements
        scan.error = message.error
        scan.warnings = message.warnings
        // Through a buffer: the elements are read in place, not copied out one by one.
        message.elements.withUnsafeBufferPointer { elements in
            for index in elements.indices {
                // Two-digit AIs only: compare the AI as a number, not as strings.
                let code = elements[index].code
                guard code.digits == 2 else { continue }
                // The typed value is made on demand: only for the AIs lifted, once each.
                // A parsed element's typed value for these AIs is its text or date: take
                // that directly (no typed value built); hand-made elements ask `typed`.
                let parsed = elements[index].isParsed
                switch code.number {
                case 0 where parsed: if scan.sscc == nil { scan.sscc = elements[index].parsedValidText }
                case 1 where parsed: if scan.gtin == nil { scan.gtin = elements[index].parsedValidText }
                case 2 where parsed: if scan.contentGTIN == nil { scan.contentGTIN = elements[index].parsedValidText }
                case 10 where parsed: if scan.batch == nil { scan.batch = elements[index].parsedValidText }
                case 21 where parsed: if scan.serial == nil { scan.serial = elements[index].parsedValidText }
                case 17 where parsed: if scan.expiry == nil { scan.expiry = elements[index].parsedValidDate }
                case 15 where parsed: if scan.bestBefore == nil { scan.bestBefore = elements[index].parsedValidDate }
                case 37 where parsed: if scan.count == nil { scan.count = elements[index].parsedValidCount }
                case 30 where parsed: if scan.variableCount == nil { scan.variableCount = elements[index].parsedValidCount }
                case 0: if scan.sscc == nil, case .sscc(let value)? = elements[index].typed { scan.sscc = value }
                case 1: if scan.gtin == nil, case .gtin(let value)? = elements[index].typed { scan.gtin = value }
                case 2: if scan.contentGTIN == nil, case .gtin(let value)? = elements[index].typed { scan.contentGTIN = value }
                case 10: if scan.batch == nil, case .text(let value)? = elements[index].typed { scan.batch = value }
                case 21: if scan.serial == nil, case .text(let value)? = elements[index].typed { scan.serial = value }
                case 17: if scan.expiry == nil, case .date(let date)? = elements[index].typed { scan.expiry = date }
                case 15: if scan.bestBefore == nil, case .date(let date)? = elements[index].typed { scan.bestBefore = date }
                case 37: if scan.count == nil, case .count(let count)? = elements[index].typed { scan.count = count }
                case 30: if scan.variableCount == nil, case .count(let count)? = elements[index].typed { scan.variableCount = count }
                default: break
                }
            }
        }
    }

    // MARK: EPC

    private func readEPC(_ hex: ArraySlice<UInt8>, into scan: inout DecodedScan) {
        scan.kind = .epc
        if scan.symbology == nil { scan.symbology = .epc }
        switch EPCDecoder.decode(hex: hex) {
        case .success(let identity):
            scan.gtin = identity.gtin
            scan.sscc = identity.sscc
            scan.serial = identity.serial
            scan.epc = identity
        case .failure(let error):
            scan.error = error
        }
    }
}
