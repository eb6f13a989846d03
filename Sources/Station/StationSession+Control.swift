import Ledger
public import ScanCodes

extension StationSession {
    /// What `scanstation status` shows for this station.
    public func status(sources: [String]) -> DaemonStatus.Station {
        DaemonStatus.Station(
            name: name, mode: mode.rawValue, operator: workflow?.operatorBadge, sources: sources,
            scans: (try? store.lastScanSequence(station: name)) ?? 0,
            lastScanAt: try? store.lastScanTime(station: name))
    }

    /// Applies what a reload may change while the station runs.
    public func apply(scheme: LabelScheme, language: PromptLanguage) {
        classifier = ScanClassifier(scheme: scheme)
        self.language = language
    }

    /// `scanstation logout STATION`: ends the operator's session.
    public func logout() -> String {
        guard var workflow else { return "no operator is logged in at \(name)" }
        do {
            guard let badge = try workflow.logout(now: WallClock.now()) else { return "no operator is logged in at \(name)" }
            self.workflow = workflow
            return "logged out \(badge) at \(name)"
        } catch {
            return "could not log out at \(name): \(error)"
        }
    }
}
