import Ledger
import Logging
import Workflows
public import ScanCodes

extension StationSession {
    /// What `scanstation status` shows for this station.
    public func status(sources: [String]) -> DaemonStatus.Station {
        DaemonStatus.Station(
            name: name, mode: workflow?.state.mode.rawValue ?? mode.rawValue, operator: workflow?.operatorBadge, sources: sources,
            scans: (try? store.lastScanSequence(station: name)) ?? 0,
            lastScanAt: try? store.lastScanTime(station: name))
    }

    /// Applies what a reload may change while the station runs.
    public func apply(scheme: LabelScheme, language: PromptLanguage, station: StationConfiguration?) {
        classifier = ScanClassifier(scheme: scheme)
        self.language = language
        if let station { configuration = station }
        if let station, var workflow {
            workflow.update(configuration: station, language: language)
            self.workflow = workflow
        }
    }

    /// The idle logout between scans (`idle_logout_minutes`): the daemon's timer calls this;
    /// a scan after the idle time logs out as well, before it is handled.
    /// Returns the badge logged out, nil when nothing changed.
    @discardableResult
    public func logoutIfIdle() -> String? {
        guard var workflow, workflow.settings.idleLogoutSeconds != nil else { return nil }
        do {
            guard let badge = try workflow.logoutIfIdle(now: WallClock.now()) else { return nil }
            self.workflow = workflow
            logger.info("operator logged out after idle time", metadata: ["station": "\(name)", "operator": "\(badge)"])
            return badge
        } catch {
            logger.error("idle logout not stored", metadata: ["station": "\(name)", "reason": "\(error)"])
            return nil
        }
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
