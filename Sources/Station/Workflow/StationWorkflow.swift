import Foundation
import Ledger
import Logging
import ScanCodes
import Workflows

/// A station's workflow session over its store: steps a decoded scan, commits the scan
/// with its effects and the session snapshot in one transaction, and only then advances.
struct StationWorkflow {
    private(set) var settings: StationSettings
    let catalog: LedgerCatalog
    private(set) var state: WorkflowState

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
        self.catalog = LedgerCatalog(store: store)
        if let saved = (try? store.session(station: settings.name)) ?? nil, let bytes = saved.state {
            var restored = SessionSnapshot.restore(Data(bytes), settings: settings, catalog: catalog)
            // The mode the daemon was started in wins unless work in another mode is still open.
            if restored.mode != settings.mode, restored.task == .none {
                restored.mode = settings.mode
                restored.undo = []
                restored.pendingQuantity = nil
            }
            state = restored
        } else {
            state = WorkflowState(settings: settings)
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
    /// prompt and error are filled in here).
    mutating func handle(_ decoded: DecodedScan, entry: ScanLogEntry, now: WallClock, scanID: String, logger: Logger) -> Answer {
        let seed = IdentifierSeed(uuid: scanID) ?? .sequential(milliseconds: now.milliseconds, counter: 0)
        let context = StepContext(now: now.milliseconds, today: now.date, ids: seed, settings: settings)
        let (next, outcome) = Workflow.step(state, scan: decoded, catalog: catalog, context: context)
        let prompt = outcome.prompt.text(in: settings.language)
        var entry = entry
        entry.prompt = prompt
        entry.operatorBadge = next.operatorBadge ?? state.operatorBadge
        switch outcome.feedback {
        case .error:
            let failure = ScanAnswer.Failure(code: outcome.rejection?.code ?? "rejected", message: prompt, offset: decoded.error?.offset)
            entry.result = .rejected
            entry.errorCode = failure.code
            entry.errorMessage = failure.message
            // A refused scan changes no stock, but the activity time (idle logout) moves on.
            let refused = next
            do {
                let snapshot = try SessionSnapshot(station: settings.name, state: refused).encoded()
                let commit = try catalog.store.commit(scan: entry) { transaction in
                    try transaction.saveSession(mode: refused.mode.rawValue, operatorBadge: refused.operatorBadge, state: Array(snapshot))
                }
                state = refused
                return Answer(seq: commit.seq, result: .rejected, prompt: prompt, movements: [], failure: failure)
            } catch {
                return storeFailed(entry: entry, error: "\(error)", logger: logger)
            }
        case .ok, .warning:
            entry.result = outcome.feedback == .ok ? .accepted : .warning
            let failure = outcome.feedback == .warning
                ? ScanAnswer.Failure(code: outcome.rejection?.code ?? "warning", message: prompt, offset: nil) : nil
            entry.errorCode = failure?.code
            entry.errorMessage = failure?.message
            var advanced = next
            do {
                let station = settings.name
                let commit = try catalog.store.commit(scan: entry) { transaction in
                    let stored = try transaction.apply(outcome, station: station)
                    var renamed: [String: String] = [:]
                    for (planned, written) in zip(outcome.movements, stored) { renamed[planned.id] = written.id }
                    advanced.renameMovements(renamed)
                    let snapshot = try SessionSnapshot(station: station, state: advanced).encoded()
                    try transaction.saveSession(mode: advanced.mode.rawValue, operatorBadge: advanced.operatorBadge, state: Array(snapshot))
                }
                state = advanced
                return Answer(seq: commit.seq, result: entry.result, prompt: prompt, movements: commit.movements.map(\.id), failure: failure)
            } catch {
                return storeFailed(entry: entry, error: "\(error)", logger: logger)
            }
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
        try catalog.store.write(station: settings.name, time: now.milliseconds) { transaction in
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
        let seq = try? catalog.store.record(rejected)
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
                expired: policy(station.expired), allowNegativeStock: station.allowNegativeStock))
    }
}
