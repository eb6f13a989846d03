import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API. For the two statements
/// every scan runs (the sequence bump and the scan-log row): GRDB's arguments (an array of
/// enum values), its cursor per fetch and its per-step bookkeeping cost a scan's commit
/// about as much as SQLite's own work on them. Only for plain statements inside a
/// transaction GRDB opened; every parameter is bound on every use, so nothing from a
/// previous use leaks in.
struct DirectStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        // A statement left stepping (an error between step and reset) must start over.
        sqlite3_reset(handle)
    }

    func bind(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                _ = sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT_DIRECT) // empty text, not NULL
                return
            }
            // Transient: SQLite copies the text, which lives only inside this closure.
            _ = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), SQLITE_TRANSIENT_DIRECT)
            }
        }
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// A blob, empty (not NULL) when `bytes` is.
    func bind(_ index: Int32, blob bytes: ArraySlice<UInt8>) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(handle, index, 0)
            return
        }
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), SQLITE_TRANSIENT_DIRECT)
        }
    }

    /// Runs the statement to its end; returns the first column of its first row, if any.
    @discardableResult
    func run(_ db: Database) throws -> Int64? {
        var first: Int64?
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                if first == nil { first = sqlite3_column_int64(handle, 0) }
            case SQLITE_DONE:
                return first
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), // extended: GRDB turns extended codes on
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
        }
    }
}

/// SQLITE_TRANSIENT, which the C macro defines as the destructor -1 (not importable).
private let SQLITE_TRANSIENT_DIRECT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
