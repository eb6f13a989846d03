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
    public func classify(_ payload: [UInt8], symbology deviceSymbology: Symbology? = nil, referenceDate: CalendarDate) -> DecodedScan {
        let (identifier, rest) = AIMIdentifier.split(payload)
        let symbology = identifier?.symbology ?? deviceSymbology
        let text = String(decoding: rest, as: UTF8.self)
        func scan(_ kind: ScanKind) -> DecodedScan {
            DecodedScan(input: payload, aimIdentifier: identifier, symbology: symbology, kind: kind, text: text)
        }

        if identifier == nil || identifier?.announcesGS1 == false {
            if text.hasPrefix(scheme.commandPrefix) {
                var result = scan(.command)
                result.command = Self.command(from: text.dropFirst(scheme.commandPrefix.count))
                return result
            }
            if text.hasPrefix(scheme.operatorPrefix), text.count > scheme.operatorPrefix.count {
                var result = scan(.operator)
                result.badge = String(text.dropFirst(scheme.operatorPrefix.count))
                return result
            }
        }

        let digits = Array(rest)
        let allDigits = !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        if allDigits, [8, 12, 13, 14].contains(digits.count), CheckDigit.isValidGS1(digits) {
            var result = scan(.gtin)
            result.gtin = String(repeating: "0", count: 14 - digits.count) + text
            return result
        }
        if allDigits, digits.count == 18, CheckDigit.isValidGS1(digits) {
            var result = scan(.sscc)
            result.sscc = text
            return result
        }
        return scan(.text)
    }

    /// `QTY-12` → (qty, 12); `MODE-PICK` → (mode, pick); `DONE` → (done, nil).
    static func command(from body: Substring) -> ScanCommand {
        let upper = body.uppercased()
        for withArgument in ["QTY-", "MODE-"] where upper.hasPrefix(withArgument) {
            let name = String(withArgument.dropLast()).lowercased()
            let argument = String(body.dropFirst(withArgument.count))
            return ScanCommand(name: name, argument: name == "mode" ? argument.lowercased() : argument)
        }
        return ScanCommand(name: body.lowercased())
    }
}
