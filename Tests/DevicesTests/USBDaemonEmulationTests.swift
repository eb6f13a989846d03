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
}
