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
    let shared: Shared
    private let stopped = DispatchSemaphore(value: 0)

    /// - Parameter events: told when a scanner is taken and when one is lost (unplugged or
    ///   failed), for /metrics.
    public init(configuration: USBScannerConfiguration = USBScannerConfiguration(), events: DeviceEvents? = nil, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.shared = Shared(events: events)
    }

    /// Feeds every scanner the rules take into `channel` (all stations' devices, for a
    /// single-station daemon or `scanstation devices watch`).
    public func start(into channel: ScanChannel) {
        register(channel, station: nil)
    }

    /// The scanners of one station (rules naming it, and rules naming none when no
    /// catch-all channel is registered), as a source of their own. All stations share the
    /// manager's one device thread.
    public func source(station: String) -> USBStationSource {
        USBStationSource(manager: self, station: station)
    }

    func register(_ channel: ScanChannel, station: String?) {
        // A station that stops wakes the device thread, which then releases the scanners
        // (or ends, when no station reads USB any more) without waiting out its poll.
        channel.onCancel { [shared] in shared.wakeNow() }
        guard shared.register(channel, station: station) else { return }
        let configuration = self.configuration
        let logger = self.logger
        let shared = self.shared
        let stopped = self.stopped
        let thread = Thread {
            do {
                let loop = try USBEventLoop(configuration: configuration, logger: logger, shared: shared)
                loop.run()
            } catch {
                logger.error("cannot start libusb; USB scanners are not read", metadata: ["error": "\(error)"])
                // Stay a source that never ends on its own, as when no scanner is plugged in.
                while !shared.allChannelsCancelled { usleep(200_000) }
            }
            shared.finishChannels()
            stopped.signal()
        }
        thread.name = "scanstation-usb"
        thread.start()
    }

    /// Waits until the device thread has given every device back after the channel was
    /// cancelled; false on timeout.
    @discardableResult
    public func waitUntilStopped(timeoutSeconds: Double) -> Bool {
        guard stopped.wait(timeout: .now() + timeoutSeconds) == .success else { return false }
        stopped.signal() // for the other stations' sources waiting on the same thread
        return true
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
            /// Channels by station; "" is the catch-all of `start(into:)`.
            var channels: [String: ScanChannel] = [:]
            var registrationsChanged = false
            var started = false
        }
        private let state = Mutex(State())
        let events: DeviceEvents?

        init(events: DeviceEvents?) {
            self.events = events
        }

        /// Adds a station's channel; true when the device thread must be started.
        func register(_ channel: ScanChannel, station: String?) -> Bool {
            state.withLock { state in
                state.channels[station ?? ""] = channel
                state.registrationsChanged = true
                state.wake?()
                defer { state.started = true }
                return !state.started
            }
        }

        /// The channel for a rule's station: its own, else the catch-all; a rule naming no
        /// station goes to the catch-all, or to the only station reading.
        func channel(forStation station: String?) -> ScanChannel? {
            state.withLock { state in
                if let station, let channel = state.channels[station] { return channel }
                if let channel = state.channels[""] { return channel }
                return station == nil && state.channels.count == 1 ? state.channels.values.first : nil
            }
        }

        func takeRegistrationsChanged() -> Bool {
            state.withLock { state in
                defer { state.registrationsChanged = false }
                return state.registrationsChanged
            }
        }

        var allChannelsCancelled: Bool {
            let channels = state.withLock { Array($0.channels.values) }
            return channels.allSatisfy(\.isCancelled)
        }

        func finishChannels() {
            let channels = state.withLock { Array($0.channels.values) }
            channels.forEach { $0.finish() }
        }

        func enqueue(_ signal: ScanSignal, source: String) {
            // Woken under the lock, so the context cannot be freed meanwhile (setWake(nil) waits).
            state.withLock { state in
                state.signals.append((signal, source))
                if state.signals.count > 64 { state.signals.removeFirst(state.signals.count - 64) }
                state.wake?()
            }
        }

        func takeSignals() -> [(ScanSignal, String)] {
            state.withLock { state in
                defer { state.signals = [] }
                return state.signals
            }
        }

        /// Interrupts the device thread's wait for events.
        func wakeNow() {
            state.withLock { state in state.wake?() }
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

/// One station's share of the USB scanners (`USBScannerManager.source(station:)`).
public struct USBStationSource: ScanSource {
    public let name = "usb"
    let manager: USBScannerManager
    public let station: String

    public func start(into channel: ScanChannel) {
        manager.register(channel, station: station)
    }

    /// The device thread is shared: it lets go once every station's channel is cancelled.
    public func waitUntilReleased(timeoutSeconds: Double) -> Bool {
        manager.waitUntilStopped(timeoutSeconds: timeoutSeconds)
    }
}
