import ScanCodes
import Testing

private let today = CalendarDate(year: 2026, month: 11, day: 24)

private func classify(_ text: String) -> DecodedScan {
    ScanClassifier().classify(Array(text.utf8), referenceDate: today)
}

/// A GSRN with its check digit, for the AIs that need AI 8018 alongside.
private let gsrn: String = {
    let body = "12345678901234567"
    return body + String(CheckDigit.gs1Mod10(for: Array(body.utf8)) ?? 0)
}()

@Suite("ISO code lists, the GMN check pair and the patient AIs")
struct CodeListTests {
    @Test("the code lists hold the ISO numbers, once each")
    func lists() {
        #expect(ISOCodeLists.countryCodes.count == 249 && Set(ISOCodeLists.countryCodes).count == 249)
        #expect(Set(ISOCodeLists.currencyCodes).count == ISOCodeLists.currencyCodes.count)
        for country in [4, 250, 276, 528, 578, 752, 826, 840, 894] { #expect(ISOCodeLists.isCountry(country), "\(country)") }
        for notCountry in [0, 1, 999, 900, 1000, -4] { #expect(!ISOCodeLists.isCountry(notCountry), "\(notCountry)") }
        for currency in [36, 124, 156, 392, 752, 756, 826, 840, 978, 985, 999] { #expect(ISOCodeLists.isCurrency(currency), "\(currency)") }
        // 250 French franc and 276 Deutsche Mark were withdrawn with the euro.
        for notCurrency in [0, 250, 276, 380, 998, 1000] { #expect(!ISOCodeLists.isCurrency(notCurrency), "\(notCurrency)") }
    }

    @Test("country of origin and processing (422, 424, 426, 421, 703n) must be ISO 3166-1")
    func countries() {
        #expect(classify("]C10109506000134352422276").ok)
        let unknown = classify("]C10109506000134352422999")
        #expect(unknown.error?.code == .aiPatternMismatch && unknown.error?.offset == 19)
        #expect(unknown.error?.message.contains("ISO 3166-1") == true)
        #expect(classify("]C10109506000134352424000").error?.code == .aiPatternMismatch)
        #expect(classify("]C10109506000134352426840").ok)
        // 421: the country, then the postal code.
        #expect(classify("]C142127612345").ok)
        #expect(classify("]C142112312345").error?.code == .aiPatternMismatch)
        // 7030-7039 accept 999 for an unknown country.
        #expect(classify("]C101095060001343527030999ABC").ok)
        #expect(classify("]C101095060001343527031276ABC").ok)
        #expect(classify("]C101095060001343527032998ABC").error?.code == .aiPatternMismatch)
    }

    @Test("country lists (423, 425): up to five codes, each checked, the bad one pointed at")
    func countryLists() {
        #expect(classify("]C10109506000134352423276040528752840").ok)
        let second = classify("]C10109506000134352423276041")
        #expect(second.error?.code == .aiPatternMismatch)
        // Payload offset: 16 (01 + GTIN) + 3 (AI) + 3 (first code).
        #expect(second.error?.offset == 22)
        #expect(classify("]C101095060001343524252760").error?.code == .aiPatternMismatch)
        #expect(classify("]C10109506000134352425276040528752840250").error?.code == .missingSeparator)
    }

    @Test("amounts with currency (391n, 393n) must be ISO 4217")
    func currencies() {
        let euro = classify("]C101095060001343523932978123456")
        #expect(euro.elements.last?.currency == "978")
        #expect(classify("]C10109506000134352\u{1D}3932840995").ok)
        let franc = classify("]C10109506000134352\u{1D}3932250995")
        // Offset of the currency: 16 (01 + GTIN) + 1 (GS) + 4 (AI).
        #expect(franc.error?.code == .aiPatternMismatch && franc.error?.offset == 21)
        #expect(franc.error?.message.contains("ISO 4217") == true)
        #expect(classify("]C1391100012345\u{1D}8020REF").error?.code == .aiPatternMismatch)
    }

    @Test("GMN check character pair: the General Specifications example and hand-computed ones")
    func gmn() {
        // GS1 General Specifications 7.9.6: 1987654Ad4X4bL5ttr2310c has the pair 2K.
        let pair = CheckCharacterPair.pair(for: Array("1987654Ad4X4bL5ttr2310c".utf8))
        #expect(pair.map { String(decoding: [$0.first, $0.second], as: UTF8.self) } == "2K")
        #expect(classify("]C180131987654Ad4X4bL5ttr2310c2K").ok)
        // '1' has CSET 82 value 14, weight 2: 28 = 0 * 32 + 28 -> "2" and "W".
        #expect(CheckCharacterPair.isValid(Array("12W".utf8)))
        #expect(!CheckCharacterPair.isValid(Array("12X".utf8)))
        let wrong = classify("]C180131987654Ad4X4bL5ttr2310c2L")
        #expect(wrong.error?.code == .keyCheckDigit && wrong.error?.offset == 27)
        #expect(wrong.error?.message.contains("2K") == true)
        // The element stays, as for a wrong check digit.
        #expect(wrong.elements.first?.ai == "8013")
        #expect(classify("]C1801312").error?.code == .aiPatternMismatch)
        // Lower-case letters are not check characters (CSET 32 has capitals only).
        #expect(!CheckCharacterPair.isValid(Array("12w".utf8)))
        // Too long a body has no pair; every position of a 23-character body is weighted.
        #expect(CheckCharacterPair.pair(for: Array(String(repeating: "A", count: 24).utf8)) == nil)
        #expect(CheckCharacterPair.pair(for: Array(String(repeating: "A", count: 23).utf8)) != nil)
        #expect(CheckCharacterPair.pair(for: [UInt8]()) == nil)
        // In a Digital Link, 8013 is a primary key.
        #expect(DigitalLink.parse(Array("https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K".utf8)[...], referenceDate: today)?.error == nil)
    }

    @Test("patient AIs 7250-7259 with the patient's GSRN (8018)")
    func patient() throws {
        let scan = classify("]C18018\(gsrn)725019991231\u{1D}72522\u{1D}7253DOE\u{1D}7254JANE")
        #expect(scan.ok, "\(String(describing: scan.error))")
        #expect(scan.warnings.isEmpty)
        #expect(scan.elements.map(\.ai) == ["8018", "7250", "7252", "7253", "7254"])
        #expect(scan.elements[1].date == CalendarDate(year: 1999, month: 12, day: 31))
        // A newborn: date and time of birth, the baby's name and its place in the birth sequence.
        let baby = classify("]C18018\(gsrn)7251200002291230\u{1D}7259DOE\u{1D}72581/2")
        #expect(baby.ok && baby.warnings.isEmpty, "\(baby.warnings)")
        #expect(baby.elements[1].typed == .dateTime(CalendarDate(year: 2000, month: 2, day: 29), hour: 12, minute: 30, second: nil))
        // The syntax dictionary's pairs: one birth date form; a full name or its parts.
        #expect(classify("]C18018\(gsrn)725019991231\u{1D}7251199912311230").warnings.map(\.code).contains(.excludedAIPair))
        #expect(classify("]C18018\(gsrn)7253DOE\u{1D}7256JANE DOE").warnings.map(\.code).contains(.excludedAIPair))
        #expect(classify("]C18018\(gsrn)72581/2").warnings.map(\.code).contains(.missingRequiredAI), "7258 needs the baby's name (7259)")
        #expect(ApplicationIdentifierTable.definition("7256")?.maximumLength == 90)
        #expect(classify("]C18018\(gsrn)725020230229").error?.code == .invalidDate)
        #expect(classify("]C18018\(gsrn)725019990100").error?.code == .invalidDate)
        #expect(classify("]C18018\(gsrn)7251200001012460").error?.code == .invalidDate)
        #expect(classify("]C18018\(gsrn)72523").error?.code == .aiPatternMismatch)
        // The birth sequence is "position/total": a slash between, the position within the total.
        for wrong in ["1-2", "3/2", "0/2", "1/", "12/3", "a/2"] {
            let scan = classify("]C18018\(gsrn)7259DOE\u{1D}7258" + wrong)
            #expect(scan.error?.code == .aiPatternMismatch, "7258 \(wrong): \(String(describing: scan.error))")
        }
        #expect(classify("]C18018\(gsrn)7259DOE\u{1D}72582/2").ok)
        // Without 8018 the data is readable; the missing association is a warning.
        let alone = classify("]C1725019991231")
        #expect(alone.ok && alone.warnings.first?.code == .missingRequiredAI)
    }
}
