import Foundation
import Testing

/// Whole-shift scenarios through `scanstation run` and the reports, as a tester reading
/// CONTRACTS.md scripts them: what the store knows must be what the station says.
@Suite struct ShiftScenarioRunTests {
    func importFiles(_ directory: TemporaryDirectory, db: String, _ files: [(String, String)]) throws {
        for (kind, text) in files {
            let path = try directory.write(kind + ".csv", text)
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

    /// One shift through a configured station, as CONTRACTS.md describes it: a pallet and
    /// lot-tracked items received, put away where suggested, picked FEFO (the prompt names
    /// the lot), packed into a box minted from the station's SSCC range, shipped through a
    /// door; the reports then say exactly where everything is.
    @Test func aWholeShiftEndsWhereTheReportsSay() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        try importFiles(directory, db: db, [
            ("products", "sku,gtin,units_per_gtin,lot_tracked,expiry_tracked,zone\nWIDGET-7,04006381333931,1,no,no,A\nGEL-2,09506000134352,1,yes,yes,B\n"),
            ("locations", "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,1\nA-01,LOC-A-01,storage,A,10\nB-01,LOC-B-01,storage,B,20\nSTAGE-1,STAGE-1,staging,,1\nPACK-1,PACK-1,pack,,1\nSHIP-1,SHIP-1,ship,,1\n"),
            ("operators", "badge,name\n17,Alex\n"),
            ("receipts", "receipt,line,sscc,sku,qty,lot,expiry\nREC-1,1,340123450000000017,WIDGET-7,36,,\nREC-1,2,,GEL-2,6,,\n"),
            ("orders", "order,line,sku,qty\nORD-1,1,GEL-2,3\nORD-1,2,WIDGET-7,2\n"),
        ])
        let config = try directory.write("scanstation.toml", """
            database = "\(db)"
            listen = "off"
            control_socket = "off"
            [[station]]
            name = "bench-1"
            mode = "receive"
            sources = ["stdin"]
            sscc_company_prefix = "4012345"
            sscc_serial_range = [1000000, 1999999]
            """)
        let output = try ScanStationProcess.run(["run", "--config", config, "--feedback", "jsonl"], input: Data([
            "OP-17", "REC-1", "340123450000000017",
            "CMD-QTY-4", "(01)09506000134352(10)LATE(17)280101", "CMD-QTY-2", "(01)09506000134352(10)EARLY(17)270101", "CMD-DONE",
            "CMD-MODE-putaway", "340123450000000017", "LOC-A-01", "CMD-QTY-6", "09506000134352", "LOC-B-01",
            "CMD-MODE-pick", "ORD-1",
        ].map { $0 + "\n" }.joined().utf8))
        #expect(output.status == 0, "\(output.stderr)")
        var answers = try output.lines.map(jsonObject)
        #expect(answers.allSatisfy { $0["result"] as? String == "accepted" }, "\(answers.map { $0["prompt"] ?? "" })")
        #expect(answers[10]["prompt"] as? String == "Stored at A-01. Scan a pallet or item at the dock.")
        // Six GEL-2 of two lots go together (no one lot holds six), to the empty location of
        // the product's zone.
        #expect(answers[12]["prompt"] as? String == "Take it to B-01 and scan the location.")
        #expect((answers[13]["movements"] as? [Any])?.count == 2, "one movement per lot")
        // Pick path: WIDGET-7's location (sequence 10) before GEL-2's (20).
        #expect(answers[15]["prompt"] as? String == "Order ORD-1 started. Go to A-01 for 2 WIDGET-7. Scan the location.")
        let picking = try ScanStationProcess.run(["run", "--config", config, "--feedback", "jsonl"], input: Data([
            "LOC-A-01", "CMD-QTY-2", "04006381333931", "LOC-B-01", "(01)09506000134352(10)LATE", "CMD-QTY-2", "09506000134352",
            "CMD-QTY-1", "(01)09506000134352(10)LATE",
            "CMD-MODE-pack", "ORD-1", "CMD-NEWBOX", "CMD-QTY-2", "04006381333931", "CMD-QTY-3", "09506000134352", "CMD-DONE",
            "CMD-MODE-ship", "SHIP-1", "040123450010000006",
        ].map { $0 + "\n" }.joined().utf8))
        #expect(picking.status == 0, "\(picking.stderr)")
        answers = try picking.lines.map(jsonObject)
        #expect(answers.map { $0["result"] as? String } == ["accepted", "accepted", "accepted", "accepted", "rejected"] + Array(repeating: "accepted", count: 15))
        #expect(answers[2]["prompt"] as? String == "Picked 2 WIDGET-7. Go to B-01 for 3 GEL-2 lot EARLY. Scan the location.")
        #expect((answers[4]["error"] as? [String: Any])?["code"] as? String == "wrong_lot")
        #expect((answers[11]["prompt"] as? String)?.hasPrefix("Box 040123450010000006 open.") == true, "\(answers[11])")
        #expect(answers[16]["prompt"] as? String == "Box 040123450010000006 closed. Order ORD-1 packed. Scan an order or tote.")
        #expect(answers[19]["prompt"] as? String == "Box 040123450010000006 shipped. Door SHIP-1: scan a closed box.")

        let stock = try ScanStationProcess.run(["report", "stock", "--format", "json", "--db", db])
        let rows = try #require(try JSONSerialization.jsonObject(with: stock.stdout) as? [[String: Any]])
        #expect(rows.map { row in ["location", "sku", "lot", "expiry", "container", "qty"].map { "\(row[$0] ?? "?")" }.joined(separator: "|") } == [
            "A-01|WIDGET-7|<null>|<null>|340123450000000017|34",
            "B-01|GEL-2|LATE|2028-01-01|<null>|3",
        ])
        let orders = try ScanStationProcess.run(["report", "orders", "--format", "csv", "--db", db])
        #expect(String(decoding: orders.stdout, as: UTF8.self) == """
            order,status,line,sku,ordered,picked,packed,shipped,shorted
            ORD-1,done,1,GEL-2,3,3,3,3,0
            ORD-1,done,2,WIDGET-7,2,2,2,2,0

            """)
        let check = try ScanStationProcess.run(["db", "check", "--db", db])
        #expect(check.status == 0, "\(check.stderr)")
    }
}
