import Foundation
import Logging
import ScanCodes
import Testing
@testable import Devices

/// The Code 128 fallback: its tables against zint, its model-based decoding on frames drawn
/// here (narrow modules, blur, noise, any angle), its refusals, and the corpus pallet
/// labels nothing else reads.
@Suite struct BlurredCode128Tests {
    static let referenceDate = CalendarDate(year: 2026, month: 6, day: 1)
    static let gs1Data = "010950600013435210AB12\u{1D}17261231"
    static let sscc = "00340123450000000017"

    func read(_ frame: GrayFrame) -> [DecodedSymbol] {
        BlurredCode128Reader().read(frame, referenceDate: Self.referenceDate)
    }

    // MARK: Tables

    /// zint's bars, cut into characters with our width table, give back zint's input: the
    /// table, the check and the code-set rules agree with an independent encoder.
    @Test(arguments: [
        (["-b", "20", "-d", "Pallet 42/ab-CD?"], "Pallet 42/ab-CD?", false),
        (["-b", "20", "-d", "0123456789012345678901234567890123456789"], "0123456789012345678901234567890123456789", false),
        (["-b", "20", "-d", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"], " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", false),
        (["-b", "20", "-d", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", false),
        (["-b", "20", "-d", "5051525354555657585960616263646566676869707172737475767778798081"], "5051525354555657585960616263646566676869707172737475767778798081", false),
        (["-b", "20", "-d", "8283848586878889909192939495969798990a"], "8283848586878889909192939495969798990a", false),
        (["-b", "16", "-d", "[01]09506000134352[10]AB12[17]261231"], Self.gs1Data, true),
    ])
    func zintSymbolsReadBackThroughTheTables(zint: [String], text: String, gs1: Bool) throws {
        let dump = try Tool.run(["zint", "--dump"] + zint)
        #expect(dump.status == 0)
        var bits: [Bool] = []
        for word in String(decoding: dump.standardOutput, as: UTF8.self).split(whereSeparator: \.isWhitespace) {
            let value = try #require(UInt64(word, radix: 16))
            for bit in (0..<(word.count * 4)).reversed() { bits.append(value >> UInt64(bit) & 1 == 1) }
        }
        var patterns: [[Bool]: Int] = [:]
        for value in 0...Code128Symbols.stop { patterns[SyntheticCode128.modules([value])] = value }
        var values: [Int] = []
        var position = 0
        while position + 11 <= bits.count, let value = patterns[Array(bits[position..<(position + 11)])], value != Code128Symbols.stop {
            values.append(value)
            position += 11
        }
        // The stop, then at most the padding of the dump's last hex digit.
        #expect(Array(bits[position..<min(bits.count, position + 13)]) == SyntheticCode128.modules([Code128Symbols.stop]))
        #expect(bits.count - position - 13 < 4)
        let check = try #require(values.last)
        values.removeLast()
        #expect(Code128Symbols.checkValue(start: values[0], data: values.dropFirst()) == check)
        let decoded = try #require(Code128Symbols.text(of: values))
        #expect(decoded.bytes == Array(text.utf8))
        #expect(decoded.isGS1 == gs1)
    }

    @Test func everyCharacterIsElevenModulesWithThreeBarsAndAnEvenBarTotal() {
        #expect(Code128Symbols.widths.count == 107)
        for value in 0..<Code128Symbols.stop {
            let widths = Code128Symbols.widths[value]
            #expect(widths.count == 6 && widths.reduce(0, +) == 11, "value \(value)")
            // Bars add up to an even count of modules, spaces to an odd one (ISO/IEC 15417).
            #expect((widths[0] + widths[2] + widths[4]) % 2 == 0, "value \(value)")
        }
        #expect(Code128Symbols.widths[Code128Symbols.stop].reduce(0, +) == 13)
        #expect(Set((0...Code128Symbols.stop).map { SyntheticCode128.modules([$0]) }).count == 107)
    }

    @Test func valuesBecomeTextThroughCodeSetsShiftsAndFNC1() throws {
        #expect(Code128Symbols.checkValue(start: 104, data: [33, 34, 35]) == (104 + 33 + 2 * 34 + 3 * 35) % 103)
        let plain = try #require(Code128Symbols.text(of: [104, 33, 34, 35]))
        #expect(plain.bytes == Array("ABC".utf8) && !plain.isGS1)
        // FNC1 first: GS1, not in the data; later: GS. Set C pairs, then Code B.
        let gs1 = try #require(Code128Symbols.text(of: [105, 102, 1, 8, 100, 33, 102, 17]))
        #expect(gs1.bytes == Array("0108A\u{1D}1".utf8) && gs1.isGS1)
        // Set A: a shift reads one character in set B; 64 and up are control characters.
        #expect(Code128Symbols.text(of: [103, 33, 98, 65, 33, 77])?.bytes == Array("AaA\r".utf8))
        // Code A from set B, Code C from set A.
        #expect(Code128Symbols.text(of: [104, 65, 101, 65, 99, 12])?.bytes == [UInt8(ascii: "a"), 0x01, UInt8(ascii: "1"), UInt8(ascii: "2")])
        // Refused: FNC4 (100 in set B), FNC3, a shift with nothing after it, a start inside
        // the data, no data at all.
        #expect(Code128Symbols.text(of: [104, 100, 33]) == nil)
        #expect(Code128Symbols.text(of: [104, 96, 33]) == nil)
        #expect(Code128Symbols.text(of: [104, 33, 98]) == nil)
        #expect(Code128Symbols.text(of: [104, 33, 105]) == nil)
        #expect(Code128Symbols.text(of: [104]) == nil)
        #expect(Code128Symbols.text(of: []) == nil)
    }

    /// The decoder renders blur with a tabled normal CDF; it must match libm's.
    @Test func theTabledNormalDistributionMatchesErfc() {
        for step in -80...80 {
            let z = Double(step) / 10
            let exact = 0.5 * erfc(-z / 2.0.squareRoot())
            #expect(abs(Double(Code128ProfileDecoder.normalCDF(Float(z))) - exact) < 2e-5, "z = \(z)")
        }
        #expect(Code128ProfileDecoder.normalCDF(0) == 0.5)
    }

    // MARK: Synthetic frames

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var gs1: Bool
        var camera: SyntheticCode128.Camera
        var testDescription: String { "\(text.debugDescription) at \(camera.pixelsPerModule) px/module, \(camera.angle)°, blur \(camera.blur), noise \(camera.noise), stretch \(camera.stretch)" }
    }

    static let cases: [Case] = [
        Case(text: gs1Data, gs1: true, camera: .init(pixelsPerModule: 1.8, angle: 4, blur: 1.0, noise: 6)),
        Case(text: sscc, gs1: true, camera: .init(pixelsPerModule: 1.6, angle: -8, blur: 1.0, noise: 4, seed: 2)),
        Case(text: "PALLET-4711-XY", gs1: false, camera: .init(pixelsPerModule: 1.5, angle: -3, blur: 0.9, noise: 4, seed: 3)),
        Case(text: "12345678901234567890", gs1: false, camera: .init(pixelsPerModule: 2.5, angle: 15, blur: 1.4, noise: 8, seed: 4)),
        // Upside down and turned a quarter: read in the other direction, along y.
        Case(text: "LOC A-01-02", gs1: false, camera: .init(pixelsPerModule: 3, angle: 180, blur: 1.5, noise: 6, seed: 5)),
        Case(text: sscc, gs1: true, camera: .init(pixelsPerModule: 2, angle: 90, blur: 1.0, noise: 6, width: 360, height: 640, seed: 6)),
        // Seen at a slant: modules 8% wider at one end than at the other, so a character
        // drifts by up to two modules from where an even module width puts it.
        Case(text: gs1Data, gs1: true, camera: .init(pixelsPerModule: 1.8, angle: 2, blur: 1.0, noise: 5, stretch: 0.08, seed: 7)),
    ]

    @Test(arguments: cases)
    func readsBlurredNarrowSymbolsExactly(_ example: Case) {
        let values = SyntheticCode128.values(for: example.text, gs1: example.gs1)
        let frame = SyntheticCode128.frame(SyntheticCode128.modules(values), camera: example.camera)
        let expected = DecodedSymbol(symbology: example.gs1 ? .gs1128 : .code128, bytes: Array(example.text.utf8))
        #expect(read(frame) == [expected])
    }

    @Test func zbarItselfCannotReadTheNarrowestSyntheticLabel() throws {
        // Keeps the synthetic cases honest: they are beyond the edge-based decoder.
        let example = Self.cases[0]
        let frame = SyntheticCode128.frame(SyntheticCode128.modules(SyntheticCode128.values(for: example.text, gs1: true)), camera: example.camera)
        let scanner = try ZBarSymbolScanner(selection: SymbologySelection([.gs1128]))
        #expect(scanner.scan(frame, enhancing: FrameEnhancement.allCases).isEmpty)
    }

    // MARK: Refusals

    /// A character printed wrong (another valid pattern, the check left as it was) fails
    /// the check: nothing is read, neither the printed nor the intended data.
    @Test(arguments: [3, 9, 14])
    func aSymbolWithOneWrongCharacterIsNotRead(position: Int) {
        var values = SyntheticCode128.values(for: Self.gs1Data, gs1: true)
        values[position] = (values[position] + 37) % 100
        let frame = SyntheticCode128.frame(SyntheticCode128.modules(values), camera: .init(pixelsPerModule: 2, angle: 3, blur: 0.8, noise: 3))
        #expect(read(frame).isEmpty)
    }

    /// A GS1-128 whose Code 128 check is right but whose GTIN check digit is wrong: what a
    /// misread that happens to pass mod 103 looks like. Refused; the same symbol with the
    /// right digit is read, so the refusal is the GS1 validation's.
    @Test func aGS1PayloadWithAWrongCheckDigitIsNotRead() {
        let camera = SyntheticCode128.Camera(pixelsPerModule: 2, angle: 3, blur: 0.8, noise: 3)
        let wrong = SyntheticCode128.frame(SyntheticCode128.modules(SyntheticCode128.values(for: "0109506000134353", gs1: true)), camera: camera)
        #expect(read(wrong).isEmpty)
        let right = SyntheticCode128.frame(SyntheticCode128.modules(SyntheticCode128.values(for: "0109506000134352", gs1: true)), camera: camera)
        #expect(read(right) == [DecodedSymbol(symbology: .gs1128, bytes: Array("0109506000134352".utf8))])
    }

    /// Bars that are no Code 128 (a symbol cut short before its stop; random bars) give
    /// nothing, and so does a frame without bars.
    @Test func barsThatAreNoCode128AreNotRead() {
        let camera = SyntheticCode128.Camera(pixelsPerModule: 2, angle: 5, blur: 0.8, noise: 3)
        let full = SyntheticCode128.modules(SyntheticCode128.values(for: Self.gs1Data, gs1: true))
        #expect(read(SyntheticCode128.frame(Array(full.dropLast(24)), camera: camera)).isEmpty)
        var random = SplitMix64(seed: 11)
        var bars: [Bool] = []
        while bars.count < 300 { bars += [Bool](repeating: bars.count % 2 == 0, count: 1 + Int(random.next() % 4)) }
        #expect(read(SyntheticCode128.frame(bars, camera: camera)).isEmpty)
        #expect(read(GrayFrame(width: 640, height: 360, pixels: [UInt8](repeating: 180, count: 640 * 360), capturedAt: 0)).isEmpty)
    }

    // MARK: Corpus

    static let palletLabels = ["images/img-014.png", "images/img-015.png", "images/img-023.png", "images/img-033.png"]

    func corpusFrame(_ file: String) throws -> GrayFrame {
        let url = try #require(Bundle.module.url(forResource: "Corpus/" + file, withExtension: nil))
        return try ImageFile.load(path: url.path)
    }

    /// GS1-128 SSCC labels at about 1.8 pixels per module with a pixel of blur: neither
    /// zbarimg nor zxing-cpp (the corpus records) nor zbar with its second looks reads
    /// them; the fallback reads exactly what zint encoded, and `read-image`'s reader uses it.
    @Test(arguments: palletLabels)
    func readsPalletLabelsNothingElseReads(file: String) throws {
        let record = try #require(try CorpusImageTests.records().first { $0.file == file })
        let encoded = try #require(record.encoded.first)
        #expect(encoded.symbology == "gs1-128")
        #expect(record.zbarimgLines.isEmpty)
        let frame = try corpusFrame(file)
        let scanner = try ZBarSymbolScanner(selection: .standard)
        #expect(scanner.scan(frame, enhancing: FrameEnhancement.allCases).isEmpty, "zbar reads \(file) now: the fallback is not what reads it")
        let expected = DecodedSymbol(symbology: .gs1128, bytes: Array(encoded.data.utf8))
        #expect(read(frame) == [expected])
        let reader = try ImageSymbolReader(selection: SymbologySelection([.gs1128, .code128]))
        #expect(reader.read(frame) == [expected])
    }

    /// A site that reads no Code 128 does not pay for the fallback, nor get its reads.
    @Test func onlySitesReadingCode128GetTheFallback() throws {
        let frame = try corpusFrame(Self.palletLabels[0])
        #expect(try ImageSymbolReader(selection: SymbologySelection([.ean13, .qr])).read(frame).isEmpty)
        #expect(try ImageSymbolReader(selection: SymbologySelection([.code128])).read(frame).map(\.symbology) == [.gs1128])
    }

    /// On every corpus frame, whatever zbar reads there, the fallback reports no Code 128
    /// that was not encoded (the hard 1.2 px/module frame img-009 among them).
    @Test func noCorpusFrameGivesAFalseCode128() throws {
        for record in try CorpusImageTests.records() {
            let encoded = Set(record.encoded.filter { $0.symbology == "code128" || $0.symbology == "gs1-128" }.map { Array($0.data.utf8) })
            for symbol in read(try corpusFrame(record.file)) {
                #expect(encoded.contains(symbol.bytes), "\(record.file): \(symbol.testDescription)")
            }
        }
    }

    /// A frame stream with a pallet label: the live pipeline runs the fallback after the
    /// second looks and scans the label once.
    @Test func theCameraPipelineReadsAPalletLabelThroughTheFallback() async throws {
        let frame = try corpusFrame(Self.palletLabels[0])
        let record = try #require(try CorpusImageTests.records().first { $0.file == Self.palletLabels[0] })
        let pgm = Array("P5\n\(frame.width) \(frame.height)\n255\n".utf8) + frame.pixels
        let path = try temporaryFile(pgm + pgm)
        let configuration = CameraConfiguration(symbologies: SymbologySelection([.gs1128]), holdOffMilliseconds: 60_000)
        let camera = try CameraScanSource.frames(argument: path, configuration: configuration, logger: Logger(label: "code128-tests"))
        let scans = try await collectScans(camera)
        #expect(scans.map(\.decoded) == [DecodedSymbol(symbology: .gs1128, bytes: Array(try #require(record.encoded.first).data.utf8))])
    }
}
