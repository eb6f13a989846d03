import Foundation
import PropertyBased
import ScanCodes
import Testing

/// Builds valid GS1 elements from random numbers, following each AI's format and rules.
struct ElementFactory {
    var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    /// SplitMix64: deterministic for a seed, so the property library can shrink seeds.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(max(bound, 1)))
    }

    static let cset82 = Array("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
    static let cset39 = Array("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    static let cset64 = Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)

    mutating func digits(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(0x30 + next(10)) } }

    mutating func twoDigits(_ range: ClosedRange<Int>) -> [UInt8] {
        let value = range.lowerBound + next(range.count)
        return [UInt8(0x30 + value / 10), UInt8(0x30 + value % 10)]
    }

    mutating func component(_ component: ApplicationIdentifier.Component, length: Int, allowParenthesis: Bool) -> [UInt8] {
        switch component.rule {
        case .checkDigit?:
            let body = digits(length - 1)
            return body + [UInt8(0x30) + (CheckDigit.gs1Mod10(for: body) ?? 0)]
        case .dateDay00?, .date?, .dateHour?:
            // Days 01-28 (and 00 where allowed) are real in every month and year.
            let day = component.rule == .dateDay00 && next(4) == 0 ? [UInt8(0x30), 0x30] : twoDigits(1...28)
            let hour = component.rule == .dateHour ? twoDigits(0...23) : []
            return digits(2) + twoDigits(1...12) + day + hour
        case .hourMinute?: return twoDigits(0...23) + twoDigits(0...59)
        case .minuteOptionalSecond?: return next(2) == 0 ? twoDigits(0...59) : twoDigits(0...59) + twoDigits(0...59)
        case .pieceOfTotal?:
            let total = 1 + next(99)
            let piece = 1 + next(total)
            return [UInt8(0x30 + piece / 10), UInt8(0x30 + piece % 10), UInt8(0x30 + total / 10), UInt8(0x30 + total % 10)]
        case .yesNo?: return [UInt8(0x30 + next(2))]
        case .nonZero?: return digits(length - 1) + [UInt8(0x31 + next(9))]
        case .winding?: return [[UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "9")][next(3)]]
        case .zero?: return [UInt8(ascii: "0")]
        case .minusSign?: return [UInt8(ascii: "-")]
        case .countryAlpha2?: return (0..<2).map { _ in UInt8(0x41 + next(26)) }
        case .noZeroPrefix?: return [UInt8(0x31 + next(9))] + digits(length - 1)
        case .latitude?: return [UInt8(ascii: "0")] + digits(9)
        case .longitude?: return [UInt8(ascii: "0")] + digits(9)
        case .countryList?: return (0..<max(1, length / 3)).flatMap { _ in code(from: ISOCodeLists.countryCodes) }
        case .country?, .countryOrUnknown?: return code(from: ISOCodeLists.countryCodes)
        case .currency?: return code(from: ISOCodeLists.currencyCodes)
        case .checkCharacterPair?:
            let alphabet = allowParenthesis ? Self.cset82 : Self.cset82.filter { $0 != UInt8(ascii: "(") }
            let body = [UInt8(0x31 + next(9))] + (0..<max(0, length - 3)).map { _ in alphabet[next(alphabet.count)] }
            let pair = CheckCharacterPair.pair(for: body).map { [$0.first, $0.second] } ?? []
            return body + pair
        case .biologicalSex?: return [[UInt8(ascii: "0"), UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "9")][next(4)]]
        case .fullDate?: return [UInt8(ascii: "2"), UInt8(ascii: "0")] + digits(2) + twoDigits(1...12) + twoDigits(1...28)
        case .fullDateHourMinute?:
            return [UInt8(ascii: "2"), UInt8(ascii: "0")] + digits(2) + twoDigits(1...12) + twoDigits(1...28) + twoDigits(0...23) + twoDigits(0...59)
        case .positionInSequence?:
            let total = 1 + next(9)
            return [UInt8(0x30 + 1 + next(total)), UInt8(ascii: "/"), UInt8(0x30 + total)]
        case nil:
            switch component.characters {
            case .numeric: return digits(length)
            case .cset82:
                let alphabet = allowParenthesis ? Self.cset82 : Self.cset82.filter { $0 != UInt8(ascii: "(") }
                return (0..<length).map { _ in alphabet[next(alphabet.count)] }
            case .cset39: return (0..<length).map { _ in Self.cset39[next(Self.cset39.count)] }
            case .cset64: return (0..<length).map { _ in Self.cset64[next(Self.cset64.count)] }
            }
        }
    }

    /// A code of an ISO list (country, currency) as its three digits.
    mutating func code(from list: [Int]) -> [UInt8] {
        let code = list[next(list.count)]
        return [UInt8(0x30 + code / 100), UInt8(0x30 + code / 10 % 10), UInt8(0x30 + code % 10)]
    }

    mutating func value(for definition: ApplicationIdentifier, allowParenthesis: Bool) -> String {
        var bytes: [UInt8] = []
        for (index, component) in definition.components.enumerated() {
            if component.optional, next(2) == 0 { break }
            let length = component.minimum == component.maximum
                ? component.maximum
                : component.minimum + next(component.maximum - component.minimum + 1)
            bytes += self.component(component, length: length, allowParenthesis: allowParenthesis)
            // 8008's optional part is MM or MMSS, handled by its rule; stop after optional parts.
            if component.optional, index < definition.components.count - 1 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A message of distinct AIs. With `primaryKey`, the first element is a GTIN (01) so
    /// that the message has a Digital Link.
    mutating func message(count: Int, primaryKey: Bool, allowParenthesis: Bool = true) -> [GS1Element] {
        var elements: [GS1Element] = []
        var used = Set<String>()
        if primaryKey, let gtin = ApplicationIdentifierTable.definition("01") {
            elements.append(GS1Element(ai: "01", value: value(for: gtin, allowParenthesis: false), title: gtin.title))
            used.insert("01")
        }
        let table = ApplicationIdentifierTable.all
        while elements.count < count {
            let definition = table[next(table.count)]
            guard !used.contains(definition.ai) else { continue }
            used.insert(definition.ai)
            elements.append(GS1Element(ai: definition.ai, value: value(for: definition, allowParenthesis: allowParenthesis), title: definition.title))
        }
        return elements
    }
}

private let today = CalendarDate(year: 2026, month: 11, day: 24)

private func pairs(_ elements: [GS1Element]) -> [String] {
    elements.map { "\($0.ai)=\($0.value)" }
}

@Suite("Property tests: random valid GS1 messages round-trip")
struct PropertyTests {
    @Test("element string → parse → the same elements, each typed")
    func elementString() async {
        await propertyCheck(count: 400, input: Gen.uint64(), Gen.int(in: 1...8)) { seed, count in
            var factory = ElementFactory(seed: seed)
            let elements = factory.message(count: count, primaryKey: false)
            let bytes = GS1Message(elements: elements).elementString()
            let scan = ScanClassifier().classify(Array("]C1".utf8) + bytes, referenceDate: today)
            #expect(scan.ok, "\(pairs(elements)): \(String(describing: scan.error))")
            #expect(pairs(scan.elements) == pairs(elements))
            #expect(scan.elements.allSatisfy { $0.typed != nil })
            // Without a leading GS the same; with FNC1 (GS) in first position too.
            let withFNC1 = GS1Parser.parseElementString(([0x1D] + bytes)[...], referenceDate: today)
            #expect(pairs(withFNC1.elements) == pairs(elements))
        }
    }

    @Test("human-readable form → parse → the same elements")
    func humanReadable() async {
        await propertyCheck(count: 400, input: Gen.uint64(), Gen.int(in: 1...8)) { seed, count in
            var factory = ElementFactory(seed: seed)
            // '(' inside data would be ambiguous in the human-readable form.
            let elements = factory.message(count: count, primaryKey: false, allowParenthesis: false)
            let text = GS1Message(elements: elements).humanReadable
            let scan = ScanClassifier().classify(Array(text.utf8), referenceDate: today)
            #expect(scan.ok && scan.kind != .text, "\(text): \(String(describing: scan.error))")
            #expect(pairs(scan.elements) == pairs(elements))
        }
    }

    @Test("Digital Link → parse → the same elements (path first, then query)")
    func digitalLink() async {
        await propertyCheck(count: 400, input: Gen.uint64(), Gen.int(in: 1...8)) { seed, count in
            var factory = ElementFactory(seed: seed)
            let elements = factory.message(count: count, primaryKey: true)
            guard let uri = GS1Message(elements: elements).digitalLink(domain: "https://example.com/dl") else {
                Issue.record("no Digital Link for \(pairs(elements))")
                return
            }
            let scan = ScanClassifier().classify(Array(uri.utf8), referenceDate: today)
            #expect(scan.ok && scan.kind == .gs1, "\(uri): \(String(describing: scan.error))")
            #expect(pairs(scan.elements).sorted() == pairs(elements).sorted(), "\(uri)")
            #expect(scan.gtin == elements[0].value)
        }
    }

    @Test("GTIN-8/12/13/14 with a computed check digit classify as that GTIN-14")
    func gtins() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int(in: 0...3).map { [8, 12, 13, 14][$0] }) { seed, length in
            var factory = ElementFactory(seed: seed)
            var body = factory.digits(length - 1)
            if length == 12 || length == 13 { body[0] = UInt8(ascii: "1") } // not an unmarked 00/01/02 message
            let digits = body + [UInt8(0x30) + (CheckDigit.gs1Mod10(for: body) ?? 0)]
            let scan = ScanClassifier().classify(digits, referenceDate: today)
            #expect(scan.kind == .gtin && scan.gtin == String(repeating: "0", count: 14 - length) + String(decoding: digits, as: UTF8.self))
            // Any single changed digit is caught by the check digit.
            var wrong = digits
            let position = factory.next(length)
            wrong[position] = UInt8(0x30 + (Int(wrong[position] - 0x30) + 1 + factory.next(9)) % 10)
            #expect(!ScanClassifier().classify(wrong, referenceDate: today).ok)
        }
    }

    @Test("SGTIN-96 encoded from random fields decodes back (TDS 14.5.1)")
    func sgtin96() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int(in: 0...6), Gen.int(in: 0...7)) { seed, partition, filter in
            var factory = ElementFactory(seed: seed)
            let prefixDigits = 12 - partition
            let prefixBits = [40, 37, 34, 30, 27, 24, 20][partition]
            let prefix = String(decoding: factory.digits(prefixDigits), as: UTF8.self)
            let item = String(decoding: factory.digits(13 - prefixDigits), as: UTF8.self)
            let serial = UInt64(factory.next(1 << 30)) << 8 | UInt64(factory.next(256))
            var bits: [Bool] = []
            func put(_ value: UInt64, _ count: Int) {
                for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> UInt64(shift)) & 1 == 1) }
            }
            put(0x30, 8)
            put(UInt64(filter), 3)
            put(UInt64(partition), 3)
            put(UInt64(prefix) ?? 0, prefixBits)
            put(UInt64(item) ?? 0, 44 - prefixBits)
            put(serial, 38)
            var hex = ""
            for nibble in stride(from: 0, to: 96, by: 4) {
                let value = (0..<4).reduce(0) { $0 << 1 | (bits[nibble + $1] ? 1 : 0) }
                hex += String(value, radix: 16, uppercase: true)
            }
            let scan = ScanClassifier().classify(Array(hex.utf8), referenceDate: today)
            #expect(scan.epc?.tagURI == "urn:epc:tag:sgtin-96:\(filter).\(prefix).\(item).\(serial)", "\(hex)")
            let gtin13 = String(item.prefix(1)) + prefix + item.dropFirst()
            #expect(scan.gtin == gtin13 + String(CheckDigit.gs1Mod10(for: Array(gtin13.utf8)) ?? 0))
        }
    }
}

/// Nothing in ScanCodes may trap: random bytes, and valid payloads cut and mutated.
@Suite("Never trap on any input")
struct NeverTrapTests {
    static let seeds: [String] = [
        "]C1001061414112345678970209506000134352\u{1D}3748\u{1D}10LOT7\u{1D}15270131",
        "]d2010950600013435217261231104711\u{1D}21XYZ",
        "https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426&3103=000500",
        "(01)09506000134352(17)261231(3932)978123456",
        "3074257BF7194E4000001A85", "362852D727FB791CCD6731FC17E898FA5955C800000000000000",
        "5901234123457", "CMD-QTY-12", "OP-7", "]E04006381333931", "]C1800609506000134352010243310012",
    ]

    static func check(_ payload: [UInt8]) {
        let classifier = ScanClassifier()
        for reading in ScanReading.allCases {
            let scan = classifier.classify(payload, referenceDate: today, reading: reading)
            #expect(scan.input == payload)
            let (_, rest) = AIMIdentifier.split(payload)
            if let error = scan.error {
                #expect(error.offset >= 0 && error.offset <= max(rest.count, 1), "\(payload) \(reading): \(error)")
                #expect(!error.message.isEmpty)
            }
            _ = scan.jsonLine
        }
        _ = GS1Parser.parseHumanReadable(payload[...], referenceDate: today)
        _ = DigitalLink.parse(payload[...], referenceDate: today)
    }

    @Test("random bytes")
    func randomBytes() async {
        await propertyCheck(count: 2000, input: Gen.uint8().array(of: 0...80)) { bytes in
            Self.check(bytes)
        }
    }

    @Test("random bytes after GS1 AIM identifiers and URI prefixes")
    func prefixed() async {
        let prefixes = ["]C1", "]d2", "]Q3", "]e0", "]E0", "(01)", "(", "https://x/01/", "https://x/00/1?", "30", "36", "38"]
        let alphabet = Array("0123456789()/?&=%\u{1D}AZaz#-".utf8)
        await propertyCheck(count: 2000, input: Gen.int(in: 0...(prefixes.count - 1)).map { prefixes[$0] }, Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.array(of: 0...60)) { prefix, body in
            Self.check(Array(prefix.utf8) + body)
        }
    }

    @Test("valid payloads, cut and mutated")
    func mutated() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 0...(Self.seeds.count - 1)).map { Self.seeds[$0] }, Gen.uint64()) { seed, random in
            var factory = ElementFactory(seed: random)
            var bytes = Array(seed.utf8)
            for _ in 0..<(1 + factory.next(4)) {
                guard !bytes.isEmpty else { break }
                let index = factory.next(bytes.count)
                switch factory.next(4) {
                case 0: bytes[index] = UInt8(factory.next(256))
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(UInt8(factory.next(256)), at: index)
                default: bytes = Array(bytes.prefix(index))
                }
            }
            Self.check(bytes)
        }
    }
}
