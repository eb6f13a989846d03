import Foundation
import GRDB
import Testing
@testable import Ledger

/// A store with a little history: two products, a receipt, an order picked beyond its quantity.
private func storeWithHistory(_ directory: TemporaryDirectory) throws -> LedgerStore {
    let store = try LedgerStore(path: directory.path("s.db"))
    _ = try store.importCSV(.products, file: try directory.write("p.csv", "sku\nA\nB\n"))
    _ = try store.importCSV(.orders, file: try directory.write("o.csv", "order,line,sku,qty\nO1,1,A,2\n"))
    let hour: Int64 = 1_790_000_000_000 - 1_790_000_000_000 % 3_600_000
    _ = try store.commit(scan: scanEntry("a", at: hour + 1000, operatorBadge: "OP-1")) { transaction in
        try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", lot: "L1", quantity: Decimal(string: "10.25")!, to: "DOCK"))
        try transaction.appendMovement(NewMovement(kind: .receive, sku: "B", quantity: 1, to: "DOCK"))
    }
    _ = try store.commit(scan: scanEntry("b", at: hour + 2000, operatorBadge: "OP-1")) { transaction in
        try transaction.appendMovement(NewMovement(kind: .pick, sku: "A", lot: "L1", quantity: 3, from: "DOCK", to: "PACK", document: "O1", documentLine: 1))
    }
    _ = try store.commit(scan: scanEntry("bad", at: hour + 3000, result: .rejected, operatorBadge: "OP-1")) { _ in }
    // Another station took B while offline: pulled, it drives the balance negative.
    _ = try store.write(station: "dock-2", time: hour + 4000) { transaction in
        try transaction.applyRemoteMovement(Movement(
            id: "01900000-0000-7000-8000-000000000001", station: "dock-2", stationSeq: 1, at: hour + 4000, operatorBadge: "OP-2",
            kind: .ship, sku: "B", lot: nil, expiry: nil, quantity: 2, fromLocation: "DOCK", toLocation: nil, fromContainer: nil,
            toContainer: nil, document: nil, documentLine: nil, scanID: nil, reverses: nil))
    }
    return store
}

@Suite struct ReportTests {
    @Test func stockReportInTheContractsJSONShape() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        let json = try store.stockReport(StockFilter()).rendered(as: .json)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["location"] as? String } == ["DOCK", "DOCK", "PACK"])
        #expect(rows.map { $0["sku"] as? String } == ["A", "B", "A"])
        #expect((rows[0]["qty"] as? NSNumber)?.doubleValue == 7.25)
        #expect(rows[0]["lot"] as? String == "L1" && rows[1]["lot"] is NSNull && rows[0]["container"] is NSNull)
        #expect(Set(rows[0].keys) == ["location", "sku", "lot", "expiry", "container", "qty"])
        let csv = try store.stockReport(StockFilter(location: "PACK")).rendered(as: .csv)
        #expect(csv == "location,sku,lot,expiry,container,qty\nPACK,A,L1,,,3\n")
    }

    @Test func exceptionsShowNegativeStockAndOverPicking() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        let table = try store.stockExceptions(StockFilter())
        #expect(table.rows.map { $0[0] } == [.text("negative_stock"), .text("over_picked")])
        #expect(table.rows[0][2] == .text("B") && table.rows[0][8] == .quantity(-1_000_000))
        #expect(table.rows[1][5] == .text("O1") && table.rows[1][7] == .quantity(2_000_000) && table.rows[1][8] == .quantity(3_000_000))
    }

    @Test func movementFiltersAndProductivity() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        #expect(try store.movementReport(MovementFilter(sku: "A")).rows.count == 2)
        #expect(try store.movementReport(MovementFilter(location: "PACK")).rows.count == 1)
        #expect(try store.movementReport(MovementFilter(operatorBadge: "OP-2")).rows.count == 1)
        #expect(try store.movementReport(MovementFilter(document: "O1", kind: .pick)).rows.count == 1)
        #expect(try store.movementReport(MovementFilter(until: 1_000)).rows.isEmpty)
        let productivity = try store.productivityReport(operatorBadge: "OP-1", since: nil, until: nil)
        #expect(productivity.rows.count == 1)
        // 3 scans (2 accepted, 1 rejected), 1 order line worked, 10.25 + 1 + 3 units moved.
        #expect(Array(productivity.rows[0][2...]) == [.integer(3), .integer(2), .integer(1), .integer(1), .quantity(14_250_000)])
        #expect(try store.orderReport(order: "O1").rows.first?[5] == .quantity(3_000_000))
    }

    @Test func tableFormatAlignsColumns() {
        let table = ReportTable(columns: ["sku", "qty"], rows: [[.text("A"), .quantity(1_500_000)], [.text("LONGER"), .quantity(10_000_000)]])
        #expect(table.rendered(as: .table) == "SKU     QTY\nA       1.5\nLONGER   10\n")
    }
}

@Suite struct MaintenanceTests {
    @Test func checkFindsBalancesThatDisagreeWithTheMovements() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        #expect(try store.check().problems == [])
        _ = try store.write(station: "x", time: 0) { try $0.db.execute(sql: "UPDATE balance SET qty = qty + 1 WHERE sku = 'A' AND location = 'PACK'") }
        _ = try store.write(station: "x", time: 0) { try $0.db.execute(sql: "DELETE FROM outbox WHERE seq = 1") }
        let problems = try store.check().problems
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("Balance of A at PACK lot L1 is 3.000001 but the movements add up to 3") })
        #expect(problems.contains { $0.contains("has no outbox entry") })
    }

    @Test func backupRestoreKeepsCountersFromGoingBackwards() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        try store.backup(to: directory.path("backup.db"))
        // Work after the backup: more scans, movements and SSCC serials.
        _ = try store.commit(scan: scanEntry("c")) { transaction in
            try transaction.appendMovement(NewMovement(kind: .adjust, sku: "A", quantity: 1, to: "DOCK"))
            _ = try transaction.nextSSCCSerial(range: 5...100)
        }
        #expect(throws: LedgerError.self) { try LedgerStore.restore(backup: directory.path("backup.db"), to: directory.path("s.db")) }
        try store.close()
        try LedgerStore.restore(backup: directory.path("backup.db"), to: directory.path("s.db"))
        let restored = try LedgerStore(path: directory.path("s.db"))
        #expect(try restored.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM movement") } == 4)
        #expect(try restored.record(scanEntry("next")) == 5)
        let next = try restored.commit(scan: scanEntry("n2")) { transaction in
            try transaction.appendMovement(NewMovement(kind: .adjust, sku: "A", quantity: 1, to: "DOCK"))
            #expect(try transaction.nextSSCCSerial(range: 5...100) == 6)
        }
        #expect(next.movements.first?.stationSeq == 5)
        #expect(FileManager.default.fileExists(atPath: directory.path("s.db.before-restore")))
        #expect(try restored.check().isHealthy)
    }

    @Test func restoreRefusesADamagedBackup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        try store.close()
        let junk = try directory.write("junk.db", String(repeating: "not a database ", count: 500))
        let error = try #require(throws: LedgerError.self) { try LedgerStore.restore(backup: junk, to: directory.path("s.db")) }
        #expect(error.code == .notADatabase)
        #expect(try LedgerStore(path: directory.path("s.db")).check().movements == 4)
    }

    @Test func pruneRemovesOldScansAndOnlySyncedOutboxEntries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try storeWithHistory(directory)
        let ids = try store.pendingOutbox().map(\.eventID)
        _ = try store.write(station: "dock-1", time: 1) { try $0.markSynced(eventIDs: [ids[0], ids[1]]) }
        let summary = try store.prune(before: 1_800_000_000_000)
        #expect(summary.scanLogRows == 3 && summary.outboxEntries == 2)
        #expect(try store.pendingOutbox().map(\.eventID) == [ids[2]])
        #expect(try store.check().isHealthy)
        #expect(try store.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)
    }

    @Test func outboxBacklogCountsWhatTheHubLacksAndDatesTheOldest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = try LedgerStore(path: directory.path("empty.db"))
        #expect(try empty.outboxBacklog() == OutboxBacklog(events: 0, oldestCreatedAt: nil))
        let store = try storeWithHistory(directory)
        let pending = try store.pendingOutbox()
        #expect(pending.count == 3)
        #expect(try store.outboxBacklog() == OutboxBacklog(events: 3, oldestCreatedAt: pending.map(\.createdAt).min()))
        // Once the hub confirms the oldest two, the lag is measured from the third.
        let byAge = pending.sorted { $0.createdAt < $1.createdAt }
        _ = try store.write(station: "dock-1", time: 1) { try $0.markSynced(eventIDs: [byAge[0].eventID, byAge[1].eventID]) }
        let backlog = try store.outboxBacklog()
        #expect(backlog == OutboxBacklog(events: 1, oldestCreatedAt: byAge[2].createdAt))
        #expect(backlog.lagSeconds(now: byAge[2].createdAt + 90_500) == 90.5)
        #expect(backlog.lagSeconds(now: byAge[2].createdAt - 5_000) == 0, "a clock set back is no negative lag")
        #expect(try empty.outboxBacklog().lagSeconds(now: 1_800_000_000_000) == 0)
    }
}
