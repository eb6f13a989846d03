import Foundation
import ScanCodes
import Testing

private let today = CalendarDate(year: 2026, month: 11, day: 24)

private func classify(_ text: String, reading: ScanReading = .auto, scheme: LabelScheme = .standard) -> DecodedScan {
    ScanClassifier(scheme: scheme).classify(Array(text.utf8), referenceDate: today, reading: reading)
}

/// Examples from the GS1 General Specifications, the GS1 Digital Link standard and the
/// EPC Tag Data Standard, and the rules they state.
@Suite("GS1 General Specifications examples")
struct GS1SpecificationTests {
    @Test("the table names its release and covers the AI ranges")
    func table() throws {
        #expect(ApplicationIdentifierTable.release.contains("Release 24"))
        for ai in ["00", "01", "02", "10", "17", "21", "235", "253", "3103", "3365", "3929", "3939", "3955", "4309", "4333", "7011", "7039", "7240", "8006", "8030", "8200", "99"] {
            #expect(ApplicationIdentifierTable.definition(ai) != nil, "AI \(ai)")
        }
        for ai in ["04", "05", "3106", "3170", "3956", "396", "4334", "8027", "9"] {
            #expect(ApplicationIdentifierTable.definition(ai) == nil, "AI \(ai) does not exist")
        }
        let gtin = try #require(ApplicationIdentifierTable.definition("01"))
        #expect(gtin.predefinedLength && gtin.isFixedLength && gtin.maximumLength == 14)
        let batch = try #require(ApplicationIdentifierTable.definition("10"))
        #expect(!batch.predefinedLength && batch.maximumLength == 20 && batch.needsSeparator)
        #expect(ApplicationIdentifierTable.definition("3922")?.needsSeparator == true)
        #expect(ApplicationIdentifierTable.definition("4101") == nil)
        // AIs GS1 added after Release 24.0 (the biip 5.2.0 table lists them too).
        for (ai, title, maximum) in [("03", "MTO GTIN", 14), ("716", "NHRN AIC", 20), ("717", "NHRN SRN", 20), ("7041", "UFRGT UNIT TYPE", 4),
                                     ("8014", "MUDI", 25), ("8040", "IMEI", 15), ("8041", "IMEI2", 15), ("8042", "ESIM", 32), ("8043", "PSIM", 20)] {
            let definition = try #require(ApplicationIdentifierTable.definition(ai), "AI \(ai)")
            #expect(definition.title == title && definition.maximumLength == maximum, "AI \(ai)")
        }
        #expect(try #require(ApplicationIdentifierTable.definition("03")).predefinedLength)
    }

    @Test("AIs added after Release 24.0 read like the others: 03 with its check digit, 8043 with its optional digits")
    func laterAIs() {
        let mto = classify("]C10309501101530003")
        #expect(mto.ok && mto.elements.map(\.ai) == ["03"] && mto.gtin == nil, "a made-to-order GTIN is not the item's GTIN")
        #expect(classify("]C10309501101530004").error?.code == .gtinCheckDigit)
        let devices = classify("]C18040123456789012345\u{1D}7041BX\u{1D}8014A1\u{1D}716IT123\u{1D}804312345678901234567812")
        #expect(devices.ok, "\(String(describing: devices.error))")
        #expect(devices.elements.map(\.value) == ["123456789012345", "BX", "A1", "IT123", "12345678901234567812"])
        #expect(classify("]C18042123").error?.code == .aiPatternMismatch)
    }

    @Test("a CPID (8010) is a company prefix and more: 5 to 30 characters")
    func componentPartIdentifier() {
        #expect(classify("]C180101234A\u{1D}80115").ok)
        #expect(classify("]C180101234\u{1D}80115").error?.code == .aiPatternMismatch)
        #expect(ApplicationIdentifierTable.definition("8010")?.minimumLength == 5)
        #expect(ApplicationIdentifierTable.definition("8010")?.maximumLength == 30)
    }

    @Test("check digits: GTIN-8/12/13/14, SSCC, GLN, GSRN and UPC-E expansion")
    func checkDigits() {
        for valid in ["96385074", "036000291452", "5901234123457", "09506000134352", "106141411234567897", "9506000134352", "735005385000000011"] {
            #expect(CheckDigit.isValidGS1(Array(valid.utf8)), "\(valid)")
        }
        #expect(!CheckDigit.isValidGS1(Array("5901234123458".utf8)))
        #expect(GTIN.normalized("96385074") == "00000096385074")
        #expect(GTIN.normalized("036000291452") == "00036000291452")
        #expect(GTIN.normalized("036000291453") == nil)
        // UPC-E 0 425261 4 ↔ UPC-A 0 42100 00526 4 (the rule for last digit 1).
        #expect(GTIN.expandUPCE("04252614") == "042100005264")
        #expect(GTIN.expandUPCE("04252615") == nil)
        #expect(GTIN.expandUPCE("425261") == "042100005264")
        #expect(GTIN.expandUPCE("01234565") == "012345000065")
        #expect(GTIN.expandUPCE("21234565") == nil)
    }

    @Test("(01)(17)(10): predefined fields need no separator, the last field none")
    func pharmaExample() {
        let scan = classify("]d2010950600013435217261231104711\u{1D}21XYZ")
        #expect(scan.ok && scan.kind == .gs1 && scan.symbology == .gs1DataMatrix)
        #expect(scan.elements.map(\.ai) == ["01", "17", "10", "21"])
        #expect(scan.gtin == "09506000134352" && scan.batch == "4711" && scan.serial == "XYZ")
        #expect(scan.expiry == CalendarDate(year: 2026, month: 12, day: 31))
    }

    @Test("day 00 is the last day of the month, leap years included")
    func dayZero() {
        #expect(classify("]C1010950600013435217240200").expiry?.description == "2024-02-29")
        #expect(classify("]C1010950600013435217250200").expiry?.description == "2025-02-28")
        #expect(classify("]C1010950600013435215261100").bestBefore?.description == "2026-11-30")
        // AI 7006 does not allow day 00.
        let firstFreeze = classify("]C101095060001343527006261100")
        #expect(firstFreeze.error?.code == .aiPatternMismatch)
    }

    @Test("century rule: 49 years back, 50 ahead of the reference year")
    func centuryRule() {
        #expect(GS1Parser.resolveYear(76, reference: 2026) == 2076)
        #expect(GS1Parser.resolveYear(77, reference: 2026) == 1977)
        #expect(GS1Parser.resolveYear(0, reference: 2099) == 2100)
        #expect(GS1Parser.resolveYear(49, reference: 2099) == 2149)
        #expect(GS1Parser.resolveYear(48, reference: 2099) == 2148)
        #expect(GS1Parser.resolveYear(50, reference: 2000) == 2050)
        #expect(GS1Parser.resolveYear(51, reference: 2000) == 1951)
    }

    @Test("decimals from the AI's last digit; currency from ISO 4217")
    func decimals() throws {
        let scan = classify("]C10109506000134352310300150039220999\u{1D}3932978123456\u{1D}3955001250")
        #expect(scan.ok, "\(String(describing: scan.error))")
        let weight = try #require(scan.elements.first { $0.ai == "3103" })
        #expect(weight.decimal == Decimal(string: "1.5") && weight.unit == "kg")
        #expect(scan.elements.first { $0.ai == "3922" }?.decimal == Decimal(string: "9.99"))
        let price = try #require(scan.elements.first { $0.ai == "3932" })
        #expect(price.decimal == Decimal(string: "1234.56") && price.currency == "978")
        #expect(scan.elements.first { $0.ai == "3955" }?.decimal == Decimal(string: "0.0125"))
    }

    @Test("SSCC pallet label: SSCC, content GTIN, count, batch, best-before")
    func palletLabel() {
        let scan = classify("]C1001061414112345678970209506000134352\u{1D}3748\u{1D}10LOT7\u{1D}15270131")
        #expect(scan.ok && scan.kind == .gs1)
        #expect(scan.sscc == "106141411234567897" && scan.contentGTIN == "09506000134352")
        #expect(scan.count == 48 && scan.batch == "LOT7" && scan.bestBefore?.description == "2027-01-31")
        #expect(scan.gtin == nil)
        // AI 00 alone is an SSCC scan.
        let alone = classify("]C100106141411234567897")
        #expect(alone.kind == .sscc && alone.sscc == "106141411234567897" && alone.elements.count == 1)
    }

    @Test("date and time, ranges, production time, temperatures, piece of total")
    func otherTypes() throws {
        let scan = classify("]C1010950600013435270032612311530\u{1D}7007261201261205\u{1D}8008261231235959\u{1D}8006095060001343520102\u{1D}4331001250-")
        #expect(scan.error == nil, "\(String(describing: scan.error))")
        #expect(scan.elements.first { $0.ai == "7003" }?.typed == .dateTime(CalendarDate(year: 2026, month: 12, day: 31), hour: 15, minute: 30, second: nil))
        #expect(scan.elements.first { $0.ai == "7007" }?.typed == .dateRange(CalendarDate(year: 2026, month: 12, day: 1), end: CalendarDate(year: 2026, month: 12, day: 5)))
        #expect(scan.elements.first { $0.ai == "8008" }?.typed == .dateTime(CalendarDate(year: 2026, month: 12, day: 31), hour: 23, minute: 59, second: 59))
        #expect(scan.elements.first { $0.ai == "8006" }?.typed == .pieceOfTotal(gtin: "09506000134352", piece: 1, total: 2))
        #expect(scan.elements.first { $0.ai == "4331" }?.decimal == Decimal(string: "-12.5"))
        #expect(classify("]C1010950600013435270032612312460").error?.code == .invalidDate)
    }

    @Test("errors name the code and the offset after the AIM identifier")
    func errors() {
        let unknown = classify("]C10109506000134352\u{1D}9912")
        #expect(unknown.ok) // AI 99 exists (internal).
        let reallyUnknown = classify("]C1010950600013435204123")
        #expect(reallyUnknown.error?.code == .unknownAI && reallyUnknown.error?.offset == 16)
        let tooLong = classify("]C11012345678901234567890121ABC")
        #expect(tooLong.error?.code == .missingSeparator && tooLong.error?.offset == 22)
        #expect(!tooLong.warnings.contains { $0.code == .missingSeparator }, "the cut is the error, not also a warning")
        // A value at its maximum length ends there: what follows without a separator is the
        // next element when it reads as one (as biip 5.2.0 reads these), with a warning.
        let full = classify("]C110ABCDEFGHIJKLMNOPQRST21XYZ")
        #expect(full.ok && full.elements.map(\.value) == ["ABCDEFGHIJKLMNOPQRST", "XYZ"])
        let cuts = full.warnings.filter { $0.code == .missingSeparator }
        #expect(cuts.count == 1 && cuts.first?.offset == 22)
        // A check-digit error after the cut stays a check-digit error.
        let badAfterCut = classify("]C1010950110153000310ABCDEFGHIJKLMNOPQRST0109501101530004")
        #expect(badAfterCut.error?.code == .gtinCheckDigit && badAfterCut.elements.count == 3)
        let badGTIN = classify("]C10109506000134353")
        #expect(badGTIN.error?.code == .gtinCheckDigit && badGTIN.error?.offset == 15 && badGTIN.elements.count == 1)
        let badGLN = classify("]C10109506000134352\u{1D}4109506000134353")
        #expect(badGLN.error?.code == .glnCheckDigit)
        let badChar = classify("]C10109506000134352\u{1D}10AB#1")
        #expect(badChar.error?.code == .badCharacter && badChar.error?.offset == 21)
        let conflict = classify("]C10109506000134352\u{1D}10A\u{1D}10B")
        #expect(conflict.error?.code == .repeatedAIConflict)
        let same = classify("]C10109506000134352\u{1D}10A\u{1D}10A")
        #expect(same.ok)
        let empty = classify("]C1")
        #expect(empty.error?.code == .emptyMessage)
        let nothing = classify("")
        #expect(nothing.error?.code == .emptyMessage && nothing.error?.offset == 0 && nothing.kind == .text)
        let cut = classify("]C1010950600013")
        #expect(cut.error?.code == .aiPatternMismatch)
    }

    @Test("invalid pairs and missing associations are warnings, not rejections")
    func associations() {
        let pair = classify("]C10109506000134352\u{1D}0209506000134352\u{1D}3712")
        #expect(pair.ok && pair.warnings.contains { $0.code == .excludedAIPair })
        let lonely = classify("]C110ABC")
        #expect(lonely.ok && lonely.warnings.map(\.code) == [.missingRequiredAI])
    }

    @Test("human-readable form parses like the element string")
    func humanReadable() {
        let hri = classify("(01)09506000134352(17)261231(10)AB(C)12")
        let plain = classify("]C1010950600013435217261231" + "10AB(C)12")
        #expect(hri.ok && hri.elements.map(\.value) == plain.elements.map(\.value))
        #expect(GS1Message(elements: hri.elements).humanReadable == "(01)09506000134352(17)261231(10)AB(C)12")
        #expect(classify("(01)0950600013435(17)261231").error?.code == .aiPatternMismatch)
        #expect(classify("(04)123").error?.code == .unknownAI)
    }

    @Test("Digital Link: key and qualifiers in the path, attributes in the query")
    func digitalLink() {
        let scan = classify("https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426")
        #expect(scan.ok && scan.kind == .gs1)
        #expect(scan.elements.map(\.ai) == ["01", "10", "21", "17"])
        #expect(scan.gtin == "09520123456788" && scan.batch == "ABC123" && scan.serial == "12345")
        #expect(scan.expiry?.description == "2018-04-26")
        let custom = classify("https://example.com/shop/01/9520123456788/22/2A/10/AB%2F1?3103=000500&linkType=gs1:pip")
        #expect(custom.ok && custom.gtin == "09520123456788" && custom.batch == "AB/1")
        #expect(custom.elements.first { $0.ai == "3103" }?.decimal == Decimal(string: "0.5"))
        let order = classify("https://id.gs1.org/01/09520123456788/21/1/10/A")
        #expect(order.error?.code == .digitalLinkInvalid)
        let plainURL = classify("https://example.com/products/42")
        #expect(plainURL.kind == .text && plainURL.ok)
        let sscc = classify("https://id.gs1.org/00/106141411234567897")
        #expect(sscc.kind == .sscc && sscc.sscc == "106141411234567897")
    }

    @Test("AIM identifiers decide the reading and name the symbology")
    func aimIdentifiers() {
        #expect(classify("]E05901234123457").symbology == .ean13)
        #expect(classify("]E05901234123457").gtin == "05901234123457")
        #expect(classify("]E496385074").symbology == .ean8)
        #expect(classify("]E496385074").gtin == "00000096385074")
        #expect(classify("]I109506000134352").symbology == .itf14)
        // A ]I0 ITF of 14 digits is an ITF-14 too, as zbar's are named; a misread one says so.
        #expect(classify("]I014006381333938").symbology == .itf14 && classify("]I014006381333938").gtin == "14006381333938")
        #expect(classify("]I009506000134353").symbology == .itf14 && classify("]I009506000134353").error?.code == .gtinCheckDigit)
        #expect(classify("]I0123456").symbology == .itf && classify("]I0123456").kind == .text)
        #expect(classify("]e00109506000134352").kind == .gs1)
        #expect(classify("]Q3010950600013435210A").symbology == .gs1QR)
        #expect(classify("]Q1HELLO").kind == .text && classify("]Q1HELLO").symbology == .qr)
        // ]C0 is plain Code 128: a command barcode stays a command.
        #expect(classify("]C0CMD-DONE").command?.name == "done")
        // ]C1 announces GS1: "CMD-DONE" is then not a command.
        #expect(classify("]C1CMD-DONE").kind == .gs1 && !classify("]C1CMD-DONE").ok)
        #expect(classify("]E05901234123458").error?.code == .gtinCheckDigit)
    }

    @Test("ISO/IEC 15434 envelopes: format 05 carries GS1 element strings, other formats are not GS1")
    func iso15434Envelope() {
        let message = classify("]d1[)>\u{1E}05\u{1D}0109506000134352\u{1D}10ABC\u{1D}17270630\u{1E}\u{04}")
        #expect(message.ok && message.kind == .gs1 && message.symbology == .datamatrix)
        #expect(message.elements.map(\.ai) == ["01", "10", "17"] && message.gtin == "09506000134352" && message.batch == "ABC")
        #expect(message.expiry == CalendarDate(year: 2027, month: 6, day: 30))
        // A reader that dropped the trailer; a pallet label in the envelope.
        #expect(classify("[)>\u{1E}05\u{1D}00340123450000000017").sscc == "340123450000000017")
        // Offsets count from the start of the payload after the AIM identifier.
        let bad = classify("]Q1[)>\u{1E}05\u{1D}0109506000134353\u{1E}\u{04}")
        #expect(bad.error?.code == .gtinCheckDigit && bad.error?.offset == 22)
        // Format 06 holds ASC MH10 data identifiers: text, not a GS1 error.
        let identifiers = classify("[)>\u{1E}06\u{1D}1PABC-1\u{1D}Q12\u{1E}\u{04}")
        #expect(identifiers.ok && identifiers.kind == .text)
        #expect(classify("[)>\u{1E}05\u{1D}0109506000134352\u{1E}\u{04}", reading: .gs1).gtin == "09506000134352")
    }

    @Test("EPC TDS example SGTIN-96 and the URI escaping of SGTIN-198 serials")
    func epc() {
        let scan = classify("3074257BF7194E4000001A85")
        #expect(scan.kind == .epc && scan.symbology == .epc)
        #expect(scan.epc?.tagURI == "urn:epc:tag:sgtin-96:3.0614141.812345.6789")
        #expect(scan.gtin == "80614141123458" && scan.serial == "6789")
        #expect(classify("3074257BF7194E4000001A85", reading: .text).kind == .text)
        // Unknown header: text in auto, an error when forced.
        #expect(classify("FFD484368DDD744000000001").kind == .text)
        #expect(classify("FFD484368DDD744000000001", reading: .epc).error?.code == .epcUnknownHeader)
        #expect(classify("30DC84368DDD744000000001").error?.code == .epcBadPartition)
    }
}

@Suite("Label scheme and classification order")
struct LabelSchemeTests {
    @Test("commands, badges and the contract's command list")
    func commands() {
        #expect(classify("CMD-QTY-12.5").command == ScanCommand(name: "qty", argument: "12.5"))
        #expect(classify("CMD-MODE-PICK").command == ScanCommand(name: "mode", argument: "pick"))
        for word in ["DONE", "CANCEL", "UNDO", "HELP", "SHORT", "SKIP", "NEWBOX", "LOGOUT"] {
            #expect(classify("CMD-" + word).command == ScanCommand(name: word.lowercased()))
        }
        #expect(classify("OP-1234").badge == "1234" && classify("OP-1234").kind == .operator)
        #expect(classify("OP-").kind == .text)
    }

    @Test("a valid GTIN wins over EPC and GS1; bad check digits are rejected or text by scheme")
    func order() {
        #expect(classify("5901234123457").kind == .gtin)
        #expect(classify("106141411234567897").kind == .sscc)
        #expect(classify("106141411234567898").error?.code == .ssccCheckDigit)
        var lenient = LabelScheme()
        lenient.rejectBadCheckDigits = false
        #expect(classify("5901234123458", scheme: lenient).kind == .text)
        #expect(classify("0109506000134352", scheme: LabelScheme(unmarkedGS1: false)).kind == .text)
        #expect(classify("0109506000134352").kind == .gs1)
        #expect(classify("B-02-04").kind == .text)
    }

    @Test("scheme file: prefixes, command words, patterns; unknown keys are refused")
    func schemeFile() throws {
        let json = """
            {"command_prefix": "#", "operator_prefix": "EMP:", "commands": {"FERTIG": "done"},
             "argument_commands": {"MENGE-": "qty"},
             "patterns": [{"label": "location", "pattern": "@-##-##"}, {"label": "badge", "pattern": "B####", "kind": "operator"}],
             "reject_bad_check_digits": false}
            """
        let scheme = try LabelScheme(jsonFile: Array(json.utf8))
        #expect(classify("#FERTIG", scheme: scheme).command?.name == "done")
        #expect(classify("#MENGE-3", scheme: scheme).command == ScanCommand(name: "qty", argument: "3"))
        #expect(classify("#DONE", scheme: scheme).command?.name == "done")
        #expect(classify("CMD-DONE", scheme: scheme).kind == .text)
        #expect(classify("EMP:42", scheme: scheme).badge == "42")
        let location = classify("B-02-04", scheme: scheme)
        #expect(location.kind == .text && location.label == "location")
        #expect(classify("B1234", scheme: scheme).kind == .operator)
        #expect(classify("B12345", scheme: scheme).label == nil)
        #expect(throws: LabelSchemeError.self) { try LabelScheme(jsonFile: Array(#"{"comand_prefix": "X"}"#.utf8)) }
        #expect(throws: LabelSchemeError.self) { try LabelScheme(jsonFile: Array("not json".utf8)) }
        #expect(throws: LabelSchemeError.self) { try LabelScheme(jsonFile: Array(#"{"patterns": [{"label": "x", "pattern": "*", "kind": "gs1"}]}"#.utf8)) }
    }

    @Test("glob patterns")
    func patterns() {
        #expect(LabelPattern(label: "l", pattern: "LOC-*").matches("LOC-A1"))
        #expect(LabelPattern(label: "l", pattern: "*-##").matches("ABC-12"))
        #expect(!LabelPattern(label: "l", pattern: "*-##").matches("ABC-1X"))
        #expect(LabelPattern(label: "l", pattern: "?\\*?").matches("a*b"))
        #expect(!LabelPattern(label: "l", pattern: "?\\*?").matches("abb"))
        #expect(LabelPattern(label: "l", pattern: "a*b*c").matches("aXbYbc"))
    }

    @Test("decode JSON keeps the contract's keys in order")
    func json() {
        let line = classify("]C1010950600013435217261231").jsonLine
        let keys = ["\"input\":", "\"input_hex\":", "\"ok\":", "\"type\":", "\"symbology\":", "\"elements\":", "\"gtin\":", "\"sscc\":", "\"epc\":", "\"command\":", "\"error\":"]
        let positions = keys.compactMap { line.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
        #expect(line.contains(#"{"ai":"17","value":"261231","title":"USE BY OR EXPIRY","date":"2026-12-31","valid":true}"#))
        #expect(line.hasPrefix(#"{"input":"]C1010950600013435217261231","input_hex":"5d4331"#))
        let weight = classify("]C101095060001343523103001500").jsonLine
        #expect(weight.contains(#""decimal":1.5,"unit":"kg""#))
        let bad = classify("]E05901234123458").jsonLine
        #expect(bad.contains(#""ok":false,"type":"gtin""#) && bad.contains(#""code":"gtin_check_digit""#))
        let gs = classify("]C10109506000134352\u{1D}10A").jsonLine
        #expect(gs.contains(#"\u001d"#))
    }
}
