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
        /// Another process holds the write lock for too long.
        public static let locked = Code(rawValue: "locked")
        /// The disk is full or an I/O error happened; nothing was committed.
        public static let writeFailed = Code(rawValue: "write_failed")
        /// The database is opened read-only.
        public static let readOnly = Code(rawValue: "read_only")
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
