import Foundation
import GRDB
import Testing
@testable import Ledger

@Suite struct MovementTests {
    @Test func movementUpdatesBalancesAndOutboxInOneCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let commit = try store.commit(scan: scanEntry("(01)09506000134352")) { transaction in
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "W-7", lot: "L1", expiry: "2027-01-31", quantity: Decimal(string: "12.5")!, to: "DOCK-1", toContainer: "012345670000000015"))
            try transaction.appendMovement(NewMovement(kind: .putaway, sku: "W-7", lot: "L1", quantity: 2, from: "DOCK-1", to: "B-02", fromContainer: "012345670000000015"))
        }
        #expect(commit.seq == 1)
        #expect(commit.movements.map(\.stationSeq) == [1, 2])
        #expect(commit.movements[0].id < commit.movements[1].id)
        #expect(commit.movements.allSatisfy { $0.operatorBadge == "OP-7" && $0.scanID != nil })
        let stock = try store.stock()
        #expect(stock == [
            StockRow(location: "B-02", sku: "W-7", lot: "L1", expiry: nil, container: nil, quantity: 2),
            StockRow(location: "DOCK-1", sku: "W-7", lot: "L1", expiry: "2027-01-31", container: "012345670000000015", quantity: Decimal(string: "10.5")!),
        ])
        #expect(try store.onHand(sku: "W-7") == Decimal(string: "12.5")!)
        let outbox = try store.pendingOutbox()
        #expect(outbox.map(\.eventID) == commit.movements.map(\.id))
        #expect(outbox[0].payload.contains("\"qty\":12.5"))
        #expect(try store.container(sscc: "012345670000000015")?.location == "DOCK-1")
        try store.close()
    }

    @Test func failingChangeWritesNothingNotEvenTheScan() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        #expect(throws: LedgerError.self) {
            try store.commit(scan: scanEntry("x")) { transaction in
                try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 1, to: "DOCK"))
                try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: Decimal(string: "0.0000001")!, to: "DOCK"))
            }
        }
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log") } == 0)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM movement") } == 0)
        #expect(try store.stock().isEmpty)
        #expect(try store.pendingOutbox().isEmpty)
        // The sequence did not advance: the next scan is still number 1.
        #expect(try store.record(scanEntry("y")) == 1)
    }

    @Test func burstCommitsAllOrNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let scans = (0..<5).map { scanEntry("EPC\($0)", at: 1_790_000_000_000 + Int64($0)) }
        let commits = try store.commitBurst(scans) { index, transaction in
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "T", quantity: 1, to: "PORTAL"))
            #expect(try transaction.stock(StockFilter(sku: "T")).first?.quantity == Decimal(index + 1))
        }
        #expect(commits.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(try store.onHand(sku: "T") == 5)
        #expect(throws: LedgerError.self) {
            try store.commitBurst(scans.map { var s = $0; s.scanID += "-2"; return s }) { index, transaction in
                try transaction.appendMovement(NewMovement(kind: .receive, sku: "T", quantity: 1, to: "PORTAL"))
                if index == 3 { throw LedgerError(.invalidChange, path: "", "simulated failure mid-burst") }
            }
        }
        #expect(try store.onHand(sku: "T") == 5)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log") } == 5)
    }

    @Test func undoReversesAndDocumentProgressNetsOut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        try store.write(station: "hub", time: 0) { transaction in
            try transaction.db.execute(sql: "INSERT INTO receipt(receipt) VALUES ('R1'); INSERT INTO receipt_line VALUES ('R1', 1, NULL, 'A', 10000000, NULL, NULL)")
        }
        let first = try store.commit(scan: scanEntry("a")) { try $0.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 4, to: "DOCK", document: "R1", documentLine: 1)) }
        _ = try store.commit(scan: scanEntry("b")) { try $0.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 3, to: "DOCK", document: "R1", documentLine: 1)) }
        _ = try store.commit(scan: scanEntry("CMD-UNDO")) { try $0.undo(movementID: first.movements[0].id) }
        #expect(try store.receipt("R1")?.lines.first?.received == 3)
        #expect(try store.onHand(sku: "A") == 3)
        #expect(throws: LedgerError.self) {
            try store.commit(scan: scanEntry("CMD-UNDO")) { try $0.undo(movementID: first.movements[0].id) }
        }
    }

    @Test func containerMoveCarriesAllItsContents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let sscc = "012345670000000015"
        _ = try store.commit(scan: scanEntry(sscc)) { transaction in
            try transaction.upsertContainer(Container(sscc: sscc, kind: .pallet, createdAt: transaction.time))
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 5, to: "DOCK", toContainer: sscc))
            try transaction.appendMovement(NewMovement(kind: .receive, sku: "B", lot: "X", quantity: 7, to: "DOCK", toContainer: sscc))
        }
        let moved = try store.commit(scan: scanEntry("B-01")) { try $0.moveContainer(sscc: sscc, to: "B-01") }
        #expect(moved.movements.count == 2)
        #expect(try store.contents(sscc: sscc).map(\.location) == ["B-01", "B-01"])
        #expect(try store.container(sscc: sscc)?.location == "B-01")
        #expect(try store.stock(StockFilter(location: "DOCK")).isEmpty)
    }

    @Test func ssccSerialsNeverRepeatAndStopAtTheRangeEnd() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let ssccs = try store.write(station: "pack-1", time: 0) { transaction in
            try (0..<3).map { _ in try transaction.nextSSCC(companyPrefix: "4012345", range: 1_000_000...1_000_002) }
        }
        #expect(ssccs == ["040123450010000006", "040123450010000013", "040123450010000020"])
        #expect(throws: LedgerError.self) {
            try store.write(station: "pack-1", time: 0) { try $0.nextSSCCSerial(range: 1_000_000...1_000_002) }
        }
    }

    @Test func quantitiesAreStoredExactly() throws {
        #expect(MicroUnits.stored(Decimal(string: "0.000001")!) == 1)
        #expect(MicroUnits.stored(Decimal(string: "12.345678")!) == 12_345_678)
        #expect(MicroUnits.stored(Decimal(string: "0.0000001")!) == nil)
        #expect(MicroUnits.decimal(1_500_000) == Decimal(string: "1.5")!)
        #expect(MicroUnits.text(stored: -250_000) == "-0.25")
        #expect(MicroUnits.text(stored: 36_000_000) == "36")
        #expect(MicroUnits.text(stored: 1_000_001) == "1.000001")
        #expect(MicroUnits.parse("3,5", decimalComma: true) == Decimal(string: "3.5")!)
        #expect(MicroUnits.parse("3,5") == nil)
        #expect(MicroUnits.parse("1e3") == nil)
        #expect(MicroUnits.parse("-.5") == nil)
        // The import's direct parser agrees with Decimal parsing + storing.
        for text in ["0", "12", "-3.5", "0.000001", "1.2500000", "999999999.999999", "7,25", "1.0000001", "1e3", "", "-", "1.", ".5", "1.2.3"] {
            let viaDecimal = MicroUnits.parse(text, decimalComma: true).flatMap(MicroUnits.stored)
            #expect(MicroUnits.parseStored(text, decimalComma: true) == viaDecimal, "\(text)")
        }
    }
}

@Suite struct DurabilityTests {
    /// GRDB's pool switches its writer to synchronous=NORMAL; the store must undo that.
    @Test func writerCommitsWithSynchronousFull() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let settings = try store.writer.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"))
        }
        #expect(settings.0 == 2)
        #expect(settings.1 == "wal")
        #expect(settings.2 == 0)
    }
}

extension DurabilityTests {
    /// Commits never checkpoint themselves; the background checkpointer copies the WAL back.
    @Test func walIsCheckpointedInTheBackground() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try LedgerStore(path: path)
        let before = fileSize(path)
        _ = try store.write(station: "s", time: 1) { transaction in
            for index in 0..<20_000 {
                try transaction.appendMovement(NewMovement(kind: .receive, sku: "SKU-\(index)", quantity: 1, to: "L-\(index % 50)"))
            }
        }
        #expect(fileSize(path + "-wal") > 4_000_000)
        var waited = 0
        while fileSize(path) <= before + 1_000_000, waited < 100 {
            usleep(50_000)
            waited += 1
        }
        #expect(fileSize(path) > before + 1_000_000, "the database file grew: the WAL was copied back")
        try store.close()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") || fileSize(path + "-wal") == 0)
    }
}

extension DurabilityTests {
    /// Scans that never pause and never give the store a moment between them: the
    /// background checkpoints keep up and SQLite starts the WAL over, so the WAL file stays
    /// bounded instead of growing with every scan (on tmpfs when there is one, where 8,000
    /// durable commits take seconds).
    @Test func walStaysBoundedUnderNonstopScans() throws {
        let shared = "/dev/shm/scanstation-wal-test-\(getpid())"
        let directory = (try? FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)) != nil ? shared : nil
        let fallback = directory == nil ? try TemporaryDirectory() : nil
        defer {
            if let directory { try? FileManager.default.removeItem(atPath: directory) }
            fallback?.remove()
        }
        let path = directory.map { $0 + "/s.db" } ?? fallback?.path("s.db") ?? "s.db"
        let store = try LedgerStore(path: path)
        var largest = 0
        for index in 0..<8_000 {
            _ = try store.record(scanEntry("SCAN-\(index)", at: 1_790_000_000_000 + Int64(index)))
            if index % 100 == 0 { largest = max(largest, fileSize(path + "-wal")) }
        }
        // 8,000 scans write about 40,000 WAL pages (160 MB) if the WAL never restarts.
        #expect(largest < 24_000_000, "largest WAL \(largest) bytes")
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log") } == 8_000)
        try store.close()
    }
}

extension DurabilityTests {
    /// A station checkpoints between scans: the WAL is copied back on the writer while
    /// nothing else writes, and the next commit starts it over, so it stays at the
    /// checkpoint size.
    @Test func checkpointBetweenScansStartsTheWALOver() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try LedgerStore(path: path)
        var index = 0
        while store.checkpointer?.isDue == false {
            _ = try store.record(scanEntry("SCAN-\(index)", at: 1_790_000_000_000 + Int64(index)))
            store.checkpointIfDue()
            index += 1
        }
        #expect(index > 100, "a scan writes a few pages; 1,000 are due only after many scans")
        store.checkpointIfDue()
        let walAfterCheckpoint = fileSize(path + "-wal")
        for _ in 0..<(2 * index) {
            _ = try store.record(scanEntry("SCAN-\(index)", at: 1_790_000_000_000 + Int64(index)))
            store.checkpointIfDue()
            index += 1
        }
        // Twice as many scans again (about 2,000 more pages), yet the WAL file grew by no
        // more than a scan's few pages: it was rewritten from the start.
        #expect(fileSize(path + "-wal") < walAfterCheckpoint + 100_000, "WAL \(fileSize(path + "-wal")) bytes, \(walAfterCheckpoint) after the first checkpoint")
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log") } == index)
        try store.close()
    }
}

/// A file's size in bytes, 0 when it does not exist.
private func fileSize(_ file: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
}
