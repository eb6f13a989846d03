import DeviceEmulation
import Foundation
import Testing

/// The daemon itself (`scanstation run`) on an emulated HID POS scanner: each scan is
/// answered on standard output after its commit, and the scanner is told how it went (the
/// good-read or the error beep) — the whole USB path, scan in and signal out.
@Suite(.serialized)
struct USBDaemonEmulationTests {
    @Test func theDaemonAnswersEachUSBScanAndBeepsItsResultOnTheScanner() throws {
        let directory = try UMockdevRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = ReportDescriptors.hidPOSReports(aim: "]E0", payload: Array("4006381333931".utf8))
        // The same EAN-13 with its last digit misread: a bad check digit, refused.
        let misread = ReportDescriptors.hidPOSReports(aim: "]E0", payload: Array("4006381333932".utf8))
        // Report 4 is the beeper: bit 1 Sound Good Read Beep (0x86), bit 0 Sound Error Beep (0x85).
        let steps = EmulatedUSBDevice.posSession(good) + [.setOutputReport([0x04, 0x02])]
            + misread.map(EmulatedUSBDevice.Step.report) + [.setOutputReport([0x04, 0x01])]
        let database = directory.appendingPathComponent("station.db").path
        // The daemon runs until stopped: SIGTERM after a few seconds drains it (answers first).
        let output = try UMockdevRun.run(
            devices: [(USBDecodingEmulationTests.posScanner(vendor: 0x05e0), steps)],
            command: ["/usr/bin/timeout", "-s", "TERM", "6", UMockdevRun.scanstation, "run", "--source", "usb",
                      "--station", "dock-1", "--db", database, "--listen", "off", "--feedback", "jsonl"],
            timeoutSeconds: 30)
        let answers = try output.lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(answers.map { $0["result"] as? String } == ["accepted", "rejected"], "\(output.stderr)")
        #expect(answers.map { $0["symbology"] as? String } == ["ean-13", "ean-13"])
        #expect(answers.map { $0["seq"] as? Int } == [1, 2])
        #expect((answers.last?["error"] as? [String: Any])?["code"] as? String == "gtin_check_digit")
        let signals = output.stderr.split(separator: "\n").filter { $0.contains("scanner signal sent") }
        #expect(signals.count == 2, "\(output.stderr)")
        #expect(signals.first?.contains("signal=good") == true && signals.last?.contains("signal=bad") == true, "\(signals)")
        #expect(!output.stderr.contains("scanner signal failed"))
    }

    /// A scan taken with a warning (here one more than the receipt expects) needs the
    /// worker's attention: the scanner sounds its Not On File beep, not the good-read one.
    @Test func aWarningIsSignalledAsAWarningNotAsAGoodRead() throws {
        let directory = try UMockdevRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("station.db").path
        for (kind, text) in [
            ("products", "sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked\nGEL-2,09506000134352,Gel 2,pcs,1,false,false\n"),
            ("locations", "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,1\n"),
            ("receipts", "receipt,line,sscc,sku,qty,lot,expiry\nREC-1,1,,GEL-2,10,,\n"),
        ] {
            let file = directory.appendingPathComponent("\(kind).csv")
            try Data(text.utf8).write(to: file)
            let imported = try UMockdevRun.runProcess(UMockdevRun.scanstation, ["import", kind, file.path, "--db", database])
            try #require(imported.status == 0, "\(imported.stderr)")
        }
        let receipt = ReportDescriptors.hidPOSReports(aim: "]C0", payload: Array("REC-1".utf8))
        // GTIN and AI 30: 11 of the 10 expected, booked with the over-receipt warning.
        let overReceived = ReportDescriptors.hidPOSReports(aim: "]C1", payload: Array("01095060001343523011".utf8))
        let misread = ReportDescriptors.hidPOSReports(aim: "]E0", payload: Array("4006381333932".utf8))
        // Report 4: bit 0 Sound Error Beep, bit 1 Sound Good Read Beep, bit 2 Sound Not On File Beep.
        let steps = EmulatedUSBDevice.posSession(receipt) + [.setOutputReport([0x04, 0x02])]
            + overReceived.map(EmulatedUSBDevice.Step.report) + [.setOutputReport([0x04, 0x04])]
            + misread.map(EmulatedUSBDevice.Step.report) + [.setOutputReport([0x04, 0x01])]
        var scanner = USBDecodingEmulationTests.posScanner(vendor: 0x05e0)
        scanner.reportDescriptor = ReportDescriptors.hidPOSScannerWithNotOnFileBeep
        let output = try UMockdevRun.run(
            devices: [(scanner, steps)],
            command: ["/usr/bin/timeout", "-s", "TERM", "6", UMockdevRun.scanstation, "run", "--source", "usb",
                      "--station", "dock-1", "--mode", "receive", "--db", database, "--listen", "off", "--feedback", "jsonl"],
            timeoutSeconds: 30)
        let answers = try output.lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        #expect(answers.map { $0["result"] as? String } == ["accepted", "warning", "rejected"], "\(output.stderr)")
        #expect((answers.dropFirst().first?["error"] as? [String: Any])?["code"] as? String == "over_receipt", "\(answers)")
        let signals = output.stderr.split(separator: "\n").filter { $0.contains("scanner signal sent") }
        #expect(signals.count == 3, "\(output.stderr)")
        #expect(signals.map { $0.contains("signal=good") } == [true, false, false], "\(signals)")
        #expect(signals.map { $0.contains("signal=warning") } == [false, true, false], "\(signals)")
        #expect(signals.last?.contains("signal=bad") == true, "\(signals)")
        #expect(!output.stderr.contains("scanner signal failed"))
    }
}
