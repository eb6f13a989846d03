import Foundation
import GRDB
import Testing
@testable import Ledger

/// A tmpfs of a given size mounted for one test (needs root, as in CI), to make a full
/// or read-only disk for real.
final class TmpfsMount {
    let directory: TemporaryDirectory

    init(size: String) throws {
        directory = try TemporaryDirectory()
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", directory.url.path])
    }

    var path: String { directory.url.path }
    func path(_ name: String) -> String { directory.path(name) }

    func remountReadOnly() throws {
        try Self.run("/bin/mount", ["-o", "remount,ro", directory.url.path])
    }

    deinit {
        try? Self.run("/bin/umount", [directory.url.path])
        directory.remove()
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LedgerError(.cannotOpen, path: tool, "\(tool) \(arguments.joined(separator: " ")) failed: mounting a tmpfs needs root")
        }
    }
}

@Suite struct BadInputTests {
    @Test func corruptFileIsRefusedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bytes = [UInt8]("SQLite format 3\u{0}".utf8)
        var random = SystemRandomNumberGenerator()
        bytes += (0..<8192).map { _ in UInt8.random(in: 0...255, using: &random) }
        let path = directory.path("s.db")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: LedgerError.self) { try LedgerStore(path: path) }
        #expect(error.code == .notADatabase)
        #expect(error.message.contains("Restore it from a backup"))
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }

    @Test func foreignSQLiteFileIsRefusedUnchanged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("other.db")
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x')") }
        try other.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for readOnly in [false, true] {
            let error = try #require(throws: LedgerError.self) { try LedgerStore(path: path, readOnly: readOnly) }
            #expect(error.code == .notADatabase)
            #expect(error.message.contains("not a scanstation store"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func newerSchemaIsRefusedWithoutMigrating() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try LedgerStore(path: path)
        _ = try store.write(station: "x", time: 0) { try $0.db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-from-the-future')") }
        try store.close()
        let error = try #require(throws: LedgerError.self) { try LedgerStore(path: path) }
        #expect(error.code == .newerSchema)
        #expect(error.message.contains("v9-from-the-future"))
    }

    @Test func readOnlyOpeningNeedsAnUpToDateStore() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("old.db")
        // A store as the first skeleton wrote it: only the scan log.
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1-scan-log')")
            try db.execute(sql: "CREATE TABLE station (name TEXT PRIMARY KEY NOT NULL, last_scan_seq INTEGER NOT NULL DEFAULT 0)")
            try db.execute(sql: "CREATE TABLE scan_log (id TEXT PRIMARY KEY NOT NULL, station TEXT NOT NULL, seq INTEGER NOT NULL, received_at INTEGER NOT NULL, source TEXT NOT NULL, input BLOB NOT NULL, input_length INTEGER NOT NULL, symbology TEXT, kind TEXT, result TEXT NOT NULL, error_code TEXT, error_message TEXT, prompt TEXT NOT NULL, UNIQUE (station, seq))")
            try db.execute(sql: "INSERT INTO station VALUES ('dock-1', 41)")
        }
        try old.close()
        let error = try #require(throws: LedgerError.self) { try LedgerStore(path: path, readOnly: true) }
        #expect(error.code == .outdatedSchema)
        // Opening for writing migrates it and keeps what was there.
        let store = try LedgerStore(path: path)
        #expect(try store.record(scanEntry("x")) == 42)
        try store.close()
        #expect(try LedgerStore(path: path, readOnly: true).stock().isEmpty)
    }

    @Test func lockedDatabaseIsAClearErrorAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try LedgerStore(path: path, busyTimeout: 0.2)
        let other = try DatabaseQueue(path: path)
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let error = try #require(throws: LedgerError.self) {
                try store.commit(scan: scanEntry("x")) { try $0.appendMovement(NewMovement(kind: .adjust, sku: "A", quantity: 1, to: "L")) }
            }
            #expect(error.code == .locked)
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try store.record(scanEntry("y")) == 1)
        #expect(try store.stock().isEmpty)
    }

    @Test func readOnlyFileSystemIsRefusedForWritesButReadable() throws {
        let mount = try TmpfsMount(size: "4m")
        let path = mount.path("s.db")
        let store = try LedgerStore(path: path)
        _ = try store.commit(scan: scanEntry("x")) { try $0.appendMovement(NewMovement(kind: .adjust, sku: "A", quantity: 2, to: "L")) }
        try store.close()
        try mount.remountReadOnly()
        let error = try #require(throws: LedgerError.self) { try LedgerStore(path: path) }
        #expect([.readOnly, .cannotOpen].contains(error.code))
        let reader = try LedgerStore(path: path, readOnly: true)
        #expect(try reader.onHand(sku: "A") == 2)
        let missing = try #require(throws: LedgerError.self) { try LedgerStore(path: mount.path("elsewhere/s.db")) }
        #expect(missing.code == .cannotOpen || missing.code == .readOnly)
    }

    @Test func fullDiskFailsTheCommitAndKeepsEverythingCommittedBefore() throws {
        let mount = try TmpfsMount(size: "1m")
        let path = mount.path("s.db")
        let store = try LedgerStore(path: path)
        // Take most of the remaining space so the WAL soon has nowhere to grow.
        let free = try #require(try FileManager.default.attributesOfFileSystem(forPath: mount.path)[.systemFreeSize] as? NSNumber).intValue
        let filler = mount.path("filler")
        try Data(count: max(0, free - 96 * 1024)).write(to: URL(fileURLWithPath: filler))
        var committed = 0
        var failure: LedgerError?
        let lot = String(repeating: "L", count: 400)
        for index in 0..<2000 {
            do {
                _ = try store.commit(scan: scanEntry("scan \(index)", at: 1_790_000_000_000 + Int64(index))) { transaction in
                    try transaction.appendMovement(NewMovement(kind: .receive, sku: "A", lot: lot + String(index), quantity: 1, to: "DOCK"))
                }
                committed += 1
            } catch {
                failure = error
                break
            }
        }
        let error = try #require(failure)
        #expect(error.code == .writeFailed)
        #expect(error.message.contains("disk is full") || error.message.contains("I/O error"))
        #expect(committed > 0)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_log") } == committed)
        #expect(try store.onHand(sku: "A") == Decimal(committed))
        try FileManager.default.removeItem(atPath: filler)
        _ = try store.commit(scan: scanEntry("after space was freed")) { try $0.appendMovement(NewMovement(kind: .receive, sku: "A", quantity: 1, to: "DOCK")) }
        let report = try store.check()
        #expect(report.problems == [])
        #expect(report.movements == committed + 1)
        try store.close()
    }
}
