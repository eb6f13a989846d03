import Testing
@testable import HIDDecoding

struct PointOfSaleTests {
    /// Report 2 of the Honeywell HID POS descriptor: ID, byte count, AIM id, 56 data bytes,
    /// 2 bytes HHP code id, the continued flags byte.
    func report(aim: String, data: ArraySlice<UInt8>, continued: Bool) -> [UInt8] {
        var bytes: [UInt8] = [0x02, UInt8(data.count)] + Array(aim.utf8)
        bytes += data
        bytes += [UInt8](repeating: 0, count: 56 - data.count)
        bytes += [0x6A, 0x00, continued ? 0x01 : 0x00]
        return bytes
    }

    func reports(aim: String, payload: [UInt8]) -> [[UInt8]] {
        stride(from: 0, to: payload.count, by: 56).map { start in
            let end = min(start + 56, payload.count)
            return report(aim: aim, data: payload[start..<end], continued: end < payload.count)
        }
    }

    @Test func scannedDataIsReassembledAcrossReports() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellHIDPOS)
        var decoder = HIDScanDecoder(descriptor: descriptor, layout: .de, framing: ScanFraming())
        let payload = Array("01095060001343521724123110ABC123".utf8) + [0x1D] + Array(String(repeating: "21SERIAL", count: 12).utf8)
        let parts = reports(aim: "]C1", payload: payload)
        #expect(parts.count == 3)
        var scans: [HIDScan] = []
        for (index, part) in parts.enumerated() {
            scans += decoder.feed(report: part, atMilliseconds: UInt64(index))
            #expect(scans.count == (index == parts.count - 1 ? 1 : 0))
        }
        #expect(scans.first?.bytes == payload)
        #expect(scans.first?.symbology == "gs1-128")
        #expect(scans.first?.warnings == [])
    }

    @Test(arguments: [("]E0", "ean-13"), ("]Q1", "qr"), ("]d2", "gs1-datamatrix"), ("]A0", "code-39")])
    func symbologyFromTheAIMIdentifier(_ aim: String, _ name: String) throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellHIDPOS)
        var decoder = HIDScanDecoder(descriptor: descriptor, layout: .us, framing: ScanFraming())
        let scans = decoder.feed(report: report(aim: aim, data: Array("4006381333931\r".utf8)[...], continued: false), atMilliseconds: 0)
        #expect(scans.map(\.text) == ["4006381333931"])
        #expect(scans.first?.symbology == name)
    }

    @Test func aScanLeftIncompleteIsReportedAtFlush() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellHIDPOS)
        var decoder = HIDScanDecoder(descriptor: descriptor, layout: .us, framing: ScanFraming())
        #expect(decoder.feed(report: report(aim: "]C0", data: Array("ABC".utf8)[...], continued: true), atMilliseconds: 10).isEmpty)
        #expect(decoder.flush(atMilliseconds: 20).isEmpty)
        let scans = decoder.flush(atMilliseconds: 500)
        #expect(scans.map(\.text) == ["ABC"])
        #expect(scans.first?.warnings.count == 1)
    }

    @Test func otherReportsOfTheScannerAreIgnored() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellHIDPOS)
        var decoder = HIDScanDecoder(descriptor: descriptor, layout: .us, framing: ScanFraming())
        #expect(decoder.feed(report: [0xFE, 0x01], atMilliseconds: 0).isEmpty)
        #expect(decoder.flush(atMilliseconds: .max).isEmpty)
    }

    @Test func bytesThatAreNotUTF8AreKeptAndReported() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellHIDPOS)
        var decoder = HIDScanDecoder(descriptor: descriptor, layout: .us, framing: ScanFraming())
        let scans = decoder.feed(report: report(aim: "]E0", data: [0x41, 0xFF, 0x42][...], continued: false), atMilliseconds: 0)
        #expect(scans.first?.bytes == [0x41, 0xFF, 0x42])
        #expect(scans.first?.text == "A\u{FFFD}B")
        #expect(scans.first?.warnings.count == 1)
    }

    @Test func aDescriptorWithoutReportIDsAndWithoutByteCount() throws {
        // Synthetic, from the HID POS usage tables: no report ID, symbology, 16 data bytes padded with NUL.
        let descriptor = try ReportDescriptor(parsing: [
            0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08,
            0x95, 0x03, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02,
            0x95, 0x10, 0x09, 0xFE, 0x82, 0x02, 0x01, 0xC0,
        ])
        var decoder = HIDScanDecoder(descriptor: descriptor, layout: .us, framing: ScanFraming(stripPrefix: "X"))
        let report = Array("]Q1".utf8) + Array("XHELLO".utf8) + [UInt8](repeating: 0, count: 10)
        let scans = decoder.feed(report: report, atMilliseconds: 0)
        #expect(scans.map(\.text) == ["HELLO"])
        #expect(scans.first?.symbology == "qr")
    }
}
