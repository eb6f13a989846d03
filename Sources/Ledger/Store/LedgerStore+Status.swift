import GRDB

extension LedgerStore {
    /// Outbox events the hub has not confirmed yet (`scanstation status`, metrics).
    public func outboxLength() throws(LedgerError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE synced_at IS NULL") ?? 0 }
    }

    /// How many outbox events wait for the hub and when the oldest was recorded, read in one
    /// query (`/metrics` shows both at every scrape).
    public func outboxBacklog() throws(LedgerError) -> OutboxBacklog {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT count(*) AS events, min(created_at) AS oldest FROM outbox WHERE synced_at IS NULL")
            return OutboxBacklog(events: row?["events"] ?? 0, oldestCreatedAt: row?["oldest"])
        }
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

/// What waits for the hub: the outbox events it has not confirmed, and the oldest's time.
public struct OutboxBacklog: Sendable, Equatable {
    public var events: Int
    /// Unix milliseconds at which the oldest unconfirmed event was recorded; nil when none waits.
    public var oldestCreatedAt: Int64?

    public init(events: Int, oldestCreatedAt: Int64?) {
        self.events = events
        self.oldestCreatedAt = oldestCreatedAt
    }

    /// How far the hub is behind this station: the age of the oldest event it has not
    /// confirmed, 0 when it has them all. A clock set back reads as 0, not as a negative lag.
    public func lagSeconds(now milliseconds: Int64) -> Double {
        guard let oldestCreatedAt else { return 0 }
        return Double(max(0, milliseconds - oldestCreatedAt)) / 1000
    }
}
