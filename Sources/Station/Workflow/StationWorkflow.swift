import Foundation
import Ledger
import Logging
import ScanCodes
import Workflows

/// A station's workflow session over its store: steps a decoded scan, commits the scan
/// with its effects and the session snapshot in one transaction, and only then advances.
struct StationWorkflow {
    private(set) var settings: StationSettings
    let store: LedgerStore
    private(set) var state: WorkflowState
    /// The JSON of the undo entries the last stored snapshot wrote.
    private var snapshotCache = SnapshotEncodingCache()

    init(configuration: StationConfiguration, language: PromptLanguage, store: LedgerStore) {
        self.init(settings: StationSettings(configuration: configuration, language: language), store: store)
    }

    /// A reloaded config's policies, locations, modes, login rules and SSCC range; the
    /// starting mode stays (a new one takes a restart).
    mutating func update(configuration: StationConfiguration, language: PromptLanguage) {
        var fresh = configuration
        fresh.mode = StationMode(rawValue: settings.mode.rawValue) ?? configuration.mode
        settings = StationSettings(configuration: fresh, language: language)
    }

    /// Resumes the session the store holds for the station, or starts afresh.
    init(settings: StationSettings, store: LedgerStore) {
        self.settings = settings
        self.store = store
        let restored = try? store.withView { view -> WorkflowState? in
            guard let saved = try view.session(station: settings.name), let bytes = saved.state else { return nil }
            return SessionSnapshot.restore(Data(bytes), settings: settings, catalog: LedgerCatalog(view: view))
        }
        if var restored = restored ?? nil {
            // A new starting mode (config or --mode) wins at once: the station does what it was
            // started to do. Work left open in another mode is set aside, not lost: what it
            // booked stays booked, its document stays open in the store (scanning it again in
            // its mode takes it up), and its claim is let go for other stations. Started as
            // before, the station goes on where it was, in the mode CMD-MODE-x chose.
            if restored.startMode != settings.mode {
                if restored.mode != settings.mode {
                    if let document = restored.task.document {
                        setAside = (restored.mode.rawValue, document.number, nil)
                    }
                    restored.mode = settings.mode
                    restored.task = .none
                    restored.undo = []
                    restored.pendingQuantity = nil
                    restored.lastPrompt = nil
                }
                restored.startMode = settings.mode
            }
            state = restored
            if setAside != nil { releaseSetAsideWork() }
        } else {
            state = WorkflowState(settings: settings)
        }
    }

    /// Whether the session is in a workflow mode (a log station switched by CMD-MODE-x).
    var leftLogMode: Bool { state.mode != .log }

    /// The work a restart in a new starting mode set aside (see `init`), for the start's log,
    /// with why its claim could not be let go, if it could not.
    private(set) var setAside: (mode: String, document: String, releaseFailure: String?)?

    /// Lets go of what the set-aside work held and stores the session as it now is.
    private mutating func releaseSetAsideWork() {
        let station = settings.name
        let state = self.state
        do {
            try store.write(station: station, time: Int64(Date().timeIntervalSince1970 * 1000)) { transaction in
                try transaction.releaseEverythingHeld()
                let snapshot = try SessionSnapshot(station: station, state: state).encoded()
                try transaction.saveSession(mode: state.mode.rawValue, operatorBadge: state.operatorBadge, state: Array(snapshot))
            }
        } catch {
            setAside?.releaseFailure = "\(error)"
        }
    }

    struct Answer {
        var seq: Int64?
        var result: ScanResult
        var prompt: String
        var movements: [String]
        var failure: ScanAnswer.Failure?
    }

    /// One scan through the workflow. `entry` is the scan-log row to write (its result,
    /// prompt and error are filled in here). The step reads the store and its effects are
    /// written in one write transaction, so what it decided on is what it commits onto.
    mutating func handle(_ decoded: DecodedScan, entry: ScanLogEntry, now: WallClock, scanID: String, logger: Logger) -> Answer {
        let seed = IdentifierSeed(uuid: scanID) ?? .sequential(milliseconds: now.milliseconds, counter: 0)
        let context = StepContext(now: now.milliseconds, today: now.date, ids: seed, settings: settings)
        let station = settings.name
        let language = settings.language
        let before = state
        // What the step decided; kept outside the transaction so a failed commit can still
        // log the scan with its prompt.
        var decided: (row: ScanLogEntry, next: WorkflowState, failure: ScanAnswer.Failure?)?
        var labels: [LabelRequest] = []
        var cache = snapshotCache
        defer { snapshotCache = cache }
        do {
            let commit = try store.commitScan(id: entry.scanID, station: entry.station, time: entry.receivedAt, operatorBadge: before.operatorBadge) { transaction in
                let catalog = LedgerCatalog(view: transaction.view)
                let (next, outcome) = Workflow.step(before, scan: decoded, catalog: catalog, context: context)
                if let error = catalog.readFailure.error { throw error }
                let prompt = outcome.prompt.text(in: language)
                var row = entry
                row.prompt = prompt
                row.operatorBadge = next.operatorBadge ?? before.operatorBadge
                var advanced = next
                let failure: ScanAnswer.Failure?
                switch outcome.feedback {
                case .error:
                    if let unreadable = decoded.error, outcome.rejection?.code == "invalid_label" {
                        // A label that does not decode: say why, as log mode does (a check
                        // digit, an unknown AI), not just that the workflow refused it.
                        failure = ScanAnswer.Failure(code: unreadable.code.rawValue, message: unreadable.message, offset: unreadable.offset)
                    } else {
                        failure = ScanAnswer.Failure(code: outcome.rejection?.code ?? "rejected", message: prompt, offset: nil)
                    }
                    row.result = .rejected
                case .ok, .warning:
                    failure = outcome.feedback == .warning
                        ? ScanAnswer.Failure(code: outcome.rejection?.code ?? "warning", message: prompt, offset: nil) : nil
                    row.result = outcome.feedback == .ok ? .accepted : .warning
                }
                row.errorCode = failure?.code
                row.errorMessage = failure?.message
                decided = (row, next, failure)
                // A refused scan changes no stock (its outcome carries no effects), but the
                // activity time (idle logout) moves on.
                if outcome.feedback != .error {
                    labels = outcome.labels
                    let stored = try transaction.apply(outcome, station: station)
                    var renamed: [String: String] = [:]
                    for (planned, written) in zip(outcome.movements, stored) { renamed[planned.id] = written.id }
                    advanced.renameMovements(renamed)
                }
                let snapshot = try SessionSnapshot(station: station, state: advanced).encoded(reusing: &cache)
                try transaction.saveSession(mode: advanced.mode.rawValue, operatorBadge: advanced.operatorBadge, state: Array(snapshot))
                decided = (row, advanced, failure)
                return row
            }
            guard let decided else {
                return storeFailed(entry: entry, error: "the step was not decided", logger: logger)
            }
            state = decided.next
            for label in labels {
                // No printer is set up yet: the request is logged (with the scan's id) so the
                // label can be printed by hand from its data.
                logger.notice("label to print; no label printer is set up", metadata: [
                    "label": "\(label.kind.rawValue)", "data": "\(label.data)", "text": "\(label.lines.joined(separator: " / "))",
                ])
            }
            return Answer(seq: commit.seq, result: decided.row.result, prompt: decided.row.prompt, movements: commit.movements.map(\.id), failure: decided.failure)
        } catch {
            stopIfCommitUncertain(error, logger: logger)
            return storeFailed(entry: decided?.row ?? entry, error: "\(error)", logger: logger)
        }
    }

    var operatorBadge: String? { state.operatorBadge }

    /// Logs the operator out from outside (the control socket) and stores the session.
    /// Returns the badge that was logged out, nil when nobody was logged in.
    mutating func logout(now: WallClock) throws -> String? {
        guard let badge = state.operatorBadge else { return nil }
        var next = state
        next.operatorBadge = nil
        next.pendingQuantity = nil
        next.lastPrompt = Prompt([PromptMessage(.loggedOut), PromptMessage(.scanBadge)])
        let snapshot = try SessionSnapshot(station: settings.name, state: next).encoded()
        try store.write(station: settings.name, time: now.milliseconds) { transaction in
            try transaction.saveSession(mode: next.mode.rawValue, operatorBadge: nil, state: Array(snapshot))
        }
        state = next
        return badge
    }

    /// The station's idle logout between scans: when the operator's idle time has passed,
    /// logs them out and stores the session (so the display, `status` and a restart agree).
    /// Returns the badge logged out, nil when nothing changed.
    mutating func logoutIfIdle(now: WallClock) throws -> String? {
        let context = StepContext(now: now.milliseconds, today: now.date, ids: .sequential(milliseconds: now.milliseconds, counter: 0), settings: settings)
        guard let badge = state.operatorBadge, let (next, _) = Workflow.idleCheck(state, context: context) else { return nil }
        let snapshot = try SessionSnapshot(station: settings.name, state: next).encoded()
        try store.write(station: settings.name, time: now.milliseconds) { transaction in
            try transaction.saveSession(mode: next.mode.rawValue, operatorBadge: nil, state: Array(snapshot))
        }
        state = next
        return badge
    }

    /// The effects could not be written: the scan is recorded as rejected (when the store
    /// still takes that) and the session stays where it was.
    func storeFailed(entry: ScanLogEntry, error: String, logger: Logger) -> Answer {
        let prompt = settings.language == .de
            ? "Nicht gebucht: \(error). Vorgesetzten rufen, dann erneut scannen."
            : "Not booked: \(error). Call a supervisor, then scan again."
        let failure = ScanAnswer.Failure(code: "store_failed", message: error, offset: nil)
        var rejected = entry
        rejected.result = .rejected
        rejected.errorCode = failure.code
        rejected.errorMessage = error
        rejected.prompt = prompt
        logger.error("workflow effects not committed", metadata: ["reason": "\(error)"])
        var seq: Int64?
        do {
            seq = try store.record(rejected)
        } catch {
            stopIfCommitUncertain(error, logger: logger)
        }
        return Answer(seq: seq, result: .rejected, prompt: prompt, movements: [], failure: failure)
    }
}

extension StationSettings {
    /// The workflow settings of a configured station (CONTRACTS.md `[[station]]`).
    init(configuration station: StationConfiguration, language: PromptLanguage) {
        func policy(_ action: PolicyAction) -> Workflows.PolicyAction {
            Workflows.PolicyAction(rawValue: action.rawValue) ?? .reject
        }
        let range = station.ssccSerialRange.flatMap { range -> ClosedRange<UInt64>? in
            guard range.lowerBound >= 0 else { return nil }
            return UInt64(range.lowerBound)...UInt64(range.upperBound)
        }
        self.init(
            name: station.name, mode: WorkflowMode(rawValue: station.mode.rawValue) ?? .log,
            // No `modes` in the config (or no config): CMD-MODE-x may switch to any mode.
            modes: station.modes.isEmpty ? Array(WorkflowMode.allCases) : station.modes.compactMap { WorkflowMode(rawValue: $0.rawValue) },
            language: Workflows.PromptLanguage(rawValue: language.rawValue) ?? .en,
            requireLogin: station.requireLogin, idleLogoutSeconds: station.idleLogoutMinutes.map { $0 * 60 },
            receiveTo: station.receiveTo, stageTo: station.stageTo, packAt: station.packAt,
            ssccCompanyPrefix: station.ssccCompanyPrefix, ssccSerialRange: range,
            policies: WorkflowPolicies(
                unknownProduct: policy(station.unknownProduct), overReceipt: policy(station.overReceipt),
                expired: policy(station.expired), overPick: policy(station.overPick), overPack: policy(station.overPack),
                allowNegativeStock: station.allowNegativeStock,
                blindReceiving: station.blindReceiving))
    }
}
