import Foundation
import PropertyBased
import Testing
@testable import HIDDecoding

struct KeyboardLayoutTests {
    /// Every printable character a layout types (one keystroke or a dead key composition):
    /// text -> boot reports in that layout -> decoder -> the same text.
    @Test(arguments: KeyboardLayout.allCases)
    func everyPrintableCharacterRoundTrips(_ layout: KeyboardLayout) throws {
        let encoder = KeyboardEncoder(layout: layout)
        let characters = encoder.printableCharacters
        // At least the printable ASCII a layout of these countries has, plus its own letters.
        #expect(characters.count >= (layout == .us ? 95 : 150), "\(layout): \(characters.count)")
        for character in characters {
            let reports = try encoder.bootReports(for: String(character))
            let scans = decode(reports, layout: layout)
            #expect(scans.map(\.text) == [String(character)], "\(layout): \(character) U+\(String(character.unicodeScalars.first?.value ?? 0, radix: 16))")
            #expect(scans.first?.warnings == [])
        }
    }

    @Test(arguments: KeyboardLayout.allCases)
    func printableASCIIIsTypableWhereTheLayoutHasIt(_ layout: KeyboardLayout) {
        let characters = Set(KeyboardEncoder(layout: layout).printableCharacters)
        let ascii = (0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }
        let missing = ascii.filter { !characters.contains($0) }
        // Every one of these layouts types all of printable ASCII (some through a dead key).
        #expect(missing.isEmpty, "\(layout) cannot type \(String(missing))")
    }

    @Test(arguments: KeyboardLayout.allCases)
    func randomTextsRoundTrip(_ layout: KeyboardLayout) async {
        let encoder = KeyboardEncoder(layout: layout)
        let alphabet = encoder.printableCharacters + ["\u{1D}", "\u{1E}", "\u{04}"]
        await propertyCheck(count: 200, input: Gen.element(of: alphabet).array(of: 1...40)) { characters in
            let text = String(characters.compactMap { $0 })
            let reports = try encoder.bootReports(for: text)
            let scans = decode(reports, layout: layout)
            #expect(scans.map(\.text) == [text])
        }
    }

    /// The committed tables are what libxkbcommon and xkb-data on this machine give: the
    /// generator runs again and its output must equal the committed file. Fails (never skips)
    /// without python3, libxkbcommon or xkb-data: CI installs them.
    @Test func committedTablesMatchLibxkbcommon() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Tools/generate-keyboard-layouts.py")
        let committed = root.appendingPathComponent("Sources/HIDDecoding/Keyboard/KeyboardLayoutTables.swift")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let generated = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the generator failed (install python3, libxkbcommon0, xkb-data, libx11-data): \(message)")
        let expected = try Data(contentsOf: committed)
        #expect(generated.count > 10_000)
        #expect(generated == expected, "KeyboardLayoutTables.swift differs from libxkbcommon's answer; run Tools/generate-keyboard-layouts.py")
    }

    @Test func theTablesFollowTheKernelsUsageTable() {
        let codes = KeyboardLayoutTables.linuxKeycodes
        #expect(codes.count == 256)
        // Spot values of drivers/hid/hid-input.c hid_keyboard[]: a, 1, Enter, Non-US #, KP Enter, Non-US \, RightAlt.
        #expect(codes[0x04] == 30 && codes[0x1E] == 2 && codes[0x28] == 28 && codes[0x32] == 43)
        #expect(codes[0x58] == 96 && codes[0x64] == 86 && codes[0xE6] == 100)
    }

    @Test func deHasAltGrAndUSDoesNot() {
        #expect(LayoutTable.de.modifierBits[6] == KeyState.levelThree.rawValue)
        #expect(LayoutTable.us.modifierBits[6] == KeyState.alt.rawValue)
    }
}

struct NumericKeypadTests {
    /// With Num Lock on (the start state) the keypad types digits and operators in every layout;
    /// Enter on the keypad ends a scan like Enter.
    @Test(arguments: KeyboardLayout.allCases)
    func keypadTypesDigitsAndOperators(_ layout: KeyboardLayout) {
        var reports: [[UInt8]] = []
        for usage: UInt8 in [0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x61, 0x62, 0x54, 0x55, 0x56, 0x57] {
            reports += [bootReport(0, usage), releaseAll]
        }
        reports += [bootReport(0, 0x58), releaseAll]
        let scans = decode(reports, layout: layout)
        #expect(scans.map(\.text) == ["1234567890/*-+"], "\(layout)")
    }

    @Test(arguments: KeyboardLayout.allCases)
    func keypadDecimalFollowsTheLayout(_ layout: KeyboardLayout) {
        let text = decode([bootReport(0, 0x63), releaseAll, bootReport(0, 0x58)], layout: layout).first?.text
        // xkb-data's basic de layout includes kpdl(comma); the others keep KP_Decimal '.'.
        let expected = layout == .de ? "," : "."
        #expect(text == expected, "\(layout)")
    }
}
