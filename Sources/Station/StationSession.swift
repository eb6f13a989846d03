public import Devices
public import Ledger
public import Logging
public import ScanCodes

#if canImport(Glibc)
import Glibc
#endif

/// One station: turns raw scans into committed records and answers, strictly in order.
/// The answer exists only after the scan and its effects are durably committed.
public actor StationSession {
    public nonisolated let name: String
    public nonisolated let mode: StationMode
    var language: PromptLanguage
    let store: LedgerStore
    var classifier: ScanClassifier
    var ids = UUIDv7Generator()
    let logger: Logger
    /// The workflow session, in every mode but `log`; a `log` station makes it when a
    /// `CMD-MODE-x` scan asks for another mode, and keeps it from then on.
    var workflow: StationWorkflow?
    /// The station's config section, for a workflow made later.
    var configuration: StationConfiguration?
    /// Runs the session's work on the thread of a source handing it a scan (see
    /// `StationExecutor`).
    public nonisolated let executor = StationExecutor()
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// - Parameter configuration: the station's config section (locations, SSCC range,
    ///   policies); without one, the workflow uses the defaults of CONTRACTS.md.
    public init(name: String, mode: StationMode, language: PromptLanguage, store: LedgerStore, scheme: LabelScheme = .standard, configuration: StationConfiguration? = nil, logger: Logger) {
        self.name = name
        self.mode = mode
        self.language = language
        self.store = store
        self.classifier = ScanClassifier(scheme: scheme)
        // Every line about the station names it; set once here, not per scan.
        var logger = logger
        logger[metadataKey: "station"] = .string(name)
        self.logger = logger
        self.configuration = configuration
        // A log station a CMD-MODE-x scan took into a workflow goes on there after a restart.
        let resumed = Self.makeWorkflow(name: name, mode: mode, configuration: configuration, language: language, store: store)
        if mode != .log || resumed.leftLogMode { workflow = resumed }
        if let setAside = resumed.setAside {
            var metadata: Logger.Metadata = ["mode": "\(setAside.mode)", "document": "\(setAside.document)", "starting_mode": "\(mode.rawValue)"]
            if let failure = setAside.releaseFailure { metadata["release_error"] = "\(failure)" }
            self.logger.warning("work left open in another mode is set aside: the station starts in its new mode; scan the document again in its mode to go on with it", metadata: metadata)
        }
    }

    /// The workflow session in the station's starting mode, resumed from the store.
    static func makeWorkflow(name: String, mode: StationMode, configuration: StationConfiguration?, language: PromptLanguage, store: LedgerStore) -> StationWorkflow {
        var station = configuration ?? StationConfiguration(name: name)
        station.name = name
        station.mode = mode
        return StationWorkflow(configuration: station, language: language, store: store)
    }

    /// Handles one scan: hygiene, classification, the mode's step, the commit, the answer.
    public func handle(_ raw: RawScan) -> ScanAnswer {
        let now = WallClock.now()
        let scanID = ids.next(milliseconds: UInt64(now.milliseconds))
        var logger = self.logger
        logger[metadataKey: "scan_id"] = .string(scanID)

        var kind: String?
        var symbology = raw.symbology?.rawValue
        var result = ScanResult.accepted
        var failure: ScanAnswer.Failure?
        var decoded: DecodedScan?
        switch PayloadHygiene.check(raw.bytes, totalLength: raw.totalLength) {
        case .failure(let error):
            result = .rejected
            failure = .init(code: error.code.rawValue, message: error.message, offset: error.offset)
        case .success(let payload):
            let classified = classifier.classify(payload, symbology: raw.symbology, referenceDate: now.date)
            decoded = classified
            kind = classified.kind.rawValue
            symbology = classified.symbology?.rawValue
            if let error = classified.error {
                result = .rejected
                failure = .init(code: error.code.rawValue, message: error.message, offset: error.offset)
            }
        }
        let prompt = Prompts.afterLogScan(result: result, language: language)
        // The record keeps what was received, minus the CR that hygiene strips.
        var received = raw.bytes[...]
        var receivedLength = raw.totalLength
        if received.last == 0x0D, receivedLength == received.count {
            received = received.dropLast()
            receivedLength -= 1
        }
        let input = Array(received.prefix(PayloadHygiene.maximumLength))
        // Command barcodes work in every mode: CMD-MODE-x takes a log station into the
        // workflows (the other log scans stay on the plain recording path).
        if workflow == nil, let decoded, decoded.kind == .command, decoded.command?.name == "mode" {
            workflow = Self.makeWorkflow(name: name, mode: mode, configuration: configuration, language: language, store: store)
        }
        if var workflow, let decoded {
            // The workflow decides, commits the scan with its effects, then answers.
            let base = ScanLogEntry(
                scanID: scanID, station: name, source: raw.source, input: input, inputLength: receivedLength,
                symbology: symbology, kind: kind, result: .accepted, errorCode: nil, errorMessage: nil, prompt: "",
                receivedAt: now.milliseconds)
            let answer = workflow.handle(decoded, entry: base, now: now, scanID: scanID, logger: logger)
            self.workflow = workflow
            logger.info("scan handled", metadata: [
                "seq": "\(answer.seq.map(String.init) ?? "-")", "result": "\(answer.result.rawValue)",
                "movements": "\(answer.movements.count)", "code": "\(answer.failure?.code ?? "-")",
            ])
            return ScanAnswer(
                seq: answer.seq, scanID: scanID, station: name, input: input, symbology: symbology, result: answer.result,
                prompt: answer.prompt, movements: answer.movements, error: answer.failure)
        }
        let entry = ScanLogEntry(
            scanID: scanID, station: name, source: raw.source, input: input, inputLength: receivedLength,
            symbology: symbology, kind: kind, result: result, errorCode: failure?.code,
            errorMessage: failure?.message, prompt: prompt, receivedAt: now.milliseconds)
        do {
            let seq = try store.record(entry)
            if let failure {
                logger.notice("scan rejected", metadata: ["seq": "\(seq)", "source": "\(raw.source)", "code": "\(failure.code)", "reason": "\(failure.message)"])
            } else {
                logger.info("scan accepted", metadata: ["seq": "\(seq)", "source": "\(raw.source)", "kind": "\(kind ?? "-")"])
            }
            return ScanAnswer(seq: seq, scanID: scanID, station: name, input: input, symbology: symbology, result: result, prompt: prompt, movements: [], error: failure)
        } catch {
            stopIfCommitUncertain(error, logger: logger)
            // Not recorded: the worker must scan again; nothing was half-written.
            logger.error("scan not recorded", metadata: ["source": "\(raw.source)", "code": "\(error.code.rawValue)", "reason": "\(error.message)"])
            return ScanAnswer(
                seq: nil, scanID: scanID, station: name, input: input, symbology: symbology, result: .rejected,
                prompt: Prompts.storeFailed(language: language), movements: [],
                error: .init(code: "store_" + error.code.rawValue, message: error.description, offset: nil))
        }
    }
}

/// A commit the store cannot settle (`commit_uncertain`): "recorded" and "not recorded"
/// could both be false, so the daemon stops without answering. systemd restarts it, and
/// opening the store settles the commit one way or the other.
func stopIfCommitUncertain(_ error: any Error, logger: Logger) {
    guard let ledgerError = error as? LedgerError, ledgerError.code == .commitUncertain else { return }
    logger.critical("store state unknown after a failed commit; stopping without an answer so that the restart settles it",
                    metadata: ["reason": "\(ledgerError.message)"])
    exit(74) // EX_IOERR
}

/// The wall clock, read only at the edge (pure code gets dates passed in).
struct WallClock {
    var milliseconds: Int64
    var date: CalendarDate

    static func now() -> WallClock {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let milliseconds = Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
        var seconds = time_t(spec.tv_sec)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return WallClock(
            milliseconds: milliseconds,
            date: CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)))
    }
}

/// Prompts of the log mode; the workflows bring their own message catalog.
enum Prompts {
    static func afterLogScan(result: ScanResult, language: PromptLanguage) -> String {
        switch (result, language) {
        case (.rejected, .en): "Not a valid label. Scan it again or scan another label."
        case (.rejected, .de): "Kein gültiges Etikett. Erneut oder ein anderes scannen."
        case (_, .en): "Recorded. Scan the next label."
        case (_, .de): "Erfasst. Nächstes Etikett scannen."
        }
    }

    static func storeFailed(language: PromptLanguage) -> String {
        switch language {
        case .en: "Not recorded: the station's storage failed. Call a supervisor, then scan again."
        case .de: "Nicht erfasst: Speicherfehler der Station. Vorgesetzten rufen, dann erneut scannen."
        }
    }
}
