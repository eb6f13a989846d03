/// GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax 1.3): the primary key and
/// its qualifiers in the path, data attributes in the query.
public enum DigitalLink {
    /// Whether `bytes` start like an http(s) URI.
    public static func looksLikeURI(_ bytes: ArraySlice<UInt8>) -> Bool {
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        @inline(__always) func has(_ prefix: StaticString) -> Bool {
            guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
            var index = bytes.startIndex
            for offset in 0..<prefix.utf8CodeUnitCount {
                guard lower(bytes[index]) == prefix.utf8Start[offset] else { return false }
                index += 1
            }
            return true
        }
        return has("https://") || has("http://")
    }

    /// Parses a Digital Link URI. Nil when the URI has no GS1 primary key in its path
    /// (then it is an ordinary URL, not GS1 data).
    public static func parse(_ bytes: ArraySlice<UInt8>, referenceDate: CalendarDate, offsetOrigin: Int? = nil) -> GS1Message? {
        let origin = offsetOrigin ?? bytes.startIndex
        guard looksLikeURI(bytes) else { return nil }
        // Skip scheme and authority. The scans read the bytes in place: a URI is long and
        // each byte is looked at by several of them.
        let end = bytes.endIndex
        let schemeEnd = firstIndex(in: bytes, from: bytes.startIndex, to: end) { $0 == UInt8(ascii: ":") }
        guard schemeEnd < end else { return nil }
        let pathStart = firstIndex(in: bytes, from: min(schemeEnd + 3, end), to: end) {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }
        let pathEnd = firstIndex(in: bytes, from: pathStart, to: end) { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        var queryRange: Range<Int>?
        if pathEnd < end, bytes[pathEnd] == UInt8(ascii: "?") {
            queryRange = (pathEnd + 1)..<firstIndex(in: bytes, from: pathEnd + 1, to: end) { $0 == UInt8(ascii: "#") }
        }

        // Path segments with their offsets, in a stack buffer: a URI has a handful.
        /// Calls `body` with each non-empty segment of the path, in order.
        func forEachSegment(_ body: (Range<Int>) -> Void) {
            var segmentStart = pathStart
            while segmentStart <= pathEnd {
                let segmentEnd = firstIndex(in: bytes, from: segmentStart, to: pathEnd) { $0 == UInt8(ascii: "/") }
                if segmentEnd > segmentStart { body(segmentStart..<segmentEnd) }
                segmentStart = segmentEnd + 1
            }
        }
        var segmentCount = 0
        forEachSegment { _ in segmentCount += 1 }
        var message = GS1Message()
        message.elements.reserveCapacity(6)
        let found = withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: segmentCount) { segments -> Bool in
            var filled = 0
            forEachSegment { segment in
                segments.initializeElement(at: filled, to: segment)
                filled += 1
            }
            defer { segments.deinitialize() }
            return parsePath(bytes, segments: UnsafeBufferPointer(segments), origin: origin, referenceDate: referenceDate, into: &message)
        }
        guard found else { return nil }

        if let queryRange {
            var start = queryRange.lowerBound
            for index in queryRange.lowerBound...queryRange.upperBound where index == queryRange.upperBound || bytes[index] == UInt8(ascii: "&") {
                defer { start = index + 1 }
                guard index > start else { continue }
                let pair = bytes[start..<index]
                guard let equals = firstIndex(of: UInt8(ascii: "="), in: pair) else { continue }
                let key = bytes[start..<equals]
                // Only numeric keys are AIs; other parameters (linkType, ...) are not GS1 data.
                guard let code = AICode(key) else { continue }
                guard let definition = ApplicationIdentifierTable.definition(digits: code.digits, number: code.number) else {
                    let ai = String(decoding: key, as: UTF8.self)
                    message.fail(ScanCodeError(.unknownAI, "'\(ai)' in the Digital Link query is not a GS1 Application Identifier. Check the URI.", offset: start - origin))
                    continue
                }
                append(definition, rawValue: bytes[(equals + 1)..<index], offset: start - origin, valueOffset: equals + 1 - origin, referenceDate: referenceDate, to: &message)
            }
        }
        GS1Parser.checkMessageRules(&message)
        return message
    }

    /// The primary key and its qualifiers in the path; false when no segment pair starts a
    /// GS1 primary key (then the URI is not GS1 data).
    private static func parsePath(
        _ bytes: ArraySlice<UInt8>, segments: UnsafeBufferPointer<Range<Int>>, origin: Int,
        referenceDate: CalendarDate, into message: inout GS1Message
    ) -> Bool {
        // The primary key: the first AI segment after which the rest are (AI, value) pairs.
        var keyIndex: Int?
        for index in segments.indices where (segments.count - index) % 2 == 0 {
            guard let code = AICode(bytes[segments[index]]),
                  let definition = ApplicationIdentifierTable.definition(digits: code.digits, number: code.number),
                  case .primaryKey = definition.digitalLink
            else { continue }
            keyIndex = index
            break
        }
        guard let keyIndex else { return false }
        // The path's AIs as numbers, for the qualifier check.
        withUnsafeTemporaryAllocation(of: AICode.self, capacity: (segments.count - keyIndex) / 2) { pathAIs in
            var pathAICount = 0
            var pairIndex = keyIndex
            while pairIndex + 1 < segments.count {
                let aiRange = segments[pairIndex]
                let valueRange = segments[pairIndex + 1]
                pairIndex += 2
                guard let code = AICode(bytes[aiRange]),
                      let definition = ApplicationIdentifierTable.definition(digits: code.digits, number: code.number) else {
                    let ai = String(decoding: bytes[aiRange], as: UTF8.self)
                    message.fail(ScanCodeError(.unknownAI, "'\(ai)' in the Digital Link path is not a GS1 Application Identifier. Check the URI.", offset: aiRange.lowerBound - origin))
                    break
                }
                pathAIs.initializeElement(at: pathAICount, to: definition.code)
                pathAICount += 1
                append(definition, rawValue: bytes[valueRange], offset: aiRange.lowerBound - origin, valueOffset: valueRange.lowerBound - origin, referenceDate: referenceDate, to: &message)
            }
            let used = UnsafeMutableBufferPointer(rebasing: pathAIs[0..<pathAICount])
            checkQualifiers(UnsafeBufferPointer(used), offset: segments[keyIndex].lowerBound - origin, into: &message)
            used.deinitialize()
        }
        return true
    }

    /// The first index in `start..<limit` whose byte satisfies `stop`, or `limit`.
    @inline(__always)
    private static func firstIndex(in bytes: ArraySlice<UInt8>, from start: Int, to limit: Int, where stop: (UInt8) -> Bool) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start - bytes.startIndex
            let last = limit - bytes.startIndex
            while index < last, !stop(buffer[index]) { index += 1 }
            return index + bytes.startIndex
        }
    }

    private static func firstIndex(of byte: UInt8, in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private static func append(
        _ definition: ApplicationIdentifier, rawValue: ArraySlice<UInt8>, offset: Int, valueOffset: Int,
        referenceDate: CalendarDate, to message: inout GS1Message
    ) {
        // Most values carry no escape and no short GTIN: use the URI's bytes as they are.
        let isGTIN = definition.code == AICode(digits: 2, number: 1)
        let needsPadding = isGTIN && rawValue.count < 14
        if !needsPadding, !rawValue.contains(UInt8(ascii: "%")) {
            guard rawValue.count >= definition.minimumLength, rawValue.count <= definition.maximumLength else {
                message.elements.append(GS1Element(definition, invalidValue: rawValue, offset: offset))
                message.fail(GS1Parser.lengthError(definition, length: rawValue.count, offset: valueOffset))
                return
            }
            GS1Parser.appendElement(definition, value: rawValue, offset: offset, valueOffset: valueOffset, referenceDate: referenceDate, to: &message)
            return
        }
        guard var value = percentDecoded(rawValue) else {
            message.elements.append(GS1Element(definition, invalidValue: rawValue, offset: offset))
            message.fail(ScanCodeError(.badCharacter, "The value of AI (\(definition.ai)) in the Digital Link has a broken %-escape. Check the URI.", offset: valueOffset))
            return
        }
        // A GTIN in a Digital Link may be written with 8, 12 or 13 digits.
        if isGTIN, [8, 12, 13].contains(value.count), value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            value = [UInt8](repeating: UInt8(ascii: "0"), count: 14 - value.count) + value
        }
        let length = value.count
        guard length >= definition.minimumLength, length <= definition.maximumLength else {
            message.elements.append(GS1Element(definition, invalidValue: value[...], offset: offset))
            message.fail(GS1Parser.lengthError(definition, length: length, offset: valueOffset))
            return
        }
        if var error = GS1Parser.validate(definition, value: value[...], valueOffset: valueOffset, referenceDate: referenceDate) {
            // Offsets inside an unescaped or padded value do not map onto the URI: point at the value.
            if !value.elementsEqual(rawValue) { error.offset = valueOffset }
            message.elements.append(GS1Element(definition, invalidValue: value[...], offset: offset))
            message.fail(error)
        } else {
            message.elements.append(GS1Element(definition, validValue: value[...], offset: offset, referenceDate: referenceDate))
        }
    }

    /// The path AIs must be a primary key followed by its qualifiers in order.
    private static func checkQualifiers(_ ais: UnsafeBufferPointer<AICode>, offset: Int, into message: inout GS1Message) {
        guard let key = ais.first, ais.count > 1,
              let definition = ApplicationIdentifierTable.definition(digits: key.digits, number: key.number),
              case .primaryKey(let alternatives) = definition.digitalLink else { return }
        let qualifiers = ais[1...]
        let fits = definition.qualifierCodes.contains { sequence in
            var position = 0
            for qualifier in qualifiers {
                guard let found = sequence[position...].firstIndex(of: qualifier) else { return false }
                position = found + 1
            }
            return true
        }
        if !fits {
            let allowed = alternatives.map { $0.joined(separator: "/") }.joined(separator: " or ")
            let table = ApplicationIdentifierTable.self
            let written = qualifiers.map { table.definition(digits: $0.digits, number: $0.number)?.ai ?? "?" }
            message.fail(ScanCodeError(
                .digitalLinkInvalid,
                "In a Digital Link, AI (\(definition.ai)) may be followed in the path only by \(allowed.isEmpty ? "nothing" : allowed), in that order; this URI has \(written.joined(separator: "/")). Check the URI.",
                offset: offset))
        }
    }

    /// Decodes %XX escapes; nil when an escape is broken.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else { return nil }
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Escapes every byte that is not unreserved in RFC 3986.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        let digits = Array("0123456789ABCDEF")
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(UnicodeScalar(byte))
            default:
                result.append("%")
                result.append(digits[Int(byte >> 4)])
                result.append(digits[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
