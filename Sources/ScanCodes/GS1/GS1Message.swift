#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A parsed GS1 message: its elements in order, the first error, and warnings that do not
/// reject the scan.
public struct GS1Message: Sendable, Hashable {
    public var elements: [GS1Element]
    public var error: ScanCodeError?
    public var warnings: [ScanCodeError]

    public init(elements: [GS1Element] = [], error: ScanCodeError? = nil, warnings: [ScanCodeError] = []) {
        self.elements = elements
        self.error = error
        self.warnings = warnings
    }

    /// The first element with `ai`.
    public func element(_ ai: String) -> GS1Element? { elements.first { $0.ai == ai } }

    mutating func fail(_ error: ScanCodeError) {
        if self.error == nil { self.error = error }
    }
}

/// The group separator that stands for FNC1 between element strings.
let groupSeparator: UInt8 = 0x1D

/// Parses GS1 element strings (FNC1/GS form), human-readable `(AI)` form, and checks
/// values against the AI table.
public enum GS1Parser {
    // MARK: Element string

    /// Parses an element string: AIs and values, GS (0x1D) after variable-length fields,
    /// a leading GS (FNC1 in first position) tolerated, a fixed-length field followed
    /// directly by the next AI, the last field without a separator.
    /// - Parameter offsetOrigin: the index that counts as offset 0 in errors.
    public static func parseElementString(
        _ bytes: ArraySlice<UInt8>, referenceDate: CalendarDate, offsetOrigin: Int? = nil
    ) -> GS1Message {
        let origin = offsetOrigin ?? bytes.startIndex
        var message = GS1Message()
        message.elements.reserveCapacity(6)
        var position = bytes.startIndex
        let end = bytes.endIndex
        /// A variable-length value cut at its maximum length with more data following and no
        /// separator: where the cut is, what to say if what follows does not read, and
        /// whether the message had failed before.
        var cutWithoutSeparator: (at: Int, problem: ScanCodeError, failedBefore: Bool)?
        /// Once the element after a cut is read: if its structure failed (no AI there, too
        /// short, a wrong character or date), the likelier cause is the missing separator or
        /// a value too long, and that is the error; check-digit errors stand.
        func settleCut() {
            guard let cut = cutWithoutSeparator else { return }
            cutWithoutSeparator = nil
            guard !cut.failedBefore, let error = message.error, Self.structuralFailures.contains(error.code) else { return }
            message.error = cut.problem
            message.warnings.removeAll { $0 == cut.problem }
        }
        while position < end {
            if let cut = cutWithoutSeparator, position > cut.at { settleCut() }
            if bytes[position] == groupSeparator {
                position += 1
                continue
            }
            guard let definition = ApplicationIdentifierTable.definition(atStartOf: bytes[position...]) else {
                message.fail(unknownAI(bytes[position...], offset: position - origin))
                break
            }
            let aiLength = definition.code.digits
            let valueStart = position + aiLength
            var valueEnd: Int
            if definition.isFixedLength {
                valueEnd = valueStart + definition.maximumLength
                if valueEnd > end {
                    let value = bytes[min(valueStart, end)..<end]
                    message.elements.append(GS1Element(definition, invalidValue: value, offset: position - origin))
                    message.fail(ScanCodeError(
                        .aiPatternMismatch,
                        "AI (\(definition.ai)) \(definition.title) needs \(definition.maximumLength) characters but only \(value.count) follow. The label is cut short or misprinted.",
                        offset: end - origin))
                    break
                }
            } else {
                valueEnd = valueStart
                while valueEnd < end, bytes[valueEnd] != groupSeparator { valueEnd += 1 }
                if valueEnd - valueStart > definition.maximumLength {
                    // A value at its maximum length ends there, separator or not (as GS1
                    // parsers such as biip read it): when an element reads right after it,
                    // the label is readable, with a warning.
                    let cut = valueStart + definition.maximumLength
                    let problem = ScanCodeError(
                        .missingSeparator,
                        "AI (\(definition.ai)) \(definition.title) holds at most \(definition.maximumLength) characters, but \(valueEnd - valueStart) follow without a separator (GS/FNC1). The label lacks a separator or the value is too long.",
                        offset: cut - origin)
                    message.warnings.append(problem)
                    valueEnd = cut
                    appendElement(
                        definition, value: bytes[valueStart..<valueEnd], offset: position - origin,
                        valueOffset: valueStart - origin, referenceDate: referenceDate, to: &message)
                    cutWithoutSeparator = (cut, problem, message.error != nil)
                    position = valueEnd
                    continue
                }
            }
            appendElement(
                definition, value: bytes[valueStart..<valueEnd], offset: position - origin,
                valueOffset: valueStart - origin, referenceDate: referenceDate, to: &message)
            position = valueEnd
        }
        settleCut()
        if message.elements.isEmpty, message.error == nil {
            message.fail(ScanCodeError(.emptyMessage, "The GS1 symbol carries no data. Rescan the label; if it persists, the label is misprinted.", offset: 0))
        }
        checkMessageRules(&message)
        return message
    }

    /// Errors in the shape of an element, as opposed to its check digits or meaning.
    private static let structuralFailures: Set<ScanCodeError.Code> = [.unknownAI, .aiPatternMismatch, .badCharacter, .invalidDate]

    private static func unknownAI(_ rest: ArraySlice<UInt8>, offset: Int) -> ScanCodeError {
        let shown = String(decoding: rest.prefix(4), as: UTF8.self).filter { $0 != "\u{1D}" }
        return ScanCodeError(
            .unknownAI,
            "No GS1 Application Identifier starts with '\(shown)'. The label is not a valid GS1 element string, or a separator is missing before this point.",
            offset: offset)
    }

    // MARK: Human-readable form

    /// Parses the human-readable interpretation `(01)09506000134352(17)261231`.
    public static func parseHumanReadable(
        _ bytes: ArraySlice<UInt8>, referenceDate: CalendarDate, offsetOrigin: Int? = nil
    ) -> GS1Message {
        let origin = offsetOrigin ?? bytes.startIndex
        var message = GS1Message()
        var position = bytes.startIndex
        let end = bytes.endIndex
        /// The AI of a `(digits)` group starting at `index`, and where its value starts.
        func aiGroup(at index: Int) -> (ApplicationIdentifier?, String, Int)? {
            guard index < end, bytes[index] == UInt8(ascii: "(") else { return nil }
            var cursor = index + 1
            while cursor < end, cursor - index <= 5, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 { cursor += 1 }
            guard cursor < end, bytes[cursor] == UInt8(ascii: ")"), cursor - index - 1 >= 2 else { return nil }
            let ai = String(decoding: bytes[(index + 1)..<cursor], as: UTF8.self)
            return (ApplicationIdentifierTable.definition(ai), ai, cursor + 1)
        }
        while position < end {
            guard let (found, ai, valueStart) = aiGroup(at: position) else {
                message.fail(ScanCodeError(
                    .aiPatternMismatch,
                    "Expected '(' and an Application Identifier in the human-readable text. Check the label text.",
                    offset: position - origin))
                break
            }
            guard let definition = found else {
                message.fail(ScanCodeError(
                    .unknownAI,
                    "(\(ai)) is not a GS1 Application Identifier. Check the label text.",
                    offset: position - origin))
                break
            }
            var valueEnd = valueStart
            while valueEnd < end {
                if bytes[valueEnd] == UInt8(ascii: "("), let (next, _, _) = aiGroup(at: valueEnd), next != nil { break }
                valueEnd += 1
            }
            let length = valueEnd - valueStart
            if length > definition.maximumLength || length < definition.minimumLength || length == 0 {
                message.elements.append(GS1Element(definition, invalidValue: bytes[valueStart..<valueEnd], offset: position - origin))
                message.fail(lengthError(definition, length: length, offset: valueStart - origin))
                position = valueEnd
                continue
            }
            appendElement(
                definition, value: bytes[valueStart..<valueEnd], offset: position - origin,
                valueOffset: valueStart - origin, referenceDate: referenceDate, to: &message)
            position = valueEnd
        }
        if message.elements.isEmpty, message.error == nil {
            message.fail(ScanCodeError(.emptyMessage, "The text carries no GS1 element.", offset: 0))
        }
        checkMessageRules(&message)
        return message
    }

    static func lengthError(_ definition: ApplicationIdentifier, length: Int, offset: Int) -> ScanCodeError {
        let expected = definition.isFixedLength
            ? "exactly \(definition.maximumLength)"
            : "\(definition.minimumLength) to \(definition.maximumLength)"
        return ScanCodeError(
            .aiPatternMismatch,
            "AI (\(definition.ai)) \(definition.title) needs \(expected) characters, not \(length). Check the label.",
            offset: offset)
    }

    // MARK: Message rules

    /// Repeated AIs must agree (an error). Invalid pairs and missing required AIs are
    /// warnings: GS1 evaluates them over all carriers of an item, a scan sees one, and the
    /// data stays readable.
    static func checkMessageRules(_ message: inout GS1Message) {
        let count = message.elements.count
        guard count > 0 else { return }
        // Most messages break no rule: confirm that on bit masks, and only otherwise find
        // and word each finding pattern by pattern.
        let allMet = withUnsafeTemporaryAllocation(of: AICode.self, capacity: count) { codes in
            message.elements.withUnsafeBufferPointer { elements in
                for index in 0..<count { codes.initializeElement(at: index, to: elements[index].code) }
            }
            return ApplicationIdentifierTable.ruleMasks.allRulesMet(UnsafeBufferPointer(codes))
        }
        if allMet { return }
        // Each element's AI number and definition in a stack buffer, read once: the pair
        // loops below then touch no strings and no table.
        withUnsafeTemporaryAllocation(of: RuleEntry.self, capacity: count) { entries in
            message.elements.withUnsafeBufferPointer { elements in
                for index in 0..<count {
                    entries.initializeElement(
                        at: index, to: RuleEntry(code: elements[index].code, definition: elements[index].tableDefinition))
                }
            }
            checkMessageRules(&message, entries: UnsafeBufferPointer(entries))
            entries.deinitialize()
        }
    }

    /// One element as the message rules see it.
    private struct RuleEntry {
        let code: AICode
        let definition: ApplicationIdentifier?
    }

    private static func checkMessageRules(_ message: inout GS1Message, entries: UnsafeBufferPointer<RuleEntry>) {
        let count = entries.count
        for index in 0..<count {
            let here = entries[index].code
            let definition = entries[index].definition
            for earlier in 0..<index {
                let there = entries[earlier].code
                if there == here {
                    // Equal bytes are equal text; only differing bytes need the strings compared.
                    let elements = message.elements
                    if !elements[earlier].valueBytes.elementsEqual(elements[index].valueBytes),
                       elements[earlier].value != elements[index].value {
                        message.fail(ScanCodeError(
                            .repeatedAIConflict,
                            "AI (\(elements[index].ai)) \(elements[index].title) appears twice with different values ('\(elements[earlier].value)' and '\(elements[index].value)'). The label is inconsistent.",
                            offset: elements[index].offset))
                    }
                    continue
                }
                // Invalid pairs are reported once, at the later element; like missing
                // associations they are warnings: the data is readable, the label is at fault.
                if definition?.excludes(there) ?? false || entries[earlier].definition?.excludes(here) ?? false {
                    message.warnings.append(excludedPair(message.elements[earlier], message.elements[index]))
                }
            }
            guard let definition else { continue }
            var groupStart = 0
            for (groupIndex, groupEnd) in definition.requiredGroupEnds.enumerated() {
                defer { groupStart = groupEnd }
                var satisfied = false
                for other in 0..<count where !satisfied {
                    let present = entries[other].code
                    for patternIndex in groupStart..<groupEnd where definition.requiredPatterns[patternIndex].matches(present) {
                        satisfied = true
                        break
                    }
                }
                if !satisfied {
                    let group = definition.requires[groupIndex]
                    let element = message.elements[index]
                    message.warnings.append(ScanCodeError(
                        .missingRequiredAI,
                        "AI (\(element.ai)) \(element.title) should come with AI \(group.map { "(\($0))" }.joined(separator: " or ")); it is not in this barcode.",
                        offset: element.offset))
                }
            }
        }
    }

    private static func excludedPair(_ first: GS1Element, _ second: GS1Element) -> ScanCodeError {
        ScanCodeError(
            .excludedAIPair,
            "AI (\(first.ai)) \(first.title) and AI (\(second.ai)) \(second.title) must not appear together (GS1 invalid pair); the label should be corrected.",
            offset: second.offset)
    }

    // MARK: Values

    /// Checks `value` against `definition` and appends the element (typed when asked if
    /// valid); a broken rule becomes the message's error.
    static func appendElement(
        _ definition: ApplicationIdentifier, value: ArraySlice<UInt8>, offset: Int, valueOffset: Int,
        referenceDate: CalendarDate, to message: inout GS1Message
    ) {
        if let error = validate(definition, value: value, valueOffset: valueOffset, referenceDate: referenceDate) {
            message.elements.append(GS1Element(definition, invalidValue: value, offset: offset))
            message.fail(error)
        } else {
            message.elements.append(GS1Element(definition, validValue: value, offset: offset, referenceDate: referenceDate))
        }
    }

    /// Checks lengths, character sets and content rules; nil when the value is valid.
    public static func validate(
        _ definition: ApplicationIdentifier, value: ArraySlice<UInt8>, valueOffset: Int, referenceDate: CalendarDate
    ) -> ScanCodeError? {
        var position = value.startIndex
        let end = value.endIndex
        if value.isEmpty {
            return ScanCodeError(
                .aiPatternMismatch,
                "AI (\(definition.ai)) \(definition.title) has no data. The label is cut short or misprinted.",
                offset: valueOffset)
        }
        var checkDigitError: ScanCodeError?
        for component in definition.components {
            let remaining = end - position
            if component.optional && remaining == 0 { break }
            let length: Int
            if component.minimum == component.maximum {
                guard remaining >= component.maximum else {
                    return lengthError(definition, length: value.count, offset: valueOffset)
                }
                length = component.maximum
            } else {
                length = min(remaining, component.maximum)
                guard length >= component.minimum else {
                    return lengthError(definition, length: value.count, offset: valueOffset)
                }
            }
            let part = value[position..<(position + length)]
            let partOffset = valueOffset + (position - value.startIndex)
            if let bad = firstInvalidCharacter(part, component.characters) {
                let byte = value[bad]
                let where_ = valueOffset + (bad - value.startIndex)
                if component.characters == .numeric {
                    return ScanCodeError(
                        .aiPatternMismatch,
                        "AI (\(definition.ai)) \(definition.title) must be digits; '\(printable(byte))' at offset \(where_) is not. Check the label.",
                        offset: where_)
                }
                return ScanCodeError(
                    .badCharacter,
                    "AI (\(definition.ai)) \(definition.title) contains '\(printable(byte))' at offset \(where_), which GS1 does not allow in this field. Check the label or the scanner's keyboard layout.",
                    offset: where_)
            }
            if let rule = component.rule {
                switch check(rule, part, definition: definition, offset: partOffset, referenceDate: referenceDate) {
                case .none: break
                case .some(let error) where rule == .checkDigit || rule == .checkCharacterPair:
                    // A check-digit error keeps the element: report it after the format checks.
                    if checkDigitError == nil { checkDigitError = error }
                case .some(let error): return error
                }
            }
            position += length
        }
        if position < end {
            return lengthError(definition, length: value.count, offset: valueOffset)
        }
        return checkDigitError
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    static func firstInvalidCharacter(_ part: ArraySlice<UInt8>, _ characters: ApplicationIdentifier.CharacterSet) -> Int? {
        // One loop per character set over the bytes in place: the set is chosen once, not
        // again for every byte.
        let offset = part.withUnsafeBufferPointer { bytes -> Int? in
            switch characters {
            case .numeric:
                return bytes.firstIndex { !($0 >= 0x30 && $0 <= 0x39) }
            case .cset82:
                return bytes.firstIndex { !isCSET82($0) }
            case .cset39:
                return bytes.firstIndex { byte in
                    !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                        || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/"))
                }
            case .cset64:
                return bytes.firstIndex { byte in
                    !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "="))
                }
            }
        }
        return offset.map { part.startIndex + $0 }
    }

    /// GS1 AI encodable character set 82: `!"%&'()*+,-./0-9:;<=>?A-Z_a-z`.
    @inline(__always)
    static func isCSET82(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x22, 0x25...0x3F, 0x41...0x5A, 0x5F, 0x61...0x7A: true
        default: false
        }
    }

    static func digits(_ part: ArraySlice<UInt8>, _ from: Int, _ count: Int) -> Int {
        var result = 0
        for index in 0..<count { result = result * 10 + Int(part[part.startIndex + from + index] &- 0x30) }
        return result
    }

    private static func check(_ rule: ApplicationIdentifier.Rule, _ part: ArraySlice<UInt8>, definition: ApplicationIdentifier, offset: Int, referenceDate: CalendarDate) -> ScanCodeError? {
        func mismatch(_ why: String) -> ScanCodeError {
            ScanCodeError(.aiPatternMismatch, "AI (\(definition.ai)) \(definition.title): \(why). Check the label.", offset: offset)
        }
        switch rule {
        case .checkDigit:
            guard !CheckDigit.isValidGS1(part) else { return nil }
            let expected = CheckDigit.gs1Mod10(for: part.dropLast()).map(String.init) ?? "?"
            let code: ScanCodeError.Code
            let name: String
            switch definition.meaning {
            case .gtin, .pieceOfTotal: code = .gtinCheckDigit; name = "GTIN"
            case .sscc: code = .ssccCheckDigit; name = "SSCC"
            case .gln: code = .glnCheckDigit; name = "GLN"
            case .key(let kind): code = .keyCheckDigit; name = kind
            default: code = .keyCheckDigit; name = "key"
            }
            return ScanCodeError(
                code,
                "The \(name) \(String(decoding: part, as: UTF8.self)) in AI (\(definition.ai)) has check digit \(UnicodeScalar(part[part.endIndex - 1])) but should have \(expected): the number is misread or misprinted. Rescan, or key it in from the label.",
                offset: offset + part.count - 1)
        case .dateDay00, .date, .dateHour:
            let month = digits(part, 2, 2)
            let day = digits(part, 4, 2)
            guard (1...12).contains(month) else { return mismatch("month \(month) is not 01-12") }
            guard day <= 31, rule == .dateDay00 || day >= 1 else { return mismatch("day \(day) is not a valid day of month") }
            guard date(part, referenceDate: referenceDate) != nil, rule != .dateHour || digits(part, 6, 2) <= 23 else {
                return ScanCodeError(
                    .invalidDate,
                    "AI (\(definition.ai)) \(definition.title): \(String(decoding: part, as: UTF8.self)) is not a real date. Check the label.",
                    offset: offset)
            }
            return nil
        case .minuteOptionalSecond:
            guard part.count == 2 || part.count == 4 else { return mismatch("minutes (MM) or minutes and seconds (MMSS) expected") }
            guard digits(part, 0, 2) <= 59, part.count == 2 || digits(part, 2, 2) <= 59 else {
                return ScanCodeError(.invalidDate, "AI (\(definition.ai)) \(definition.title): \(String(decoding: part, as: UTF8.self)) is not a valid time. Check the label.", offset: offset)
            }
            return nil
        case .hourMinute:
            let hour = digits(part, 0, 2)
            let minute = digits(part, 2, 2)
            guard hour <= 23, minute <= 59 else {
                return ScanCodeError(
                    .invalidDate,
                    "AI (\(definition.ai)) \(definition.title): \(String(decoding: part, as: UTF8.self)) is not a time of day (HHMM). Check the label.",
                    offset: offset)
            }
            return nil
        case .pieceOfTotal:
            let piece = digits(part, 0, 2)
            let total = digits(part, 2, 2)
            guard piece >= 1, total >= 1, piece <= total else { return mismatch("piece \(piece) of \(total) is not possible") }
            return nil
        case .yesNo:
            return part.first == UInt8(ascii: "0") || part.first == UInt8(ascii: "1") ? nil : mismatch("must be 0 or 1")
        case .nonZero:
            return part.contains(where: { $0 != UInt8(ascii: "0") }) ? nil : mismatch("must not be zero")
        case .winding:
            return [UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "9")].contains(part.first ?? 0) ? nil : mismatch("winding direction must be 0, 1 or 9")
        case .zero:
            return part.first == UInt8(ascii: "0") ? nil : mismatch("must start with 0")
        case .minusSign:
            return part.first == UInt8(ascii: "-") ? nil : mismatch("only '-' may follow the temperature")
        case .countryAlpha2:
            return part.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) ? nil : mismatch("country must be two capital letters")
        case .noZeroPrefix:
            return part.count > 1 && part.first == UInt8(ascii: "0") ? mismatch("must not start with 0") : nil
        case .latitude:
            return digits(part, 0, part.count) <= 1_800_000_000 ? nil : mismatch("latitude out of range")
        case .longitude:
            return digits(part, 0, part.count) <= 3_600_000_000 ? nil : mismatch("longitude out of range")
        case .countryList:
            guard part.count % 3 == 0 else { return mismatch("country codes come in groups of three digits") }
            for start in stride(from: 0, to: part.count, by: 3) where !ISOCodeLists.isCountry(digits(part, start, 3)) {
                return unknownCountry(part, from: start, offset: offset, mismatch)
            }
            return nil
        case .country:
            return ISOCodeLists.isCountry(digits(part, 0, 3)) ? nil : unknownCountry(part, from: 0, offset: offset, mismatch)
        case .countryOrUnknown:
            let code = digits(part, 0, 3)
            return code == 999 || ISOCodeLists.isCountry(code) ? nil : unknownCountry(part, from: 0, offset: offset, mismatch)
        case .currency:
            guard ISOCodeLists.isCurrency(digits(part, 0, 3)) else {
                return mismatch("'\(String(decoding: part.prefix(3), as: UTF8.self))' is not an ISO 4217 currency code (e.g. 978 for euro, 840 for US dollar)")
            }
            return nil
        case .checkCharacterPair:
            guard part.count >= 3 else {
                return mismatch("a GMN needs at least one character and its two check characters")
            }
            guard !CheckCharacterPair.isValid(part) else { return nil }
            let expected = CheckCharacterPair.pair(for: part.dropLast(2)).map { String(decoding: [$0.first, $0.second], as: UTF8.self) } ?? "?"
            return ScanCodeError(
                .keyCheckDigit,
                "The GMN \(String(decoding: part, as: UTF8.self)) in AI (\(definition.ai)) ends in check characters '\(String(decoding: part.suffix(2), as: UTF8.self))' but should end in '\(expected)': the number is misread or misprinted. Rescan, or key it in from the label.",
                offset: offset + part.count - 2)
        case .positionInSequence:
            let bytes = Array(part)
            guard bytes.count == 3, bytes[1] == UInt8(ascii: "/"),
                  let position = Self.digitValue(bytes[0]), let total = Self.digitValue(bytes[2]) else {
                return mismatch("must be a position and a total as 'p/n', e.g. 1/2")
            }
            guard position >= 1, position <= total else { return mismatch("position \(position) of \(total) is not possible") }
            return nil
        case .biologicalSex:
            return [UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "9")].contains(part.first ?? 0)
                ? nil : mismatch("sex code must be 0 (not known), 1 (male), 2 (female) or 9 (not applicable)")
        case .fullDate, .fullDateHourMinute:
            guard fullDate(part) != nil,
                  rule == .fullDate || (digits(part, 8, 2) <= 23 && digits(part, 10, 2) <= 59) else {
                return ScanCodeError(
                    .invalidDate,
                    "AI (\(definition.ai)) \(definition.title): \(String(decoding: part, as: UTF8.self)) is not a real date\(rule == .fullDate ? "" : " and time"). Check the label.",
                    offset: offset)
            }
            return nil
        }
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    /// The error for a three-digit group at `start` that is no ISO 3166-1 country.
    private static func unknownCountry(
        _ part: ArraySlice<UInt8>, from start: Int, offset: Int, _ mismatch: (String) -> ScanCodeError
    ) -> ScanCodeError {
        let begin = part.startIndex + start
        var error = mismatch("'\(String(decoding: part[begin..<(begin + 3)], as: UTF8.self))' is not an ISO 3166-1 country code (e.g. 276 for Germany, 840 for the USA)")
        error.offset = offset + start
        return error
    }

    // MARK: Dates

    /// YYYYMMDD at the start of `part`; nil when not a real date (no day 00 here).
    static func fullDate(_ part: ArraySlice<UInt8>) -> CalendarDate? {
        guard part.count >= 8 else { return nil }
        let year = digits(part, 0, 4)
        let month = digits(part, 4, 2)
        let day = digits(part, 6, 2)
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// The GS1 century rule (General Specifications 7.12): a two-digit year is taken from
    /// the 100 years that run from 49 years before to 50 years after the reference year.
    public static func resolveYear(_ twoDigitYear: Int, reference: Int) -> Int {
        let referenceYY = ((reference % 100) + 100) % 100
        let century = reference - referenceYY
        let difference = twoDigitYear - referenceYY
        if difference >= 51 { return century - 100 + twoDigitYear }
        if difference <= -50 { return century + 100 + twoDigitYear }
        return century + twoDigitYear
    }

    /// YYMMDD at `from` in `part`; day 00 means the last day of the month. Nil when not a date.
    static func date(_ part: ArraySlice<UInt8>, from: Int = 0, referenceDate: CalendarDate) -> CalendarDate? {
        let year = resolveYear(digits(part, from, 2), reference: referenceDate.year)
        let month = digits(part, from + 2, 2)
        var day = digits(part, from + 4, 2)
        guard (1...12).contains(month) else { return nil }
        let last = CalendarDate.daysIn(month: month, year: year)
        if day == 0 { day = last }
        guard day <= last else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    // MARK: Typing

    static func decimal(_ part: ArraySlice<UInt8>, decimals: Int, negative: Bool = false) -> Decimal {
        var significand: UInt64 = 0
        for byte in part { significand = significand &* 10 &+ UInt64(byte &- 0x30) }
        return Decimal(sign: negative ? .minus : .plus, exponent: -decimals, significand: Decimal(significand))
    }

    static func typedValue(_ definition: ApplicationIdentifier, value: ArraySlice<UInt8>, referenceDate: CalendarDate) -> GS1Value? {
        let lastDigit = definition.lastDigit
        var text: String { String(decoding: value, as: UTF8.self) }
        switch definition.meaning {
        case .text: return .text(text)
        case .gtin: return .gtin(text)
        case .sscc: return .sscc(text)
        case .gln: return .gln(text)
        case .key(let kind): return .key(kind: kind, value: text)
        case .date:
            return date(value, referenceDate: referenceDate).map { .date($0) }
        case .dateTime:
            guard let day = date(value, referenceDate: referenceDate) else { return nil }
            return .dateTime(day, hour: digits(value, 6, 2), minute: digits(value, 8, 2), second: nil)
        case .fullDate:
            return fullDate(value).map { .date($0) }
        case .fullDateTime:
            guard value.count >= 12, let day = fullDate(value) else { return nil }
            return .dateTime(day, hour: digits(value, 8, 2), minute: digits(value, 10, 2), second: nil)
        case .dateOptionalTime:
            guard let day = date(value, referenceDate: referenceDate) else { return nil }
            if value.count >= 10 {
                return .dateTime(day, hour: digits(value, 6, 2), minute: digits(value, 8, 2), second: nil)
            }
            return .date(day)
        case .dateRange:
            guard let start = date(value, referenceDate: referenceDate) else { return nil }
            if value.count >= 12 {
                guard let end = date(value, from: 6, referenceDate: referenceDate) else { return nil }
                return .dateRange(start, end: end)
            }
            return .dateRange(start, end: nil)
        case .productionTime:
            guard value.count == 8 || value.count == 10 || value.count == 12 else { return nil }
            guard let day = date(value, referenceDate: referenceDate) else { return nil }
            let hour = digits(value, 6, 2)
            let minute = value.count >= 10 ? digits(value, 8, 2) : 0
            let second = value.count == 12 ? digits(value, 10, 2) : nil
            guard hour <= 23, minute <= 59, (second ?? 0) <= 59 else { return nil }
            return .dateTime(day, hour: hour, minute: minute, second: second)
        case .measure(let unit):
            return .measure(decimal(value, decimals: lastDigit), unit: unit)
        case .amount:
            return .amount(decimal(value, decimals: lastDigit), currency: nil)
        case .amountWithCurrency:
            let currency = String(decoding: value.prefix(3), as: UTF8.self)
            return .amount(decimal(value.dropFirst(3), decimals: lastDigit), currency: currency)
        case .percentage:
            return .percentage(decimal(value, decimals: lastDigit))
        case .count:
            return .count(digits(value, 0, value.count))
        case .country:
            return .country(text)
        case .pieceOfTotal:
            return .pieceOfTotal(gtin: String(text.prefix(14)), piece: digits(value, 14, 2), total: digits(value, 16, 2))
        case .temperature(let unit):
            let negative = value.count == 7
            return .temperature(decimal(value.prefix(6), decimals: 2, negative: negative), unit: unit)
        }
    }
}
