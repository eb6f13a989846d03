import ArgumentParser
import Devices
import Foundation
import Ledger
import Logging
import ScanCodes
import ServiceLifecycle
import Station
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the station daemon: read scans, record them, answer.",
        discussion: """
            Stations come from the config file (--config, default \(ScanStationConfiguration.defaultPath) \
            when it exists); with none, one station named after the host. --source replaces the \
            sources of the station --station names (or the config's first); the config's sources \
            replace the built-in defaults: standard input when it is a terminal, a pipe or a file \
            (not /dev/null), plus known USB scanners. End of input closes that source; the daemon \
            exits when it was the only one. SIGTERM and SIGINT stop taking scans, answer those already read, keep \
            everything acknowledged and exit.
            """
    )

    @Option(help: ArgumentHelp("The config file (default: \(ScanStationConfiguration.defaultPath) if it exists).", valueName: "path"))
    var config: String?

    @Option(name: .customLong("source"), help: ArgumentHelp("A scan source (repeatable): stdin, usb, usb:VID:PID, serial:PATH, camera:PATH, frames:PATH|-, llrp:HOST[:PORT].", valueName: "KIND[:ARG]"))
    var sources: [String] = []

    @Option(help: "The station's name (default: the host name), or which configured station --source and --mode apply to.")
    var station: String?

    @Option(help: ArgumentHelp("What the station does: \(StationMode.allCases.map(\.rawValue).joined(separator: "|")) (default: the config's, else log).", valueName: "mode"))
    var mode: String?

    // `--database` is the same option, for those who spell the config key.
    @Option(name: [.customLong("db"), .customLong("database")], help: ArgumentHelp("The SQLite store (default: the config's database, $STATE_DIRECTORY/scanstation.db, /var/lib/scanstation/scanstation.db if it exists, else ./scanstation.db).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("How answers are printed on standard output: jsonl, text or none.", valueName: "format"))
    var feedback: String = FeedbackFormat.text.rawValue

    @Option(help: ArgumentHelp("Prompt language: en or de (default: the config's, else en).", valueName: "code"))
    var language: String?

    @Option(help: ArgumentHelp("The control socket for status, reload and logout (default: the config's control_socket, else /run/scanstation/control.sock; \"off\" disables it).", valueName: "path"))
    var controlSocket: String?

    @Option(help: ArgumentHelp("Where GET /metrics is served: HOST:PORT or [IPv6]:PORT (default: the config's listen, else 127.0.0.1:8420; \"off\" disables it).", valueName: "address"))
    var listen: String?

    @Option(help: ArgumentHelp("Log level on standard error: debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        if let mode {
            guard let parsed = StationMode(rawValue: mode) else {
                throw ValidationError("unknown mode '\(mode)'; use one of \(StationMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard StationMode.available.contains(parsed) else {
                throw ValidationError("mode '\(mode)' is not available in this build of scanstation yet; available: \(StationMode.available.map(\.rawValue).joined(separator: ", "))")
            }
        }
        guard FeedbackFormat(rawValue: feedback) != nil else {
            throw ValidationError("unknown feedback format '\(feedback)'; use jsonl, text or none")
        }
        if let language, PromptLanguage(rawValue: language) == nil {
            throw ValidationError("unknown language '\(language)'; use en or de")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
        if let listen, listen != "off", MetricsServer.split(listen) == nil {
            throw ValidationError("--listen \(listen): expected HOST:PORT (e.g. 127.0.0.1:8420 or [::1]:8420) or \"off\"")
        }
        if let station, station.isEmpty || station.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("station name '\(station)' must be non-empty and contain no spaces")
        }
        let specifications = try parsedSources()
        for specification in specifications {
            do {
                try SourceFactory.validate(specification)
            } catch {
                throw ValidationError(error.description)
            }
        }
        guard specifications.filter(SourceFactory.readsStandardInput).count <= 1 else {
            throw ValidationError("standard input can feed only one source; drop 'stdin' or 'frames:-'")
        }
    }

    func parsedSources() throws -> [SourceSpecification] {
        try sources.map { text in
            do { return try SourceSpecification(parsing: text) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
        let logger = Logger(label: "scanstation")

        var configuration: ScanStationConfiguration?
        let configPath = config ?? (FileManager.default.fileExists(atPath: ScanStationConfiguration.defaultPath) ? ScanStationConfiguration.defaultPath : nil)
        if let configPath {
            do {
                configuration = try ScanStationConfiguration.load(path: configPath)
            } catch {
                logger.critical("invalid config", metadata: ["error": "\(error)"])
                throw ExitCode(78) // EX_CONFIG
            }
        }
        var request = RunRequest(configuration: configuration)
        request.sources = try parsedSources()
        request.station = station
        request.mode = mode.flatMap(StationMode.init(rawValue:))
        request.database = db
        request.language = language.flatMap(PromptLanguage.init(rawValue:))
        let plan: DaemonPlan
        do {
            plan = try DaemonPlan(request: request, standardInputUsable: StandardInputSource.isUsable(), hostName: HostName.current())
        } catch {
            logger.critical("cannot set up the stations", metadata: ["error": "\(error)"])
            throw ExitCode(78)
        }
        for station in plan.stations where !StationMode.available.contains(station.mode) {
            logger.critical("mode not available in this build", metadata: ["station": "\(station.name)", "mode": "\(station.mode.rawValue)"])
            throw ExitCode(78)
        }

        let health = StationHealth()
        let writer = FeedbackWriter(format: FeedbackFormat(rawValue: feedback) ?? .text)
        // With the built-in defaults, scans piped in are a batch: the run ends with them
        // (a person at a terminal keeps the USB scanners running after Ctrl-D).
        let builtInDefaults = request.sources.isEmpty && configuration?.stations.isEmpty != false
        let batch = builtInDefaults && StandardInputSource.isBatch()
        let deviceEvents = DeviceEvents()
        // Sources are made (and checked: a missing camera or file is named) before anything
        // is written; they start reading only when their station runs.
        let prepared: [StationLauncher.PreparedStation]
        do {
            prepared = try StationLauncher.prepare(plan.stations, standardInputEndsRun: batch, events: deviceEvents, logger: logger)
        } catch {
            logger.critical("cannot start a source", metadata: ["error": "\(error)"])
            throw ExitCode(error.exitCode)
        }
        let store: LedgerStore
        do {
            store = try LedgerStore(path: plan.databasePath)
        } catch {
            logger.critical("cannot open the store", metadata: ["path": "\(plan.databasePath)", "reason": "\(error.message)"])
            throw ExitCode(74) // EX_IOERR
        }

        // The daemon ends with its input only when it reads nothing else (stdin, frame files).
        let startedSpecifications = plan.stations.flatMap(\.sources)
        let endsWithInput = batch || (!startedSpecifications.isEmpty && startedSpecifications.allSatisfy(SourceFactory.endsWithInput))
        let metrics = DaemonMetrics(
            stations: plan.stations.map(\.name), devices: deviceEvents, version: ScanStationCommand.version,
            outboxBacklog: { [store] in try store.outboxBacklog() })
        let launcher = StationLauncher(
            store: store, feedback: writer, health: health, metrics: metrics, events: deviceEvents, logger: logger,
            standardInputEndsRun: batch, returnsWhenSourcesEnd: endsWithInput)
        let scheme = configuration.map { LabelScheme(commandPrefix: $0.commandPrefix, operatorPrefix: $0.operatorPrefix) } ?? .standard
        let units = prepared.map { launcher.unit(for: $0, language: plan.language, scheme: scheme) }
        for unit in units {
            logger.info("station ready", metadata: [
                "station": "\(unit.configuration.name)", "mode": "\(unit.configuration.mode.rawValue)", "database": "\(plan.databasePath)",
                "sources": "\(unit.sourceNames.joined(separator: ","))",
            ])
        }
        let supervisor = StationSupervisor(launcher: launcher, units: units)
        // Services are named: without a name, service-lifecycle describes each one by reflection,
        // which costs milliseconds of conformance scans at start.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: supervisor, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "stations"),
        ]
        let notifier = SystemdNotifier()
        // A reload plans the stations as the start did: same command-line overrides.
        let standardInputUsable = StandardInputSource.isUsable()
        let hostName = HostName.current()
        let controller = DaemonController(
            version: ScanStationCommand.version, databasePath: plan.databasePath, configPath: configPath,
            configuration: configuration, supervisor: supervisor,
            plan: { [request] fresh in
                var reloaded = request
                reloaded.configuration = fresh
                return try DaemonPlan(request: reloaded, standardInputUsable: standardInputUsable, hostName: hostName)
            },
            store: store, notifier: notifier, logger: logger)
        services.append(.init(service: ReloadService(controller: controller, logger: logger), serviceName: "reload"))
        let socketPath = controlSocket ?? configuration?.controlSocket ?? ScanStationConfiguration().controlSocket
        if socketPath != "off" {
            services.append(.init(service: ControlServer(path: socketPath, logger: logger) { await controller.handle($0) }, serviceName: "control"))
        }
        // --listen overrides the config; a config's "off" is nil there.
        let listenAddress = listen ?? (configuration.map { $0.listen ?? "off" } ?? ScanStationConfiguration().listen ?? "off")
        if listenAddress != "off" {
            services.append(.init(service: MetricsServer(address: listenAddress, metrics: metrics, logger: logger), serviceName: "metrics"))
        }
        let names = plan.stations.map(\.name).joined(separator: ", ")
        // Shut down in reverse order: systemd hears STOPPING first, then the stations drain.
        services.append(.init(service: SystemdService(
            notifier: notifier, health: health,
            readyStatus: "Station\(plan.stations.count == 1 ? "" : "s") \(names) ready; store \(plan.databasePath)", logger: logger), serviceName: "systemd"))

        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("station failed", metadata: ["reason": "\(error)"])
            try? store.close()
            throw ExitCode.failure
        }
        do {
            try store.close()
        } catch {
            logger.error("closing the store failed", metadata: ["reason": "\(error.message)"])
            throw ExitCode(74)
        }
        logger.info("stopped")
    }
}

enum HostName {
    static func current() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "station" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "station" : name.split(separator: ".").first.map(String.init) ?? name
    }
}
