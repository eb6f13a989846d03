import Foundation
import Testing

/// `scanstation run --mode …` walks real workflows against imported data: movements in
/// the answers, the stock report shows the result, and the session survives a restart.
@Suite struct WorkflowRunTests {
    func importSample(_ directory: TemporaryDirectory, db: String) throws {
        let files = [
            "products": "sku,gtin,units_per_gtin\nWIDGET-7,04006381333931,1\nWIDGET-7,14006381333938,12\n",
            "locations": "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,0\nA-01,LOC-A-01,storage,A,10\nSTAGE-1,STAGE-1,staging,,90\n",
            "operators": "badge,name\nANNA,Anna\n",
            "receipts": "receipt,line,sku,qty\nR-100,1,WIDGET-7,24\n",
            "orders": "order,line,sku,qty\nO-1,1,WIDGET-7,2\n",
        ]
        for kind in ["products", "locations", "operators", "receipts", "orders"] {
            let path = directory.path(kind + ".csv")
            try Data((files[kind] ?? "").utf8).write(to: URL(fileURLWithPath: path))
            let output = try ScanStationProcess.run(["import", kind, path, "--db", db])
            #expect(output.status == 0, "import \(kind): \(output.stderr)")
        }
    }

    func run(_ mode: String, db: String, _ scans: [String]) throws -> [[String: Any]] {
        let output = try ScanStationProcess.run(
            ["run", "--feedback", "jsonl", "--db", db, "--station", "dock-1", "--mode", mode],
            input: Data(scans.map { $0 + "\n" }.joined().utf8))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        return try output.lines.map(jsonObject)
    }

    @Test func aLogStationSwitchesModeByCommandBarcode() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importSample(directory, db: db)
        // No --mode: log. Plain scans are recorded; CMD-MODE-receive starts receiving.
        let output = try ScanStationProcess.run(
            ["run", "--feedback", "jsonl", "--db", db, "--station", "dock-1"],
            input: Data(["04006381333931", "CMD-MODE-receive", "OP-ANNA", "R-100", "14006381333938", "CMD-DONE"].map { $0 + "\n" }.joined().utf8))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let answers = try output.lines.map(jsonObject)
        // 12 of the 24 expected arrived: closing says so.
        #expect(answers.map { $0["result"] as? String } == ["accepted", "accepted", "accepted", "accepted", "accepted", "warning"])
        #expect(answers.map { $0["seq"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(answers[0]["prompt"] as? String == "Recorded. Scan the next label.")
        #expect(answers[1]["prompt"] as? String == "Mode receive. Scan a receipt number or pallet.")
        #expect((answers[4]["movements"] as? [Any])?.count == 1)
        let report = try ScanStationProcess.run(["report", "receipts", "--format", "csv", "--db", db])
        let receipts = String(decoding: report.stdout, as: UTF8.self)
        #expect(receipts.contains("R-100,done,1,WIDGET-7,,,,24,12,12,false"), "\(receipts)")
    }

    @Test func documentsBeingWorkedAreInProgressInTheReports() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importSample(directory, db: db)
        func status(_ report: String) throws -> [String] {
            let output = try ScanStationProcess.run(["report", report, "--format", "json", "--db", db])
            let rows = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]])
            return rows.compactMap { $0["status"] as? String }
        }
        #expect(try status("receipts") == ["open"] && status("orders") == ["open"])
        _ = try run("receive", db: db, ["OP-ANNA", "R-100", "14006381333938"])
        #expect(try status("receipts") == ["in_progress"])
        _ = try run("receive", db: db, ["14006381333938", "CMD-DONE"])
        #expect(try status("receipts") == ["done"])
        _ = try run("putaway", db: db, ["CMD-QTY-24", "04006381333931", "LOC-A-01"])
        _ = try run("pick", db: db, ["O-1", "LOC-A-01", "04006381333931"])
        #expect(try status("orders") == ["in_progress"])
    }

    @Test func receivePutAwayAndPickAgainstTheStore() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importSample(directory, db: db)

        let received = try run("receive", db: db, ["OP-ANNA", "R-100", "14006381333938", "14006381333937", "14006381333938", "CMD-DONE"])
        #expect(received.map { $0["result"] as? String } == ["accepted", "accepted", "accepted", "rejected", "accepted", "accepted"])
        #expect((received[2]["movements"] as? [Any])?.count == 1)
        #expect(received[2]["prompt"] as? String == "Received 12 WIDGET-7. Scan the next pallet or item, or CMD-DONE.")
        // A misread check digit says so, as in log mode; the prompt repeats what to scan.
        let misread = try #require(received[3]["error"] as? [String: Any])
        #expect(misread["code"] as? String == "gtin_check_digit")
        #expect((misread["message"] as? String)?.contains("check digit is 8") == true, "\(misread)")
        #expect(misread["offset"] as? Int == 13)
        #expect(received[3]["prompt"] as? String == "Not a valid label. Scan the next pallet or item, or CMD-DONE.")

        // The operator is still logged in after the restart (the session was stored).
        let stored = try run("putaway", db: db, ["CMD-QTY-24", "04006381333931", "STAGE-1", "LOC-A-01"])
        #expect(stored.map { $0["result"] as? String } == ["accepted", "accepted", "rejected", "accepted"])
        #expect((stored[2]["error"] as? [String: Any])?["code"] as? String == "wrong_location_kind")
        // CONTRACTS.md: offset is a number even when the refusal is not about a byte.
        #expect((stored[2]["error"] as? [String: Any])?["offset"] as? Int == 0)
        #expect((stored[3]["movements"] as? [Any])?.count == 1)

        let picked = try run("pick", db: db, ["O-1", "LOC-A-01", "04006381333931", "04006381333931"])
        #expect(picked.map { $0["result"] as? String } == ["accepted", "accepted", "accepted", "accepted"])
        #expect(picked[3]["prompt"] as? String == "Picked 1 WIDGET-7. Order O-1 picked. Take it to STAGE-1. Scan an order number.")

        let report = try ScanStationProcess.run(["report", "stock", "--format", "json", "--db", db])
        let rows = try #require(try JSONSerialization.jsonObject(with: report.stdout) as? [[String: Any]])
        #expect(rows.map { "\($0["location"] ?? ""):\($0["qty"] ?? "")" } == ["A-01:22", "STAGE-1:2"])
    }

    @Test func sessionResumesInTheMiddleOfAPick() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importSample(directory, db: db)
        _ = try run("receive", db: db, ["R-100", "14006381333938", "14006381333938", "CMD-DONE"])
        _ = try run("putaway", db: db, ["CMD-QTY-24", "04006381333931", "LOC-A-01"])
        let first = try run("pick", db: db, ["O-1", "LOC-A-01", "04006381333931"])
        #expect(first.last?["result"] as? String == "accepted")
        // Restarted: the verified location and the open order are still there, and undo works.
        let resumed = try run("pick", db: db, ["CMD-HELP", "CMD-UNDO"])
        #expect(resumed.first?["prompt"] as? String == "Picked 1 WIDGET-7. Pick 1 WIDGET-7 at A-01. Scan the item.")
        #expect(resumed.last?["result"] as? String == "accepted")
        #expect((resumed.last?["movements"] as? [Any])?.count == 1)
        let report = try ScanStationProcess.run(["report", "stock", "--format", "json", "--db", db])
        let rows = try #require(try JSONSerialization.jsonObject(with: report.stdout) as? [[String: Any]])
        #expect(rows.map { "\($0["location"] ?? ""):\($0["qty"] ?? "")" } == ["A-01:24"])
    }

    @Test func putAwaySuggestsAnEmptyLocationInTheProductsZone() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importSample(directory, db: db)
        // GADGET-2 belongs in zone B: its first empty location there, though A-02 comes first.
        let files = [
            ("products", "sku,gtin,zone\nGADGET-2,09506000134352,B\n"),
            ("locations", "code,barcode,kind,zone,sequence\nA-02,LOC-A-02,storage,A,5\nB-01,LOC-B-01,storage,B,20\nB-02,LOC-B-02,storage,B,30\n"),
            ("receipts", "receipt,line,sku,qty\nR-200,1,GADGET-2,2\n"),
        ]
        for (kind, text) in files {
            let path = directory.path(kind + "-zoned.csv")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            #expect(try ScanStationProcess.run(["import", kind, path, "--db", db]).status == 0)
        }
        _ = try run("receive", db: db, ["R-200", "09506000134352", "09506000134352", "CMD-DONE"])
        let putaway = try run("putaway", db: db, ["CMD-QTY-2", "09506000134352"])
        #expect(putaway.last?["prompt"] as? String == "Take it to B-01 and scan the location.")
    }
}
