import Foundation
import Testing

/// `scanstation hid-decode` and `hid-descriptor` as CONTRACTS.md defines them, through the binary.
@Suite struct HIDCommandTests {
    @Test func hidDecodePrintsOneObjectPerScan() throws {
        // "a", Ctrl+] (GS), "b", Enter on US; then the DE way to GS on a DE host.
        let us = "00 00 04 00 00 00 00 00\n0000000000000000\n0100300000000000\n0000000000000000\n0000050000000000\n0000000000000000\n0000280000000000\n0000000000000000\n"
        let output = try ScanStationProcess.run(["hid-decode"], input: Data(us.utf8))
        #expect(output.status == 0)
        #expect(output.lines == [#"{"text":"a\u001db","symbology":null,"warnings":[]}"#])
        let de = try ScanStationProcess.run(["hid-decode", "--layout", "de"], input: Data("4100260000000000\n0000000000000000\n0000280000000000\n".utf8))
        #expect(de.lines == [#"{"text":"\u001d","symbology":null,"warnings":[]}"#])
    }

    @Test func hidDecodeFramesByTimestampAndReportsUnmappedKeys() throws {
        let input = "0 00001e0000000000\n8 0000000000000000\n16 0000a50000000000\n24 0000000000000000\n300 00001f0000000000\n308 0000000000000000\n"
        let output = try ScanStationProcess.run(["hid-decode", "--terminator", "none", "--timeout-ms", "50"], input: Data(input.utf8))
        #expect(output.lines.count == 2)
        #expect(output.lines.first?.hasPrefix(#"{"text":"1","symbology":null,"warnings":["key usage 0xA5"#) == true)
        #expect(output.lines.last == #"{"text":"2","symbology":null,"warnings":[]}"#)
    }

    @Test func hidDecodeWithAHIDPOSDescriptor() throws {
        let descriptor = "058c0902a1018502150026ff00750895010501093b8102950305" + "8c09fb09fc09fd8102953809fe820201c0"
        var report: [UInt8] = [0x02, 4] + Array("]E0".utf8) + Array("4711".utf8)
        report += [UInt8](repeating: 0, count: 56 - 4)
        let hex = report.map { String(format: "%02x", $0) }.joined()
        let output = try ScanStationProcess.run(["hid-decode", "--descriptor", descriptor], input: Data((hex + "\n").utf8))
        #expect(output.lines == [#"{"text":"4711","symbology":"ean-13","warnings":[]}"#])
    }

    @Test func hidDescriptorPrintsTheLayoutOrTheError() throws {
        let boot = "05010906A101050719E029E715002501750195088102950175088101950575010508190129059102950175039101950675081500256505071900296581 00C0"
        let text = try ScanStationProcess.run(["hid-descriptor", boot])
        #expect(text.status == 0)
        #expect(text.lines.contains("input report (no id): 8 bytes"))
        let json = try ScanStationProcess.run(["hid-descriptor", "--format", "json", boot])
        let object = try JSONSerialization.jsonObject(with: Data((json.lines.first ?? "").utf8)) as? [String: Any]
        #expect(object?["keyboard"] as? Bool == true)
        #expect((object?["reports"] as? [Any])?.count == 2)
        let bad = try ScanStationProcess.run(["hid-descriptor", "0501A1"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("truncated_item"))
        let usage = try ScanStationProcess.run(["hid-decode", "--layout", "xx"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("unknown layout 'xx'"))
    }
}
