import Foundation
import ScanCodes
import Testing
@testable import Devices

/// zbar and libdmtx on zint labels, degraded as cameras degrade them, and on the corpus.
@Suite struct DecodingTests {
    @Test(arguments: TestLabel.all, Degradation.allCases)
    func readsEveryLabelUnderEveryDegradation(label: TestLabel, degradation: Degradation) throws {
        let frame = try FrameMaker.frame([label], degradation: degradation)
        // A site with ITF-14 case labels enables itf-14 rather than every ITF: a tilted ITF
        // also gives zbar partial reads of 6 to 12 digits.
        var selection = SymbologySelection.standard
        if label.expected.symbology == .itf14 { selection.enabled.remove(.itf) }
        let reader = try ImageSymbolReader(selection: selection, dataMatrixBudgetMilliseconds: 400)
        let symbols = reader.read(frame)
        #expect(symbols == [label.expected], "\(label) \(degradation)")
    }

    @Test func onlyTheSitesSymbologiesAreReported() throws {
        let frame = try FrameMaker.frame([.ean13, .qr])
        let reader = try ImageSymbolReader(selection: SymbologySelection([.qr]))
        #expect(reader.read(frame) == [TestLabel.qr.expected])
    }

    @Test func upcAIsItsOwnSymbologyWhenEnabled() throws {
        let frame = try FrameMaker.frame([.upcA])
        let reader = try ImageSymbolReader(selection: SymbologySelection([.upcA]))
        #expect(reader.read(frame) == [DecodedSymbol(symbology: .upcA, bytes: Array("036000291452".utf8))])
    }

    @Test func twoLabelsInOneFrameAreBothRead() throws {
        let frame = try FrameMaker.frame([.ean13, .otherEAN13], width: 1280, height: 720)
        let symbols = try ImageSymbolReader().read(frame)
        #expect(Set(symbols) == [TestLabel.ean13.expected, TestLabel.otherEAN13.expected])
    }

    @Test func symbologyListsAreParsedByContractNames() throws {
        #expect(try SymbologySelection(parsing: "ean-13, gs1-128").enabled == [.ean13, .gs1128])
        #expect(throws: CameraError.self) { try SymbologySelection(parsing: "ean13") }
        #expect(throws: CameraError.self) { try SymbologySelection(parsing: "pdf417") }
        #expect(throws: CameraError.self) { try SymbologySelection(parsing: "") }
    }

    @Test func imagesThatAreNeitherPNGNorPGMAreRefused() throws {
        let error = #expect(throws: CameraError.self) { try ImageFile.load(path: temporaryFile(Array("GIF89a....".utf8), name: "x.gif")) }
        #expect(error?.code == .unsupportedImage)
        let cut = #expect(throws: CameraError.self) { try ImageFile.load(path: temporaryFile(Array("P5 10 10 255\n".utf8) + [1, 2], name: "cut.pgm")) }
        #expect(cut?.code == .truncatedFrame)
        let png = #expect(throws: CameraError.self) { try ImageFile.load(path: temporaryFile([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], name: "bad.png")) }
        #expect(png?.code == .imageUnreadable)
    }
}

/// The corpus frames: every symbol zbarimg 0.23.92 read (its recorded output) and every
/// DataMatrix zxing-cpp 3.1.1 read must be found.
@Suite struct CorpusImageTests {
    struct Record {
        var file: String
        var zbarimgLines: [[UInt8]]
        var dataMatrix: [DecodedSymbol]
        /// What zint encoded, by the corpus's symbology names.
        var encoded: [(symbology: String, data: String)]
    }

    static func records() throws -> [Record] {
        guard let url = Bundle.module.url(forResource: "Corpus/images", withExtension: "jsonl") else {
            throw Tool.Failure(description: "Corpus/images.jsonl is missing from the test bundle")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = object["file"] as? String,
                  let zbarimg = object["zbarimg"] as? [String: Any],
                  let rawHex = zbarimg["raw_stdout_hex"] as? String,
                  let zxing = object["zxing_cpp"] as? [[String: Any]]
            else { throw Tool.Failure(description: "unexpected corpus record \(line.prefix(60))") }
            let raw = hexBytes(rawHex)
            let lines = raw.split(separator: 0x0A).map(Array.init)
            let dataMatrix = zxing.compactMap { result -> DecodedSymbol? in
                guard result["format"] as? String == "Data Matrix", let hex = result["bytes_hex"] as? String else { return nil }
                let gs1 = (result["symbology_identifier"] as? String) == "]d2"
                return DecodedSymbol(symbology: gs1 ? .gs1DataMatrix : .datamatrix, bytes: hexBytes(hex))
            }
            let encoded = (object["symbols"] as? [[String: Any]] ?? []).compactMap { symbol -> (String, String)? in
                guard let symbology = symbol["symbology"] as? String, let data = symbol["data"] as? String else { return nil }
                return (symbology, data)
            }
            return Record(file: file, zbarimgLines: lines, dataMatrix: dataMatrix, encoded: encoded)
        }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex.utf8 {
            guard let value = UInt8(String(UnicodeScalar(character)), radix: 16) else { continue }
            if let first = high { bytes.append(first << 4 | value); high = nil } else { high = value }
        }
        return bytes
    }

    @Test func findsAtLeastWhatZbarimgFoundPlusDataMatrix() throws {
        let records = try Self.records()
        #expect(records.count == 21)
        let reader = try ImageSymbolReader()
        var dataMatrixExpected = 0, misreadsCorrected = 0
        for record in records {
            guard let url = Bundle.module.url(forResource: "Corpus/" + record.file, withExtension: nil) else {
                Issue.record("missing \(record.file)")
                continue
            }
            let symbols = try reader.read(path: url.path)
            for line in record.zbarimgLines {
                let text = String(decoding: line, as: UTF8.self)
                // zbarimg prints a UPC-A as its EAN-13 (a leading 0).
                if record.encoded.contains(where: { $0.data == text || "0" + $0.data == text }) {
                    #expect(symbols.contains { $0.bytes == line }, "\(record.file): zbarimg read \(text)")
                } else {
                    // zbarimg misread it (img-017: a blurred EAN-13 read as another valid
                    // one, by 4 of zbar's scan lines): the weak read is confirmed closer up,
                    // which gives what was encoded, as zxing-cpp reads it.
                    misreadsCorrected += 1
                    #expect(!symbols.contains { $0.bytes == line }, "\(record.file): zbarimg's misread \(text) is reported")
                    for encoded in record.encoded {
                        #expect(symbols.contains { $0.bytes == Array(encoded.data.utf8) }, "\(record.file): \(encoded.data) was encoded; read \(symbols.map(\.testDescription))")
                    }
                }
            }
            for symbol in record.dataMatrix {
                dataMatrixExpected += 1
                #expect(symbols.contains(symbol), "\(record.file): DataMatrix \(symbol.testDescription)")
            }
        }
        #expect(dataMatrixExpected >= 4)
        #expect(misreadsCorrected == 1)
    }

    /// zbar's weak misread of img-017 (a valid EAN-13 that is not on the label) is replaced
    /// by the strong reading of the same place in the frame at twice its size.
    @Test func aWeakLinearReadIsConfirmedCloserUp() throws {
        let url = try #require(Bundle.module.url(forResource: "Corpus/images/img-017.png", withExtension: nil))
        let frame = try ImageFile.load(path: url.path)
        let scanner = try ZBarSymbolScanner(selection: .standard)
        let plain = scanner.reads(pixels: frame.pixels, width: frame.width, height: frame.height)
        #expect(plain.map { String(decoding: $0.symbol.bytes, as: UTF8.self) } == ["0086130000035"], "zbar alone no longer misreads img-017: the test shows nothing")
        #expect(plain.allSatisfy { $0.isWeakLinear })
        #expect(scanner.scan(frame) == [DecodedSymbol(symbology: .ean13, bytes: Array("3965334015946".utf8))])
    }

    /// Blur, noise and narrow modules that defeat zbar (and zbarimg): the second looks
    /// (`FrameEnhancement`) read what was encoded, with its symbology, and nothing else.
    @Test(arguments: [
        ("images/img-001.png", Symbology.code128), ("images/img-006.png", .qr),
        ("images/img-019.png", .code39), ("images/img-027.png", .itf14),
    ])
    func secondLooksReadFramesZbarAloneMisses(file: String, symbology: Symbology) throws {
        let record = try #require(try Self.records().first { $0.file == file })
        #expect(record.zbarimgLines.isEmpty, "zbarimg read \(file) in the corpus: pick a harder frame")
        let url = try #require(Bundle.module.url(forResource: "Corpus/" + file, withExtension: nil))
        let frame = try ImageFile.load(path: url.path)
        let scanner = try ZBarSymbolScanner(selection: .standard)
        #expect(scanner.scan(frame).isEmpty, "a plain scan reads \(file): the test no longer shows the second looks")
        #expect(FrameEnhancement.mayHoldSymbols(frame))
        let symbols = scanner.scan(frame, enhancing: FrameEnhancement.allCases)
        #expect(symbols == [DecodedSymbol(symbology: symbology, bytes: Array(try #require(record.encoded.first).data.utf8))], "\(file)")
        let reader = try ImageSymbolReader()
        #expect(try reader.read(path: url.path).map(\.symbology) == [symbology])
    }

    @Test func findsAtLeastWhatZbarimgFindsOnGeneratedFrames() throws {
        let reader = try ImageSymbolReader()
        for (label, degradation) in [(TestLabel.ean13, Degradation.noise), (.gs1128, .blur), (.itf14, .rotation), (.gs1QR, .lowContrast), (.upcA, .offCentre)] {
            let pgm = try FrameMaker.pgm([label], degradation: degradation)
            let path = try temporaryFile(pgm, name: "frame.pgm")
            let zbarimg = try Tool.run(["zbarimg", "--nodbus", "--quiet", "--raw", path])
            let lines = zbarimg.standardOutput.split(separator: 0x0A).map(Array.init)
            let symbols = try reader.read(path: path)
            #expect(!lines.isEmpty, "zbarimg read nothing in \(label) \(degradation)")
            for line in lines {
                #expect(symbols.contains { $0.bytes == line }, "\(label) \(degradation): zbarimg read \(String(decoding: line, as: UTF8.self))")
            }
        }
    }
}
