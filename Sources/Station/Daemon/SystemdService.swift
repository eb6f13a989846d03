import Devices
public import Logging
public import ServiceLifecycle

/// The daemon's conversation with systemd: READY=1 once it runs (the store is open and the
/// stations have started), WATCHDOG=1 at half systemd's interval while every station makes
/// progress, STOPPING=1 when the graceful shutdown begins.
public struct SystemdService: Service {
    let notifier: SystemdNotifier
    let health: StationHealth
    let readyStatus: String
    let logger: Logger

    public init(notifier: SystemdNotifier, health: StationHealth, readyStatus: String, logger: Logger) {
        self.notifier = notifier
        self.health = health
        self.readyStatus = readyStatus
        self.logger = logger
    }

    public func run() async throws {
        notifier.ready(status: readyStatus)
        if let interval = notifier.watchdogInterval {
            let (seconds, attoseconds) = interval.components
            let limit = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
            var reported = false
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let stuck = health.stuckStations(atNanoseconds: MonotonicClock.nanoseconds(), limit: limit / 2)
                if stuck.isEmpty {
                    notifier.watchdog()
                    reported = false
                } else if !reported {
                    reported = true
                    logger.critical("station stuck on a scan; withholding the watchdog so systemd restarts the service",
                                    metadata: ["stations": "\(stuck.joined(separator: ","))"])
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval / 2) }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.stopping(status: "Stopping: finishing the scan in hand and closing the store")
    }
}
