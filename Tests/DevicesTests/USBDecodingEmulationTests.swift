import DeviceEmulation
import Foundation
import Testing

/// Keyboard-wedge (US and DE) and HID POS scanners through the real libusb path and the
/// HIDDecoding decoder, against the shared corpus's independently computed expectations.
@Suite(.serialized)
struct USBDecodingEmulationTests {
    struct CorpusRecord: Decodable {
        var id: String
        var layout: String
        var reports_hex: [String]
        var expected_decoded_hex: String
        var layout_mismatch: Bool?
    }

    static func corpus(layout: String) throws -> [CorpusRecord] {
        let url = try #require(Bundle.module.url(forResource: "hid_reports", withExtension: "jsonl", subdirectory: "Corpus"))
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(CorpusRecord.self, from: Data($0.utf8)) }
            .filter { $0.layout == layout && $0.layout_mismatch != true }
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            if let byte = UInt8(hex[index..<next], radix: 16) { result.append(byte) }
            index = next
        }
        return result
    }

    /// Every stream of one layout, one after another from one scanner, in one run.
    func readCorpus(layout: String) throws {
        let records = try Self.corpus(layout: layout)
        #expect(records.count > 50)
        let reports = records.flatMap { $0.reports_hex.map(Self.bytes(hex:)) }
        let output = try UMockdevRun.run(
            devices: [(EmulatedUSBDevice(vendorID: 0x0c2e, productID: 0x0b81), EmulatedUSBDevice.keyboardSession(reports))],
            // Every stream ends with Enter; a long silence limit keeps a busy machine's pauses
            // between replayed reports from splitting a scan (the timeout has its own test).
            command: [UMockdevRun.scanstation, "devices", "watch", "--layout", layout, "--timeout-ms", "5000",
                      "--count", "\(records.count)", "--seconds", "30"],
            timeoutSeconds: 60)
        #expect(output.status == 0, "\(output.stderr)")
        let scans = try USBEmulationTests.scans(output)
        #expect(scans.count == records.count, "\(output.stderr)")
        for (scan, record) in zip(scans, records) {
            #expect(scan.hex == record.expected_decoded_hex, "\(record.id)")
        }
    }

    @Test func keyboardWedgeScannerOnAUSHostDecodesTheWholeUSCorpus() throws {
        try readCorpus(layout: "us")
    }

    @Test func keyboardWedgeScannerOnAGermanHostDecodesTheWholeDECorpus() throws {
        try readCorpus(layout: "de")
    }

    static func posScanner(vendor: UInt16 = 0x7f7f) -> EmulatedUSBDevice {
        var scanner = EmulatedUSBDevice(vendorID: vendor, productID: 0x0001)
        scanner.interfaceSubclass = 0
        scanner.interfaceProtocol = 0
        scanner.reportDescriptor = ReportDescriptors.hidPOSScanner
        scanner.maxPacketSize = 64
        scanner.product = "HID POS Imager"
        return scanner
    }

    @Test func hidPOSScannerOfAnUnknownVendorIsTakenWithItsSymbologyAndLongScansReassembled() throws {
        let gs1 = Array("0109501101020917".utf8) + [0x1D] + Array("10ABC123".utf8) + [0x1D] + Array(String(repeating: "21SERIAL", count: 10).utf8)
        let reports = ReportDescriptors.hidPOSReports(aim: "]E0", payload: Array("4006381333931".utf8))
            + ReportDescriptors.hidPOSReports(aim: "]C1", payload: gs1)
        #expect(reports.count == 3) // the GS1-128 scan needs two reports
        let output = try UMockdevRun.run(
            devices: [(Self.posScanner(), EmulatedUSBDevice.posSession(reports))],
            command: [UMockdevRun.scanstation, "devices", "watch", "--count", "2", "--seconds", "10"])
        #expect(output.status == 0, "\(output.stderr)")
        let scans = try USBEmulationTests.scans(output)
        #expect(scans.map(\.symbology) == ["ean-13", "gs1-128"])
        #expect(scans.first?.text == "4006381333931")
        #expect(scans.last?.hex == gs1.map { String(format: "%02x", $0) }.joined())
        #expect(output.stderr.contains("kind=hid-pos"))
    }

    @Test func aGoodReadSignalReachesTheHIDPOSScannerAsAnOutputReport() throws {
        let reports = ReportDescriptors.hidPOSReports(aim: "]E0", payload: Array("4006381333931".utf8))
        // Report 4, bit 1: Sound Good Read Beep (0x86), the second usage of the output report.
        let steps = EmulatedUSBDevice.posSession(reports) + [.setOutputReport([0x04, 0x02])]
        let output = try UMockdevRun.run(
            devices: [(Self.posScanner(vendor: 0x05e0), steps)],
            command: [UMockdevRun.scanstation, "devices", "watch", "--count", "1", "--signal", "good", "--seconds", "10"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try USBEmulationTests.scans(output).map(\.text) == ["4006381333931"])
        #expect(output.stderr.contains("scanner signal sent"), "\(output.stderr)")
        #expect(!output.stderr.contains("scanner signal failed"))
    }
}
