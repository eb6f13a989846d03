import GRDB

extension LedgerStore {
    /// Outbox events the hub has not confirmed yet (`scanstation status`, metrics).
    public func outboxLength() throws(LedgerError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE synced_at IS NULL") ?? 0 }
    }

    /// The station's last scan sequence number (0 before its first scan).
    public func lastScanSequence(station: String) throws(LedgerError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT last_scan_seq FROM station WHERE name = ?", arguments: [station]) ?? 0 }
    }
}

extension LedgerStore {
    /// Unix milliseconds of the station's last scan, if any.
    public func lastScanTime(station: String) throws(LedgerError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(received_at) FROM scan_log WHERE station = ?", arguments: [station]) }
    }
}
