import ArgumentParser
import Devices
import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Station
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the station daemon: read scans, record them, answer.",
        discussion: """
            With no --source, scans are read from standard input when it is a terminal, a \
            pipe or a file (not /dev/null). End of input closes that source; the daemon \
            exits when it was the only one. SIGTERM and SIGINT finish the scan in hand, \
            keep everything acknowledged and exit.
            """
    )

    @Option(name: .customLong("source"), help: ArgumentHelp("A scan source (repeatable): stdin, usb, usb:VID:PID, serial:PATH, camera:PATH, frames:PATH|-, llrp:HOST[:PORT].", valueName: "KIND[:ARG]"))
    var sources: [String] = []

    @Option(help: "The station's name (default: the host name).")
    var station: String?

    @Option(help: ArgumentHelp("What the station does: \(StationMode.allCases.map(\.rawValue).joined(separator: "|")).", valueName: "mode"))
    var mode: String = StationMode.log.rawValue

    @Option(help: ArgumentHelp("The SQLite store (default: $STATE_DIRECTORY/scanstation.db, /var/lib/scanstation/scanstation.db if it exists, else ./scanstation.db).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("How answers are printed on standard output: jsonl, text or none.", valueName: "format"))
    var feedback: String = FeedbackFormat.text.rawValue

    @Option(help: ArgumentHelp("Prompt language: en or de.", valueName: "code"))
    var language: String = PromptLanguage.en.rawValue

    @Option(help: ArgumentHelp("Log level on standard error: debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws {
        guard let mode = StationMode(rawValue: mode) else {
            throw ValidationError("unknown mode '\(mode)'; use one of \(StationMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard StationMode.available.contains(mode) else {
            throw ValidationError("mode '\(mode.rawValue)' is not available in this build of scanstation yet; available: \(StationMode.available.map(\.rawValue).joined(separator: ", "))")
        }
        guard FeedbackFormat(rawValue: feedback) != nil else {
            throw ValidationError("unknown feedback format '\(feedback)'; use jsonl, text or none")
        }
        guard PromptLanguage(rawValue: language) != nil else {
            throw ValidationError("unknown language '\(language)'; use en or de")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
        if let station, station.isEmpty || station.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("station name '\(station)' must be non-empty and contain no spaces")
        }
        for text in sources {
            let source: SourceSpecification
            do { source = try SourceSpecification(parsing: text) } catch { throw ValidationError(error.description) }
            guard source == .standardInput else {
                throw ValidationError("source kind '\(source.kindName)' is not available in this build of scanstation yet; available: stdin")
            }
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
        let logger = Logger(label: "scanstation")

        var specifications: [SourceSpecification] = []
        for text in sources {
            do { specifications.append(try SourceSpecification(parsing: text)) } catch { throw ValidationError(error.description) }
        }
        var scanSources: [any ScanSource] = []
        if specifications.isEmpty {
            if StandardInputSource.isUsable() { scanSources.append(StandardInputSource()) }
        } else {
            for specification in specifications where specification == .standardInput {
                scanSources.append(StandardInputSource())
            }
        }

        let path = DatabaseLocation.resolve(option: db, configured: nil)
        let store: LedgerStore
        do {
            store = try LedgerStore(path: path)
        } catch {
            logger.critical("cannot open the store", metadata: ["path": "\(path)", "reason": "\(error.message)"])
            throw ExitCode(74) // EX_IOERR
        }
        let stationName = station ?? HostName.current()
        let session = StationSession(
            name: stationName, mode: StationMode(rawValue: mode) ?? .log,
            language: PromptLanguage(rawValue: language) ?? .en, store: store, logger: logger)
        let health = StationHealth()
        let service = StationService(
            session: session, sources: scanSources,
            feedback: FeedbackWriter(format: FeedbackFormat(rawValue: feedback) ?? .text), health: health, logger: logger)
        let systemd = SystemdService(
            notifier: SystemdNotifier(), health: health,
            readyStatus: "Station \(stationName) ready (\(mode) mode); store \(path)", logger: logger)
        logger.info("station ready", metadata: ["station": "\(stationName)", "mode": "\(mode)", "database": "\(path)", "sources": "\(scanSources.map(\.name).joined(separator: ","))"])

        let group = ServiceGroup(configuration: .init(
            // Shut down in reverse order: systemd hears STOPPING first, then the station drains.
            services: [
                .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: systemd),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
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
