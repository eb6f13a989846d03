import ScanCodes
import Testing

private let today = CalendarDate(year: 2026, month: 11, day: 24)

private func epc(_ hex: String) -> DecodedScan {
    ScanClassifier().classify(Array(hex.utf8), referenceDate: today, reading: .epc)
}

/// The TDS schemes beyond SGTIN/SSCC/SGLN/GRAI/GIAI/GID. The hex values were encoded by
/// hand from the TDS layouts (header, filter, partition, fields, zero padding to a 16-bit
/// word), so each case checks the decoder against the layout, not against itself.
@Suite("EPC TDS schemes: GDTI, GSRN, GSRNP, SGCN, CPI, ITIP, USDOD, ADI, CPI-var")
struct EPCSchemeTests {
    @Test("GDTI-96 and GDTI-174: URIs, filter, partition and the GDTI of AI 253")
    func gdti() throws {
        let scan = epc("2C74257BF460720000000190")
        let identity = try #require(scan.epc, "\(String(describing: scan.error))")
        #expect(identity.scheme == "gdti-96" && identity.filter == 3 && identity.partition == 5)
        #expect(identity.pureIdentityURI == "urn:epc:id:gdti:0614141.12345.400")
        #expect(identity.tagURI == "urn:epc:tag:gdti-96:3.0614141.12345.400")
        #expect(identity.companyPrefix == "0614141" && identity.gdti == "0614141123452400" && identity.serial == "400")
        #expect(identity.elementString == "(253)0614141123452400")
        // The element string reads back as GS1 data with a valid GDTI check digit.
        #expect(ScanClassifier().classify(Array("]C12530614141123452400".utf8), referenceDate: today).ok)

        let characters = try #require(epc("3E74257BF46073057B10000000000000000000000000").epc)
        #expect(characters.scheme == "gdti-174")
        #expect(characters.pureIdentityURI == "urn:epc:id:gdti:0614141.12345.A%2F1")
        #expect(characters.serial == "A/1" && characters.gdti == "0614141123452A/1")
    }

    @Test("GSRN-96 (8018) and GSRNP-96 (8017); the reserved bits must be zero")
    func gsrn() throws {
        let recipient = try #require(epc("2D74257BF4499602D2000000").epc)
        #expect(recipient.scheme == "gsrn-96")
        #expect(recipient.pureIdentityURI == "urn:epc:id:gsrn:0614141.1234567890")
        #expect(recipient.tagURI == "urn:epc:tag:gsrn-96:3.0614141.1234567890")
        #expect(recipient.gsrn == "061414112345678902" && recipient.elementString == "(8018)061414112345678902")

        let provider = try #require(epc("2E18789002DFDC1C35000000").epc)
        #expect(provider.scheme == "gsrnp-96" && provider.filter == 0 && provider.partition == 6)
        #expect(provider.pureIdentityURI == "urn:epc:id:gsrnp:123456.12345678901")
        #expect(provider.elementString == "(8017)123456123456789013")
        #expect(ScanClassifier().classify(Array("]C18017123456123456789013".utf8), referenceDate: today).ok)

        let reserved = epc("2D74257BF4499602D2000001")
        #expect(reserved.epc == nil && reserved.error?.code == .epcBadField)
    }

    @Test("SGCN-96: the serial's leading marker digit keeps its leading zeros")
    func sgcn() throws {
        let coupon = try #require(epc("3F74F4E4E612640000019870").epc)
        #expect(coupon.scheme == "sgcn-96")
        #expect(coupon.pureIdentityURI == "urn:epc:id:sgcn:4012345.67890.04560")
        #expect(coupon.gcn == "401234567890104560" && coupon.serial == "04560")
        #expect(coupon.elementString == "(255)401234567890104560")
        // Corpus case epc-0144: the serial field does not start with the marker digit.
        let corrupt = epc("3FD484368DDD744000000001")
        #expect(corrupt.epc == nil && corrupt.error?.code == .epcBadField)
    }

    @Test("CPI-96: unpadded part reference, 31-bit serial, CPID and its serial")
    func cpi() throws {
        let part = try #require(epc("3C74257BF400F12000003039").epc)
        #expect(part.scheme == "cpi-96")
        #expect(part.pureIdentityURI == "urn:epc:id:cpi:0614141.123456.12345")
        #expect(part.cpid == "0614141123456" && part.serial == "12345")
        #expect(part.elementString == "(8010)0614141123456(8011)12345")
        // Corpus case epc-0142 (CPI-96 header, listed there as invalid for other schemes'
        // oracles): partition 5, prefix 2166179, part reference 62580864, serial 1.
        let corpus = try #require(epc("3CD484368DDD744000000001").epc)
        #expect(corpus.tagURI == "urn:epc:tag:cpi-96:6.2166179.62580864.1")
        // A part reference longer than the partition allows (10 digits in 9).
        #expect(epc("3C7A57BF7B9AC9FF80000001").error?.code == .epcBadField)
    }

    @Test("CPI-var: a character part reference up to its terminator, 40-bit serial")
    func cpiVar() throws {
        let part = try #require(epc("3D74257BF75411DEF6B4CC00000003039000").epc)
        #expect(part.scheme == "cpi-var" && part.filter == 3 && part.partition == 5)
        #expect(part.pureIdentityURI == "urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345")
        #expect(part.tagURI == "urn:epc:tag:cpi-var:3.0614141.5PQ7%2FZ43.12345")
        #expect(part.cpid == "06141415PQ7/Z43" && part.elementString == "(8010)06141415PQ7/Z43(8011)12345")
        let hash = try #require(epc("3D18789023C4000000000000").epc)
        #expect(hash.pureIdentityURI == "urn:epc:id:cpi:123456.%231.0")
        // A serial of 13 digits does not fit the 12 the scheme allows.
        #expect(epc("3D74257BF4103A3529440000").error?.code == .epcBadField)
    }

    @Test("ITIP-110 and ITIP-212: GTIN, piece and total, serial")
    func itip() throws {
        let piece = try #require(epc("4034257BF7194E40820000006A14").epc)
        #expect(piece.scheme == "itip-110" && piece.filter == 1)
        #expect(piece.pureIdentityURI == "urn:epc:id:itip:0614141.812345.01.02.6789")
        #expect(piece.tagURI == "urn:epc:tag:itip-110:1.0614141.812345.01.02.6789")
        #expect(piece.itip == "806141411234580102" && piece.serial == "6789")
        #expect(piece.elementString == "(8006)806141411234580102(21)6789")
        #expect(ScanClassifier().classify(Array("]C1800680614141123458010221".utf8) + Array("6789".utf8), referenceDate: today).ok)
        // Piece 3 of 2 is impossible.
        #expect(epc("4034257BF7194E41820000006A14").error?.code == .epcBadField)

        let characters = try #require(epc("4134257BF7194E408283097B10000000000000000000000000000000").epc)
        #expect(characters.scheme == "itip-212")
        #expect(characters.pureIdentityURI == "urn:epc:id:itip:0614141.812345.01.02.AB%2F1")
        #expect(characters.serial == "AB/1")
    }

    @Test("USDOD-96: CAGE code (after a space) or DoDAAC, 4-bit filter, serial")
    func usdod() throws {
        let cage = try #require(epc("2F12032533139342DFDC1C35").epc)
        #expect(cage.scheme == "usdod-96" && cage.filter == 1 && cage.partition == nil)
        #expect(cage.pureIdentityURI == "urn:epc:id:usdod:2S194.12345678901")
        #expect(cage.tagURI == "urn:epc:tag:usdod-96:1.2S194.12345678901")
        #expect(cage.cageOrDoDAAC == "2S194" && cage.elementString == nil)
        let dodaac = try #require(epc("2F0573831585748000000005").epc)
        #expect(dodaac.pureIdentityURI == "urn:epc:id:usdod:W81XWH.5")
    }

    @Test("ADI-var: 6-bit CAGE, part number and serial up to their terminators")
    func adi() throws {
        let part = try #require(epc("3B020C93C79D31CB3D35BF6DF8023071B4200000").epc)
        #expect(part.scheme == "adi-var" && part.filter == 0 && part.partition == nil)
        #expect(part.cageOrDoDAAC == "2S194" && part.serial == "#A1-B")
        #expect(part.pureIdentityURI == "urn:epc:id:adi:2S194.12345%2F678.%23A1-B")
        #expect(part.tagURI == "urn:epc:tag:adi-var:0.2S194.12345%2F678.%23A1-B")
        // A DoDAAC, no part number, the shortest serial.
        let short = try #require(epc("3B0D7E31617200D40000").epc)
        #expect(short.pureIdentityURI == "urn:epc:id:adi:W81XWH..5" && short.filter == 3)
        // '?' is no ADI character; a bit after the serial's terminator is trailing data.
        #expect(epc("3B020C93C79D010BF0310000").error?.code == .epcBadField)
        #expect(epc("3B0D7E31617200D40800").error?.code == .epcWrongLength)
        // Shorter than the shortest ADI (68 bits), and cut inside the part number.
        #expect(epc("3B0D7E31617200D4").error?.code == .epcWrongLength)
        #expect(epc("3B020C93C79D31CB3D35BF6D").error?.code == .epcBadField)
    }

    @Test("auto reading picks the new headers; JSON names the GS1 keys")
    func autoAndJSON() {
        let scan = ScanClassifier().classify(Array("2D74257BF4499602D2000000".utf8), referenceDate: today)
        #expect(scan.kind == .epc && scan.epc?.scheme == "gsrn-96")
        #expect(scan.jsonLine.contains("\"gsrn\":\"061414112345678902\""))
        #expect(epc("2F0573831585748000000005").jsonLine.contains("\"cage_or_dodaac\":\"W81XWH\""))
        // Truncated reads of the longer schemes are wrong lengths, not traps.
        #expect(epc("4034257BF7194E4082").error?.code == .epcWrongLength)
        #expect(epc("3E74257BF460730").error?.code == .epcWrongLength)
    }
}
