import Devices
import Foundation
import Testing

/// The manager as a `ScanSource`, in-process: it never ends on its own, and ends (giving
/// everything back) when its channel is cancelled. Its rule matches no device, so a real
/// bus is left alone; the libusb path itself is tested under umockdev.
@Suite struct USBScannerManagerTests {
    @Test func runsUntilTheChannelIsCancelledThenFinishesIt() async throws {
        let log = CollectedLog()
        let nothing = USBScannerConfiguration(rules: [USBScannerRule(match: .ids(vendor: 0xFFFF, product: 0xFFFF))])
        let manager = USBScannerManager(configuration: nothing, logger: log.logger)
        let channel = ScanChannel()
        manager.start(into: channel)
        #expect(waitFor { log.contains("USB scanner manager started") || log.contains("cannot start libusb") })
        // No scanner: the source stays open rather than ending.
        #expect(manager.waitUntilStopped(timeoutSeconds: 1) == false)
        // Cancelling wakes the device thread: it stops at once, not after its 500 ms poll
        // (a daemon piped one scan would otherwise linger half a second before exiting).
        let cancelled = MonotonicClock.nanoseconds()
        channel.cancel()
        #expect(manager.waitUntilStopped(timeoutSeconds: 3))
        #expect(MonotonicClock.nanoseconds() - cancelled < 300_000_000)
        var iterator = channel.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(manager.attachedScanners.isEmpty)
    }

    @Test func aSignalForAScannerThatIsNotAttachedIsDroppedQuietly() async throws {
        let log = CollectedLog()
        let nothing = USBScannerConfiguration(rules: [USBScannerRule(match: .ids(vendor: 0xFFFF, product: 0xFFFF))])
        let manager = USBScannerManager(configuration: nothing, logger: log.logger)
        let channel = ScanChannel()
        manager.start(into: channel)
        #expect(waitFor { log.contains("USB scanner manager started") })
        manager.signal(.goodRead, on: "usb:9-9")
        // The device thread is woken for it (it would otherwise sleep up to 500 ms) and drops it.
        #expect(waitFor({ log.contains("signal for a scanner that is not attached") }, seconds: 2))
        channel.cancel()
        #expect(manager.waitUntilStopped(timeoutSeconds: 3))
    }
}
