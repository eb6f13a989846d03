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
