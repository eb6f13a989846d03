import Foundation
import GRDB

/// What `scanstation db check` found; empty `problems` means healthy.
public struct LedgerCheckReport: Sendable, Hashable {
    public var problems: [String]
    public var movements: Int
    public var balances: Int
    public var pendingOutbox: Int

    public var isHealthy: Bool { problems.isEmpty }
}

/// What `scanstation db prune` removed.
public struct LedgerPruneSummary: Sendable, Hashable {
    public var scanLogRows: Int
    public var outboxEntries: Int
    public var pagesFreed: Int
}

extension LedgerStore {
    /// SQLite's integrity check, balances against a full replay of the movements, and the
    /// outbox against the movements it must carry to the hub.
    public func check() throws(LedgerError) -> LedgerCheckReport {
        try read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] {
                problems += integrity.prefix(20).map { "SQLite integrity: \($0)" }
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append("Foreign key: a row of \(row[0] as String? ?? "?") points at a missing \(row[2] as String? ?? "?") row")
            }
            let mismatches = try Row.fetchAll(db, sql: """
                WITH sides AS (
                    SELECT sku, from_location AS location, coalesce(lot, '') AS lot, coalesce(from_container, '') AS container,
                           -qty AS replayed, 0 AS stored FROM movement WHERE from_location IS NOT NULL
                    UNION ALL
                    SELECT sku, to_location, coalesce(lot, ''), coalesce(to_container, ''), qty, 0 FROM movement WHERE to_location IS NOT NULL
                    UNION ALL
                    SELECT sku, location, lot, container, 0, qty FROM balance
                )
                SELECT sku, location, lot, container, sum(replayed) AS replayed, sum(stored) AS stored
                FROM sides GROUP BY 1, 2, 3, 4 HAVING sum(replayed) <> sum(stored)
                ORDER BY location, sku, lot, container LIMIT 100
                """)
            for row in mismatches {
                let lot: String = row["lot"]
                let container: String = row["container"]
                problems.append("Balance of \(row["sku"] as String) at \(row["location"] as String)\(lot.isEmpty ? "" : " lot \(lot)")\(container.isEmpty ? "" : " in \(container)") is \(MicroUnits.text(stored: row["stored"])) but the movements add up to \(MicroUnits.text(stored: row["replayed"]))")
            }
            let progressMismatches = try Row.fetchAll(db, sql: """
                WITH sides AS (
                    SELECT document, line, kind, 0 AS replayed, qty AS stored FROM document_progress
                    UNION ALL
                    SELECT replay.*, 0 FROM (\(LedgerSchema.documentProgressReplay)) AS replay
                )
                SELECT document, line, kind, sum(replayed) AS replayed, sum(stored) AS stored
                FROM sides GROUP BY 1, 2, 3 HAVING sum(replayed) <> sum(stored)
                ORDER BY 1, 2, 3 LIMIT 100
                """)
            for row in progressMismatches {
                problems.append("Progress of \(row["document"] as String) line \(row["line"] as Int) (\(row["kind"] as String)) is \(MicroUnits.text(stored: row["stored"])) but the movements add up to \(MicroUnits.text(stored: row["replayed"]))")
            }
            let orphans = try String.fetchAll(db, sql: """
                SELECT event_id FROM outbox WHERE kind = 'movement' AND NOT EXISTS (SELECT 1 FROM movement m WHERE m.id = outbox.event_id) LIMIT 20
                """)
            problems += orphans.map { "Outbox entry \($0) names a movement that does not exist" }
            let remote = try String.fetchAll(db, sql: """
                SELECT o.event_id FROM outbox o JOIN movement m ON m.id = o.event_id WHERE m.origin = 'remote' LIMIT 20
                """)
            problems += remote.map { "Outbox entry \($0) would push back a movement pulled from the hub" }
            let unsent = try String.fetchAll(db, sql: """
                SELECT m.id FROM movement m LEFT JOIN station s ON s.name = m.station
                WHERE m.origin = 'local' AND m.station_seq > coalesce(s.outbox_pruned_through, 0)
                  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = m.id) LIMIT 20
                """)
            problems += unsent.map { "Movement \($0) of this station has no outbox entry: the hub would never get it" }
            // Workflow records (v3) must name documents that exist and add up to sensible totals.
            for row in try Row.fetchAll(db, sql: """
                SELECT s.order_no, s.line, sum(s.qty) AS qty FROM short_pick s
                LEFT JOIN order_line l ON l.order_no = s.order_no AND l.line = s.line
                GROUP BY 1, 2 HAVING count(l.line) = 0 OR sum(s.qty) < 0 LIMIT 20
                """) {
                problems.append("Short picks of order \(row["order_no"] as String) line \(row["line"] as Int) add up to \(MicroUnits.text(stored: row["qty"])) or name a line the order does not have")
            }
            let orphanedConfirmations = try Row.fetchAll(db, sql: """
                SELECT p.receipt, p.sscc FROM pallet_mismatch p WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.receipt = p.receipt) LIMIT 20
                """)
            problems += orphanedConfirmations.map { "Confirmed pallet mismatch of \($0["sscc"] as String) names receipt \($0["receipt"] as String), which does not exist" }
            return LedgerCheckReport(
                problems: problems,
                movements: try Int.fetchOne(db, sql: "SELECT count(*) FROM movement") ?? 0,
                balances: try Int.fetchOne(db, sql: "SELECT count(*) FROM balance WHERE qty <> 0") ?? 0,
                pendingOutbox: try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE synced_at IS NULL") ?? 0)
        }
    }

    /// Writes a consistent copy of the store to `destination` (a snapshot: the daemon may
    /// keep writing meanwhile). The copy appears under its name only once complete.
    public func backup(to destination: String) throws(LedgerError) {
        let partial = destination + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [partial])
            }
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: partial))
            try handle.synchronize()
            try handle.close()
            // rename(2) replaces an older backup of the same name atomically.
            guard rename(partial, destination) == 0 else {
                throw LedgerError(.writeFailed, path: destination, "Could not move the finished backup into place (\(String(cString: strerror(errno)))).")
            }
        } catch let error as LedgerError {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            if let databaseError = error as? DatabaseError {
                throw LedgerError.from(databaseError, path: destination, doing: "write the backup")
            }
            throw LedgerError(.writeFailed, path: destination, "Could not write the backup (\(error.localizedDescription)). Check the directory exists, is writable and has space.")
        }
    }

    /// Removes scan-log rows and synced outbox entries older than `before` (Unix ms) and
    /// gives the freed pages back to the file system.
    public func prune(before: Int64) throws(LedgerError) -> LedgerPruneSummary {
        var summary = try write(station: "", time: before) { transaction in
            let db = transaction.db
            try db.execute(sql: "DELETE FROM scan_log WHERE received_at < ?", arguments: [before])
            let scans = db.changesCount
            try db.execute(sql: """
                UPDATE station SET outbox_pruned_through = max(outbox_pruned_through, coalesce((
                    SELECT max(m.station_seq) FROM outbox o JOIN movement m ON m.id = o.event_id
                    WHERE o.synced_at IS NOT NULL AND o.created_at < ? AND m.station = station.name), 0))
                """, arguments: [before])
            try db.execute(sql: "DELETE FROM outbox WHERE synced_at IS NOT NULL AND created_at < ?", arguments: [before])
            return LedgerPruneSummary(scanLogRows: scans, outboxEntries: db.changesCount, pagesFreed: 0)
        }
        do {
            summary.pagesFreed = try writer.writeWithoutTransaction { db in
                let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                try db.execute(sql: "PRAGMA incremental_vacuum")
                return free - (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0)
            }
        } catch {
            throw LedgerError.from(error, path: path, doing: "vacuum after pruning")
        }
        return summary
    }

    /// The per-station counters that must never go backwards.
    static func counters(_ db: Database) throws -> [Row] {
        try Row.fetchAll(db, sql: "SELECT name, last_scan_seq, last_movement_seq, last_sscc_serial FROM station")
    }

    /// Replaces the store at `path` with the backup at `backup`. Refuses while any other
    /// process (the daemon) has the store open. Sequence numbers and SSCC serials keep the
    /// larger of the two files' values, so nothing minted after the backup is minted twice.
    /// The replaced file is kept as `PATH.before-restore`.
    public static func restore(backup: String, to path: String) throws(LedgerError) {
        // 1. The backup must be a healthy store this program can read.
        let source = try LedgerStore(path: backup, readOnly: true)
        let integrity = try source.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        try source.close()
        guard integrity == ["ok"] else {
            throw LedgerError(.badBackup, path: backup, "The backup is damaged (\(integrity.first ?? "integrity check failed")). Use another backup.")
        }

        // 2. Nobody else may have the live store open; leaving WAL mode proves it.
        var liveCounters: [Row] = []
        let exists = FileManager.default.fileExists(atPath: path)
        if exists {
            do {
                var configuration = Configuration()
                configuration.busyMode = .immediateError
                let live = try DatabaseQueue(path: path, configuration: configuration)
                try live.writeWithoutTransaction { db in
                    let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                    guard mode == "delete" else { throw LedgerError(.inUse, path: path, "") }
                    if try db.tableExists("station"), try db.columns(in: "station").contains(where: { $0.name == "last_movement_seq" }) {
                        liveCounters = try counters(db)
                    } else if try db.tableExists("station") {
                        liveCounters = try Row.fetchAll(db, sql: "SELECT name, last_scan_seq, 0 AS last_movement_seq, NULL AS last_sscc_serial FROM station")
                    }
                }
                try live.close()
            } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_BUSY || error.resultCode.primaryResultCode == .SQLITE_LOCKED {
                throw inUse(path)
            } catch let error as LedgerError where error.code == .inUse {
                throw inUse(path)
            } catch {
                throw LedgerError.from(error, path: path, doing: "prepare the restore")
            }
        }

        // 3. Build the restored file beside the live one, migrated, counters raised.
        let staging = path + ".restoring"
        removeDatabaseFiles(staging)
        do {
            try FileManager.default.copyItem(atPath: backup, toPath: staging)
        } catch {
            throw LedgerError(.writeFailed, path: staging, "Could not copy the backup (\(error.localizedDescription)). Check space and permissions.")
        }
        do {
            let restored = try LedgerStore(path: staging)
            _ = try restored.write(station: "", time: 0) { transaction in
                let statement = try transaction.db.makeStatement(sql: """
                    INSERT INTO station(name, last_scan_seq, last_movement_seq, last_sscc_serial) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET
                        last_scan_seq = max(last_scan_seq, excluded.last_scan_seq),
                        last_movement_seq = max(last_movement_seq, excluded.last_movement_seq),
                        last_sscc_serial = CASE WHEN last_sscc_serial IS NULL THEN excluded.last_sscc_serial
                                                WHEN excluded.last_sscc_serial IS NULL THEN last_sscc_serial
                                                ELSE max(last_sscc_serial, excluded.last_sscc_serial) END
                    """)
                for row in liveCounters {
                    try statement.execute(arguments: [row["name"], row["last_scan_seq"], row["last_movement_seq"], row["last_sscc_serial"]])
                }
            }
            try restored.close()
            // Closed with a truncating checkpoint: the WAL is empty and safe to drop.
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging + suffix) }
        } catch {
            removeDatabaseFiles(staging)
            throw error
        }

        // 4. Swap: the old file is kept aside, the restored one takes its name.
        do {
            if exists {
                let aside = path + ".before-restore"
                removeDatabaseFiles(aside)
                try FileManager.default.moveItem(atPath: path, toPath: aside)
            }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FileManager.default.moveItem(atPath: staging, toPath: path)
        } catch {
            throw LedgerError(.writeFailed, path: path, "Could not put the restored file in place (\(error.localizedDescription)). The restored copy is at \(staging).")
        }
    }

    private static func inUse(_ path: String) -> LedgerError {
        LedgerError(.inUse, path: path, "Another process (the scanstation daemon?) has the database open. Stop it first (systemctl stop scanstation), then restore.")
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
