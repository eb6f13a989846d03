import Foundation
public import Ledger
public import Logging
import ScanCodes

/// What the control socket and SIGHUP act on: the running stations and the config they
/// came from.
public actor DaemonController {
    let version: String
    let startedAt: Int64
    let databasePath: String
    let configPath: String?
    /// The config last loaded (what reload applied).
    var configuration: ScanStationConfiguration?
    /// The config the daemon started with: what restart-only settings still run on.
    let startupConfiguration: ScanStationConfiguration?
    /// Runs the stations; a reload adds, removes and restarts them through it.
    let supervisor: StationSupervisor
    /// The stations a config gives, with the command line's overrides (as at start).
    let plan: @Sendable (ScanStationConfiguration) throws -> DaemonPlan
    let store: LedgerStore
    let notifier: SystemdNotifier
    let logger: Logger

    public init(version: String, databasePath: String, configPath: String?, configuration: ScanStationConfiguration?, supervisor: StationSupervisor,
                plan: @escaping @Sendable (ScanStationConfiguration) throws -> DaemonPlan, store: LedgerStore, notifier: SystemdNotifier, logger: Logger) {
        self.version = version
        self.startedAt = WallClock.now().milliseconds
        self.databasePath = databasePath
        self.configPath = configPath
        self.configuration = configuration
        self.startupConfiguration = configuration
        self.supervisor = supervisor
        self.plan = plan
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
            let stations = await supervisor.running
            guard let station = stations.first(where: { $0.session.name == name }) else {
                return ControlResponse(ok: false, message: "no station '\(name)' here; stations: \(stations.map(\.session.name).joined(separator: ", "))")
            }
            let message = await station.session.logout()
            logger.notice("logout requested", metadata: ["station": "\(name)", "result": "\(message)"])
            return ControlResponse(ok: true, message: message)
        case "release":
            guard let name = request.station else { return ControlResponse(ok: false, message: "release needs a station name") }
            return await release(station: name)
        default:
            return ControlResponse(ok: false, message: "unknown command '\(request.command)'; use status, reload, sync-now, logout or release")
        }
    }

    /// Frees the documents of a station this daemon no longer runs (removed from the config,
    /// its PC gone), so other stations may work them. A running station keeps its work: it
    /// finishes or cancels it there.
    func release(station name: String) async -> ControlResponse {
        if await supervisor.running.contains(where: { $0.session.name == name }) {
            return ControlResponse(ok: false, message: "station \(name) is running here: finish or cancel its work at the station (CMD-DONE, CMD-CANCEL), or remove it from the config and reload first")
        }
        do {
            let released = try store.write(station: name, time: Int64(Date().timeIntervalSince1970 * 1000)) { try $0.releaseEverythingHeld() }
            guard !released.isEmpty else { return ControlResponse(ok: true, message: "station \(name) holds nothing") }
            let documents = released.map { "\($0.documentKind.rawValue) \($0.document)" }.joined(separator: ", ")
            logger.notice("released a station's documents", metadata: ["station": "\(name)", "documents": "\(documents)"])
            return ControlResponse(ok: true, message: "released \(documents) held by \(name): other stations may take \(released.count == 1 ? "it" : "them") up; what \(name) booked stays booked")
        } catch {
            logger.error("release failed", metadata: ["station": "\(name)", "reason": "\(error)"])
            return ControlResponse(ok: false, message: "could not release what \(name) holds: \(error)")
        }
    }

    public func status() async -> DaemonStatus {
        var rows: [DaemonStatus.Station] = []
        for unit in await supervisor.running { rows.append(await unit.session.status(sources: unit.sourceNames)) }
        let backlog = try? store.outboxBacklog()
        return DaemonStatus(
            version: version, pid: getpid(), startedAt: startedAt, database: databasePath, stations: rows,
            sync: configuration?.hubURL == nil ? "off" : "not built yet", outbox: backlog?.events ?? 0, outboxOldestAt: backlog?.oldestCreatedAt)
    }

    /// Re-reads the config: applies the label scheme, language, policies and locations to
    /// the running stations, adds and removes stations and restarts those whose mode,
    /// sources or scanner settings changed, and reports (keeping the running values) what
    /// needs a restart of the daemon.
    public func reload() async -> (ok: Bool, message: String) {
        guard let configPath else {
            return (false, "the daemon runs without a config file; nothing to reload")
        }
        notifier.reloading(status: "Reloading \(configPath)")
        defer { notifier.ready(status: "Running; config \(configPath)") }
        let fresh: ScanStationConfiguration
        let freshPlan: DaemonPlan
        do {
            fresh = try ScanStationConfiguration.load(path: configPath)
            freshPlan = try plan(fresh)
        } catch {
            logger.error("reload refused: invalid config; keeping the running one", metadata: ["error": "\(error)"])
            return (false, "invalid config, nothing changed: \(error)")
        }
        // Restart-only settings are compared with what runs, not with the last reload.
        let old = startupConfiguration ?? ScanStationConfiguration()
        var needsRestart: [String] = []
        if freshPlan.databasePath != databasePath { needsRestart.append("database") }
        if fresh.listen != old.listen { needsRestart.append("listen") }
        if fresh.controlSocket != old.controlSocket { needsRestart.append("control_socket") }
        let scheme = LabelScheme(commandPrefix: fresh.commandPrefix, operatorPrefix: fresh.operatorPrefix)
        let changes = await supervisor.apply(stations: freshPlan.stations, language: freshPlan.language, scheme: scheme)
        needsRestart += changes.needsRestart
        for unit in await supervisor.running {
            let section = freshPlan.stations.first { $0.name == unit.session.name }
            await unit.session.apply(scheme: scheme, language: freshPlan.language, station: section)
        }
        configuration = fresh
        var message = "reloaded \(configPath): label scheme, language, policies, locations, modes and login rules applied"
        if !changes.added.isEmpty { message += "; stations added: \(changes.added.joined(separator: ", "))" }
        if !changes.removed.isEmpty { message += "; stations removed: \(changes.removed.joined(separator: ", "))" }
        // A removed station keeps what it claimed: no other station may work those documents
        // until it is added back and finishes or cancels them. Said, so the admin knows.
        for name in changes.removed {
            guard let held = try? store.claimsHeld(station: name), !held.isEmpty else { continue }
            let documents = held.map { "\($0.documentKind.rawValue) \($0.document)" }.joined(separator: ", ")
            message += "; station \(name) still holds \(documents) (no other station may work \(held.count == 1 ? "it" : "them") until \(name) is added back and finishes or cancels \(held.count == 1 ? "it" : "them"), or `scanstation release \(name)` frees \(held.count == 1 ? "it" : "them"))"
            logger.warning("removed station still holds documents", metadata: ["station": "\(name)", "documents": "\(documents)"])
        }
        if !changes.restarted.isEmpty { message += "; stations restarted (sources, mode or scanner settings): \(changes.restarted.joined(separator: ", "))" }
        if !changes.failed.isEmpty { message += "; could not start: \(changes.failed.joined(separator: "; "))" }
        if !needsRestart.isEmpty {
            message += "; needs a restart (running values kept): \(needsRestart.joined(separator: ", "))"
        }
        logger.notice("config reloaded", metadata: [
            "path": "\(configPath)", "added": "\(changes.added.joined(separator: ","))", "removed": "\(changes.removed.joined(separator: ","))",
            "restarted": "\(changes.restarted.joined(separator: ","))", "needs_restart": "\(needsRestart.joined(separator: ","))",
        ])
        return (changes.failed.isEmpty, message)
    }
}
