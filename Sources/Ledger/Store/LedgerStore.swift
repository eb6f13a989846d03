public import GRDB
import GRDBSQLite
import Dispatch
import Foundation
import Synchronization

/// The station's durable store: one SQLite file in WAL mode, synchronous=FULL, so a
/// committed transaction survives a power cut. "Accepted" means committed here.
///
/// One writer (a `DatabasePool`); a scan, its movements, their balances and outbox
/// entries are one transaction. WAL checkpoints never run in the commit path of a scan:
/// the station runs them between scans (`checkpointIfDue`), a background connection when
/// the WAL keeps growing regardless.
public final class LedgerStore: Sendable {
    public let path: String
    public let isReadOnly: Bool
    let writer: any DatabaseWriter
    let ids = Mutex(UUIDv7Generator())
    let checkpointer: Checkpointer?

    /// Opens (creating it when missing, unless `readOnly`) the store at `path` and migrates it.
    /// Read-only opening never creates or changes the file. `busyTimeout` is how long a
    /// write waits for another process's lock before failing with `.locked`.
    public init(path: String, readOnly: Bool = false, busyTimeout: Double = 5) throws(LedgerError) {
        self.path = path
        self.isReadOnly = readOnly
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw LedgerError(.cannotOpen, path: path,
                "There is no database here. Check --db, or run `scanstation run` once to create the store.")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "scanstation"
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // FULL: the WAL is synced on every commit; NORMAL could lose the last
            // acknowledged scans on power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if !db.configuration.readonly {
                // Effective only while the file has no tables: lets `db prune` give pages back.
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                // Checkpoints run between scans or in the background, off the commit path.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            }
        }
        do {
            if readOnly {
                let queue = try Self.openReadOnly(path: path, configuration: configuration)
                try queue.read { db in
                    try LedgerSchema.checkIsLedger(db, path: path)
                    try LedgerSchema.checkNotNewer(db, path: path)
                    try LedgerSchema.checkCurrent(db, path: path)
                }
                writer = queue
                checkpointer = nil
            } else {
                // Look before opening for writing: opening a pool switches the file to WAL,
                // which would already change a foreign or newer file.
                if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > 0 {
                    var inspection = Configuration()
                    inspection.readonly = true
                    inspection.busyMode = .timeout(busyTimeout)
                    let queue = try DatabaseQueue(path: path, configuration: inspection)
                    try queue.read { db in
                        try LedgerSchema.checkIsLedger(db, path: path)
                        try LedgerSchema.checkNotNewer(db, path: path)
                    }
                    try queue.close()
                }
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Migrations commit with NORMAL: each is its own transaction, and syncing the
                // WAL after every one of them was most of an empty store's start-up time.
                // WAL+NORMAL never corrupts; a power cut can only undo the last migrations,
                // which then simply run again. FULL is back before any scan is written, and
                // the first FULL commit syncs the migrations' WAL frames with it.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                try LedgerSchema.migrator.migrate(pool)
                // GRDB sets synchronous=NORMAL on the writer when it switches to WAL, after
                // prepareDatabase ran: set FULL again, or acknowledged scans could be lost.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                let checkpointer = try Checkpointer(path: path)
                pool.writeWithoutTransaction { db in checkpointer.install(on: db) }
                writer = pool
                self.checkpointer = checkpointer
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.from(error, path: path, doing: "open the database")
        }
    }

    /// Records one scan that changes nothing else and returns the station's sequence
    /// number for it. Returns only after the transaction is durably committed.
    public func record(_ entry: ScanLogEntry) throws(LedgerError) -> Int64 {
        try commit(scan: entry) { _ in }.seq
    }

    /// Records a scan and everything it changes in one durable transaction. `changes`
    /// appends movements, updates containers, documents, claims and the session; when it
    /// throws, nothing at all is written (not even the scan) and the error is rethrown as
    /// a `LedgerError` (the caller then records the scan as rejected).
    public func commit(
        scan: ScanLogEntry, changes: (LedgerWriteTransaction) throws -> Void
    ) throws(LedgerError) -> LedgerCommit {
        let commits = try commitBurst([scan]) { _, transaction in try changes(transaction) }
        guard let first = commits.first else {
            throw LedgerError(.writeFailed, path: path, "Could not record scan \(scan.scanID): nothing was committed.")
        }
        return first
    }

    /// Burst mode (RFID portals, replays): records a group of scans and their changes in
    /// one transaction. `changes` is called once per scan, in order, with that scan's
    /// index. Either every scan of the group is committed or none is, so answers for the
    /// group may be given only after this returns.
    public func commitBurst(
        _ scans: [ScanLogEntry], changes: (Int, LedgerWriteTransaction) throws -> Void
    ) throws(LedgerError) -> [LedgerCommit] {
        guard !isReadOnly else {
            throw LedgerError(.readOnly, path: path, "The store was opened read-only; nothing can be recorded.")
        }
        let commits: [LedgerCommit]
        do {
            commits = try writer.writeWithoutTransaction { db in try Self.inImmediateTransaction(db) {
                var commits: [LedgerCommit] = []
                commits.reserveCapacity(scans.count)
                for (index, scan) in scans.enumerated() {
                    let seq = try Self.nextScanSequence(db, station: scan.station)
                    try Self.insert(scan, seq: seq, db)
                    let transaction = LedgerWriteTransaction(db: db, store: self, station: scan.station, scanID: scan.scanID, time: scan.receivedAt, operatorBadge: scan.operatorBadge)
                    try changes(index, transaction)
                    commits.append(LedgerCommit(seq: seq, movements: transaction.appended))
                }
                return commits
            } }
        } catch {
            let description = scans.count == 1 ? "record scan \(scans[0].scanID)" : "record a burst of \(scans.count) scans"
            throw LedgerError.from(error, path: path, doing: description)
        }
        return commits
    }

    /// BEGIN IMMEDIATE, the body, COMMIT, through cached statements: GRDB's own transaction
    /// prepares both statements anew each time, a good part of what a scan's commit costs
    /// beyond SQLite's own work. Anything thrown rolls back whatever the body wrote.
    static func inImmediateTransaction<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        let result: T
        do {
            result = try body()
        } catch {
            // Some errors (a full disk, I/O) end the transaction themselves.
            if db.isInsideTransaction { try? db.rollback() }
            throw error
        }
        do {
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            try discardUnpublishedFrames(db, after: error)
            throw error
        }
        return result
    }

    /// A COMMIT that fails while syncing the WAL can leave the transaction's frames whole
    /// in the file, unpublished: this connection rolled it back, but the next open of the
    /// store would recover them and commit what was reported as failed (a scan the worker
    /// was told to repeat would be in the ledger twice). A truncating checkpoint copies
    /// only published frames and empties the WAL, so the failure is final. When even that
    /// fails, nobody can say whether the transaction is in the store.
    static func discardUnpublishedFrames(_ db: Database, after commitError: any Error) throws {
        var lastError: (any Error)?
        // A few tries: an I/O error can be passing (a busy device, a reader in the way).
        for _ in 0..<3 {
            do {
                _ = try db.checkpoint(.truncate)
                return
            } catch {
                lastError = error
            }
        }
        // A full disk stops the frames before the last one, which marks the commit: nothing
        // of it can be recovered, and the failure is final as it is.
        if let databaseError = commitError as? DatabaseError, databaseError.resultCode.primaryResultCode == .SQLITE_FULL { return }
        throw LedgerError(.commitUncertain, path: "",
            "The commit failed (\(commitError)) and the store could not discard its partly written log (\(lastError.map { "\($0)" } ?? "unknown error")): whether the change is in the store is known only after the store is opened again. Restart the service; check the disk.")
    }

    /// Changes that come with no scan (sync applying pulled data, maintenance).
    public func write<T>(station: String, time: Int64, _ body: (LedgerWriteTransaction) throws -> T) throws(LedgerError) -> T {
        guard !isReadOnly else {
            throw LedgerError(.readOnly, path: path, "The store was opened read-only; nothing can be changed.")
        }
        do {
            let result = try writer.write { db in
                try body(LedgerWriteTransaction(db: db, store: self, station: station, scanID: nil, time: time, operatorBadge: nil))
            }
            return result
        } catch {
            throw LedgerError.from(error, path: path, doing: "write to the database")
        }
    }

    /// Copies the WAL back into the database file when it has grown past the checkpoint
    /// size, on the writer connection; a no-op otherwise (one lock). A station calls it
    /// once it has answered a scan and none is waiting: nothing writes meanwhile, so the
    /// checkpoint copies every frame and the next commit starts the WAL over, rewriting
    /// blocks the file already has (a cheaper sync than appending to a growing WAL).
    /// Background checkpoints remain for writers that never pause or never call this.
    public func checkpointIfDue() {
        guard !isReadOnly, let checkpointer, checkpointer.isDue, let pool = writer as? DatabasePool else { return }
        // A busy or failed checkpoint is simply retried after the next commit.
        try? pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    /// Reads with a snapshot of the store (reports, checks, tests).
    public func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw LedgerError.from(error, path: path, doing: "read the database")
        }
    }

    /// Checkpoints the WAL and closes the file; the store is unusable afterwards.
    public func close() throws(LedgerError) {
        do {
            if let pool = writer as? DatabasePool {
                // Stop and wait for background checkpoints first: a truncating checkpoint
                // needs the file to itself.
                _ = pool.writeWithoutTransaction { db in sqlite3_wal_hook(db.sqliteConnection, nil, nil) }
                try checkpointer?.close()
                try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                try pool.close()
            } else if let queue = writer as? DatabaseQueue {
                try queue.close()
            }
        } catch {
            throw LedgerError.from(error, path: path, doing: "close the database")
        }
    }

    private static func openReadOnly(path: String, configuration: Configuration) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { _ in }
            return queue
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode.primaryResultCode) {
            let directory = (path as NSString).deletingLastPathComponent
            guard !FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else { throw error }
            // A WAL store whose directory this user may not write (an admin in the
            // service's group reading /var/lib/scanstation while the daemon is stopped, or
            // a mounted backup disk): SQLite cannot create the -shm file, but may read the
            // file as immutable, which is whole when no write-ahead log holds commits the
            // file lacks. With one, reading without it would show a past state.
            let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber
            guard (walSize?.intValue ?? 0) == 0 else {
                throw LedgerError(.readOnly, path: path,
                    "Its write-ahead log (\(path)-wal) holds commits not yet in the file, and this user may not write the directory to read them. Run this as the service's user or root, or start the daemon once so it folds the log in.")
            }
            return try DatabaseQueue(path: immutableURI(path), configuration: configuration)
        }
    }

    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let escaped = absolute.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f").replacingOccurrences(of: "#", with: "%23")
        return "file:\(escaped)?immutable=1"
    }

    func nextID(milliseconds: Int64) -> String {
        ids.withLock { $0.next(milliseconds: UInt64(max(0, milliseconds))) }
    }

    static func nextScanSequence(_ db: Database, station: String) throws -> Int64 {
        let bump = try DirectStatement(db, sql: "UPDATE station SET last_scan_seq = last_scan_seq + 1 WHERE name = ? RETURNING last_scan_seq")
        bump.bind(1, station)
        if let seq = try bump.run(db) { return seq }
        try db.execute(sql: "INSERT INTO station(name, last_scan_seq) VALUES (?, 1)", arguments: [station])
        return 1
    }

    static func insert(_ entry: ScanLogEntry, seq: Int64, _ db: Database) throws {
        let statement = try DirectStatement(db, sql: """
            INSERT INTO scan_log(id, station, seq, received_at, source, input, input_length,
                                 symbology, kind, result, error_code, error_message, prompt, operator)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        statement.bind(1, entry.scanID)
        statement.bind(2, entry.station)
        statement.bind(3, seq)
        statement.bind(4, entry.receivedAt)
        statement.bind(5, entry.source)
        statement.bind(6, blob: entry.input.prefix(4096))
        statement.bind(7, Int64(entry.inputLength))
        statement.bind(8, entry.symbology)
        statement.bind(9, entry.kind)
        statement.bind(10, entry.result.rawValue)
        statement.bind(11, entry.errorCode)
        statement.bind(12, entry.errorMessage)
        statement.bind(13, entry.prompt)
        statement.bind(14, entry.operatorBadge)
        try statement.run(db)
    }
}

/// What one committed scan did.
public struct LedgerCommit: Sendable, Hashable {
    /// The station's scan sequence number.
    public var seq: Int64
    /// The movements appended for the scan, in order.
    public var movements: [Movement]
}

/// Watches the WAL's size after each commit (SQLite's WAL hook) and keeps it bounded
/// without making a scan's commit copy the WAL back: past `pagesPerCheckpoint` pages a
/// checkpoint is due, which the station runs between scans (`checkpointIfDue`); past
/// twice that (a writer that never pauses, or writes without a station) a checkpoint runs
/// on a background connection of its own.
final class Checkpointer: Sendable {
    /// About 4 MB of 4 KB pages, SQLite's own automatic checkpoint size.
    static let pagesPerCheckpoint: Int32 = 1000
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "scanstation.checkpoint")
    private struct State {
        var scheduled = false
        var due = false
    }
    private let state = Mutex(State())

    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "scanstation.checkpoint"
        configuration.busyMode = .timeout(1)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Watches the writer's commits. The store keeps the checkpointer alive for as long
    /// as the writer connection is open.
    func install(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, pages in
            if let context { Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().walHas(pages: pages) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Whether the WAL has grown past the checkpoint size since it last started over.
    var isDue: Bool { state.withLock { $0.due } }

    func walHas(pages: Int32) {
        let schedule = state.withLock { state -> Bool in
            state.due = pages >= Self.pagesPerCheckpoint
            // In the background only when no checkpoint between scans kept the WAL small;
            // one at a time (a checkpoint after every commit would sync the database file
            // beside every scan's own sync).
            guard pages >= 2 * Self.pagesPerCheckpoint, !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        guard schedule else { return }
        queue.async { [self] in
            // A busy checkpoint is simply retried after the next commit.
            try? connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            state.withLock { $0.scheduled = false }
        }
    }

    func close() throws {
        queue.sync {}
        try connection.close()
    }
}
