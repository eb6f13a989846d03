import Foundation
import GRDB
import Ledger
import Testing

@Suite struct ScanLogTests {
    func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("store.db").path
    }

    func entry(_ station: String, _ text: String, result: ScanResult = .accepted) -> ScanLogEntry {
        var ids = UUIDv7Generator()
        return ScanLogEntry(
            scanID: ids.next(milliseconds: 1_700_000_000_000 + UInt64.random(in: 0..<1_000_000)), station: station, source: "stdin",
            input: Array(text.utf8), inputLength: text.utf8.count, symbology: nil, kind: "text",
            result: result, errorCode: nil, errorMessage: nil, prompt: "p", receivedAt: 1)
    }

    @Test func sequenceNumbersArePerStationAndDurableInWALWithFullSync() throws {
        let path = try temporaryPath()
        let store = try LedgerStore(path: path)
        #expect(try store.record(entry("a", "1")) == 1)
        #expect(try store.record(entry("a", "2")) == 2)
        #expect(try store.record(entry("b", "1")) == 1)
        let (journal, synchronous) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 2, "synchronous=FULL")
        try store.close()

        let reopened = try LedgerStore(path: path)
        #expect(try reopened.record(entry("a", "3")) == 3)
        try reopened.close()
    }

    /// The scan-log row and the sequence bump are bound through SQLite's C API: every
    /// column must arrive as GRDB would store it, and a failed insert must leave the
    /// statements usable and the sequence where it was.
    @Test func everyColumnIsStoredAndAFailedInsertChangesNothing() throws {
        let store = try LedgerStore(path: try temporaryPath())
        let full = ScanLogEntry(
            scanID: "01a2b3c4-0000-7000-8000-000000000001", station: "Lager Süd", source: "usb:1-2",
            input: [0x5D, 0x43, 0x31, 0x1D, 0xFF], inputLength: 9000, symbology: "gs1-128", kind: "gs1",
            result: .rejected, errorCode: "gs1_check_digit", errorMessage: "Prüfziffer", prompt: "", receivedAt: 1_700_000_000_123,
            operatorBadge: "OP-17")
        #expect(try store.record(full) == 1)
        var empty = entry("Lager Süd", "")
        empty.symbology = nil
        #expect(try store.record(empty) == 2)
        // The same scan id again: the primary key refuses it, and nothing of it stays.
        #expect(throws: LedgerError.self) { try store.record(full) }
        #expect(try store.record(entry("Lager Süd", "next")) == 3)
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM scan_log ORDER BY seq")
        }
        try #require(rows.count == 3)
        let first = rows[0]
        #expect(first["id"] as String? == full.scanID)
        #expect(first["station"] as String? == "Lager Süd")
        #expect(first["seq"] as Int64? == 1)
        #expect(first["received_at"] as Int64? == 1_700_000_000_123)
        #expect(first["source"] as String? == "usb:1-2")
        #expect(first["input"] as Data? == Data([0x5D, 0x43, 0x31, 0x1D, 0xFF]))
        #expect(first["input_length"] as Int? == 9000)
        #expect(first["symbology"] as String? == "gs1-128")
        #expect(first["kind"] as String? == "gs1")
        #expect(first["result"] as String? == "rejected")
        #expect(first["error_code"] as String? == "gs1_check_digit")
        #expect(first["error_message"] as String? == "Prüfziffer")
        #expect(first["prompt"] as String? == "")
        #expect(first["operator"] as String? == "OP-17")
        // An empty payload is an empty blob, not NULL; absent fields are NULL.
        #expect(rows[1]["input"] as Data? == Data())
        #expect(rows[1]["symbology"] as DatabaseValue? == .null)
        #expect(rows[1]["operator"] as DatabaseValue? == .null)
        try store.close()
    }

    @Test func foreignFileIsAClearError() throws {
        let path = try temporaryPath()
        try Data("this is not a database, it is a shopping list\n".utf8 + Data(repeating: 0x41, count: 4096)).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try LedgerStore(path: path)
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .notADatabase && error.description.contains(path)
        }
    }

    @Test func newerDatabaseIsRefused() throws {
        let path = try temporaryPath()
        try LedgerStore(path: path).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999-from-the-future')") }
        try queue.close()
        #expect {
            _ = try LedgerStore(path: path)
        } throws: { error in
            (error as? LedgerError)?.code == .newerSchema
        }
    }

    @Test func uuidv7IsTimeOrderedAndVersioned() {
        var generator = UUIDv7Generator()
        let ids = (0..<1000).map { generator.next(milliseconds: 1_700_000_000_000 + UInt64($0 / 10)) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Array($0)[14] == "7" && "89ab".contains(Array($0)[19]) })
        #expect(ids[0].hasPrefix("018bcfe5-6800"), "48-bit Unix milliseconds first")
        #expect(ids.allSatisfy { $0.count == 36 && $0.allSatisfy { "0123456789abcdef-".contains($0) } })
    }

    /// The randomness is fetched in blocks; a copy of a generator must not replay the
    /// block its original draws from, or both would mint the same ids in one millisecond.
    @Test func copiesOfAGeneratorNeverMintTheSameIDs() {
        var original = UUIDv7Generator()
        _ = original.next(milliseconds: 1_700_000_000_000)
        var copy = original
        let fromOriginal = (0..<100).map { _ in original.next(milliseconds: 1_700_000_000_001) }
        let fromCopy = (0..<100).map { _ in copy.next(milliseconds: 1_700_000_000_001) }
        #expect(Set(fromOriginal).isDisjoint(with: fromCopy))
        // Past one block of 32 words, still no repeats.
        var long = UUIDv7Generator()
        let many = (0..<5_000).map { long.next(milliseconds: 1_700_000_000_000 + UInt64($0)) }
        #expect(Set(many.map { $0.suffix(17) }).count == many.count, "the random tails differ")
    }
}
