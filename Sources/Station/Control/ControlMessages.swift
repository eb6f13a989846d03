/// The control socket's protocol: one JSON request line, one JSON response line.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// `status`, `reload`, `sync-now`, `logout` or `release`.
    public var command: String
    /// The station, for `logout` and `release`.
    public var station: String?

    public init(command: String, station: String? = nil) {
        self.command = command
        self.station = station
    }
}

public struct ControlResponse: Codable, Sendable {
    public var ok: Bool
    /// What happened, for a person.
    public var message: String
    public var status: DaemonStatus?

    public init(ok: Bool, message: String, status: DaemonStatus? = nil) {
        self.ok = ok
        self.message = message
        self.status = status
    }
}

/// `scanstation status`: what the daemon is doing.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public struct Station: Codable, Sendable, Equatable {
        public var name: String
        public var mode: String
        public var `operator`: String?
        public var sources: [String]
        public var scans: Int64
        /// Unix milliseconds of the last scan, if any since start.
        public var lastScanAt: Int64?

        enum CodingKeys: String, CodingKey {
            case name, mode, `operator`, sources, scans
            case lastScanAt = "last_scan_at"
        }

        public init(name: String, mode: String, operator: String?, sources: [String], scans: Int64, lastScanAt: Int64?) {
            self.name = name
            self.mode = mode
            self.operator = `operator`
            self.sources = sources
            self.scans = scans
            self.lastScanAt = lastScanAt
        }
    }

    public var version: String
    public var pid: Int32
    public var startedAt: Int64
    public var database: String
    public var stations: [Station]
    /// `off` (no hub configured), or the sync state once sync exists.
    public var sync: String
    public var outbox: Int
    /// Unix milliseconds at which the oldest outbox event the hub has not confirmed was
    /// recorded; absent when the outbox is empty.
    public var outboxOldestAt: Int64?

    enum CodingKeys: String, CodingKey {
        case version, pid, database, stations, sync, outbox
        case startedAt = "started_at"
        case outboxOldestAt = "outbox_oldest_at"
    }

    public init(version: String, pid: Int32, startedAt: Int64, database: String, stations: [Station], sync: String, outbox: Int,
                outboxOldestAt: Int64? = nil) {
        self.version = version
        self.pid = pid
        self.startedAt = startedAt
        self.database = database
        self.stations = stations
        self.sync = sync
        self.outbox = outbox
        self.outboxOldestAt = outboxOldestAt
    }
}
