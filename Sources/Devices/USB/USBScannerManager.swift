import Foundation
public import Logging
import Synchronization

/// The USB side of the station's scanners: finds them (at start and on hotplug, or by
/// rescanning where hotplug is unavailable), takes those the configuration's rules match,
/// and turns their HID reports into `RawScan`s (source `usb:BUS-PORTS`).
///
/// All libusb work happens on one thread of its own (`scanstation-usb`), never on the
/// Swift concurrency pool. The source does not end when scanners go away: unplugged devices
/// end their own stream and replugged ones are taken again. It ends when the channel is
/// cancelled, releasing every device and giving interfaces back to their kernel drivers.
public final class USBScannerManager: ScanSource, Sendable {
    public let name = "usb"
    let configuration: USBScannerConfiguration
    let logger: Logger
    let shared = Shared()
    private let stopped = DispatchSemaphore(value: 0)

    public init(configuration: USBScannerConfiguration = USBScannerConfiguration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func start(into channel: ScanChannel) {
        let configuration = self.configuration
        let logger = self.logger
        let shared = self.shared
        let stopped = self.stopped
        let thread = Thread {
            do {
                let loop = try USBEventLoop(configuration: configuration, logger: logger, channel: channel, shared: shared)
                loop.run()
            } catch {
                logger.error("cannot start libusb; USB scanners are not read", metadata: ["error": "\(error)"])
                // Stay a source that never ends on its own, as when no scanner is plugged in.
                while !channel.isCancelled { usleep(200_000) }
            }
            channel.finish()
            stopped.signal()
        }
        thread.name = "scanstation-usb"
        thread.start()
    }

    /// Waits until the device thread has given every device back after the channel was
    /// cancelled; false on timeout.
    @discardableResult
    public func waitUntilStopped(timeoutSeconds: Double) -> Bool {
        stopped.wait(timeout: .now() + timeoutSeconds) == .success
    }

    /// Shows a good or bad read on the scanner a scan came from (its `RawScan.source`),
    /// when its HID POS output reports have a beeper or LED. Returns at once; the device
    /// thread sends the report.
    public func signal(_ signal: ScanSignal, on source: String) {
        shared.enqueue(signal, source: source)
    }

    /// The scanners read now, by source name.
    public var attachedScanners: [String: ScannerKind] {
        shared.attached
    }

    /// What other threads may touch: queued signals, the list of scanners, and a way to wake
    /// the device thread.
    final class Shared: Sendable {
        private struct State {
            var signals: [(ScanSignal, String)] = []
            var attached: [String: ScannerKind] = [:]
            var wake: (@Sendable () -> Void)?
        }
        private let state = Mutex(State())

        func enqueue(_ signal: ScanSignal, source: String) {
            let wake = state.withLock { state in
                state.signals.append((signal, source))
                if state.signals.count > 64 { state.signals.removeFirst(state.signals.count - 64) }
                return state.wake
            }
            wake?()
        }

        func takeSignals() -> [(ScanSignal, String)] {
            state.withLock { state in
                defer { state.signals = [] }
                return state.signals
            }
        }

        func setWake(_ wake: (@Sendable () -> Void)?) {
            state.withLock { $0.wake = wake }
        }

        func setAttached(_ scanners: [(String, ScannerKind)]) {
            state.withLock { $0.attached = Dictionary(scanners, uniquingKeysWith: { first, _ in first }) }
        }

        var attached: [String: ScannerKind] { state.withLock { $0.attached } }
    }
}
