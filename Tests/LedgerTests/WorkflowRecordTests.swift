import Foundation
import GRDB
import Testing
@testable import Ledger

/// What the workflows decide beyond movements (migration v3-workflow-records), stored in
/// real SQLite files: short picks, blind receipts, totes, counts, pallet mismatches, the
/// SSCC serial counter, and a step's single view of the store.
@Suite struct WorkflowRecordTests {
    func storeWithOrder(_ directory: TemporaryDirectory) throws -> LedgerStore {
        let store = try LedgerStore(path: directory.path("s.db"))
        _ = try store.importCSV(.products, file: try directory.write("products.csv", "sku\nA\nB\n"))
        _ = try store.importCSV(.orders, file: try directory.write("orders.csv", "order,line,sku,qty\nO-1,1,A,10\nO-1,2,B,4\n"))
        _ = try store.importCSV(.receipts, file: try directory.write("receipts.csv", "receipt,line,sscc,sku,qty\nR-1,1,340123450000000017,A,10\n"))
        return store
    }

    @Test func shortPicksAddUpPerLineAndShowInTheOrderReport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithOrder(directory)
        _ = try store.commit(scan: scanEntry("CMD-SHORT")) { try $0.recordShortPick(order: "O-1", line: 1, quantity: 3) }
        // An undo appends the negative; a later short of the same line adds up.
        _ = try store.commit(scan: scanEntry("CMD-UNDO")) { try $0.recordShortPick(order: "O-1", line: 1, quantity: -3) }
        _ = try store.commit(scan: scanEntry("CMD-SHORT")) { try $0.recordShortPick(order: "O-1", line: 1, quantity: Decimal(string: "2.5")!) }
        let order = try #require(try store.order("O-1"))
        #expect(order.lines.map(\.shorted) == [Decimal(string: "2.5")!, 0])
        let json = try store.orderReport(order: "O-1").rendered(as: .json)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.map { ($0["shorted"] as? NSNumber)?.doubleValue } == [2.5, 0])
        #expect(try store.read { try String.fetchOne($0, sql: "SELECT operator FROM short_pick LIMIT 1") } == "OP-7")
        #expect(try store.check().isHealthy)

        #expect(throws: LedgerError.self) {
            try store.commit(scan: scanEntry("CMD-SHORT")) { try $0.recordShortPick(order: "O-1", line: 9, quantity: 1) }
        }
        #expect(throws: LedgerError.self) {
            try store.commit(scan: scanEntry("CMD-SHORT")) { try $0.recordShortPick(order: "O-1", line: 1, quantity: 0) }
        }
    }

    @Test func blindReceiptHasALinePerProductLotAndPallet() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithOrder(directory)
        _ = try store.commit(scan: scanEntry("04006381333931")) { transaction in
            try transaction.openBlindReceipt("BLIND-1")
            let first = try #require(try transaction.blindReceiptLine(receipt: "BLIND-1", sku: "A", lot: "L1", expiry: "2027-01-31", sscc: nil))
            #expect(try transaction.blindReceiptLine(receipt: "BLIND-1", sku: "A", lot: "L1", expiry: "2027-01-31", sscc: nil) == first)
            #expect(try transaction.blindReceiptLine(receipt: "BLIND-1", sku: "A", lot: "L2", expiry: nil, sscc: nil) == first + 1)
            #expect(try transaction.blindReceiptLine(receipt: "BLIND-1", sku: "A", lot: "L1", expiry: "2027-01-31", sscc: "340123450000000024") == first + 2)
            // A receipt with an advance notice keeps its imported lines.
            #expect(try transaction.blindReceiptLine(receipt: "R-1", sku: "A", lot: nil, expiry: nil, sscc: nil) == nil)
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", lot: "L1", expiry: "2027-01-31", quantity: 6, to: "DOCK", document: "BLIND-1", documentLine: first))
            try transaction.openBlindReceipt("R-1")
        }
        let blind = try #require(try store.receipt("BLIND-1"))
        #expect(blind.blind && blind.status == .inProgress)
        #expect(blind.lines.map(\.received) == [6, 0, 0])
        #expect(blind.lines.map(\.expected) == [0, 0, 0])
        let expected = try #require(try store.receipt("R-1"))
        #expect(!expected.blind && expected.status == .open)

        let json = try store.receiptReport(receipt: "BLIND-1").rendered(as: .json)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.first?["blind"] as? Bool == true)
        #expect((rows.first?["received"] as? NSNumber)?.intValue == 6)
        #expect(try store.receiptReport(receipt: "R-1").rendered(as: .csv).hasPrefix("receipt,status,line,sku,lot,expiry,sscc,expected,received,open,blind\n"))
    }

    @Test func receiptReportShowsGoodsThatNoLineExpected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithOrder(directory)
        _ = try store.commit(scan: scanEntry("(01)…(10)L9")) { transaction in
            // Another lot than the line names, and a product the receipt does not list at all.
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", lot: "L9", quantity: 4, to: "DOCK", document: "R-1"))
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "B", quantity: 2, to: "DOCK", toContainer: "340123450000000024", document: "R-1"))
            let taken = try transaction.appendMovement(NewMovement(kind: .receive, sku: "B", quantity: 3, to: "DOCK", toContainer: "340123450000000024", document: "R-1"))
            try transaction.appendMovement(NewMovement(kind: .undo, sku: "B", quantity: 3, from: "DOCK", fromContainer: "340123450000000024", document: "R-1", reverses: taken.id))
            // Undone completely: no row.
            let undone = try transaction.appendMovement(NewMovement(kind: .receive, sku: "B", lot: "X", quantity: 1, to: "DOCK", document: "R-1"))
            try transaction.appendMovement(NewMovement(kind: .undo, sku: "B", lot: "X", quantity: 1, from: "DOCK", document: "R-1", reverses: undone.id))
        }
        let csv = try store.receiptReport(receipt: "R-1").rendered(as: .csv)
        #expect(csv == """
            receipt,status,line,sku,lot,expiry,sscc,expected,received,open,blind
            R-1,open,1,A,,,340123450000000017,10,0,10,false
            R-1,open,,A,L9,,,0,4,0,false
            R-1,open,,B,,,340123450000000024,0,2,0,false

            """)
        let json = try store.receiptReport(receipt: "R-1").rendered(as: .json)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 3 && rows[1]["line"] is NSNull && (rows[1]["received"] as? NSNumber)?.intValue == 4)
    }

    @Test func toteIsAContainerKindAndTheUpgradeKeepsEveryContainer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("old.db")
        // A store as v2 left it, with a pallet and a box.
        let old = try DatabaseQueue(path: path)
        try LedgerSchema.migrator.migrate(old, upTo: "v2-warehouse")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO container(sscc, kind, location, status, document, created_at, station) VALUES
                    ('340123450000000017', 'pallet', 'DOCK', 'open', NULL, 1, 'dock-1'),
                    ('340123450000000024', 'box', 'PACK', 'closed', 'O-1', 2, 'pack-1')
                """)
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO container(sscc, kind, created_at) VALUES ('x', 'tote', 0)")
            }
        }
        try old.close()

        let store = try LedgerStore(path: path)
        #expect(try store.container(sscc: "340123450000000017") == Container(sscc: "340123450000000017", kind: .pallet, location: "DOCK", createdAt: 1, station: "dock-1"))
        #expect(try store.container(sscc: "340123450000000024")?.status == .closed)
        #expect(try store.container(sscc: "340123450000000024")?.document == "O-1")
        _ = try store.commit(scan: scanEntry("340123450000000031")) { transaction in
            try transaction.upsertContainer(Container(sscc: "340123450000000031", kind: .tote, location: "STAGE", document: "O-1", createdAt: 3))
            try transaction.appendMovement(NewMovement(kind: .pick, sku: "A", quantity: 2, from: "A-01", to: "STAGE", toContainer: "340123450000000031", document: "O-1"))
        }
        // Stock moved into the tote leaves it a tote (receiving onto a new SSCC makes pallets).
        #expect(try store.container(sscc: "340123450000000031")?.kind == .tote)
        #expect(try store.contents(sscc: "340123450000000031").map(\.quantity) == [2])
        #expect(try store.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }.last == "v6-count-claims")
    }

    /// Cycle counts are claimed like receipts and orders (v6): the upgrade keeps the claims
    /// stored before, and a location can then be claimed for counting.
    @Test func countsCanBeClaimedAndTheUpgradeKeepsEveryClaim() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("old.db")
        let old = try DatabaseQueue(path: path)
        try LedgerSchema.migrator.migrate(old, upTo: "v5-document-progress")
        try old.write { db in
            try db.execute(sql: "INSERT INTO document_claim(document_kind, document, station, claimed_at, status) VALUES ('order', 'O-1', 'pick-1', 5, 'pending')")
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO document_claim(document_kind, document, station, claimed_at, status) VALUES ('count', 'A-01', 'c-1', 6, 'pending')")
            }
        }
        try old.close()

        let store = try LedgerStore(path: path)
        #expect(try store.claims(.order, "O-1").map(\.station) == ["pick-1"])
        _ = try store.commit(scan: scanEntry("LOC-A-01")) { transaction in
            _ = try transaction.claim(.count, "A-01")
            try transaction.markStarted(.count, "A-01")
        }
        #expect(try store.claims(.count, "A-01").map(\.status) == [.pending])
    }

    /// Document progress is kept with every movement (v5): the upgrade fills it from the
    /// movements already stored, undos count against what they take back, shipped still
    /// follows the boxes, and `db check` catches a table that disagrees with the movements.
    @Test func documentProgressIsFilledOnUpgradeKeptWithEveryMovementAndChecked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithOrder(directory)
        var undone = ""
        _ = try store.commit(scan: scanEntry("340123450000000017")) { transaction in
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 10, to: "DOCK", document: "R-1", documentLine: 1))
            try transaction.appendMovement(NewMovement(kind: .pick, sku: "A", quantity: 7, from: "DOCK", to: "STAGE", document: "O-1", documentLine: 1))
            undone = try transaction.appendMovement(NewMovement(kind: .pick, sku: "B", quantity: 4, from: "DOCK", to: "STAGE", document: "O-1", documentLine: 2)).id
            try transaction.upsertContainer(Container(sscc: "340123450000000024", kind: .box, location: "PACK", document: "O-1", createdAt: 1))
            try transaction.appendMovement(NewMovement(kind: .pack, sku: "A", quantity: 5, from: "STAGE", to: "PACK", toContainer: "340123450000000024", document: "O-1", documentLine: 1))
        }
        _ = try store.commit(scan: scanEntry("CMD-UNDO")) { try $0.undo(movementID: undone) }
        func lines() throws -> [[Decimal]] {
            let order = try #require(try store.order("O-1"))
            let receipt = try #require(try store.receipt("R-1"))
            return [order.lines.map(\.picked), order.lines.map(\.packed), order.lines.map(\.shipped), receipt.lines.map(\.received)]
        }
        #expect(try lines() == [[7, 0], [5, 0], [0, 0], [10]])
        _ = try store.commit(scan: scanEntry("340123450000000024")) { try $0.setContainerStatus(sscc: "340123450000000024", .shipped) }
        #expect(try lines() == [[7, 0], [5, 0], [5, 0], [10]])
        #expect(try store.check().isHealthy)

        // A store from before v5: the upgrade adds the movements up.
        try store.close()
        let queue = try DatabaseQueue(path: directory.path("s.db"))
        try queue.write { db in
            try db.execute(sql: "DROP TABLE document_progress; DELETE FROM grdb_migrations WHERE identifier = 'v5-document-progress'")
        }
        try queue.close()
        let upgraded = try LedgerStore(path: directory.path("s.db"))
        let order = try #require(try upgraded.order("O-1"))
        #expect(order.lines.map(\.picked) == [7, 0] && order.lines.map(\.shipped) == [5, 0])
        #expect(try upgraded.check().isHealthy)

        try upgraded.close()
        let queue2 = try DatabaseQueue(path: directory.path("s.db"))
        try queue2.write { db in try db.execute(sql: "UPDATE document_progress SET qty = qty + 1000000 WHERE document = 'R-1'") }
        try queue2.close()
        let tampered = try LedgerStore(path: directory.path("s.db"))
        #expect(try tampered.check().problems == ["Progress of R-1 line 1 (receive) is 11 but the movements add up to 10"])
        try tampered.close()
    }

    @Test func countsAndConfirmedPalletMismatchesAreStoredAndReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithOrder(directory)
        let count = try store.commit(scan: scanEntry("CMD-DONE", operatorBadge: "OP-9")) { transaction in
            try transaction.recordStockCount(location: "A-01", lines: [
                StockCountLine(sku: "A", lot: nil, expected: 10, counted: 12),
                StockCountLine(sku: "B", lot: "L1", expected: 4, counted: 4),
            ])
            try transaction.appendMovement(NewMovement(kind: .adjust, sku: "A", quantity: 2, to: "A-01", document: "A-01"))
        }
        #expect(count.seq == 1)
        let counts = try store.stockCounts(location: "A-01")
        #expect(counts.count == 1)
        #expect(counts.first?.operatorBadge == "OP-9")
        #expect(counts.first?.lines == [StockCountLine(sku: "A", lot: nil, expected: 10, counted: 12), StockCountLine(sku: "B", lot: "L1", expected: 4, counted: 4)])
        let report = try store.countReport(location: nil, sku: "A", since: nil, until: nil)
        #expect(report.rows.count == 1)
        let countJSON = try #require(try JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [[String: Any]])
        #expect((countJSON.first?["difference"] as? NSNumber)?.intValue == 2)
        #expect(countJSON.first?["operator"] as? String == "OP-9")
        #expect(try store.countReport(location: "B-01", sku: nil, since: nil, until: nil).rows.isEmpty)

        _ = try store.commit(scan: scanEntry("340123450000000017")) { transaction in
            try transaction.recordPalletMismatch(receipt: "R-1", sscc: "340123450000000017")
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 8, to: "DOCK", toContainer: "340123450000000017", document: "R-1", documentLine: 1))
        }
        #expect(try store.palletMismatches(receipt: "R-1").map(\.sscc) == ["340123450000000017"])
        let exceptions = try store.stockExceptions(StockFilter())
        let mismatch = try #require(exceptions.rows.first { $0.first == .text("pallet_mismatch_confirmed") })
        #expect(mismatch == [.text("pallet_mismatch_confirmed"), .text("DOCK"), .text("A"), .text(nil), .text("340123450000000017"),
                             .text("R-1"), .integer(1), .quantity(10_000_000), .quantity(8_000_000)])
        #expect(try store.check().isHealthy)
    }

    @Test func anSSCCSerialIsUsedOnceAlsoAcrossARestore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try LedgerStore(path: path)
        #expect(try store.lastSSCCSerial(station: "dock-1") == nil)
        _ = try store.commit(scan: scanEntry("CMD-NEWBOX")) { try $0.useSSCCSerial(1_000_000) }
        #expect(throws: LedgerError.self) {
            try store.commit(scan: scanEntry("CMD-NEWBOX")) { try $0.useSSCCSerial(1_000_000) }
        }
        try store.backup(to: directory.path("backup.db"))
        _ = try store.commit(scan: scanEntry("CMD-NEWBOX")) { transaction in
            #expect(try transaction.view.lastSSCCSerial(station: "dock-1") == 1_000_000)
            try transaction.useSSCCSerial(1_000_001)
        }
        try store.close()
        try LedgerStore.restore(backup: directory.path("backup.db"), to: path)
        let restored = try LedgerStore(path: path)
        // The backup knew only 1000000; the restore keeps the larger counter.
        #expect(try restored.lastSSCCSerial(station: "dock-1") == 1_000_001)
        #expect(throws: LedgerError.self) {
            try restored.commit(scan: scanEntry("CMD-NEWBOX")) { try $0.useSSCCSerial(1_000_001) }
        }
        _ = try restored.commit(scan: scanEntry("CMD-NEWBOX")) { try $0.useSSCCSerial(1_000_002) }
        #expect(try restored.lastSSCCSerial(station: "dock-1") == 1_000_002)
    }

    @Test func aStepDecidesOnOneViewThatNoOtherWriterCanChange() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try storeWithOrder(directory)
        // Another process's import (here: another connection to the same file).
        let importer = try LedgerStore(path: path, busyTimeout: 0.2)
        let products = try directory.write("more-products.csv", "sku,gtin\nC,04006381333931\n")
        let entry = scanEntry("04006381333931")
        let commit = try store.commitScan(id: entry.scanID, station: entry.station, time: entry.receivedAt, operatorBadge: "OP-7") { transaction in
            #expect(try transaction.view.product(sku: "C") == nil)
            // The import cannot land between the step's reads and its commit.
            #expect(throws: LedgerError.self) { try importer.importCSV(.products, file: products) }
            #expect(try transaction.view.product(sku: "C") == nil)
            try transaction.recordShortPick(order: "O-1", line: 2, quantity: 4)
            var row = entry
            row.prompt = "Short 4 B."
            return row
        }
        #expect(commit.seq == 1)
        #expect(try store.order("O-1")?.lines.last?.shorted == 4)
        #expect(try store.read { try String.fetchOne($0, sql: "SELECT prompt FROM scan_log") } == "Short 4 B.")
        // Once the step is committed the import goes through.
        _ = try importer.importCSV(.products, file: products)
        #expect(try store.product(sku: "C") != nil)

        // A step that fails writes nothing, not even its scan.
        let failing = scanEntry("CMD-SHORT")
        #expect(throws: LedgerError.self) {
            try store.commitScan(id: failing.scanID, station: failing.station, time: failing.receivedAt, operatorBadge: nil) { transaction in
                try transaction.recordShortPick(order: "O-1", line: 1, quantity: 1)
                try transaction.recordShortPick(order: "O-1", line: 7, quantity: 1)
                return failing
            }
        }
        #expect(try store.order("O-1")?.lines.first?.shorted == 0)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log") } == 1)
        try importer.close()
    }
}
