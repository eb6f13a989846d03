import Foundation
import Testing

/// The README's "warehouse in five minutes", run exactly as written, so the README stays true.
@Suite struct ReadmeExampleTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/warehouse")

    @Test func receivePutAwayAndPickTheExampleWarehouse() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("demo.db")
        for kind in ["products", "locations", "operators", "receipts", "orders"] {
            let imported = try ScanStationProcess.run(["import", kind, Self.examples.appendingPathComponent("\(kind).csv").path, "--db", db])
            #expect(imported.status == 0, "\(kind): \(imported.stderr)")
        }
        let scans = "OP-17\nREC-1001\n340123450000000017\n]C1010950600013435210L42\u{1D}172706303010\nCMD-DONE\nCMD-MODE-putaway\n340123450000000017\nLOC-A-01-01\nCMD-MODE-pick\nORD-5001\nLOC-A-01-01\nCMD-QTY-5\n04006381333931\n"
        let run = try ScanStationProcess.run(["run", "--mode", "receive", "--db", db, "--station", "dock-1", "--feedback", "jsonl"], input: Data(scans.utf8))
        #expect(run.status == 0, "\(run.stderr)")
        let answers = try run.lines.map(jsonObject)
        #expect(answers.count == 13)
        #expect(answers.allSatisfy { $0["result"] as? String == "accepted" }, "\(answers.map { $0["prompt"] ?? "" })")
        #expect((answers[2]["movements"] as? [String])?.count == 1, "the pallet is one receive movement")

        let report = try ScanStationProcess.run(["report", "stock", "--format", "json", "--db", db])
        let rows = try #require(try JSONSerialization.jsonObject(with: report.stdout) as? [[String: Any]])
        let summary = rows.map { "\($0["location"] ?? "")/\($0["sku"] ?? "")/\($0["qty"] ?? "")" }
        #expect(summary == ["A-01-01/WIDGET-7/31", "DOCK-1/GEL-2/10", "STAGE-1/WIDGET-7/5"])
        #expect(rows.first?["container"] as? String == "340123450000000017")
        #expect(rows[1]["lot"] as? String == "L42")
        #expect(rows[1]["expiry"] as? String == "2027-06-30")
    }
}
