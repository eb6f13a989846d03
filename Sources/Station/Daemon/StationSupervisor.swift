public import Devices
import Dispatch
public import Ledger
public import Logging
public import ServiceLifecycle
public import ScanCodes

/// What every station of the daemon shares, and how a station is put together from its
/// configuration.
public struct StationLauncher: Sendable {
    public var store: LedgerStore
    public var feedback: FeedbackWriter
    public var health: StationHealth
    public var metrics: DaemonMetrics
    public var events: DeviceEvents
    public var logger: Logger
    /// Scans piped in with the built-in defaults are a batch: end of input ends the run.
    public var standardInputEndsRun: Bool
    /// Stations return when their sources end (the daemon reads only stdin or frame files).
    public var returnsWhenSourcesEnd: Bool

    public init(store: LedgerStore, feedback: FeedbackWriter, health: StationHealth, metrics: DaemonMetrics, events: DeviceEvents,
                logger: Logger, standardInputEndsRun: Bool, returnsWhenSourcesEnd: Bool) {
        self.store = store
        self.feedback = feedback
        self.health = health
        self.metrics = metrics
        self.events = events
        self.logger = logger
        self.standardInputEndsRun = standardInputEndsRun
        self.returnsWhenSourcesEnd = returnsWhenSourcesEnd
    }

    /// A station's sources, made (and checked: a missing camera or file is named) but not
    /// reading yet.
    public struct PreparedStation: Sendable {
        public var configuration: StationConfiguration
        public var sources: [any ScanSource]
        /// Made the sources; signals its USB scanners and owns their device thread.
        public var factory: SourceFactory
    }

    /// Makes the sources of `stations` with one factory (one USB device thread for all of
    /// them). Throws on the first source that cannot be made.
    public static func prepare(_ stations: [StationConfiguration], standardInputEndsRun: Bool, events: DeviceEvents, logger: Logger) throws(SourceFactory.SourceError) -> [PreparedStation] {
        let factory = SourceFactory(stations: stations, standardInputEndsRun: standardInputEndsRun, events: events, logger: logger)
        var prepared: [PreparedStation] = []
        for station in stations {
            var sources: [any ScanSource] = []
            for specification in station.sources {
                sources.append(try factory.make(specification, for: station))
            }
            prepared.append(PreparedStation(configuration: station, sources: sources, factory: factory))
        }
        return prepared
    }

    /// A session and its service for a prepared station.
    public func unit(for prepared: PreparedStation, language: PromptLanguage, scheme: LabelScheme) -> StationUnit {
        let station = prepared.configuration
        let session = StationSession(
            name: station.name, mode: station.mode, language: language, store: store, scheme: scheme,
            configuration: station, logger: logger)
        let stop = StationStop()
        let factory = prepared.factory
        let service = StationService(
            session: session, sources: prepared.sources, feedback: feedback, health: health, logger: logger,
            returnsWhenSourcesEnd: returnsWhenSourcesEnd, metrics: metrics.station(named: station.name), stop: stop,
            signal: { answer, source in factory.signal(answer, source: source) })
        return StationUnit(configuration: station, session: session, sources: prepared.sources, service: service, stop: stop)
    }
}

/// One running station: its session, the service feeding it and the handle that stops it.
public final class StationUnit: Sendable {
    public let configuration: StationConfiguration
    public let session: StationSession
    let sources: [any ScanSource]
    let service: StationService
    let stop: StationStop

    public var sourceNames: [String] { sources.map(\.name) }

    init(configuration: StationConfiguration, session: StationSession, sources: [any ScanSource], service: StationService, stop: StationStop) {
        self.configuration = configuration
        self.session = session
        self.sources = sources
        self.service = service
        self.stop = stop
    }
}

/// Runs the stations and, on reload, adds, removes and restarts them while the rest keep
/// scanning. A station is restarted when its mode, sources or scanner settings change;
/// stations reading USB scanners share one device thread, so when any of them restarts they
/// all do. Standard input and frame files cannot be reopened without losing or repeating
/// scans: a station reading them is never restarted (the reload reports it needs a restart).
public actor StationSupervisor: Service {
    /// What a reload did to the stations.
    public struct Changes: Sendable, Equatable {
        public var added: [String] = []
        public var removed: [String] = []
        public var restarted: [String] = []
        /// Changes that need the daemon restarted, with why.
        public var needsRestart: [String] = []
        /// Stations that could not be started again, with the error.
        public var failed: [String] = []

        public init() {}
    }

    private enum Event: Sendable {
        case stationEnded(ObjectIdentifier)
        case request(Request)
        case requestsEnded
    }

    private struct Request: Sendable {
        var fresh: [StationConfiguration]
        var language: PromptLanguage
        var scheme: LabelScheme
        var reply: CheckedContinuation<Changes, Never>
    }

    private let launcher: StationLauncher
    private var units: [StationUnit]
    private let requests: AsyncStream<Request>
    private let requestContinuation: AsyncStream<Request>.Continuation

    public init(launcher: StationLauncher, units: [StationUnit]) {
        self.launcher = launcher
        self.units = units
        (requests, requestContinuation) = AsyncStream.makeStream(of: Request.self)
    }

    /// The stations running now, in configuration order.
    public var running: [StationUnit] { units }

    /// Brings the running stations in line with `fresh` (the reloaded config's stations)
    /// and says what changed. Returns once stopped stations have drained and new ones run.
    public func apply(stations fresh: [StationConfiguration], language: PromptLanguage, scheme: LabelScheme) async -> Changes {
        await withCheckedContinuation { reply in
            if case .terminated = requestContinuation.yield(Request(fresh: fresh, language: language, scheme: scheme, reply: reply)) {
                var changes = Changes()
                changes.needsRestart.append("stations (the daemon is stopping)")
                reply.resume(returning: changes)
            }
        }
    }

    public func run() async throws {
        let requests = self.requests
        @Sendable func nextRequest() async -> Event {
            var iterator = requests.makeAsyncIterator()
            return await iterator.next().map(Event.request) ?? .requestsEnded
        }
        await withTaskGroup(of: Event.self) { group in
            for unit in units { start(unit, in: &group) }
            group.addTask(operation: nextRequest)
            var stopping: Set<ObjectIdentifier> = []
            var pending: [(request: Request, changes: Changes)] = []
            while let event = await group.next() {
                switch event {
                case .stationEnded(let id):
                    if stopping.remove(id) == nil {
                        // A station ended by itself (its input ended, or the daemon is
                        // shutting down): the daemon's run ends with it, as before reloads.
                        // Not cancelled: the others drain what their sources handed over.
                        units.removeAll { ObjectIdentifier($0) == id }
                        requestContinuation.finish()
                        for unit in units { unit.stop.request() }
                        continue
                    }
                    if stopping.isEmpty, !pending.isEmpty {
                        for item in pending { finish(item.request, changes: item.changes, in: &group) }
                        pending = []
                    }
                case .request(let request):
                    let (leaving, changes) = Self.plan(running: units.map(\.configuration), fresh: request.fresh)
                    let toStop = units.filter { leaving.contains($0.configuration.name) }
                    for unit in toStop {
                        stopping.insert(ObjectIdentifier(unit))
                        unit.stop.request()
                    }
                    units.removeAll { unit in toStop.contains { $0 === unit } }
                    if stopping.isEmpty {
                        finish(request, changes: changes, in: &group)
                    } else {
                        pending.append((request, changes))
                    }
                    group.addTask(operation: nextRequest)
                case .requestsEnded:
                    break
                }
            }
            // Replies nobody will give otherwise (a reload racing the shutdown).
            for item in pending { item.request.reply.resume(returning: item.changes) }
        }
    }

    private func start(_ unit: StationUnit, in group: inout TaskGroup<Event>) {
        group.addTask {
            try? await unit.service.run()
            // Devices are let go (USB interfaces back to their kernel drivers, ports closed)
            // before a restarted station opens them again, and before the daemon exits.
            // The wait blocks, so it runs off the Swift concurrency threads.
            let sources = unit.sources
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    for source in sources { _ = source.waitUntilReleased(timeoutSeconds: 5) }
                    done.resume()
                }
            }
            return .stationEnded(ObjectIdentifier(unit))
        }
    }

    /// Settings that take a new session and new sources to change; the rest are applied
    /// to the running session (`StationSession.apply`).
    static func restartSettingsDiffer(_ old: StationConfiguration, _ new: StationConfiguration) -> Bool {
        old.mode != new.mode || old.sources != new.sources || old.layout != new.layout || old.prefix != new.prefix
            || old.suffix != new.suffix || old.terminator != new.terminator || old.cameraWidth != new.cameraWidth
            || old.cameraHeight != new.cameraHeight || old.cameraSymbologies != new.cameraSymbologies
            || old.cameraHoldOffMilliseconds != new.cameraHoldOffMilliseconds
    }

    static func readsUSB(_ station: StationConfiguration) -> Bool {
        station.sources.contains { SourceFactory.usbMatch($0) != nil }
    }

    /// Sources that cannot be reopened without losing or repeating scans.
    static func isPinned(_ station: StationConfiguration) -> Bool {
        station.sources.contains { SourceFactory.endsWithInput($0) }
    }

    /// Which running stations stop (by name) when the config's stations become `fresh`, and
    /// what the reload changes: the stations to start are `changes.added` and
    /// `changes.restarted`.
    static func plan(running: [StationConfiguration], fresh: [StationConfiguration]) -> (leaving: [String], changes: Changes) {
        var changes = Changes()
        func freshConfiguration(of station: StationConfiguration) -> StationConfiguration? {
            fresh.first { $0.name == station.name }
        }
        var leaving = running.filter { station in
            guard let new = freshConfiguration(of: station) else { return true }
            return restartSettingsDiffer(station, new)
        }
        var arriving = fresh.filter { station in !running.contains { $0.name == station.name } }
        // One USB device thread serves every USB station: if one of them restarts, all do.
        let usbTouched = arriving.contains(where: readsUSB) || leaving.contains { station in
            readsUSB(station) || freshConfiguration(of: station).map(readsUSB) == true
        }
        if usbTouched {
            leaving += running.filter { station in readsUSB(station) && !leaving.contains { $0.name == station.name } }
        }
        // Stations reading stdin or a frame file stay as they are.
        let pinned = leaving.filter(isPinned)
        for station in pinned {
            changes.needsRestart.append("station \(station.name) (it reads standard input or a frame file)")
        }
        leaving.removeAll(where: isPinned)
        if usbTouched, pinned.contains(where: readsUSB) {
            let reason = "its USB scanners share the device thread of a station that cannot restart"
            for station in leaving where readsUSB(station) {
                changes.needsRestart.append("station \(station.name) (\(reason))")
            }
            leaving.removeAll(where: readsUSB)
            for station in arriving where readsUSB(station) {
                changes.needsRestart.append("station \(station.name) (\(reason))")
            }
            arriving.removeAll(where: readsUSB)
        }
        for station in leaving {
            if freshConfiguration(of: station) != nil {
                changes.restarted.append(station.name)
            } else {
                changes.removed.append(station.name)
            }
        }
        changes.added = arriving.map(\.name)
        return (leaving.map(\.name), changes)
    }

    /// Starts the stations a request adds or restarts, once those it stops have drained,
    /// and answers the request.
    private func finish(_ request: Request, changes: Changes, in group: inout TaskGroup<Event>) {
        var changes = changes
        let starting = request.fresh.filter { changes.added.contains($0.name) || changes.restarted.contains($0.name) }
        var started: [StationUnit] = []
        // One factory per station, except USB stations, which share one device thread.
        var batches: [[StationConfiguration]] = starting.filter { !Self.readsUSB($0) }.map { [$0] }
        let usbStations = starting.filter(Self.readsUSB)
        if !usbStations.isEmpty { batches.append(usbStations) }
        for batch in batches {
            do {
                let prepared = try StationLauncher.prepare(batch, standardInputEndsRun: false, events: launcher.events, logger: launcher.logger)
                started += prepared.map { launcher.unit(for: $0, language: request.language, scheme: request.scheme) }
            } catch {
                for station in batch {
                    changes.failed.append("station \(station.name): \(error.description)")
                    changes.added.removeAll { $0 == station.name }
                    changes.restarted.removeAll { $0 == station.name }
                }
                launcher.logger.error("reload: cannot start a station", metadata: ["stations": "\(batch.map(\.name).joined(separator: ","))", "error": "\(error)"])
            }
        }
        for unit in started {
            start(unit, in: &group)
            launcher.logger.info("station ready", metadata: [
                "station": "\(unit.configuration.name)", "mode": "\(unit.configuration.mode.rawValue)",
                "sources": "\(unit.sourceNames.joined(separator: ","))",
            ])
        }
        units += started
        // Keep the config's order (status lists stations as the config does).
        let order = request.fresh.map(\.name)
        units.sort { (order.firstIndex(of: $0.configuration.name) ?? .max) < (order.firstIndex(of: $1.configuration.name) ?? .max) }
        request.reply.resume(returning: changes)
    }
}
