import Foundation
import GRDBSQLite

/// The same writes as `LedgerStore.commit` for one scan with one movement, through the
/// SQLite C API with prepared statements: the floor that GRDB and our code are compared to.
/// WAL, synchronous=FULL and SQLite's default automatic checkpoints (in the commit path).
final class RawBaseline {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw BenchmarkError("open \(path)") }
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchmarkError("\(sql): \(String(cString: sqlite3_errmsg(db)))") }
    }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
            throw BenchmarkError("prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        statements[sql] = statement
        return statement
    }

    enum Value { case text(String?), integer(Int64), blob([UInt8]) }

    @discardableResult
    private func run(_ sql: String, _ values: [Value]) throws -> Int64? {
        let statement = try statement(sql)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .text(let text?): sqlite3_bind_text(statement, position, text, -1, Self.transient)
            case .text(nil): sqlite3_bind_null(statement, position)
            case .integer(let number): sqlite3_bind_int64(statement, position, number)
            case .blob(let bytes): sqlite3_bind_blob(statement, position, bytes, Int32(bytes.count), Self.transient)
            }
        }
        defer { sqlite3_reset(statement); sqlite3_clear_bindings(statement) }
        var result: Int64?
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_ROW { result = sqlite3_column_int64(statement, 0); continue }
            guard code == SQLITE_DONE else { throw BenchmarkError("step \(sql): \(String(cString: sqlite3_errmsg(db)))") }
            return result
        }
    }

    /// One scan with one movement (from → to), its two balances and its outbox entry.
    func commit(scanID: String, movementID: String, station: String, time: Int64, sku: String, from: String, to: String, quantity: Int64) throws {
        try execute("BEGIN IMMEDIATE")
        let seq = try run("UPDATE station SET last_scan_seq = last_scan_seq + 1 WHERE name = ? RETURNING last_scan_seq", [.text(station)]) ?? 0
        try run("""
            INSERT INTO scan_log(id, station, seq, received_at, source, input, input_length,
                                 symbology, kind, result, error_code, error_message, prompt, operator)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(scanID), .text(station), .integer(seq), .integer(time), .text("stdin"), .blob(Array(to.utf8)), .integer(Int64(to.utf8.count)),
                  .text(nil), .text("text"), .text("accepted"), .text(nil), .text(nil), .text("ok"), .text("OP-1")])
        let movementSeq = try run("UPDATE station SET last_movement_seq = last_movement_seq + 1 WHERE name = ? RETURNING last_movement_seq", [.text(station)]) ?? 0
        try run("""
            INSERT INTO movement(id, station, station_seq, at, operator, kind, sku, lot, expiry, qty,
                                 from_location, to_location, from_container, to_container,
                                 document, document_line, scan_id, reverses, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(movementID), .text(station), .integer(movementSeq), .integer(time), .text("OP-1"), .text("putaway"), .text(sku),
                  .text(nil), .text(nil), .integer(quantity), .text(from), .text(to), .text(nil), .text(nil), .text(nil), .text(nil),
                  .text(scanID), .text(nil), .text("local")])
        let balance = """
            INSERT INTO balance(sku, location, lot, container, expiry, qty) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(sku, location, lot, container)
            DO UPDATE SET qty = qty + excluded.qty, expiry = coalesce(excluded.expiry, expiry)
            """
        try run(balance, [.text(sku), .text(from), .text(""), .text(""), .text(nil), .integer(-quantity)])
        try run(balance, [.text(sku), .text(to), .text(""), .text(""), .text(nil), .integer(quantity)])
        let payload = "{\"id\":\"\(movementID)\",\"station\":\"\(station)\",\"station_seq\":\(movementSeq),\"at\":\(time),\"kind\":\"putaway\",\"sku\":\"\(sku)\",\"qty\":\(quantity / 1_000_000),\"from_location\":\"\(from)\",\"to_location\":\"\(to)\",\"scan_id\":\"\(scanID)\"}"
        try run("INSERT INTO outbox(event_id, kind, station, created_at, payload) VALUES (?, 'movement', ?, ?, ?)",
                [.text(movementID), .text(station), .integer(time), .text(payload)])
        try execute("COMMIT")
    }

    /// Stock on hand of one product, as `LedgerStore.onHand` asks it.
    func onHand(sku: String) throws -> Int64 {
        try run("SELECT coalesce(sum(qty), 0) FROM balance WHERE sku = ?", [.text(sku)]) ?? 0
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
