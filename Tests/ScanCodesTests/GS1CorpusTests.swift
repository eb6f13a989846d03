import Foundation
import ScanCodes
import Testing

/// `gs1.jsonl`: 204 scans with expected values read back from biip 5.2.0.
@Suite("GS1 corpus (biip oracle)")
struct GS1CorpusTests {
    /// Cases the corpus README marks as don't-care (biip accepts what GS1 rejects).
    static let dontCare: Set<String> = ["gs1-0171", "gs1-0172", "gs1-0173"]

    /// biip places the decimal point wrongly when a variable-length amount has fewer digits
    /// than the AI's decimals: (3923)13 is 0.013 (three decimals), biip says 1.3.
    static let oracleDecimalBugs: Set<String> = ["gs1-0105/3923"]

    @Test("(3923)13 has three decimals: 0.013, where the oracle is wrong")
    func shortAmount() throws {
        let record = try #require(try Corpus.records("gs1").first { $0["id"] as? String == "gs1-0105" })
        let scan = ScanClassifier().classify(Corpus.bytes(hex: record["input_hex"] as? String ?? ""), referenceDate: Corpus.referenceDate)
        #expect(scan.elements.first { $0.ai == "3923" }?.decimal == Decimal(string: "0.013"))
    }

    /// Error codes an invalid case may get: the oracle's category, or a reasonable
    /// neighbour (biip parses greedily, so "too long" shows up as unknown_ai there).
    static func acceptable(_ category: String) -> Set<String> {
        switch category {
        case "unknown_ai", "ai_pattern_mismatch", "invalid_date":
            ["unknown_ai", "ai_pattern_mismatch", "missing_separator", "bad_character", "invalid_date"]
        default: [category]
        }
    }

    @Test("every record: valid/invalid, elements, typed values, HRI, promoted keys")
    func corpus() throws {
        let records = try Corpus.records("gs1")
        #expect(records.count == 204)
        let classifier = ScanClassifier()
        var checkedElements = 0
        for record in records {
            let id = record["id"] as? String ?? "?"
            let input = Corpus.bytes(hex: record["input_hex"] as? String ?? "")
            let scan = classifier.classify(input, referenceDate: Corpus.referenceDate)
            let invalid = record["invalid"] as? Bool ?? false
            let expected = record["expected"] as? [String: Any] ?? [:]

            if !Self.dontCare.contains(id) {
                #expect(scan.ok == !invalid, "\(id): ok=\(scan.ok) error=\(String(describing: scan.error))")
            }
            if invalid, let category = (record["error"] as? [String: Any])?["category"] as? String, let error = scan.error {
                #expect(Self.acceptable(category).contains(error.code.rawValue), "\(id): \(error.code) for \(category)")
            }

            if record["kind"] as? String == "plain_gtin" {
                #expect(scan.kind == .gtin, "\(id): kind \(scan.kind)")
                if !invalid, let gtin = expected["gtin"] as? [String: Any] {
                    #expect(scan.gtin == gtin["gtin14"] as? String, "\(id)")
                }
                continue
            }
            guard !Self.dontCare.contains(id) else { continue }
            #expect(scan.kind == .gs1 || scan.kind == .sscc, "\(id): kind \(scan.kind)")

            guard let elements = expected["elements"] as? [[String: Any]] else { continue }
            #expect(scan.elements.map(\.ai) == elements.compactMap { $0["ai"] as? String }, "\(id)")
            #expect(scan.elements.map(\.value) == elements.compactMap { $0["value"] as? String }, "\(id)")
            for (element, reference) in zip(scan.elements, elements) {
                checkedElements += 1
                #expect(element.title.uppercased() == (reference["data_title"] as? String)?.uppercased(), "\(id) AI \(element.ai) title")
                if let date = reference["date"] as? String {
                    #expect(element.date?.description == date, "\(id) AI \(element.ai) date")
                }
                if let datetime = reference["datetime"] as? String, case .dateTime(let day, let hour, let minute, _)? = element.typed {
                    let text = "\(day)T" + [hour, minute, 0].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
                    #expect(text == datetime, "\(id) AI \(element.ai) datetime")
                } else if reference["datetime"] != nil {
                    Issue.record("\(id) AI \(element.ai): no date-time decoded")
                }
                if let decimal = reference["decimal"] as? String, !Self.oracleDecimalBugs.contains("\(id)/\(element.ai)") {
                    #expect(element.decimal == Decimal(string: decimal), "\(id) AI \(element.ai) decimal \(String(describing: element.decimal)) vs \(decimal)")
                }
                if let currency = reference["currency_iso4217_numeric"] as? String {
                    #expect(element.currency == currency, "\(id) AI \(element.ai) currency")
                }
                for (flag, code) in [("gtin_check_ok", "gtin_check_digit"), ("sscc_check_ok", "sscc_check_digit"), ("gln_check_ok", "gln_check_digit")] {
                    if let ok = reference[flag] as? Bool {
                        #expect((element.typed != nil) == ok, "\(id) AI \(element.ai) \(flag)")
                        if !ok { #expect(scan.error?.code.rawValue == code, "\(id)") }
                    }
                }
            }
            if !invalid {
                if let hri = expected["hri"] as? String {
                    #expect(GS1Message(elements: scan.elements).humanReadable == hri, "\(id) HRI")
                }
                let gtin = (expected["gtin"] as? [String: Any])?["gtin14"] as? String
                #expect(scan.gtin == gtin, "\(id) promoted GTIN")
                let sscc = (expected["sscc"] as? [String: Any])?["value"] as? String
                #expect(scan.sscc == sscc, "\(id) promoted SSCC")
            }
        }
        #expect(checkedElements > 300)
    }

    /// The corpus's year-boundary cases were resolved by biip against 2026; the century
    /// rule moves with the reference year, so they are pinned and also checked elsewhere.
    @Test("year-boundary cases against 2026 and against other reference years", arguments: [
        ("gs1-0015", 2026, "1999-12-31"), ("gs1-0016", 2026, "2075-01-01"), ("gs1-0017", 2026, "2076-01-01"),
        ("gs1-0015", 2049, "2099-12-31"), ("gs1-0015", 2048, "1999-12-31"), ("gs1-0016", 2024, "1975-01-01"),
        ("gs1-0016", 2025, "2075-01-01"), ("gs1-0017", 2025, "1976-01-01"), ("gs1-0017", 2027, "2076-01-01"),
    ])
    func yearBoundary(id: String, year: Int, expected: String) throws {
        let record = try #require(try Corpus.records("gs1").first { $0["id"] as? String == id })
        let input = Corpus.bytes(hex: record["input_hex"] as? String ?? "")
        let scan = ScanClassifier().classify(input, referenceDate: CalendarDate(year: year, month: 6, day: 1))
        // The date is the last element of each of these records (AI 11 or 17).
        #expect(scan.elements.last?.date?.description == expected)
        if year == 2026 {
            let oracle = ((record["expected"] as? [String: Any])?["elements"] as? [[String: Any]])?.last?["date"] as? String
            #expect(oracle == expected)
        }
    }
}

/// `epc.jsonl`: 148 EPC bank contents with values from epcpy, epc-encoding-utils and pyepc.
@Suite("EPC corpus (epcpy / epc-encoding-utils / pyepc oracles)")
struct EPCCorpusTests {
    @Test("valid records decode to the oracles' URIs, keys and fields")
    func valid() throws {
        let records = try Corpus.records("epc").filter { !($0["invalid"] as? Bool ?? true) }
        #expect(records.count == 127)
        let classifier = ScanClassifier()
        for record in records {
            let id = record["id"] as? String ?? "?"
            let expected = try #require(record["expected"] as? [String: Any])
            let hex = Array((record["hex"] as? String ?? "").utf8)
            // Auto-detected (known header) and forced readings must agree.
            for reading in [ScanReading.auto, .epc] {
                let scan = classifier.classify(hex, referenceDate: Corpus.referenceDate, reading: reading)
                #expect(scan.kind == .epc, "\(id) \(reading)")
                guard let epc = scan.epc else {
                    Issue.record("\(id): \(String(describing: scan.error))")
                    continue
                }
                #expect(epc.scheme == expected["scheme"] as? String, "\(id)")
                #expect(epc.pureIdentityURI == expected["pure_identity_uri"] as? String, "\(id)")
                #expect(epc.tagURI == expected["tag_uri"] as? String, "\(id)")
                #expect(epc.filter == expected["filter"] as? Int, "\(id)")
                #expect(epc.partition == expected["partition"] as? Int, "\(id)")
                #expect(epc.companyPrefix == expected["company_prefix"] as? String, "\(id)")
                #expect(epc.elementString == expected["gs1_element_string"] as? String, "\(id)")
                if let gtin = expected["gtin14"] as? String {
                    #expect(epc.gtin == gtin && scan.gtin == gtin, "\(id)")
                    #expect(epc.serial == expected["serial"] as? String, "\(id)")
                }
                if let sscc = expected["sscc18"] as? String { #expect(epc.sscc == sscc && scan.sscc == sscc, "\(id)") }
                if let gln = expected["gln13"] as? String {
                    #expect(epc.gln == gln, "\(id)")
                    #expect(epc.glnExtension == expected["extension"] as? String, "\(id)")
                }
                if let grai = expected["grai"] as? String {
                    #expect(epc.grai == grai, "\(id)")
                    #expect(epc.serial == expected["serial"] as? String, "\(id)")
                }
                if let giai = expected["giai"] as? String { #expect(epc.giai == giai, "\(id)") }
            }
        }
    }

    @Test("invalid records are rejected with the matching error")
    func invalid() throws {
        let records = try Corpus.records("epc").filter { $0["invalid"] as? Bool ?? false }
        #expect(records.count == 21)
        // The oracles know no CPI or SGCN decoder, so they list these two headers as invalid
        // bodies; scanstation decodes both schemes (EPCSchemeTests checks these records:
        // epc-0142 is a valid CPI-96, epc-0144 an SGCN-96 with a corrupt serial).
        let decodedSchemes: Set<String> = ["epc-0142", "epc-0144"]
        let codes = [
            "wrong_length": "epc_wrong_length", "unknown_header": "epc_unknown_header", "non_hex": "not_hex",
            "bad_partition": "epc_bad_partition", "invalid_body_for_header": "epc_unknown_header",
        ]
        for record in records where !decodedSchemes.contains(record["id"] as? String ?? "") {
            let id = record["id"] as? String ?? "?"
            let hex = Array((record["hex"] as? String ?? "").utf8)
            let scan = ScanClassifier().classify(hex, referenceDate: Corpus.referenceDate, reading: .epc)
            #expect(scan.kind == .epc && scan.epc == nil, "\(id)")
            let category = record["error_category"] as? String ?? ""
            let allowed: Set<String> = hex.isEmpty ? ["epc_wrong_length", "epc_unknown_header"] : [codes[category] ?? "?"]
            #expect(allowed.contains(scan.error?.code.rawValue ?? "none"), "\(id): \(String(describing: scan.error)) for \(category)")
        }
    }

    @Test("policy: trailing zero words accepted, trailing data and odd prefixes rejected")
    func policy() {
        let classifier = ScanClassifier()
        let base = "3074257BF7194E4000001A85"
        let padded = classifier.classify(Array((base + "0000").utf8), referenceDate: Corpus.referenceDate)
        #expect(padded.epc?.pureIdentityURI == "urn:epc:id:sgtin:0614141.812345.6789")
        let trailing = classifier.classify(Array((base + "0001").utf8), referenceDate: Corpus.referenceDate, reading: .epc)
        #expect(trailing.error?.code == .epcWrongLength)
        let prefixed = classifier.classify(Array(("0x" + base).utf8), referenceDate: Corpus.referenceDate, reading: .epc)
        #expect(prefixed.error?.code == .notHex && prefixed.error?.offset == 1)
        let lower = classifier.classify(Array(base.lowercased().utf8), referenceDate: Corpus.referenceDate)
        #expect(lower.epc?.gtin == "80614141123458")
    }
}
