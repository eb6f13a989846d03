public import GRDB
import Foundation

/// The station's durable store: one SQLite file in WAL mode, synchronous=FULL, so a
/// committed transaction survives a power cut. "Accepted" means committed here.
public final class LedgerStore: Sendable {
    public let path: String
    let writer: any DatabaseWriter

    /// Opens (creating it when missing) the store at `path` and migrates it.
    public init(path: String, readOnly: Bool = false) throws(LedgerError) {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(5)
        configuration.label = "scanstation"
        configuration.prepareDatabase { db in
            // FULL: the WAL is synced on every commit; NORMAL could lose the last
            // acknowledged scans on power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            if readOnly {
                writer = try DatabaseQueue(path: path, configuration: configuration)
            } else {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try pool.read { db in try LedgerSchema.checkNotNewer(db, path: path) }
                try LedgerSchema.migrator.migrate(pool)
                writer = pool
            }
            if readOnly { try writer.read { db in try LedgerSchema.checkNotNewer(db, path: path) } }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.from(error, path: path, doing: "open the database")
        }
    }

    /// Records one scan and returns the station's sequence number for it.
    /// Returns only after the transaction is durably committed.
    public func record(_ entry: ScanLogEntry) throws(LedgerError) -> Int64 {
        do {
            return try writer.write { db in
                let seq = try Self.nextScanSequence(db, station: entry.station)
                try Self.insert(entry, seq: seq, db)
                return seq
            }
        } catch {
            throw LedgerError.from(error, path: path, doing: "record scan \(entry.scanID)")
        }
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
                try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                try pool.close()
            } else if let queue = writer as? DatabaseQueue {
                try queue.close()
            }
        } catch {
            throw LedgerError.from(error, path: path, doing: "close the database")
        }
    }

    static func nextScanSequence(_ db: Database, station: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO station(name, last_scan_seq) VALUES (?, 0) ON CONFLICT(name) DO NOTHING",
            arguments: [station])
        try db.execute(sql: "UPDATE station SET last_scan_seq = last_scan_seq + 1 WHERE name = ?", arguments: [station])
        return try Int64.fetchOne(db, sql: "SELECT last_scan_seq FROM station WHERE name = ?", arguments: [station]) ?? 1
    }

    static func insert(_ entry: ScanLogEntry, seq: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO scan_log(id, station, seq, received_at, source, input, input_length,
                                     symbology, kind, result, error_code, error_message, prompt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.scanID, entry.station, seq, entry.receivedAt, entry.source,
                Data(entry.input.prefix(4096)), entry.inputLength, entry.symbology, entry.kind,
                entry.result.rawValue, entry.errorCode, entry.errorMessage, entry.prompt,
            ])
    }
}

extension LedgerError {
    /// Maps SQLite's result codes onto errors that say what to do.
    static func from(_ error: any Error, path: String, doing action: String) -> LedgerError {
        guard let databaseError = error as? DatabaseError else {
            return LedgerError(.writeFailed, path: path, "Could not \(action): \(error)")
        }
        let detail = databaseError.message ?? "\(databaseError.resultCode)"
        switch databaseError.resultCode.primaryResultCode {
        case .SQLITE_CANTOPEN:
            return LedgerError(.cannotOpen, path: path,
                "Could not \(action): the file cannot be opened or created (\(detail)). Check that the directory exists and that the service user may write to it.")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return LedgerError(.notADatabase, path: path,
                "Could not \(action): the file is not a scanstation database or is damaged (\(detail)). Restore it from a backup (scanstation db restore) or point --db at the right file.")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LedgerError(.locked, path: path,
                "Could not \(action): another process holds the database lock (\(detail)). Stop the other program or try again.")
        case .SQLITE_FULL:
            return LedgerError(.writeFailed, path: path,
                "Could not \(action): the disk is full. Nothing was committed; free space and scan again.")
        case .SQLITE_IOERR:
            return LedgerError(.writeFailed, path: path,
                "Could not \(action): an I/O error occurred (\(detail)). Nothing was committed; check the disk.")
        case .SQLITE_READONLY:
            return LedgerError(.readOnly, path: path,
                "Could not \(action): the database is read-only (\(detail)). Check the file's permissions.")
        default:
            return LedgerError(.writeFailed, path: path, "Could not \(action): \(detail)")
        }
    }
}
