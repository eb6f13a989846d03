import Foundation
import GRDB
import Testing
@testable import Ledger

/// The `import`, `report` and `db` commands, run as the built binary.
@Suite struct CommandTests {
    @Test func importReportsEveryProblemAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("s.db")
        let good = try directory.write("p.csv", "sku,gtin\nA,09506000134352\n")
        #expect(try ScanStationBinary.run(["import", "products", good, "--db", db]).status == 0)
        let bad = try directory.write("bad.csv", "\u{FEFF}sku;gtin;units_per_gtin\nB;09506000134353;1\n;;2,5\n")
        let result = try ScanStationBinary.run(["import", "products", bad, "--db", db])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == ["\(bad):2:3: GTIN '09506000134353' has a wrong check digit", "\(bad):3:1: 'sku' is required and empty"])
        #expect(!result.stderr.contains("\r"), "no progress bar when standard error is not a terminal")
        let products = try ScanStationBinary.run(["report", "stock", "--db", db, "--format", "json"])
        #expect(products.status == 0 && products.stdout == "[]\n")
        #expect(try LedgerStore(path: db, readOnly: true).product(sku: "B") == nil)
    }

    @Test func stockReportFormatsAndStateDirectoryDefault() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("scanstation.db"))
        _ = try store.commit(scan: scanEntry("x")) { transaction in
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "WIDGET-7", quantity: 36, to: "B-02-04", toContainer: "012345670000000015"))
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "FLOUR", lot: "L9", expiry: "2027-05-31", quantity: Decimal(string: "12.5")!, to: "A-01"))
        }
        try store.close()
        let json = try ScanStationBinary.run(["report", "stock", "--format", "json"], environment: ["STATE_DIRECTORY": directory.url.path])
        #expect(json.status == 0)
        #expect(json.stdout == """
            [
              {"location":"A-01","sku":"FLOUR","lot":"L9","expiry":"2027-05-31","container":null,"qty":12.5},
              {"location":"B-02-04","sku":"WIDGET-7","lot":null,"expiry":null,"container":"012345670000000015","qty":36}
            ]

            """)
        let csv = try ScanStationBinary.run(["report", "stock", "--format", "csv", "--sku", "FLOUR", "--db", directory.path("scanstation.db")])
        #expect(csv.stdout == "location,sku,lot,expiry,container,qty\nA-01,FLOUR,L9,2027-05-31,,12.5\n")
        let wrongFilter = try ScanStationBinary.run(["report", "receipts", "--sku", "X", "--db", directory.path("scanstation.db")])
        #expect(wrongFilter.status != 0 && wrongFilter.stderr.contains("--sku does not apply"))
    }

    @Test func databaseIsAnotherSpellingOfDb() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("named.db")
        let file = try directory.write("operators.csv", "badge,name\n17,Alex\n")
        let imported = try ScanStationBinary.run(["import", "operators", file, "--database", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let run = try ScanStationBinary.run(
            ["run", "--database", db, "--mode", "receive", "--feedback", "jsonl", "--listen", "off", "--control-socket", "off", "--station", "d1"],
            in: directory.url, input: "OP-17\n")
        #expect(run.status == 0 && run.stdout.contains("\"result\":\"accepted\"") && run.stdout.contains("Hello Alex"), "\(run.stdout) \(run.stderr)")
        let report = try ScanStationBinary.run(["report", "productivity", "--format", "csv", "--database", db])
        #expect(report.status == 0 && report.stdout.split(separator: "\n").count == 2, "\(report.stdout) \(report.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("scanstation.db")))
    }

    @Test func readOnlyCommandsNeverCreateAStore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("missing.db")
        for arguments in [["report", "stock"], ["db", "check"], ["db", "backup", directory.path("b.db")]] {
            let result = try ScanStationBinary.run(arguments + ["--db", db])
            #expect(result.status == 74)
            #expect(result.stderr.contains("There is no database here"))
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func checkBackupRestoreAndPrune() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("s.db")
        let store = try LedgerStore(path: db)
        _ = try store.commit(scan: scanEntry("x", at: 1_700_000_000_000)) { try $0.appendMovement(NewMovement(kind: .adjust, sku: "A", quantity: 5, to: "L")) }
        #expect(try ScanStationBinary.run(["db", "check", "--db", db]).stdout.hasSuffix("ok\n"))
        // Backup while the store is open and in use, as with a running daemon.
        let backup = try ScanStationBinary.run(["db", "backup", directory.path("b.db"), "--db", db])
        #expect(backup.status == 0)
        let refused = try ScanStationBinary.run(["db", "restore", directory.path("b.db"), "--db", db])
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("Stop it first"))
        _ = try store.write(station: "x", time: 0) { try $0.db.execute(sql: "UPDATE balance SET qty = 1") }
        let check = try ScanStationBinary.run(["db", "check", "--db", db])
        #expect(check.status == 1)
        #expect(check.stdout.contains("problem: Balance of A at L is 0.000001 but the movements add up to 5"))
        try store.close()
        let restore = try ScanStationBinary.run(["db", "restore", directory.path("b.db"), "--db", db])
        #expect(restore.status == 0)
        #expect(try ScanStationBinary.run(["db", "check", "--db", db]).status == 0)
        let prune = try ScanStationBinary.run(["db", "prune", "--before", "2024-01-01", "--db", db])
        #expect(prune.status == 0)
        #expect(prune.stdout.hasPrefix("pruned 1 scan-log rows and 0 synced outbox entries"))
    }
}
