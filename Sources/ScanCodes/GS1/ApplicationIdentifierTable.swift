/// The GS1 Application Identifier table as of GS1 General Specifications Release 24.0
/// (January 2024), section 3, with the pre-defined length table (figure 7.8.5-1), the
/// mandatory associations and invalid pairs (section 4.13/4.14) and the GS1 Digital Link
/// URI Syntax 1.3 primary keys and qualifiers.
///
/// Formats are written in a compact notation read once at start-up:
/// `N18:csum` is 18 digits with a check digit, `X..20` up to 20 CSET 82 characters,
/// `Y5..30` 5 to 30 CSET 39 characters, `[N6:date]` an optional component. `req` lists groups separated by spaces (each group
/// is satisfied by one AI of its comma-separated list); `n` in a pattern is any digit.
public enum ApplicationIdentifierTable {
    /// The release this table follows.
    public static let release = "GS1 General Specifications Release 24.0 (January 2024), with AIs 7250-7259 of Release 25.0 (January 2025) and 03, 716, 717, 7041, 8014, 8040-8043 of GS1's AI list since"

    /// Looks up an AI by its digits.
    public static func definition(_ ai: String) -> ApplicationIdentifier? {
        guard let number = Int(ai), ai.utf8.count >= 2, ai.utf8.count <= 4 else { return nil }
        return definition(digits: ai.utf8.count, number: number)
    }

    /// Looks up the AI at the start of `bytes`: GS1 AIs are prefix-free, so the first
    /// 2, 3 or 4 digits that name an AI are the AI.
    static func definition(atStartOf bytes: ArraySlice<UInt8>) -> ApplicationIdentifier? {
        var number = 0
        var index = bytes.startIndex
        for length in 1...4 {
            guard index < bytes.endIndex else { return nil }
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
            index += 1
            if length >= 2, let found = definition(digits: length, number: number) { return found }
        }
        return nil
    }

    @inline(__always)
    static func definition(digits: Int, number: Int) -> ApplicationIdentifier? {
        guard number >= 0 else { return nil }
        let table = lookup
        switch digits {
        case 2: return number < 100 ? table.two[number] : nil
        case 3: return number < 1000 ? table.three[number] : nil
        case 4: return number < 10000 ? table.four[number] : nil
        default: return nil
        }
    }

    /// Every AI of the table, in AI order.
    public static var all: [ApplicationIdentifier] { lookup.all }

    /// The message rules over the table as bit masks.
    static var ruleMasks: MessageRuleMasks { lookup.ruleMasks }

    /// The table and its index by AI number, built once.
    private final class Lookup: Sendable {
        let all: [ApplicationIdentifier]
        let two: [ApplicationIdentifier?]
        let three: [ApplicationIdentifier?]
        let four: [ApplicationIdentifier?]
        let ruleMasks: MessageRuleMasks

        init(_ all: [ApplicationIdentifier]) {
            ruleMasks = MessageRuleMasks(all)
            var two = [ApplicationIdentifier?](repeating: nil, count: 100)
            var three = [ApplicationIdentifier?](repeating: nil, count: 1000)
            var four = [ApplicationIdentifier?](repeating: nil, count: 10000)
            for entry in all {
                guard let number = Int(entry.ai) else { continue }
                switch entry.ai.utf8.count {
                case 2: two[number] = entry
                case 3: three[number] = entry
                default: four[number] = entry
                }
            }
            self.all = all
            self.two = two
            self.three = three
            self.four = four
        }
    }

    private static let lookup = Lookup(build())

    // MARK: - The table

    private typealias Meaning = ApplicationIdentifier.Meaning

    private static func build() -> [ApplicationIdentifier] {
        var rows: [ApplicationIdentifier] = []
        func row(
            _ ai: String, _ title: String, _ format: String, pre: Bool = false, req: String = "",
            ex: String = "", _ meaning: Meaning = .text, dl: String? = nil
        ) {
            let requires = req.split(separator: " ").map { $0.split(separator: ",").map(String.init) }
            let excludes = ex.split(separator: ",").map(String.init)
            let role: ApplicationIdentifier.DigitalLinkRole
            if let dl {
                role = .primaryKey(qualifiers: dl.isEmpty ? [] : dl.split(separator: "|").map { $0.split(separator: ",").map(String.init) })
            } else {
                role = .attribute
            }
            rows.append(ApplicationIdentifier(
                ai: ai, title: title, components: components(format), predefinedLength: pre,
                requires: requires, excludes: excludes, meaning: meaning, digitalLink: role))
        }
        /// AIs `base`0...`base`last: the last digit counts decimals or numbers a repeat.
        func range(
            _ base: String, _ last: Int, _ title: String, _ format: String, pre: Bool = false,
            req: String = "", ex: String = "", _ meaning: Meaning = .text
        ) {
            for digit in 0...last {
                row(base + String(digit), title, format, pre: pre, req: req, ex: ex, meaning)
            }
        }
        let tradeItem = "01,02,8006,8026"

        row("00", "SSCC", "N18:csum", pre: true, .sscc, dl: "")
        row("01", "GTIN", "N14:csum", pre: true, ex: "02,255,37", .gtin, dl: "22,10,21|235")
        row("02", "CONTENT", "N14:csum", pre: true, req: "37", .gtin)
        // A made-to-order trade item's GTIN (added after Release 24.0); not a GTIN a scan
        // promotes, since the item is defined by its order.
        row("03", "MTO GTIN", "N14:csum", pre: true, .gtin)
        row("10", "BATCH/LOT", "X..20", req: tradeItem)
        row("11", "PROD DATE", "N6:date0", pre: true, req: tradeItem, .date)
        row("12", "DUE DATE", "N6:date0", pre: true, req: "8020", .date)
        row("13", "PACK DATE", "N6:date0", pre: true, req: tradeItem, .date)
        row("15", "BEST BEFORE or BEST BY", "N6:date0", pre: true, req: tradeItem, .date)
        row("16", "SELL BY", "N6:date0", pre: true, req: tradeItem, .date)
        row("17", "USE BY OR EXPIRY", "N6:date0", pre: true, req: "01,02,255,8006,8026", .date)
        row("20", "VARIANT", "N2", pre: true, req: tradeItem)
        row("21", "SERIAL", "X..20", req: "01,8006", ex: "235")
        row("22", "CPV", "X..20", req: "01")
        row("235", "TPX", "X..28", req: "01")
        row("240", "ADDITIONAL ID", "X..30", req: tradeItem)
        row("241", "CUST. PART No.", "X..30", req: tradeItem)
        row("242", "MTO VARIANT", "N..6", req: tradeItem)
        row("243", "PCN", "X..20", req: "01")
        row("250", "SECONDARY SERIAL", "X..30", req: "01,8006 21")
        row("251", "REF. TO SOURCE", "X..30", req: "01,8006")
        row("253", "GDTI", "N13:csum [X..17]", .key("GDTI"), dl: "")
        row("254", "GLN EXTENSION COMPONENT", "X..20", req: "414")
        row("255", "GCN", "N13:csum [N..12]", ex: "01,02,415,8006,8020,8026", .key("GCN"), dl: "")
        row("30", "VAR. COUNT", "N..8", req: "01,02", .count)

        // Trade measures (310n-369n): six digits, the AI's last digit counts decimals.
        let measures: [(String, String, String, String)] = [
            ("310", "NET WEIGHT (kg)", "kg", "01,02"), ("311", "LENGTH (m)", "m", "01,02"),
            ("312", "WIDTH (m)", "m", "01,02"), ("313", "HEIGHT (m)", "m", "01,02"),
            ("314", "AREA (m²)", "m2", "01,02"), ("315", "NET VOLUME (l)", "l", "01,02"),
            ("316", "NET VOLUME (m³)", "m3", "01,02"), ("320", "NET WEIGHT (lb)", "lb", "01,02"),
            ("321", "LENGTH (in)", "in", "01,02"), ("322", "LENGTH (ft)", "ft", "01,02"),
            ("323", "LENGTH (yd)", "yd", "01,02"), ("324", "WIDTH (in)", "in", "01,02"),
            ("325", "WIDTH (ft)", "ft", "01,02"), ("326", "WIDTH (yd)", "yd", "01,02"),
            ("327", "HEIGHT (in)", "in", "01,02"), ("328", "HEIGHT (ft)", "ft", "01,02"),
            ("329", "HEIGHT (yd)", "yd", "01,02"), ("330", "GROSS WEIGHT (kg)", "kg", "00,01"),
            ("331", "LENGTH (m), log", "m", "00,01"), ("332", "WIDTH (m), log", "m", "00,01"),
            ("333", "HEIGHT (m), log", "m", "00,01"), ("334", "AREA (m²), log", "m2", "00,01"),
            ("335", "VOLUME (l), log", "l", "00,01"), ("336", "VOLUME (m³), log", "m3", "00,01"),
            ("337", "KG PER m²", "kg/m2", "01"), ("340", "GROSS WEIGHT (lb)", "lb", "00,01"),
            ("341", "LENGTH (in), log", "in", "00,01"), ("342", "LENGTH (ft), log", "ft", "00,01"),
            ("343", "LENGTH (yd), log", "yd", "00,01"), ("344", "WIDTH (in), log", "in", "00,01"),
            ("345", "WIDTH (ft), log", "ft", "00,01"), ("346", "WIDTH (yd), log", "yd", "00,01"),
            ("347", "HEIGHT (in), log", "in", "00,01"), ("348", "HEIGHT (ft), log", "ft", "00,01"),
            ("349", "HEIGHT (yd), log", "yd", "00,01"), ("350", "AREA (in²)", "in2", "01,02"),
            ("351", "AREA (ft²)", "ft2", "01,02"), ("352", "AREA (yd²)", "yd2", "01,02"),
            ("353", "AREA (in²), log", "in2", "00,01"), ("354", "AREA (ft²), log", "ft2", "00,01"),
            ("355", "AREA (yd²), log", "yd2", "00,01"), ("356", "NET WEIGHT (t oz)", "ozt", "01,02"),
            ("357", "NET VOLUME (oz)", "floz", "01,02"), ("360", "NET VOLUME (qt)", "qt", "01,02"),
            ("361", "NET VOLUME (gal.)", "gal", "01,02"), ("362", "VOLUME (qt), log", "qt", "00,01"),
            ("363", "VOLUME (gal.), log", "gal", "00,01"), ("364", "VOLUME (in³)", "in3", "01,02"),
            ("365", "VOLUME (ft³)", "ft3", "01,02"), ("366", "VOLUME (yd³)", "yd3", "01,02"),
            ("367", "VOLUME (in³), log", "in3", "00,01"), ("368", "VOLUME (ft³), log", "ft3", "00,01"),
            ("369", "VOLUME (yd³), log", "yd3", "00,01"),
        ]
        for (base, title, unit, req) in measures {
            range(base, 5, title, "N6", pre: true, req: req, ex: base + "n", .measure(unit: unit))
        }

        row("37", "COUNT", "N..8", req: "00 02,8026", .count)
        range("390", 9, "AMOUNT", "N..15", req: "255,8020", ex: "390n,391n,394n,8111", .amount)
        range("391", 9, "AMOUNT", "N3:currency N..15", req: "8020", ex: "391n", .amountWithCurrency)
        range("392", 9, "PRICE", "N..15", req: "01 30,31nn,32nn,35nn,36nn", ex: "392n,393n", .amount)
        range("393", 9, "PRICE", "N3:currency N..15", req: "30,31nn,32nn,35nn,36nn", ex: "393n", .amountWithCurrency)
        range("394", 3, "PRCNT OFF", "N4", req: "255", ex: "394n,8111", .percentage)
        range("395", 5, "PRICE/UoM", "N6", req: "30,31nn,32nn,35nn,36nn", ex: "392n,393n,395n,8005", .amount)
        row("400", "ORDER NUMBER", "X..30")
        row("401", "GINC", "X..30", .key("GINC"), dl: "")
        row("402", "GSIN", "N17:csum", .key("GSIN"), dl: "")
        row("403", "ROUTE", "X..30", req: "00")
        row("410", "SHIP TO LOC", "N13:csum", pre: true, .gln)
        row("411", "BILL TO", "N13:csum", pre: true, .gln)
        row("412", "PURCHASE FROM", "N13:csum", pre: true, .gln)
        row("413", "SHIP FOR LOC", "N13:csum", pre: true, .gln)
        row("414", "LOC No.", "N13:csum", pre: true, .gln, dl: "254|7040")
        row("415", "PAY TO", "N13:csum", pre: true, req: "8020", .gln, dl: "8020")
        row("416", "PROD/SERV LOC", "N13:csum", pre: true, .gln)
        row("417", "PARTY", "N13:csum", pre: true, .gln, dl: "7040")
        row("420", "SHIP TO POST", "X..20", ex: "421")
        row("421", "SHIP TO POST", "N3:country X..9", ex: "4307")
        row("422", "ORIGIN", "N3:country", req: tradeItem, ex: "426", .country)
        row("423", "COUNTRY - INITIAL PROCESS", "N..15:countries", req: "01,02", ex: "426")
        row("424", "COUNTRY - PROCESS", "N3:country", req: "01,02", ex: "426", .country)
        row("425", "COUNTRY - DISASSEMBLY", "N..15:countries", req: "01,02", ex: "426")
        row("426", "COUNTRY - FULL PROCESS", "N3:country", req: "01,02", .country)
        row("427", "ORIGIN SUBDIVISION", "X..3", req: "01,02 422")
        for (ai, title, format, req) in [
            ("4300", "SHIP TO COMP", "X..35", "00"), ("4301", "SHIP TO NAME", "X..35", "00"),
            ("4302", "SHIP TO ADD1", "X..70", "00"), ("4303", "SHIP TO ADD2", "X..70", "4302"),
            ("4304", "SHIP TO SUB", "X..70", "00"), ("4305", "SHIP TO LOC", "X..70", "00"),
            ("4306", "SHIP TO REG", "X..70", "00"), ("4307", "SHIP TO COUNTRY", "X2:alpha2", "00"),
            ("4308", "SHIP TO PHONE", "X..30", "00"), ("4309", "SHIP TO GEO", "N10:latitude N10:longitude", "00"),
            ("4310", "RTN TO COMP", "X..35", "00"), ("4311", "RTN TO NAME", "X..35", "00"),
            ("4312", "RTN TO ADD1", "X..70", "00"), ("4313", "RTN TO ADD2", "X..70", "4312"),
            ("4314", "RTN TO SUB", "X..70", "00"), ("4315", "RTN TO LOC", "X..70", "00"),
            ("4316", "RTN TO REG", "X..70", "00"), ("4317", "RTN TO COUNTRY", "X2:alpha2", "00"),
            ("4318", "RTN TO POST", "X..20", "00"), ("4319", "RTN TO PHONE", "X..30", "00"),
            ("4320", "SRV DESCRIPTION", "X..35", "00"), ("4321", "DANGEROUS GOODS", "N1:yesno", "00"),
            ("4322", "AUTH TO LEAVE", "N1:yesno", "00"), ("4323", "SIG REQUIRED", "N1:yesno", "00"),
        ] {
            row(ai, title, format, req: req)
        }
        row("4324", "NOT BEF DEL DT", "N6:date0 N4:hhmm", req: "00", .dateTime)
        row("4325", "NOT AFT DEL DT", "N6:date0 N4:hhmm", req: "00", .dateTime)
        row("4326", "REL DATE", "N6:date", req: "00", .date)
        row("4330", "MAX TEMP F.", "N6 [X1:minus]", req: "00", ex: "4331", .temperature(unit: "F"))
        row("4331", "MAX TEMP C.", "N6 [X1:minus]", req: "00", ex: "4330", .temperature(unit: "C"))
        row("4332", "MIN TEMP F.", "N6 [X1:minus]", req: "00", ex: "4333", .temperature(unit: "F"))
        row("4333", "MIN TEMP C.", "N6 [X1:minus]", req: "00", ex: "4332", .temperature(unit: "C"))
        row("7001", "NSN", "N13", req: tradeItem)
        row("7002", "MEAT CUT", "X..30", req: "01,02")
        row("7003", "EXPIRY TIME", "N6:date N4:hhmm", req: "01,02", .dateTime)
        row("7004", "ACTIVE POTENCY", "N..4", req: "01 10")
        row("7005", "CATCH AREA", "X..12", req: "01,02")
        row("7006", "FIRST FREEZE DATE", "N6:date", req: "01,02", .date)
        row("7007", "HARVEST DATE", "N6:date [N6:date]", req: "01,02", .dateRange)
        row("7008", "AQUATIC SPECIES", "X..3", req: "01,02")
        row("7009", "FISHING GEAR TYPE", "X..10", req: "01,02")
        row("7010", "PROD METHOD", "X..2", req: "01,02")
        row("7011", "TEST BY DATE", "N6:date [N4:hhmm]", req: "01,02", .dateOptionalTime)
        row("7020", "REFURB LOT", "X..20", req: "01,8006 416")
        row("7021", "FUNC STAT", "X..20", req: "01,8006")
        row("7022", "REV STAT", "X..20", req: "7021")
        row("7023", "GIAI - ASSEMBLY", "X..30", .key("GIAI"))
        for digit in 0...9 {
            row("703" + String(digit), "PROCESSOR # " + String(digit), "N3:country999 X..27", req: "01,02")
        }
        row("7040", "UIC+EXT", "N1 X1 X1 X1")
        row("7041", "UFRGT UNIT TYPE", "X..4")
        for (ai, title) in [
            ("710", "NHRN PZN"), ("711", "NHRN CIP"), ("712", "NHRN CN"), ("713", "NHRN DRN"), ("714", "NHRN AIM"), ("715", "NHRN NDC"),
            ("716", "NHRN AIC"), ("717", "NHRN SRN"),
        ] {
            row(ai, title, "X..20", req: "01")
        }
        for digit in 0...9 {
            row("723" + String(digit), "CERT # " + String(digit + 1), "X2 X..28", req: "01,8004")
        }
        row("7240", "PROTOCOL", "X..20", req: "01,8006")
        // Patient identification (Release 25.0): with the patient's GSRN (8018).
        row("7250", "DOB", "N8:yyyymmdd", req: "8018", ex: "7251", .fullDate)
        row("7251", "DOB TIME", "N12:yyyymmddhhmm", req: "8018", ex: "7250", .fullDateTime)
        row("7252", "BIO SEX", "N1:iso5218", req: "8018")
        row("7253", "FAMILY NAME", "X..40", req: "8017,8018", ex: "7256,7259")
        row("7254", "GIVEN NAME", "X..40", req: "8017,8018", ex: "7256,7259")
        row("7255", "SUFFIX", "X..10", req: "8017,8018", ex: "7256,7259")
        row("7256", "FULL NAME", "X..90", req: "8017,8018")
        row("7257", "PERSON ADDR", "X..70", req: "8018")
        // A baby's position in a multiple birth ("1/2"): with the baby's name (7259).
        row("7258", "BIRTH SEQUENCE", "X3:posinseq", req: "8018 7259")
        row("7259", "BABY", "X..40", req: "8018", ex: "7256")
        row("7241", "AIDC MEDIA TYPE", "N2", req: "8017,8018")
        row("7242", "VCN", "X..25", req: "8017,8018")
        row("8001", "DIMENSIONS", "N4:nonzero N5:nonzero N3:nonzero N1:winding N1", req: "01")
        row("8002", "CMT No.", "X..20")
        row("8003", "GRAI", "N1:zero N13:csum [X..16]", .key("GRAI"), dl: "")
        row("8004", "GIAI", "X..30", .key("GIAI"), dl: "7040")
        row("8005", "PRICE PER UNIT", "N6", req: "01,02")
        row("8006", "ITIP", "N14:csum N4:piece", ex: "01,37", .pieceOfTotal, dl: "22,10,21")
        row("8007", "IBAN", "X..34", req: "415")
        row("8008", "PROD TIME", "N8:datehour [N..4:mmss]", req: "01,02", .productionTime)
        row("8009", "OPTSEN", "X..50", req: "00,01")
        // A CPID is a company prefix (4 digits or more) and at least one more character
        // (EPC Tag Data Translation, CPI): 5 to 30 characters.
        row("8010", "CPID", "Y5..30", .key("CPID"), dl: "8011")
        row("8011", "CPID SERIAL", "N..12:nozeroprefix", req: "8010")
        row("8012", "VERSION", "X..20", req: "01,8006")
        row("8013", "GMN", "X..25:csumalpha", .key("GMN"), dl: "")
        row("8014", "MUDI", "X..25")
        row("8017", "GSRN - PROVIDER", "N18:csum", ex: "8018", .key("GSRN"), dl: "8019")
        row("8018", "GSRN - RECIPIENT", "N18:csum", ex: "8017", .key("GSRN"), dl: "8019")
        row("8019", "SRIN", "N..10", req: "8017,8018")
        row("8020", "REF No.", "X..25", req: "415")
        row("8026", "ITIP CONTENT", "N14:csum N4:piece", req: "37", ex: "02,8006", .pieceOfTotal)
        row("8030", "DIGSIG", "Z..90", req: "00,01,253,255,8003,8004,8006,8010,8017,8018")
        // Device and SIM numbers (added after Release 24.0).
        row("8040", "IMEI", "N15")
        row("8041", "IMEI2", "N15")
        row("8042", "ESIM", "N32")
        row("8043", "PSIM", "N18 [N..2]")
        row("8110", "COUPON CODE", "X..70")
        row("8111", "POINTS", "N4", req: "255")
        row("8112", "PAPERLESS COUPON CODE", "X..70")
        row("8200", "PRODUCT URL", "X..70", req: "01")
        row("90", "INTERNAL", "X..30")
        for digit in 1...9 {
            row("9" + String(digit), "INTERNAL", "X..90")
        }
        return rows.sorted { $0.ai < $1.ai }
    }

    /// Reads the compact component notation (see the type's documentation).
    private static func components(_ format: String) -> [ApplicationIdentifier.Component] {
        format.split(separator: " ").map { token in
            var text = Substring(token)
            let optional = text.hasPrefix("[")
            if optional { text = text.dropFirst().dropLast() }
            let parts = text.split(separator: ":")
            let spec = parts[0]
            let characters: ApplicationIdentifier.CharacterSet
            switch spec.first {
            case "X": characters = .cset82
            case "Y": characters = .cset39
            case "Z": characters = .cset64
            default: characters = .numeric
            }
            // `N6`, `X..20`, or `Y5..30` (a variable length with a minimum above 1).
            let lengthText = spec.dropFirst()
            let range = lengthText.split(separator: "..", omittingEmptySubsequences: false)
            let variable = range.count == 2
            let length = Int(variable ? range[1] : lengthText) ?? 0
            let variableMinimum = variable ? Int(range[0]) ?? 1 : length
            let rule: ApplicationIdentifier.Rule?
            switch parts.count > 1 ? parts[1] : "" {
            case "csum": rule = .checkDigit
            case "date0": rule = .dateDay00
            case "date": rule = .date
            case "datehour": rule = .dateHour
            case "mmss": rule = .minuteOptionalSecond
            case "hhmm": rule = .hourMinute
            case "country": rule = .country
            case "countries": rule = .countryList
            case "currency": rule = .currency
            case "piece": rule = .pieceOfTotal
            case "yesno": rule = .yesNo
            case "nonzero": rule = .nonZero
            case "winding": rule = .winding
            case "latitude": rule = .latitude
            case "longitude": rule = .longitude
            case "minus": rule = .minusSign
            case "zero": rule = .zero
            case "alpha2": rule = .countryAlpha2
            case "nozeroprefix": rule = .noZeroPrefix
            case "country999": rule = .countryOrUnknown
            case "csumalpha": rule = .checkCharacterPair
            case "iso5218": rule = .biologicalSex
            case "yyyymmdd": rule = .fullDate
            case "yyyymmddhhmm": rule = .fullDateHourMinute
            case "posinseq": rule = .positionInSequence
            default: rule = nil
            }
            return ApplicationIdentifier.Component(
                characters: characters, minimum: variableMinimum, maximum: length,
                optional: optional, rule: rule)
        }
    }
}
