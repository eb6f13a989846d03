import GRDB

/// The schema, as forward-only migrations. A shipped migration is never edited:
/// changes are new migrations appended at the end.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-scan-log") { db in
            try db.execute(sql: """
                CREATE TABLE station (
                    name TEXT PRIMARY KEY NOT NULL,
                    last_scan_seq INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE scan_log (
                    id TEXT PRIMARY KEY NOT NULL,          -- UUIDv7, the scan_id
                    station TEXT NOT NULL,
                    seq INTEGER NOT NULL,                  -- the station's scan sequence number
                    received_at INTEGER NOT NULL,          -- Unix milliseconds
                    source TEXT NOT NULL,
                    input BLOB NOT NULL,                   -- first 4096 bytes as received
                    input_length INTEGER NOT NULL,
                    symbology TEXT,
                    kind TEXT,
                    result TEXT NOT NULL CHECK (result IN ('accepted', 'warning', 'rejected')),
                    error_code TEXT,
                    error_message TEXT,
                    prompt TEXT NOT NULL,
                    UNIQUE (station, seq)
                );
                """)
        }
        return migrator
    }

    /// Refuses a database whose migrations this program does not know (a newer scanstation).
    static func checkNotNewer(_ db: Database, path: String) throws {
        let known = Set(migrator.migrations)
        guard try db.tableExists("grdb_migrations") else { return }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw LedgerError(.newerSchema, path: path,
                "The database was written by a newer scanstation (migrations \(unknown.joined(separator: ", "))). Install that version or newer.")
        }
    }
}
