import Foundation
import Testing

/// Whole-shift scenarios through `scanstation run` and the reports, as a tester reading
/// CONTRACTS.md scripts them: what the store knows must be what the station says.
@Suite struct ShiftScenarioRunTests {
    func importFiles(_ directory: TemporaryDirectory, db: String, _ files: [(String, String)]) throws {
        for (kind, text) in files {
            let path = directory.path(kind + ".csv")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let output = try ScanStationProcess.run(["import", kind, path, "--db", db])
            #expect(output.status == 0, "import \(kind): \(output.stderr)")
        }
    }

    func run(_ mode: String, db: String, _ scans: [String]) throws -> [[String: Any]] {
        let output = try ScanStationProcess.run(
            ["run", "--feedback", "jsonl", "--db", db, "--station", "dock-1", "--mode", mode, "--control-socket", "off", "--listen", "off"],
            input: Data(scans.map { $0 + "\n" }.joined().utf8))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        return try output.lines.map(jsonObject)
    }

    /// Goods of a product the receipt does not list count towards it: the second unexpected
    /// item is over by two (it said one, twice), and closing names that difference too.
    @Test func goodsNotOnTheReceiptCountInItsTotalsAndDifferences() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importFiles(directory, db: db, [
            ("products", "sku,gtin\nWIDGET-7,04006381333931\nBOLT-3,04006381333948\n"),
            ("locations", "code,kind\nDOCK-1,dock\n"),
            ("receipts", "receipt,line,sku,qty\nR-1,1,WIDGET-7,2\n"),
        ])
        let answers = try run("receive", db: db, ["R-1", "04006381333948", "04006381333948", "04006381333931", "CMD-DONE"])
        #expect(answers.map { $0["result"] as? String } == ["accepted", "warning", "warning", "accepted", "warning"])
        #expect((answers[1]["prompt"] as? String)?.hasPrefix("Over receipt: BOLT-3 expected 0, now 1.") == true, "\(answers[1])")
        #expect((answers[2]["prompt"] as? String)?.hasPrefix("Over receipt: BOLT-3 expected 0, now 2.") == true, "\(answers[2])")
        // WIDGET-7 1 of 2 and BOLT-3 2 of 0.
        #expect((answers[4]["prompt"] as? String)?.hasPrefix("Receipt R-1 closed with 2 differences.") == true, "\(answers[4])")
        let report = try ScanStationProcess.run(["report", "receipts", "--format", "csv", "--db", db])
        let rows = String(decoding: report.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(rows == [
            "receipt,status,line,sku,lot,expiry,sscc,expected,received,open,blind",
            "R-1,done,1,WIDGET-7,,,,2,1,1,false",
            "R-1,done,,BOLT-3,,,,0,2,0,false",
        ])
    }
}
