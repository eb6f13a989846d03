public import Devices
import Foundation
public import Ledger
import Synchronization

/// Everything `/metrics` shows: per-station scans and latency, device connects and
/// disconnects, and the outbox length and sync lag read from the store at scrape time.
///
/// The sync lag is the age of the oldest outbox event the hub has not confirmed: it grows
/// while a station cannot reach its hub (or has none to reach), and is 0 once the hub has
/// everything, whoever sends it.
public final class DaemonMetrics: Sendable {
    /// Stations in the order they first ran; a station removed by a reload keeps its
    /// counters (Prometheus counters never go back), one added gets its own.
    private let registered: Mutex<[StationMetrics]>
    public let devices: DeviceEvents
    let version: String
    let outboxBacklog: @Sendable () throws -> OutboxBacklog
    /// Unix milliseconds now (the sync lag's reference).
    let now: @Sendable () -> Int64

    public init(stations: [String], devices: DeviceEvents, version: String,
                outboxBacklog: @escaping @Sendable () throws -> OutboxBacklog,
                now: (@Sendable () -> Int64)? = nil) {
        self.registered = Mutex(stations.map { StationMetrics(station: $0) })
        self.devices = devices
        self.version = version
        self.outboxBacklog = outboxBacklog
        self.now = now ?? { WallClock.now().milliseconds }
    }

    public var stations: [StationMetrics] { registered.withLock { $0 } }

    /// The station's metrics, registered on first use.
    public func station(named name: String) -> StationMetrics {
        registered.withLock { stations in
            if let existing = stations.first(where: { $0.station == name }) { return existing }
            let added = StationMetrics(station: name)
            stations.append(added)
            return added
        }
    }

    /// The Prometheus text exposition format, version 0.0.4.
    public func render() -> String {
        var text = PrometheusText()
        text.family("scanstation_build_info", type: "gauge", help: "The running scanstation version (always 1).")
        text.sample("scanstation_build_info", labels: [("version", version)], value: "1")

        let snapshots = stations.map { ($0.station, $0.snapshot()) }
        text.family("scanstation_scans_total", type: "counter", help: "Scans answered, by station and result.")
        for (station, snapshot) in snapshots {
            for result in StationMetrics.resultOrder {
                text.sample("scanstation_scans_total", labels: [("station", station), ("result", result.rawValue)], value: "\(snapshot.scans[result] ?? 0)")
            }
        }
        text.family("scanstation_scan_ack_latency_seconds", type: "histogram",
                    help: "Time from a scan's completion at the device to its answer written (committed first).")
        for (station, snapshot) in snapshots {
            for bucket in snapshot.cumulativeBuckets {
                text.sample("scanstation_scan_ack_latency_seconds_bucket",
                            labels: [("station", station), ("le", PrometheusText.number(bucket.bound))], value: "\(bucket.count)")
            }
            text.sample("scanstation_scan_ack_latency_seconds_sum", labels: [("station", station)], value: PrometheusText.number(snapshot.latencySumSeconds))
            text.sample("scanstation_scan_ack_latency_seconds_count", labels: [("station", station)], value: "\(snapshot.latencyCount)")
        }

        let events = devices.snapshot()
        text.family("scanstation_device_connects_total", type: "counter", help: "Scanners taken or opened (USB, serial, camera), replugs included.")
        for kind in DeviceEvents.Kind.allCases {
            text.sample("scanstation_device_connects_total", labels: [("kind", kind.rawValue)], value: "\(events[kind]?.connects ?? 0)")
        }
        text.family("scanstation_device_disconnects_total", type: "counter", help: "Scanners lost: unplugged, failed or gone away.")
        for kind in DeviceEvents.Kind.allCases {
            text.sample("scanstation_device_disconnects_total", labels: [("kind", kind.rawValue)], value: "\(events[kind]?.disconnects ?? 0)")
        }

        // Each family's samples follow its own HELP and TYPE lines (families do not interleave).
        do {
            let backlog = try outboxBacklog()
            text.family("scanstation_outbox_length", type: "gauge", help: "Records waiting to be sent to the hub.")
            text.sample("scanstation_outbox_length", labels: [], value: "\(backlog.events)")
            text.family("scanstation_sync_lag_seconds", type: "gauge",
                        help: "Age of the oldest record the hub has not confirmed; 0 when it has them all.")
            text.sample("scanstation_sync_lag_seconds", labels: [], value: PrometheusText.number(backlog.lagSeconds(now: now())))
        } catch {
            // No samples rather than wrong ones; the reason is a comment for whoever looks.
            text.comment("outbox length and sync lag unavailable: \(error)")
        }
        return text.output
    }
}

/// Builds the text format line by line, escaping label values and comments.
struct PrometheusText {
    var output = ""

    mutating func family(_ name: String, type: String, help: String) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, labels: [(String, String)], value: String) {
        output += name
        if !labels.isEmpty {
            output += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        output += " \(value)\n"
    }

    mutating func comment(_ text: String) {
        output += "# " + text.replacingOccurrences(of: "\n", with: " ") + "\n"
    }

    /// Label values escape backslash, double quote and line feed (format 0.0.4).
    static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A float as Prometheus reads it: `+Inf`, or the shortest decimal that round-trips.
    static func number(_ value: Double) -> String {
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value.isNaN { return "NaN" }
        return "\(value)"
    }
}
