import Ledger
public import ScanCodes

extension StationSession {
    /// What `scanstation status` shows for this station.
    public func status(sources: [String]) -> DaemonStatus.Station {
        DaemonStatus.Station(
            name: name, mode: mode.rawValue, operator: nil, sources: sources,
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
        "no operator is logged in at \(name)"
    }
}
