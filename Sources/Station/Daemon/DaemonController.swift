import Foundation
public import Ledger
public import Logging
import ScanCodes

/// What the control socket and SIGHUP act on: the running stations and the config they
/// came from.
public actor DaemonController {
    public struct RunningStation: Sendable {
        public var session: StationSession
        public var sources: [String]

        public init(session: StationSession, sources: [String]) {
            self.session = session
            self.sources = sources
        }
    }

    let version: String
    let startedAt: Int64
    let databasePath: String
    let configPath: String?
    /// The config last loaded (what reload applied).
    var configuration: ScanStationConfiguration?
    /// The config the daemon started with: what restart-only settings still run on.
    let startupConfiguration: ScanStationConfiguration?
    let stations: [RunningStation]
    let store: LedgerStore
    let notifier: SystemdNotifier
    let logger: Logger

    public init(version: String, databasePath: String, configPath: String?, configuration: ScanStationConfiguration?, stations: [RunningStation], store: LedgerStore, notifier: SystemdNotifier, logger: Logger) {
        self.version = version
        self.startedAt = WallClock.now().milliseconds
        self.databasePath = databasePath
        self.configPath = configPath
        self.configuration = configuration
        self.startupConfiguration = configuration
        self.stations = stations
        self.store = store
        self.notifier = notifier
        self.logger = logger
    }

    public func handle(_ request: ControlRequest) async -> ControlResponse {
        switch request.command {
        case "ping":
            return ControlResponse(ok: true, message: "pong")
        case "status":
            return ControlResponse(ok: true, message: "running", status: await status())
        case "reload":
            let outcome = await reload()
            return ControlResponse(ok: outcome.ok, message: outcome.message)
        case "sync-now":
            guard configuration?.hubURL != nil else {
                return ControlResponse(ok: false, message: "this station has no [hub] in its config; it works alone and has nothing to sync")
            }
            return ControlResponse(ok: false, message: "sync with the hub is not built into this version yet")
        case "logout":
            guard let name = request.station else { return ControlResponse(ok: false, message: "logout needs a station name") }
            guard let station = stations.first(where: { $0.session.name == name }) else {
                return ControlResponse(ok: false, message: "no station '\(name)' here; stations: \(stations.map(\.session.name).joined(separator: ", "))")
            }
            let message = await station.session.logout()
            logger.notice("logout requested", metadata: ["station": "\(name)", "result": "\(message)"])
            return ControlResponse(ok: true, message: message)
        default:
            return ControlResponse(ok: false, message: "unknown command '\(request.command)'; use status, reload, sync-now or logout")
        }
    }

    public func status() async -> DaemonStatus {
        var rows: [DaemonStatus.Station] = []
        for station in stations { rows.append(await station.session.status(sources: station.sources)) }
        return DaemonStatus(
            version: version, pid: getpid(), startedAt: startedAt, database: databasePath, stations: rows,
            sync: configuration?.hubURL == nil ? "off" : "not built yet", outbox: (try? store.outboxLength()) ?? 0)
    }

    /// Re-reads the config: applies the label scheme and language to the running stations,
    /// and reports (keeping the running values) what needs a restart.
    public func reload() async -> (ok: Bool, message: String) {
        guard let configPath else {
            return (false, "the daemon runs without a config file; nothing to reload")
        }
        notifier.reloading(status: "Reloading \(configPath)")
        defer { notifier.ready(status: "Running; config \(configPath)") }
        let fresh: ScanStationConfiguration
        do {
            fresh = try ScanStationConfiguration.load(path: configPath)
        } catch {
            logger.error("reload refused: invalid config; keeping the running one", metadata: ["error": "\(error)"])
            return (false, "invalid config, nothing changed: \(error)")
        }
        // Restart-only settings are compared with what runs, not with the last reload.
        let old = startupConfiguration ?? ScanStationConfiguration()
        var needsRestart: [String] = []
        if fresh.database != old.database { needsRestart.append("database") }
        if fresh.listen != old.listen { needsRestart.append("listen") }
        if fresh.controlSocket != old.controlSocket { needsRestart.append("control_socket") }
        if fresh.stations.map(\.name) != old.stations.map(\.name) { needsRestart.append("stations added or removed") }
        for station in fresh.stations {
            if let before = old.stations.first(where: { $0.name == station.name }), before.sources != station.sources || before.mode != station.mode {
                needsRestart.append("station \(station.name) sources/mode")
            }
        }
        let scheme = LabelScheme(commandPrefix: fresh.commandPrefix, operatorPrefix: fresh.operatorPrefix)
        for station in stations {
            let section = fresh.stations.first { $0.name == station.session.name }
            await station.session.apply(scheme: scheme, language: fresh.language, station: section)
        }
        configuration = fresh
        var message = "reloaded \(configPath): label scheme, language, policies, locations, modes and login rules applied"
        if !needsRestart.isEmpty {
            message += "; needs a restart (running values kept): \(needsRestart.joined(separator: ", "))"
        }
        logger.notice("config reloaded", metadata: ["path": "\(configPath)", "needs_restart": "\(needsRestart.joined(separator: ","))"])
        return (true, message)
    }
}
