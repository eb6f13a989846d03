import Testing
@testable import HIDDecoding

struct KeyboardDecodingTests {
    @Test func groupSeparatorIsControlBracketOnUS() {
        let scans = decode([bootReport(0, 0x04), releaseAll, bootReport(0x01, 0x30), releaseAll, bootReport(0, 0x05), releaseAll, bootReport(0, 0x28), releaseAll], layout: .us)
        #expect(scans.map(\.bytes) == [[0x61, 0x1D, 0x62]])
    }

    @Test func groupSeparatorIsControlAltGrNineOnDE() {
        // Ctrl + AltGr (right Alt, bit 6) + 9: AltGr+9 is ']' on DE.
        let scans = decode([bootReport(0x41, 0x26), releaseAll, bootReport(0, 0x28), releaseAll], layout: .de)
        #expect(scans.map(\.bytes) == [[0x1D]])
        // The US way on a DE host types '+', not GS (Ctrl does not change '+').
        let usWay = decode([bootReport(0x01, 0x30), releaseAll, bootReport(0, 0x28)], layout: .de)
        #expect(usWay.map(\.text) == ["+"])
    }

    @Test(arguments: KeyboardLayout.allCases)
    func controlCharactersTheLayoutsOwnWay(_ layout: KeyboardLayout) throws {
        let encoder = KeyboardEncoder(layout: layout)
        for code: UInt8 in [0x1D, 0x1E, 0x04] {
            let strokes = try #require(encoder.keystrokes(for: Character(Unicode.Scalar(code))), "\(layout) cannot type 0x\(String(code, radix: 16))")
            #expect(strokes.count == 1)
            #expect(strokes[0].modifiers & 0x11 != 0, "a control character needs Ctrl")
            let scans = decode(try encoder.bootReports(for: String(Unicode.Scalar(code))), layout: layout)
            #expect(scans.map(\.bytes) == [[code]])
        }
    }

    @Test func endOfTransmissionIsControlD() {
        #expect(decode([bootReport(0x10, 0x07), releaseAll, bootReport(0, 0x28)], layout: .us).map(\.bytes) == [[0x04]])
    }

    @Test(arguments: ["029", "0029", "29"])
    func altNumpadCodesGiveGS(_ code: String) throws {
        for layout in KeyboardLayout.allCases {
            let encoder = KeyboardEncoder(layout: layout)
            var reports = try encoder.bootReports(for: "a", terminator: .none)
            reports += altNumpadReports(code)
            reports += try encoder.bootReports(for: "b")
            #expect(decode(reports, layout: layout).map(\.bytes) == [[0x61, 0x1D, 0x62]], "\(layout)")
        }
    }

    @Test func altNumpadCodesUseTheRightCodePage() {
        // Alt+0228 is ANSI (cp1252) ä; Alt+132 is OEM (cp437) ä; Alt+0128 is €.
        #expect(decode(altNumpadReports("0228"), layout: .us).first?.text == "ä")
        #expect(decode(altNumpadReports("132"), layout: .us).first?.text == "ä")
        #expect(decode(altNumpadReports("0128"), layout: .de).first?.text == "€")
        // 0x81 has no character in cp1252: a warning, no invented character.
        let undefined = decode(altNumpadReports("0129"), layout: .us)
        #expect(undefined.first?.text == "")
        #expect(undefined.first?.warnings.count == 1)
    }

    @Test func codePageTablesAreComplete() {
        #expect(AltNumpadCode.codePage437High.count == 128)
        #expect(AltNumpadCode.windows1252High.count == 32)
    }

    @Test func bothShiftsAndCapsLock() {
        let scans = decode([
            bootReport(0x02, 0x04), releaseAll,  // left Shift + a
            bootReport(0x20, 0x04), releaseAll,  // right Shift + a
            bootReport(0, 0x39), releaseAll,  // Caps Lock on
            bootReport(0, 0x05), releaseAll,  // B
            bootReport(0x02, 0x05), releaseAll,  // Shift cancels Caps: b
            bootReport(0, 0x1E), releaseAll,  // digits ignore Caps: 1
            bootReport(0, 0x39), releaseAll,  // Caps Lock off
            bootReport(0, 0x06), releaseAll,  // c
            bootReport(0, 0x28), releaseAll,
        ], layout: .us)
        #expect(scans.map(\.text) == ["AABb1c"])
    }

    @Test func numLockDecidesWhatTheKeypadTypes() {
        let keypad = [bootReport(0, 0x59), releaseAll, bootReport(0, 0x62), releaseAll]
        #expect(decode(keypad + [bootReport(0, 0x28)], layout: .us).map(\.text) == ["10"])
        // Num Lock off: KP_End and KP_Insert type nothing; each is reported.
        let off = decode([bootReport(0, 0x53), releaseAll] + keypad + [bootReport(0, 0x5A), releaseAll, bootReport(0, 0x28)], layout: .us)
        #expect(off.count == 1)
        #expect(off.first?.text == "")
        #expect(off.first?.warnings.count == 3)
    }

    @Test func theSameKeyTwiceNeedsARelease() {
        let scans = decode([bootReport(0, 0x04), releaseAll, bootReport(0, 0x04), bootReport(0, 0x04), releaseAll, bootReport(0, 0x28)], layout: .us)
        #expect(scans.map(\.text) == ["aa"])
    }

    @Test func rolloverAndPhantomReportsAreIgnored() {
        let scans = decode([
            bootReport(0, 0x04), bootReport(0, 0x04, 0x05),  // b pressed while a is held
            bootReport(0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01),  // phantom: ErrorRollOver
            bootReport(0, 0x04, 0x05),  // the same keys again: no new edges
            bootReport(0, 0x05), releaseAll, bootReport(0, 0x28),
        ], layout: .us)
        #expect(scans.map(\.text) == ["ab"])
    }

    @Test func modifierPressedBeforeTheKey() {
        let scans = decode([bootReport(0x02), bootReport(0x02, 0x04), bootReport(0x02), releaseAll, bootReport(0, 0x28)], layout: .us)
        #expect(scans.map(\.text) == ["A"])
    }

    @Test func deadKeysCompose() {
        // DE: ^ is a dead key (usage 0x35); ^ a = â, ^ space = ^, ´ e = é (0x2E dead_acute).
        let scans = decode([
            bootReport(0, 0x35), releaseAll, bootReport(0, 0x04), releaseAll,
            bootReport(0, 0x35), releaseAll, bootReport(0, 0x2C), releaseAll,
            bootReport(0, 0x2E), releaseAll, bootReport(0, 0x08), releaseAll,
            bootReport(0, 0x28), releaseAll,
        ], layout: .de)
        #expect(scans.map(\.text) == ["â^é"])
        #expect(scans.first?.warnings == [])
    }

    @Test func aDeadKeyThatDoesNotComposeKeepsBothAndSaysSo() {
        // dead_circumflex then q (0x14): the Compose table has no ^q.
        let scans = decode([bootReport(0, 0x35), releaseAll, bootReport(0, 0x14), releaseAll, bootReport(0, 0x28), releaseAll], layout: .de)
        #expect(scans.first?.text == "^q")
        #expect(scans.first?.warnings.count == 1)
    }

    @Test func aUsageTheLayoutCannotMapIsReported() {
        // 0xA5 has no key in the kernel's table; 0x3A (F1) types no text.
        let scans = decode([bootReport(0, 0x04), releaseAll, bootReport(0, 0xA5), releaseAll, bootReport(0, 0x3A), releaseAll, bootReport(0, 0x05), releaseAll, bootReport(0, 0x28)], layout: .us)
        #expect(scans.map(\.text) == ["ab"])
        #expect(scans.first?.warnings.count == 2)
    }

    @Test func layoutMismatchSwapsYAndZ() {
        let yellow = try? KeyboardEncoder(layout: .us).bootReports(for: "Yellow Zebra")
        #expect(decode(yellow ?? [], layout: .de).map(\.text) == ["Zellow Yebra"])
    }

    @Test func reportProtocolKeyboardWithReportIDAndBitmap() throws {
        // Synthetic, from the HID Usage Tables: report ID 1, modifier bitmap, then a bitmap of
        // usages 0x00-0x67 (NKRO), as many gaming and some scanner keyboards send; report ID 2
        // is a consumer control.
        let descriptor = try ReportDescriptor(parsing: [
            0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x85, 0x01,
            0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
            0x19, 0x00, 0x29, 0x67, 0x95, 0x68, 0x81, 0x02,
            0xC0,
            0x05, 0x0C, 0x09, 0x01, 0xA1, 0x01, 0x85, 0x02, 0x15, 0x00, 0x26, 0xFF, 0x03, 0x19, 0x00, 0x2A, 0xFF, 0x03,
            0x75, 0x10, 0x95, 0x01, 0x81, 0x00, 0xC0,
        ])
        #expect(descriptor.isKeyboard)
        #expect(descriptor.usesReportIDs)
        func report(modifiers: UInt8, _ usages: UInt8...) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: 1 + 1 + 13)
            bytes[0] = 1
            bytes[1] = modifiers
            for usage in usages { bytes[2 + Int(usage) / 8] |= 1 << (usage % 8) }
            return bytes
        }
        let scans = decode([
            report(modifiers: 0x02, 0x0B), report(modifiers: 0), [0x02, 0xE9, 0x00],  // H, then volume up (ignored)
            report(modifiers: 0, 0x08), report(modifiers: 0, 0x08, 0x0F), report(modifiers: 0),  // e, l
            report(modifiers: 0, 0x28), report(modifiers: 0),
        ], layout: .us, descriptor: descriptor)
        #expect(scans.map(\.text) == ["Hel"])
    }

    @Test func theHostsLockStateCanBeSet() {
        var decoder = HIDScanDecoder(descriptor: .bootKeyboard, layout: .de, framing: ScanFraming())
        #expect(decoder.numLock && !decoder.capsLock)
        decoder.capsLock = true
        decoder.numLock = false
        var scans: [HIDScan] = []
        for report in [bootReport(0, 0x1D), releaseAll, bootReport(0, 0x59), releaseAll, bootReport(0, 0x28)] {
            scans += decoder.feed(report: report, atMilliseconds: 0)
        }
        // DE 0x1D is y; Caps Lock makes it Y; KP_End types nothing and is reported.
        #expect(scans.map(\.text) == ["Y"])
        #expect(scans.first?.warnings.count == 1)
    }
}
