import GRDB

/// A failure of the local store, with what the admin needs to fix it.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The file cannot be opened or created (missing directory, permissions).
        public static let cannotOpen = Code(rawValue: "cannot_open")
        /// The file is not a scanstation database, or is damaged.
        public static let notADatabase = Code(rawValue: "not_a_database")
        /// The database was written by a newer scanstation.
        public static let newerSchema = Code(rawValue: "newer_schema")
        /// Opened read-only, the database lacks migrations this program needs.
        public static let outdatedSchema = Code(rawValue: "outdated_schema")
        /// Another process holds the write lock for too long.
        public static let locked = Code(rawValue: "locked")
        /// The disk is full or an I/O error happened; nothing was committed.
        public static let writeFailed = Code(rawValue: "write_failed")
        /// A commit failed and its partly written log could not be discarded: only the next
        /// open of the store settles whether the change is in it (see `LedgerStore`).
        public static let commitUncertain = Code(rawValue: "commit_uncertain")
        /// The database is opened read-only.
        public static let readOnly = Code(rawValue: "read_only")
        /// A change was refused (unknown movement, bad quantity, …); nothing was committed.
        public static let invalidChange = Code(rawValue: "invalid_change")
        /// The station's SSCC serial range is used up.
        public static let ssccRangeExhausted = Code(rawValue: "sscc_range_exhausted")
        /// The daemon has the database open (restore needs it stopped).
        public static let inUse = Code(rawValue: "in_use")
        /// A backup or restore file is unusable.
        public static let badBackup = Code(rawValue: "bad_backup")
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension LedgerError {
    /// Maps SQLite's result codes onto errors that say what to do.
    static func from(_ error: any Error, path: String, doing action: String) -> LedgerError {
        if var ledgerError = error as? LedgerError {
            if ledgerError.path.isEmpty { ledgerError.path = path }
            return ledgerError
        }
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
                "Could not \(action): the disk is full. Nothing was committed; free space and try again.")
        case .SQLITE_IOERR:
            return LedgerError(.writeFailed, path: path,
                "Could not \(action): an I/O error occurred (\(detail)). Nothing was committed; check the disk.")
        case .SQLITE_READONLY:
            return LedgerError(.readOnly, path: path,
                "Could not \(action): the database is read-only (\(detail)). Check the file's and the directory's permissions.")
        case .SQLITE_CONSTRAINT:
            return LedgerError(.invalidChange, path: path,
                "Could not \(action): the change breaks a rule of the store (\(detail)). Nothing was committed.")
        default:
            return LedgerError(.writeFailed, path: path, "Could not \(action): \(detail)")
        }
    }
}
