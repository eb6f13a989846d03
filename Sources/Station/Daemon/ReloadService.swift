public import Logging
public import ServiceLifecycle
import UnixSignals

/// Reloads the config on SIGHUP (`systemctl reload scanstation`).
public struct ReloadService: Service {
    let controller: DaemonController
    let logger: Logger

    public init(controller: DaemonController, logger: Logger) {
        self.controller = controller
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            let outcome = await controller.reload()
            logger.notice("SIGHUP", metadata: ["result": "\(outcome.message)"])
        }
    }
}
