import Testing
@testable import HIDDecoding

struct FramingTests {
    let encoder = KeyboardEncoder(layout: .us)

    func typed(_ text: String, terminator: ScanTerminator = .none) -> [[UInt8]] {
        (try? encoder.bootReports(for: text, terminator: terminator)) ?? []
    }

    @Test func carriageReturnLineFeedCountsOnce() {
        // Enter, then Ctrl+J (LF): one terminator, no empty scan.
        let reports = typed("A1") + [bootReport(0, 0x28), releaseAll, bootReport(0x01, 0x0D), releaseAll] + typed("B2", terminator: .enter)
        #expect(decode(reports, layout: .us).map(\.text) == ["A1", "B2"])
    }

    @Test func tabTerminator() {
        let reports = typed("X", terminator: .tab) + typed("Y", terminator: .tab)
        #expect(decode(reports, layout: .us, framing: ScanFraming(terminator: .tab)).map(\.text) == ["X", "Y"])
        // With Enter framing a tab is data.
        #expect(decode(typed("X\tY", terminator: .enter), layout: .us).map(\.text) == ["X\tY"])
    }

    @Test func interCharacterTimeoutEndsAScan() {
        var decoder = HIDScanDecoder(descriptor: .bootKeyboard, layout: .us, framing: ScanFraming(terminator: .none, interCharacterTimeoutMilliseconds: 50))
        var scans: [HIDScan] = []
        var now: UInt64 = 1000
        for report in typed("12") { now += 8; scans += decoder.feed(report: report, atMilliseconds: now) }
        // The last character ('2') came at now - 8: 50 ms after it is not over the timeout.
        #expect(decoder.flush(atMilliseconds: now + 42).isEmpty)
        now += 200
        for report in typed("34") { now += 8; scans += decoder.feed(report: report, atMilliseconds: now) }
        #expect(scans.map(\.text) == ["12"])
        scans += decoder.flush(atMilliseconds: now + 51)
        #expect(scans.map(\.text) == ["12", "34"])
        #expect(scans.allSatisfy { $0.warnings.isEmpty })
    }

    @Test func aTimeoutWithoutTheTerminatorIsAWarning() {
        var decoder = HIDScanDecoder(descriptor: .bootKeyboard, layout: .us, framing: ScanFraming())
        var scans: [HIDScan] = []
        for report in typed("77") { scans += decoder.feed(report: report, atMilliseconds: 5) }
        scans += decoder.flush(atMilliseconds: 500)
        #expect(scans.map(\.text) == ["77"])
        #expect(scans.first?.warnings.count == 1)
    }

    @Test func prefixAndSuffixAreStripped() {
        let framing = ScanFraming(stripPrefix: "#", stripSuffix: "$")
        #expect(decode(typed("#ABC$", terminator: .enter), layout: .us, framing: framing).map(\.text) == ["ABC"])
        let missing = decode(typed("ABC", terminator: .enter), layout: .us, framing: framing)
        #expect(missing.map(\.text) == ["ABC"])
        #expect(missing.first?.warnings.count == 2)
    }

    @Test func anAIMIdentifierNamesTheSymbology() {
        let scans = decode(typed("]C1010950600013435", terminator: .enter), layout: .us)
        #expect(scans.first?.symbology == "gs1-128")
        #expect(decode(typed("12345", terminator: .enter), layout: .us).first?.symbology == nil)
    }
}
