import DeviceEmulation
import Foundation
import Testing

/// The daemon as a site runs it, on emulated USB scanners (real libusb under umockdev): a
/// config with a keyboard-wedge scanner set to the German layout and a scanner prefix, and a
/// HID POS scanner, each feeding a receiving station; the answers and the ledger show the
/// GTIN, lot, expiry and quantity of GS1-128 labels whose FNC1s arrive as GS.
@Suite(.serialized)
struct USBStationScenarioTests {
    static let products = """
        sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked
        GEL-2,09506000134352,Gel 2,pcs,1,true,true
        WIDGET-7,04006381333931,Widget 7,pcs,1,false,false
        """
    static let receipts = """
        receipt,line,sscc,sku,qty,lot,expiry
        REC-1,1,,GEL-2,10,L42,2027-06-30
        REC-2,1,340123450000000024,GEL-2,20,L50,2027-08-31
        """
    static let locations = """
        code,barcode,kind,zone,sequence
        DOCK-1,DOCK-1,dock,,1
        DOCK-2,DOCK-2,dock,,2
        """

    /// Imports the master data into a new store in `directory`; returns the store's path.
    static func warehouse(in directory: URL) throws -> String {
        let database = directory.appendingPathComponent("s.db").path
        for (kind, text) in [("products", products), ("locations", locations), ("receipts", receipts)] {
            let file = directory.appendingPathComponent("\(kind).csv")
            try Data(text.utf8).write(to: file)
            let output = try UMockdevRun.runProcess(UMockdevRun.scanstation, ["import", kind, file.path, "--db", database])
            try #require(output.status == 0, "\(output.stderr)")
        }
        return database
    }

    static func answers(_ output: UMockdevRun.Output) throws -> [[String: Any]] {
        try output.lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    @Test func receivingStationsReadGS1LabelsFromAGermanWedgeScannerAndAHIDPOSScanner() throws {
        let directory = try UMockdevRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Self.warehouse(in: directory)
        let config = directory.appendingPathComponent("scanstation.toml")
        try Data("""
            database = "\(database)"
            listen = "off"
            control_socket = "\(directory.appendingPathComponent("control.sock").path)"
            language = "de"
            [[station]]
            name = "dock-1"
            mode = "receive"
            sources = ["usb:0c2e:0b81"]
            layout = "de"
            prefix = "#"
            receive_to = "DOCK-1"
            [[station]]
            name = "dock-2"
            mode = "receive"
            sources = ["usb:hid-pos"]
            receive_to = "DOCK-2"
            """.utf8).write(to: config)

        // The wedge scanner sends its configured prefix '#', the AIM identifier and FNC1 as
        // Ctrl+] typed the German way (Ctrl+AltGr+9).
        let wedge = BootKeyboardTyping.de("#REC-1") + BootKeyboardTyping.de("#]C1010950600013435210L42\u{1D}17270630301")
            + BootKeyboardTyping.de("#]C10109506000134352\u{1D}10L42\u{1D}1727063030" + "9")
            // A scan without the prefix (a scanner set up differently): kept whole, and the
            // log says why, rather than the warning being dropped.
            + BootKeyboardTyping.de("CMD-HELP")
        var keyboard = EmulatedUSBDevice(vendorID: 0x0c2e, productID: 0x0b81)
        keyboard.port = 1
        keyboard.deviceAddress = 2
        // The HID POS scanner reports the symbology itself; a pallet label (SSCC, contents,
        // count, lot, expiry) needs two reports. Each answer is signalled back on it.
        let pallet = Array("00340123450000000024020950600013435237".utf8) + Array("20".utf8) + [0x1D]
            + Array("10L50".utf8) + [0x1D] + Array("17270831".utf8)
        let pos = ReportDescriptors.hidPOSReports(aim: "]C0", payload: Array("REC-2".utf8))
        let posSteps = EmulatedUSBDevice.posSession(pos) + [.setOutputReport([0x04, 0x02])]
            + ReportDescriptors.hidPOSReports(aim: "]C1", payload: pallet).map(EmulatedUSBDevice.Step.report)
            + [.setOutputReport([0x04, 0x02])]
        var scanner = USBStationScenarioTests.posScanner()
        scanner.port = 2
        scanner.deviceAddress = 3

        let output = try UMockdevRun.run(
            devices: [(keyboard, EmulatedUSBDevice.keyboardSession(wedge)), (scanner, posSteps)],
            command: ["/usr/bin/timeout", "-s", "TERM", "8", UMockdevRun.scanstation, "run", "--config", config.path,
                      "--feedback", "jsonl"],
            timeoutSeconds: 40)
        let answers = try Self.answers(output)
        let dock1 = answers.filter { $0["station"] as? String == "dock-1" }
        let dock2 = answers.filter { $0["station"] as? String == "dock-2" }
        #expect(dock1.map { $0["input"] as? String } == [
            "REC-1", "]C1010950600013435210L42\u{1D}17270630301", "]C10109506000134352\u{1D}10L42\u{1D}17270630309", "CMD-HELP",
        ], "\(output.stderr)")
        #expect(dock1.map { $0["result"] as? String } == ["accepted", "accepted", "accepted", "accepted"], "\(dock1)")
        #expect(dock1.dropFirst().prefix(2).map { $0["symbology"] as? String } == ["gs1-128", "gs1-128"])
        #expect((dock1.dropLast().last?["prompt"] as? String)?.hasPrefix("9 GEL-2 eingegangen") == true, "\(dock1)")
        let prefixWarnings = output.stderr.split(separator: "\n").filter { $0.contains("the configured prefix is missing; the scan is kept whole") }
        #expect(prefixWarnings.count == 1, "\(output.stderr)")
        #expect(prefixWarnings.first?.contains("source=usb:1-1") == true, "\(prefixWarnings)")
        #expect(dock2.map { $0["result"] as? String } == ["accepted", "accepted"], "\(output.stderr)")
        #expect(dock2.last?["symbology"] as? String == "gs1-128")
        #expect((dock2.last?["prompt"] as? String)?.hasPrefix("20 GEL-2 eingegangen") == true, "\(dock2)")

        let movements = try UMockdevRun.runProcess(UMockdevRun.scanstation, ["report", "movements", "--db", database, "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(movements.stdout.utf8)) as? [[String: Any]])
        let summary = rows.map { row in
            [row["station"], row["sku"], row["lot"], row["expiry"], row["qty"], row["to_location"], row["to_container"], row["document"]]
                .map { "\($0 ?? "-")" }.joined(separator: " ")
        }.sorted()
        #expect(summary == [
            "dock-1 GEL-2 L42 2027-06-30 1 DOCK-1 <null> REC-1",
            "dock-1 GEL-2 L42 2027-06-30 9 DOCK-1 <null> REC-1",
            "dock-2 GEL-2 L50 2027-08-31 20 DOCK-2 340123450000000024 REC-2",
        ], "\(rows)")
        let check = try UMockdevRun.runProcess(UMockdevRun.scanstation, ["db", "check", "--db", database])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    static func posScanner() -> EmulatedUSBDevice {
        var scanner = EmulatedUSBDevice(vendorID: 0x7f7f, productID: 0x0001)
        scanner.interfaceSubclass = 0
        scanner.interfaceProtocol = 0
        scanner.reportDescriptor = ReportDescriptors.hidPOSScanner
        scanner.maxPacketSize = 64
        scanner.product = "HID POS Imager"
        return scanner
    }
}
