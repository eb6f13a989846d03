internal import CLibUSB
import Foundation
import Logging
import ScanCodes

/// The device thread's state: one libusb context, its hotplug callback, the claimed
/// scanners and their transfers. Everything here runs on that one thread (libusb calls the
/// hotplug and transfer callbacks from `libusb_handle_events` on it), so nothing needs a
/// lock except what `USBScannerManager.Shared` holds for other threads.
final class USBEventLoop {
    /// A device that failed; tried again at `retryAtMilliseconds`.
    private struct Waiting {
        var device: OpaquePointer
        var description: USBDeviceDescription
        var retryAtMilliseconds: UInt64
    }

    private let configuration: USBScannerConfiguration
    private let logger: Logger
    private let shared: USBScannerManager.Shared
    private let context: USBContext
    private var hotplugHandle: libusb_hotplug_callback_handle = 0
    private var hotplugRegistered = false
    private var arrivals: [OpaquePointer] = []
    /// Devices just announced by hotplug, taken after `arrivalSettleMilliseconds`: udev sets
    /// the node's group and mode only after the kernel announces it, so an immediate open
    /// can fail with "permission denied" although the rule is installed.
    private var settling: [(device: OpaquePointer, dueMilliseconds: UInt64)] = []
    static let arrivalSettleMilliseconds: UInt64 = 250
    private var departures: [OpaquePointer] = []
    private var scanners: [ClaimedScanner] = []
    private var waiting: [Waiting] = []
    /// Devices on the bus at the last rescan (referenced), where there is no hotplug.
    private var present: [UInt: OpaquePointer] = [:]
    private var nextRescanMilliseconds: UInt64 = 0
    /// Failures in a row per device (`1-1.4 05e0:1200`), for the back-off.
    private var failures: [String: Int] = [:]
    private var stopping = false

    init(configuration: USBScannerConfiguration, logger: Logger, shared: USBScannerManager.Shared) throws(USBError) {
        self.configuration = configuration
        self.logger = logger
        self.shared = shared
        context = try USBContext()
    }

    static func nowMilliseconds() -> UInt64 { MonotonicClock.nanoseconds() / 1_000_000 }

    /// Runs until every registered channel is cancelled; then releases every device.
    func run() {
        let contextAddress = UInt(bitPattern: UnsafeRawPointer(context.pointer))
        shared.setWake {
            guard let pointer = OpaquePointer(bitPattern: contextAddress) else { return }
            libusb_interrupt_event_handler(pointer)
        }
        // The channels registered so far are served by the enumeration below.
        _ = shared.takeRegistrationsChanged()
        if context.hasHotplug && !configuration.alwaysRescan {
            let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
            let status = libusb_hotplug_register_callback(
                context.pointer, events, Int32(LIBUSB_HOTPLUG_ENUMERATE.rawValue),
                LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                usbEventLoopHotplug, Unmanaged.passUnretained(self).toOpaque(), &hotplugHandle)
            hotplugRegistered = status == 0
            if !hotplugRegistered {
                logger.warning("USB hotplug unavailable; rescanning the bus instead", metadata: ["error": "\(USBError(rawValue: status))"])
            }
        }
        logger.info("USB scanner manager started", metadata: ["hotplug": "\(hotplugRegistered)", "libusb": "\(SystemLibraries.libusbVersion)"])
        while !stopping {
            let now = Self.nowMilliseconds()
            if !hotplugRegistered && now >= nextRescanMilliseconds {
                rescan()
                nextRescanMilliseconds = now + UInt64(configuration.rescanIntervalSeconds * 1000)
            }
            handleDepartures()
            arrivals += settling.filter { $0.dueMilliseconds <= now }.map(\.device)
            settling.removeAll { $0.dueMilliseconds <= now }
            handleArrivals()
            retryWaiting(now: now)
            flushSilentScanners(now: Self.nowMilliseconds())
            sendSignals()
            sweep()
            if shared.allChannelsCancelled { break }
            if shared.takeRegistrationsChanged() { reconsiderPresentDevices() }
            var timeout = timeval(tv_sec: 0, tv_usec: waitMicroseconds(Self.nowMilliseconds()))
            _ = libusb_handle_events_timeout_completed(context.pointer, &timeout, nil)
        }
        shutdown()
    }

    /// How long the next wait may be (microseconds): until the next deadline, at most 500 ms
    /// so a cancelled channel is noticed even when nothing happens on the bus.
    private func waitMicroseconds(_ now: UInt64) -> Int {
        var deadline = now + 500
        for scanner in scanners {
            if let flush = scanner.interpreter.flushDeadline { deadline = min(deadline, flush) }
        }
        for entry in waiting { deadline = min(deadline, entry.retryAtMilliseconds) }
        for entry in settling { deadline = min(deadline, entry.dueMilliseconds) }
        if !hotplugRegistered { deadline = min(deadline, nextRescanMilliseconds) }
        return Int(max(1, deadline > now ? deadline - now : 1)) * 1000
    }

    // MARK: Hotplug (called inside libusb_handle_events; only queues, as libusb requires).

    fileprivate func hotplug(device: OpaquePointer, arrived: Bool) {
        libusb_ref_device(device)
        if arrived {
            settling.append((device, Self.nowMilliseconds() + Self.arrivalSettleMilliseconds))
        } else {
            departures.append(device)
        }
    }

    private func rescan() {
        var now: [UInt: OpaquePointer] = [:]
        for device in context.deviceList() {
            now[UInt(bitPattern: UnsafeRawPointer(device))] = device
        }
        for (key, device) in present {
            if now[key] == nil {
                departures.append(device) // takes over the reference `present` held
            } else {
                libusb_unref_device(device) // `now` holds its own
            }
        }
        for (key, device) in now {
            if present[key] == nil {
                libusb_ref_device(device)
                settling.append((device, Self.nowMilliseconds() + Self.arrivalSettleMilliseconds))
            }
        }
        present = now
    }

    private func handleDepartures() {
        let gone = departures
        departures = []
        for device in gone {
            defer { libusb_unref_device(device) }
            waiting.removeAll { entry in
                guard entry.device == device else { return false }
                libusb_unref_device(entry.device)
                return true
            }
            settling.removeAll { entry in
                guard entry.device == device else { return false }
                libusb_unref_device(entry.device)
                return true
            }
            for scanner in scanners where scanner.device == device {
                scanner.cancel()
                scanner.state = .gone
                failures[scanner.description.portPath + " " + scanner.description.idText] = nil
            }
        }
    }

    private func handleArrivals() {
        let new = arrivals
        arrivals = []
        var seen: Set<UInt> = []
        for device in new {
            defer { libusb_unref_device(device) }
            guard seen.insert(UInt(bitPattern: UnsafeRawPointer(device))).inserted,
                  !scanners.contains(where: { $0.device == device }),
                  !waiting.contains(where: { $0.device == device })
            else { continue }
            guard let description = USBDeviceDescription(device: device) else { continue }
            attach(device: device, description: description)
        }
    }

    /// A station started reading after the devices were announced: look at them again.
    private func reconsiderPresentDevices() {
        for device in context.deviceList() {
            if scanners.contains(where: { $0.device == device }) || waiting.contains(where: { $0.device == device }) {
                libusb_unref_device(device)
            } else {
                arrivals.append(device)
            }
        }
    }

    private func retryWaiting(now: UInt64) {
        let due = waiting.filter { $0.retryAtMilliseconds <= now }
        waiting.removeAll { $0.retryAtMilliseconds <= now }
        for entry in due {
            attach(device: entry.device, description: entry.description)
            libusb_unref_device(entry.device)
        }
    }

    // MARK: Taking a device.

    private func attach(device: OpaquePointer, description: USBDeviceDescription) {
        guard let (rule, needsDescriptor) = configuration.rule(for: description) else {
            logger.debug("USB device is not a scanner for this station", metadata: ["device": "\(description.label)"])
            return
        }
        guard let channel = shared.channel(forStation: rule.station), !channel.isCancelled else {
            logger.debug("USB scanner's station is not reading", metadata: ["device": "\(description.label)", "station": "\(rule.station ?? "")"])
            return
        }
        // Unknown vendors are taken only as HID POS scanners: their boot keyboards are never touched.
        // Non-boot HID interfaces first: on a composite scanner (keyboard + HID POS) the POS
        // interface carries the symbology and the beeper.
        let candidates = description.interfaces.filter {
            $0.isHID && $0.interruptInAddress != nil && !(needsDescriptor && $0.isBootKeyboard)
        }.sorted { !$0.isBootKeyboard && $1.isBootKeyboard }
        guard !candidates.isEmpty else {
            logger.debug("USB device has no HID interface a scanner would use", metadata: ["device": "\(description.label)"])
            return
        }
        var handlePointer: OpaquePointer?
        do {
            try USBError.check { libusb_open(device, &handlePointer) }
        } catch {
            if error == .accessDenied {
                let problem = ScannerDeviceError.permissionDenied(description)
                logger.error("\(problem.message)", metadata: ["device": "\(description.label)", "error": "\(problem.codeName)"])
            }
            fail(device: device, description: description, error: error)
            return
        }
        guard let handle = handlePointer else { return }
        var taken: ClaimedScanner?
        var lastError: USBError?
        for interface in candidates {
            do {
                taken = try claim(device: device, handle: handle, description: description, interface: interface,
                                  rule: rule, needsDescriptor: needsDescriptor)
            } catch {
                lastError = error
                if error == .busy {
                    let problem = ScannerDeviceError.busy(description, interface: interface.number)
                    logger.error("\(problem.message)", metadata: ["device": "\(description.label)", "error": "\(problem.codeName)"])
                }
            }
            if taken != nil { break }
        }
        guard let scanner = taken else {
            libusb_close(handle)
            if let lastError { fail(device: device, description: description, error: lastError) }
            return
        }
        scanner.channel = channel
        scanner.onReport = { [unowned self] scanner, report, completedAt in self.deliver(scanner: scanner, report: report, at: completedAt) }
        do {
            try scanner.submit()
        } catch {
            fail(device: device, description: description, error: error)
            return
        }
        scanners.append(scanner)
        shared.events?.connected(.usb)
        shared.setAttached(scanners.map { ($0.description.sourceName, $0.interpreter.kind) })
        logger.info("USB scanner attached", metadata: [
            "device": "\(description.label)", "source": "\(description.sourceName)", "kind": "\(scanner.interpreter.kind.rawValue)",
            "interface": "\(scanner.interfaceNumber)", "product": "\(description.product ?? "")", "serial": "\(description.serialNumber ?? "")",
        ])
    }

    /// Detaches the kernel driver if one is bound, claims the interface and reads its report
    /// descriptor; nil (interface given back) when it is not a scanner for this rule.
    private func claim(device: OpaquePointer, handle: OpaquePointer, description: USBDeviceDescription,
                       interface: USBDeviceDescription.Interface, rule: USBScannerRule, needsDescriptor: Bool) throws(USBError) -> ClaimedScanner? {
        let number = Int32(interface.number)
        // Only a definite 1 means a driver is bound; errors (as under emulation) mean none.
        let driverBound = libusb_kernel_driver_active(handle, number) == 1
        if driverBound && needsDescriptor {
            // Look before detaching: the kernel publishes the descriptor of a bound HID device.
            guard let bytes = Self.sysfsReportDescriptor(description: description, interface: interface.number),
                  ReportInterpreter.isBarcodeScanner(descriptor: bytes)
            else { return nil }
        }
        if driverBound {
            try USBError.check { libusb_detach_kernel_driver(handle, number) }
        }
        var keep = false
        defer {
            if !keep {
                libusb_release_interface(handle, number)
                if driverBound { libusb_attach_kernel_driver(handle, number) }
            }
        }
        do {
            try USBError.check { libusb_claim_interface(handle, number) }
        } catch {
            // A claim that fails right after a detach means someone else holds it.
            throw error == .other && driverBound ? .busy : error
        }
        let descriptor = try Self.readReportDescriptor(handle: handle, interface: interface)
        guard let interpreter = ReportInterpreter(descriptor: descriptor, rule: rule),
              !needsDescriptor || interpreter.kind == .hidPOS
        else {
            logger.debug("USB interface is not a scanner", metadata: ["device": "\(description.label)", "interface": "\(interface.number)"])
            return nil
        }
        if interpreter.kind == .keyboard {
            // SET_IDLE(0): report only on change (HID 1.11 7.2.4). Many devices stall it: harmless.
            _ = libusb_control_transfer(handle, 0x21, 0x0A, 0, UInt16(interface.number), nil, 0, 500)
        }
        guard let scanner = ClaimedScanner(description: description, device: device, handle: handle, interface: interface,
                                           kernelDriverDetached: driverBound, interpreter: interpreter)
        else { return nil }
        keep = true
        return scanner
    }

    /// GET_DESCRIPTOR(Report) to the interface (HID 1.11 7.1.1).
    static func readReportDescriptor(handle: OpaquePointer, interface: USBDeviceDescription.Interface) throws(USBError) -> [UInt8] {
        let length = Int(interface.reportDescriptorLength ?? 4096)
        var bytes = [UInt8](repeating: 0, count: max(1, length))
        let count = try USBError.check {
            libusb_control_transfer(handle, 0x81, 0x06, 0x2200, UInt16(interface.number), &bytes, UInt16(bytes.count), 1000)
        }
        return Array(bytes.prefix(Int(count)))
    }

    /// The report descriptor the kernel's HID driver publishes for a bound interface.
    static func sysfsReportDescriptor(description: USBDeviceDescription, interface: UInt8) -> [UInt8]? {
        let directory = "/sys/bus/usb/devices/\(description.portPath):1.\(interface)"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        for entry in entries.sorted() where entry.hasPrefix("0003:") {
            if let data = FileManager.default.contents(atPath: "\(directory)/\(entry)/report_descriptor"), !data.isEmpty {
                return Array(data)
            }
        }
        return nil
    }

    private func fail(device: OpaquePointer, description: USBDeviceDescription, error: USBError) {
        guard error != .noDevice else { return }
        let key = description.portPath + " " + description.idText
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        let delay = min(configuration.retryMaximumSeconds, configuration.retryInitialSeconds * pow(2, Double(min(count - 1, 20))))
        if error != .accessDenied && error != .busy {
            let problem = ScannerDeviceError.failed(description, error, retryInSeconds: delay)
            logger.error("\(problem.message)", metadata: ["device": "\(description.label)", "error": "\(problem.codeName)"])
        }
        logger.info("USB device backed off", metadata: ["device": "\(description.label)", "failures": "\(count)", "retry_seconds": "\(delay)"])
        libusb_ref_device(device)
        waiting.append(Waiting(device: device, description: description,
                               retryAtMilliseconds: Self.nowMilliseconds() + UInt64(delay * 1000)))
    }

    // MARK: Reports to scans.

    /// A scan is stamped with the completion time of the report that ended it.
    private func deliver(scanner: ClaimedScanner, report: [UInt8], at completedAt: UInt64) {
        failures[scanner.description.portPath + " " + scanner.description.idText] = nil
        let scans = scanner.interpreter.feed(report: report, atMilliseconds: completedAt / 1_000_000)
        send(scans, from: scanner, at: completedAt)
    }

    private func flushSilentScanners(now: UInt64) {
        for scanner in scanners {
            guard let deadline = scanner.interpreter.flushDeadline, deadline <= now else { continue }
            send(scanner.interpreter.flush(atMilliseconds: now), from: scanner, at: MonotonicClock.nanoseconds())
        }
    }

    private func send(_ scans: [InterpretedScan], from scanner: ClaimedScanner, at completedAt: UInt64) {
        for scan in scans {
            // Told, not dropped: a scanner whose prefix, suffix or layout does not match the
            // station's settings is for the admin to set right.
            for warning in scan.warnings {
                logger.warning("\(warning)", metadata: ["device": "\(scanner.description.label)", "source": "\(scanner.description.sourceName)"])
            }
        }
        for scan in scans where !scan.bytes.isEmpty {
            let kept = Array(scan.bytes.prefix(PayloadHygiene.maximumLength + 1))
            let raw = RawScan(source: scanner.description.sourceName, bytes: kept, totalLength: scan.bytes.count,
                              symbology: scan.symbology, monotonicNanoseconds: completedAt)
            guard let channel = scanner.channel else { return }
            if !channel.send(raw) {
                // That station has stopped reading: give its scanners back.
                for other in scanners where other.channel === channel {
                    other.cancel()
                    other.state = .stopping
                }
                return
            }
        }
    }

    // MARK: Signals (beeper, LED).

    private func sendSignals() {
        for (signal, source) in shared.takeSignals() {
            guard let scanner = scanners.first(where: { $0.description.sourceName == source }) else {
                logger.debug("signal for a scanner that is not attached", metadata: ["source": "\(source)"])
                continue
            }
            guard let report = scanner.interpreter.outputReport(for: signal) else {
                logger.debug("scanner has no output report for signals", metadata: ["source": "\(source)", "signal": "\(signal.rawValue)"])
                continue
            }
            do {
                try scanner.sendOutputReport(report)
                logger.info("scanner signal sent", metadata: ["source": "\(source)", "signal": "\(signal.rawValue)"])
            } catch {
                logger.warning("scanner signal failed", metadata: ["source": "\(source)", "signal": "\(signal.rawValue)", "error": "\(error)"])
            }
        }
    }

    // MARK: Ending devices and the loop.

    /// Drops scanners whose stream has ended, once their transfer is no longer queued.
    private func sweep() {
        var changed = false
        scanners.removeAll { scanner in
            guard !scanner.transferInFlight else { return false }
            switch scanner.state {
            case .running:
                return false
            case .gone:
                let problem = ScannerDeviceError.unplugged(scanner.description)
                logger.warning("\(problem.message)", metadata: ["device": "\(scanner.description.label)", "error": "\(problem.codeName)"])
                shared.events?.disconnected(.usb)
                changed = true
                return true
            case .failed(let error):
                shared.events?.disconnected(.usb)
                fail(device: scanner.device, description: scanner.description, error: error)
                changed = true
                return true
            case .stopping:
                changed = true
                return true
            }
        }
        if changed { shared.setAttached(scanners.map { ($0.description.sourceName, $0.interpreter.kind) }) }
    }

    private func shutdown() {
        shared.setWake(nil)
        for scanner in scanners { scanner.cancel() }
        let deadline = Self.nowMilliseconds() + 2000
        while scanners.contains(where: \.transferInFlight) && Self.nowMilliseconds() < deadline {
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            _ = libusb_handle_events_timeout_completed(context.pointer, &timeout, nil)
        }
        // Dropping the owners releases the interfaces and gives the kernel drivers back.
        scanners.removeAll()
        shared.setAttached([])
        if hotplugRegistered { libusb_hotplug_deregister_callback(context.pointer, hotplugHandle) }
        for device in arrivals + departures + settling.map(\.device) { libusb_unref_device(device) }
        settling = []
        for entry in waiting { libusb_unref_device(entry.device) }
        for device in present.values { libusb_unref_device(device) }
        arrivals = []
        departures = []
        waiting = []
        present = [:]
        logger.info("USB scanner manager stopped")
    }
}

/// libusb's hotplug callback: queues the event for the loop; returns 0 to stay registered.
private func usbEventLoopHotplug(_ context: OpaquePointer?, _ device: OpaquePointer?, _ event: libusb_hotplug_event,
                                 _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let device, let userData else { return 0 }
    let loop = Unmanaged<USBEventLoop>.fromOpaque(userData).takeUnretainedValue()
    loop.hotplug(device: device, arrived: event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
    return 0
}
