import GRDB

/// The schema, as forward-only migrations. A shipped migration is never edited:
/// changes are new migrations appended at the end.
///
/// Conventions every table follows:
/// - Quantities are INTEGER micro-units (value × 1,000,000, see `MicroUnits`): exact for
///   GS1 weights (at most 6 decimals), summable in SQL, and never a binary fraction.
/// - Times are INTEGER Unix milliseconds; dates (expiry) are ISO `YYYY-MM-DD` TEXT, which
///   sorts like the date.
/// - "None" in a key column (lot, container of a balance) is '' rather than NULL, because
///   SQLite treats NULLs in a UNIQUE key as all different.
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
        migrator.registerMigration("v2-warehouse") { db in
            try db.execute(sql: warehouseTables)
        }
        migrator.registerMigration("v3-workflow-records") { db in
            try db.execute(sql: workflowRecordTables)
        }
        migrator.registerMigration("v4-product-zone") { db in
            // The storage zone put-away suggests for a product new to the warehouse.
            try db.execute(sql: "ALTER TABLE product ADD COLUMN zone TEXT")
        }
        migrator.registerMigration("v5-document-progress") { db in
            // What each document line has received, picked, packed, counted: kept up to date
            // with every movement, so a scan reads its document's progress in a few rows
            // instead of adding up every movement of a receipt growing all shift.
            try db.execute(sql: documentProgressTable)
            try db.execute(sql: "INSERT INTO document_progress(document, line, kind, qty) " + documentProgressReplay)
        }
        migrator.registerMigration("v6-count-claims") { db in
            // Cycle counts are claimed like receipts and orders: two stations counting one
            // location at once would each book their own differences.
            try db.execute(sql: countClaimsTable)
        }
        return migrator
    }

    private static let countClaimsTable = """
        CREATE TABLE document_claim_v6 (
            document_kind TEXT NOT NULL CHECK (document_kind IN ('receipt', 'order', 'count')),
            document TEXT NOT NULL,
            station TEXT NOT NULL,
            claimed_at INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused', 'released')),
            PRIMARY KEY (document_kind, document, station)
        ) WITHOUT ROWID;
        INSERT INTO document_claim_v6 SELECT document_kind, document, station, claimed_at, status FROM document_claim;
        DROP TABLE document_claim;
        ALTER TABLE document_claim_v6 RENAME TO document_claim;
        """

    private static let documentProgressTable = """
        CREATE TABLE document_progress (
            document TEXT NOT NULL,
            line INTEGER NOT NULL,
            kind TEXT NOT NULL,                    -- the movement's kind; an undo's is the kind it takes back
            qty INTEGER NOT NULL,                  -- micro-units, undos subtracted
            PRIMARY KEY (document, line, kind)
        ) WITHOUT ROWID
        """

    /// `document_progress` as the movements add up (the migration's fill; `db check`
    /// compares the table with it).
    static let documentProgressReplay = """
        SELECT m.document, m.document_line, coalesce(o.kind, m.kind), sum(CASE WHEN m.kind = 'undo' THEN -m.qty ELSE m.qty END)
        FROM movement m LEFT JOIN movement o ON m.kind = 'undo' AND o.id = m.reverses
        WHERE m.document IS NOT NULL AND m.document_line IS NOT NULL
        GROUP BY 1, 2, 3
        """

    private static let warehouseTables = """
        -- Per-station counters: scan and movement sequence numbers, the SSCC serial.
        -- They never go backwards (restore keeps the larger value).
        ALTER TABLE station ADD COLUMN last_movement_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE station ADD COLUMN last_sscc_serial INTEGER;
        ALTER TABLE scan_log ADD COLUMN operator TEXT;
        CREATE INDEX scan_log_received_at ON scan_log(received_at);

        CREATE TABLE station_session (
            station TEXT PRIMARY KEY NOT NULL,
            mode TEXT NOT NULL,
            operator TEXT,
            state BLOB,                                -- the workflow's own encoding
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE product (
            sku TEXT PRIMARY KEY NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            uom TEXT NOT NULL DEFAULT 'ea',
            lot_tracked INTEGER NOT NULL DEFAULT 0,
            expiry_tracked INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE product_gtin (
            gtin TEXT PRIMARY KEY NOT NULL,            -- always 14 digits (GTIN-14 form)
            sku TEXT NOT NULL REFERENCES product(sku) ON DELETE CASCADE,
            units_per_gtin INTEGER NOT NULL CHECK (units_per_gtin > 0)
        );
        CREATE INDEX product_gtin_sku ON product_gtin(sku);

        CREATE TABLE location (
            code TEXT PRIMARY KEY NOT NULL,
            barcode TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('dock', 'storage', 'pick', 'pack', 'ship', 'staging')),
            zone TEXT,
            sequence INTEGER
        );

        CREATE TABLE operator (
            badge TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE receipt (
            receipt TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled'))
        );
        CREATE TABLE receipt_line (
            receipt TEXT NOT NULL REFERENCES receipt(receipt) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            sscc TEXT,
            sku TEXT NOT NULL,
            qty INTEGER NOT NULL,
            lot TEXT,
            expiry TEXT,
            PRIMARY KEY (receipt, line)
        ) WITHOUT ROWID;
        CREATE INDEX receipt_line_sscc ON receipt_line(sscc) WHERE sscc IS NOT NULL;

        CREATE TABLE orders (
            order_no TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled'))
        );
        CREATE TABLE order_line (
            order_no TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            sku TEXT NOT NULL,
            qty INTEGER NOT NULL,
            PRIMARY KEY (order_no, line)
        ) WITHOUT ROWID;

        -- A station's claim on a document; the hub grants the first one.
        CREATE TABLE document_claim (
            document_kind TEXT NOT NULL CHECK (document_kind IN ('receipt', 'order')),
            document TEXT NOT NULL,
            station TEXT NOT NULL,
            claimed_at INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'refused', 'released')),
            PRIMARY KEY (document_kind, document, station)
        ) WITHOUT ROWID;

        -- Pallets and boxes by SSCC. Their contents are the balances that name them.
        CREATE TABLE container (
            sscc TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('pallet', 'box')),
            location TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'shipped')),
            document TEXT,
            created_at INTEGER NOT NULL,
            station TEXT
        );

        -- The append-only ledger. Ids are UUIDv7 (time-ordered: new rows append to the
        -- primary-key b-tree instead of splitting pages at random).
        CREATE TABLE movement (
            id TEXT PRIMARY KEY NOT NULL,
            station TEXT NOT NULL,
            station_seq INTEGER NOT NULL,
            at INTEGER NOT NULL,
            operator TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('receive', 'putaway', 'pick', 'pack', 'ship', 'adjust', 'undo')),
            sku TEXT NOT NULL,
            lot TEXT,
            expiry TEXT,
            qty INTEGER NOT NULL,
            from_location TEXT,
            to_location TEXT,
            from_container TEXT,
            to_container TEXT,
            document TEXT,
            document_line INTEGER,
            scan_id TEXT,
            reverses TEXT,                             -- for undo: the movement it takes back
            origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'remote'))
        ) WITHOUT ROWID;
        CREATE INDEX movement_document ON movement(document, document_line) WHERE document IS NOT NULL;
        CREATE INDEX movement_at ON movement(at);

        -- Stock on hand, the sum of the movements, kept in the same transaction.
        CREATE TABLE balance (
            sku TEXT NOT NULL,
            location TEXT NOT NULL,
            lot TEXT NOT NULL DEFAULT '',
            container TEXT NOT NULL DEFAULT '',
            expiry TEXT,
            qty INTEGER NOT NULL,
            PRIMARY KEY (sku, location, lot, container)
        ) WITHOUT ROWID;
        CREATE INDEX balance_location ON balance(location);
        CREATE INDEX balance_container ON balance(container) WHERE container <> '';

        -- Events waiting for the hub. Removed (by prune) only once synced.
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            station TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            payload TEXT NOT NULL,
            synced_at INTEGER
        );
        -- Highest movement seq per station whose synced outbox row was pruned (db check).
        ALTER TABLE station ADD COLUMN outbox_pruned_through INTEGER NOT NULL DEFAULT 0;
        """

    /// What the workflows decide beyond movements: short picks, blind receipts, totes, count
    /// results, confirmed pallet mismatches.
    private static let workflowRecordTables = """
        -- A receipt started at the dock without an advance notice; its lines are what arrived.
        ALTER TABLE receipt ADD COLUMN blind INTEGER NOT NULL DEFAULT 0;

        -- Totes (picking containers) join pallets and boxes. SQLite cannot change a CHECK
        -- constraint in place, so the table is rebuilt; nothing references it by foreign key.
        CREATE TABLE container_v3 (
            sscc TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('pallet', 'box', 'tote')),
            location TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'shipped')),
            document TEXT,
            created_at INTEGER NOT NULL,
            station TEXT
        );
        INSERT INTO container_v3(sscc, kind, location, status, document, created_at, station)
            SELECT sscc, kind, location, status, document, created_at, station FROM container;
        DROP TABLE container;
        ALTER TABLE container_v3 RENAME TO container;

        -- CMD-SHORT: quantities a picker could not find, per order line. Append-only: an
        -- undo appends the negative, so the sum per line is what is short now.
        CREATE TABLE short_pick (
            id TEXT PRIMARY KEY NOT NULL,              -- UUIDv7
            order_no TEXT NOT NULL,
            line INTEGER NOT NULL,
            qty INTEGER NOT NULL,
            station TEXT NOT NULL,
            operator TEXT,
            at INTEGER NOT NULL,
            scan_id TEXT
        ) WITHOUT ROWID;
        CREATE INDEX short_pick_line ON short_pick(order_no, line);

        -- A closed cycle count: one row per count, one line per product and lot found or
        -- expected at the location (differences became adjustment movements in the same scan).
        CREATE TABLE stock_count (
            id TEXT PRIMARY KEY NOT NULL,              -- UUIDv7
            location TEXT NOT NULL,
            station TEXT NOT NULL,
            operator TEXT,
            at INTEGER NOT NULL,
            scan_id TEXT
        ) WITHOUT ROWID;
        CREATE INDEX stock_count_location ON stock_count(location, at);
        CREATE TABLE stock_count_line (
            count_id TEXT NOT NULL REFERENCES stock_count(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            sku TEXT NOT NULL,
            lot TEXT,
            expected INTEGER NOT NULL,
            counted INTEGER NOT NULL,
            PRIMARY KEY (count_id, line)
        ) WITHOUT ROWID;

        -- A pallet whose label disagreed with its receipt, booked as the label says because
        -- the worker confirmed it (the booked movements share the scan_id).
        CREATE TABLE pallet_mismatch (
            id TEXT PRIMARY KEY NOT NULL,              -- UUIDv7
            receipt TEXT NOT NULL,
            sscc TEXT NOT NULL,
            station TEXT NOT NULL,
            operator TEXT,
            at INTEGER NOT NULL,
            scan_id TEXT
        ) WITHOUT ROWID;
        CREATE INDEX pallet_mismatch_receipt ON pallet_mismatch(receipt);
        """

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

    /// A read-only opening cannot migrate: it needs a store that is already up to date.
    static func checkCurrent(_ db: Database, path: String) throws {
        let applied = try db.tableExists("grdb_migrations") ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
        let missing = migrator.migrations.filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw LedgerError(.outdatedSchema, path: path,
                "The store is \(applied.isEmpty ? "empty" : "from an older scanstation") and must be upgraded (migrations \(missing.joined(separator: ", "))) before it can be read. Start the daemon once, or run a command that writes (such as `scanstation db prune`).")
        }
    }

    /// Refuses a file that holds tables but is not a scanstation store (a foreign SQLite file).
    static func checkIsLedger(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        guard !tables.isEmpty else { return }
        if !tables.contains("grdb_migrations") || !tables.contains("scan_log") {
            throw LedgerError(.notADatabase, path: path,
                "The file is an SQLite database but not a scanstation store (it has tables \(tables.prefix(5).joined(separator: ", "))). Point --db at the station's store.")
        }
    }
}
