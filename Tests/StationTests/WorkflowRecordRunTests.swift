import Foundation
import Ledger
import Testing

/// The daemon stores what the workflows decide beyond movements: a blind receipt with its
/// lines, a tote, a short pick the restarted session respects, box SSCCs that never repeat
/// (also after `db restore`), and cycle counts; the reports show them.
@Suite struct WorkflowRecordRunTests {
    static let tote = "340123450000000024"

    func prepare(_ directory: TemporaryDirectory) throws -> (db: String, config: String) {
        let db = directory.path("station.db")
        let files = [
            "products": "sku,gtin,units_per_gtin\nWIDGET-7,04006381333931,1\nWIDGET-7,14006381333938,12\nGADGET-2,09506000134352,1\n",
            "locations": "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,0\nA-01,LOC-A-01,storage,A,10\nSTAGE-1,STAGE-1,staging,,90\nPACK-1,PACK-1,pack,,95\n",
            "operators": "badge,name\nANNA,Anna\n",
            "orders": "order,line,sku,qty\nO-1,1,WIDGET-7,2\nO-1,2,GADGET-2,3\nO-2,1,WIDGET-7,1\n",
        ]
        for kind in ["products", "locations", "operators", "orders"] {
            let path = directory.path(kind + ".csv")
            try Data((files[kind] ?? "").utf8).write(to: URL(fileURLWithPath: path))
            let output = try ScanStationProcess.run(["import", kind, path, "--db", db])
            #expect(output.status == 0, "import \(kind): \(output.stderr)")
        }
        let config = directory.path("scanstation.toml")
        try Data("""
            listen = "off"
            control_socket = "\(directory.path("control.sock"))"

            [[station]]
            name = "dock-1"
            mode = "receive"
            sscc_company_prefix = "4012345"
            sscc_serial_range = [1000000, 1999999]

            [station.policy]
            blind_receiving = true

            """.utf8).write(to: URL(fileURLWithPath: config))
        return (db, config)
    }

    func run(_ mode: String, _ setup: (db: String, config: String), _ scans: [String]) throws -> [[String: Any]] {
        let output = try ScanStationProcess.run(
            ["run", "--feedback", "jsonl", "--config", setup.config, "--db", setup.db, "--station", "dock-1", "--mode", mode, "--source", "stdin"],
            input: Data(scans.map { $0 + "\n" }.joined().utf8))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        return try output.lines.map(jsonObject)
    }

    func report(_ arguments: [String], db: String) throws -> [[String: Any]] {
        let output = try ScanStationProcess.run(["report"] + arguments + ["--format", "json", "--db", db])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]])
    }

    func results(_ answers: [[String: Any]]) -> [String] {
        answers.map { answer in
            let result = answer["result"] as? String ?? "?"
            guard result != "accepted", let code = (answer["error"] as? [String: Any])?["code"] as? String else { return result }
            return result + ":" + code
        }
    }

    @Test func blindReceiptToteShortPickAndBoxesAreStored() throws {
        let directory = try TemporaryDirectory()
        let setup = try prepare(directory)

        // Blind receiving: no receipt expected, the goods make one.
        let received = try run("receive", setup, ["OP-ANNA", "14006381333938", "14006381333938", "CMD-DONE"])
        #expect(results(received) == ["accepted", "accepted", "accepted", "accepted"])
        let receipts = try report(["receipts"], db: setup.db)
        #expect(receipts.count == 1)
        #expect((receipts.first?["receipt"] as? String)?.hasPrefix("BLIND-") == true)
        #expect(receipts.first?["blind"] as? Bool == true)
        #expect(receipts.first?["status"] as? String == "done")
        #expect((receipts.first?["received"] as? NSNumber)?.intValue == 24)

        _ = try run("putaway", setup, ["CMD-QTY-24", "04006381333931", "LOC-A-01"])

        // Pick into a tote; GADGET-2 is nowhere, so it is shorted.
        let picked = try run("pick", setup, ["O-1", Self.tote, "LOC-A-01", "CMD-QTY-2", "04006381333931", "CMD-SHORT"])
        #expect(results(picked) == ["accepted", "accepted", "accepted", "accepted", "accepted", "warning:short_pick"])
        let store = try LedgerStore(path: setup.db, readOnly: true)
        #expect(try store.container(sscc: Self.tote)?.kind == .tote)
        #expect(try store.container(sscc: Self.tote)?.document == "O-1")
        try store.close()
        let orders = try report(["orders", "--order", "O-1"], db: setup.db)
        #expect(orders.map { ($0["shorted"] as? NSNumber)?.intValue } == [0, 3])
        #expect(orders.map { ($0["picked"] as? NSNumber)?.intValue } == [2, 0])

        // Restarted: the ledger knows the short line is done; nothing is left to pick.
        let again = try run("pick", setup, ["O-1"])
        #expect(results(again) == ["rejected:nothing_to_pick"])

        // Packing from the tote: the order is packed once the picked goods are, the short line aside.
        let packing = try ScanStationProcess.run(
            ["run", "--feedback", "jsonl", "--config", setup.config, "--db", setup.db, "--station", "dock-1", "--mode", "pack", "--source", "stdin"],
            input: Data([Self.tote, "CMD-NEWBOX", "CMD-QTY-2", "04006381333931", "CMD-DONE"].map { $0 + "\n" }.joined().utf8))
        let packed = try packing.lines.map(jsonObject)
        // With no label printer yet, the new box's label is in the log, to print by hand.
        let labelLog = packing.stderr.split(separator: "\n").filter { $0.contains("label to print") }
        #expect(labelLog.count == 1 && labelLog.first?.contains("(00)040123450010000006") == true, "\(packing.stderr)")
        #expect(results(packed) == ["accepted", "accepted", "accepted", "accepted", "accepted"])
        #expect((packed[1]["prompt"] as? String)?.contains("040123450010000006") == true)
        #expect(try report(["orders", "--order", "O-1"], db: setup.db).first?["status"] as? String == "done")

        // Shipping the box ships the lines packed into it; an undone shipment takes that back.
        let box = "040123450010000006"
        func shipped() throws -> [Int?] {
            try report(["orders", "--order", "O-1"], db: setup.db).map { ($0["shipped"] as? NSNumber)?.intValue }
        }
        #expect(try shipped() == [0, 0])
        #expect(results(try run("ship", setup, [box])) == ["accepted"])
        #expect(try shipped() == [2, 0])
        #expect(results(try run("ship", setup, ["CMD-UNDO"])) == ["accepted"])
        #expect(try shipped() == [0, 0])
        #expect(results(try run("ship", setup, [box])) == ["accepted"])
        #expect(try shipped() == [2, 0])

        // A backup, then a second box; restoring the backup must not hand out that SSCC again.
        let backup = directory.path("backup.db")
        #expect(try ScanStationProcess.run(["db", "backup", backup, "--db", setup.db]).status == 0)
        _ = try run("pick", setup, ["O-2", "LOC-A-01", "04006381333931"])
        let second = try run("pack", setup, ["O-2", "CMD-NEWBOX"])
        #expect((second.last?["prompt"] as? String)?.contains("040123450010000013") == true)
        let restore = try ScanStationProcess.run(["db", "restore", backup, "--db", setup.db])
        #expect(restore.status == 0, "\(restore.stderr)")
        _ = try run("pick", setup, ["O-2", "LOC-A-01", "04006381333931"])
        let afterRestore = try run("pack", setup, ["O-2", "CMD-NEWBOX"])
        #expect(results(afterRestore) == ["accepted", "accepted"])
        #expect((afterRestore.last?["prompt"] as? String)?.contains("040123450010000020") == true, "\(afterRestore.last?["prompt"] ?? "")")

        let check = try ScanStationProcess.run(["db", "check", "--db", setup.db])
        #expect(check.status == 0, "\(String(decoding: check.stdout, as: UTF8.self))")
    }

    @Test func cycleCountIsRecordedAndReported() throws {
        let directory = try TemporaryDirectory()
        let setup = try prepare(directory)
        _ = try run("receive", setup, ["OP-ANNA", "14006381333938", "CMD-DONE"])
        _ = try run("putaway", setup, ["CMD-QTY-12", "04006381333931", "LOC-A-01"])
        let counted = try run("count", setup, ["LOC-A-01", "CMD-QTY-10", "04006381333931", "CMD-DONE"])
        #expect(results(counted) == ["accepted", "accepted", "accepted", "warning:count_differences"])
        let counts = try report(["counts", "--location", "A-01"], db: setup.db)
        #expect(counts.count == 1)
        #expect(counts.first?["sku"] as? String == "WIDGET-7")
        #expect((counts.first?["expected"] as? NSNumber)?.intValue == 12)
        #expect((counts.first?["counted"] as? NSNumber)?.intValue == 10)
        #expect((counts.first?["difference"] as? NSNumber)?.intValue == -2)
        #expect(counts.first?["operator"] as? String == "ANNA")
        let stock = try report(["stock"], db: setup.db)
        #expect(stock.map { "\($0["location"] ?? ""):\($0["qty"] ?? "")" } == ["A-01:10"])
    }
}
