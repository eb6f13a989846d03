import Foundation
import HIDDecoding
public import Logging
import ScanCodes
#if canImport(Glibc)
import Glibc
#endif

/// A serial scanner (USB CDC-ACM, or RS-232 / "USB COM" mode): configures the tty (speed,
/// raw mode, exclusive), frames scans by terminator and survives the port going away: an
/// unplug ends the current stream, the port is opened again when it comes back, and a port
/// that keeps failing is retried with a growing back-off. The prefix and suffix the scanner
/// is configured to send (the station's `prefix`, `suffix`) are removed from each scan, as
/// for USB scanners. Ends only when the channel is cancelled. Source name: `serial:PATH`.
public struct SerialPortSource: ScanSource {
    public let name: String
    public let path: String
    public let baudRate: Int
    let logger: Logger
    let retryInitialSeconds: Double
    let retryMaximumSeconds: Double
    /// Told when the port opens and when it goes away, for /metrics.
    let events: DeviceEvents?
    /// What the scanner sends around each scan, removed.
    let affixes: ScanAffixes
    /// Signalled when the reading thread has closed the port for good.
    private let released = DispatchSemaphore(value: 0)

    public init(path: String, baudRate: Int = 9600, stripPrefix: String? = nil, stripSuffix: String? = nil, events: DeviceEvents? = nil, logger: Logger,
                retryInitialSeconds: Double = 1, retryMaximumSeconds: Double = 30) {
        self.affixes = ScanAffixes(prefix: stripPrefix, suffix: stripSuffix)
        self.events = events
        self.name = "serial:\(path)"
        self.path = path
        self.baudRate = baudRate
        self.logger = logger
        self.retryInitialSeconds = retryInitialSeconds
        self.retryMaximumSeconds = retryMaximumSeconds
    }

    /// Why a port could not be used, worded for the admin.
    public struct PortError: Error, CustomStringConvertible, Sendable {
        public let code: String
        public let description: String
    }

    public func start(into channel: ScanChannel) {
        let source = self
        let released = self.released
        let thread = Thread {
            source.run(channel: channel)
            channel.finish()
            released.signal()
        }
        thread.name = "scanstation-serial"
        thread.start()
    }

    public func waitUntilReleased(timeoutSeconds: Double) -> Bool {
        guard released.wait(timeout: .now() + timeoutSeconds) == .success else { return false }
        released.signal()
        return true
    }

    func run(channel: ScanChannel) {
        var failures = 0
        var everOpened = false
        while !channel.isCancelled {
            let descriptor: Int32
            do {
                descriptor = try open()
            } catch {
                failures += 1
                let delay = min(retryMaximumSeconds, retryInitialSeconds * pow(2, Double(min(failures - 1, 20))))
                // A port that is simply absent is normal (scanner unplugged); say so once.
                if error.code != "absent" || failures == 1 {
                    logger.log(level: error.code == "absent" ? .info : .error, "\(error.description)",
                               metadata: ["source": "\(name)", "error": "\(error.code)", "retry_seconds": "\(delay)"])
                }
                sleep(seconds: delay, unlessCancelled: channel)
                continue
            }
            failures = 0
            logger.info(everOpened ? "serial scanner reopened" : "serial scanner opened", metadata: ["source": "\(name)", "baud": "\(baudRate)"])
            everOpened = true
            events?.connected(.serial)
            let stillWanted = read(descriptor: descriptor, channel: channel)
            Glibc.close(descriptor)
            if !stillWanted { break }
            events?.disconnected(.serial)
            logger.warning("serial scanner went away; waiting for it to come back", metadata: ["source": "\(name)", "error": "unplugged"])
            sleep(seconds: retryInitialSeconds, unlessCancelled: channel)
        }
    }

    private func sleep(seconds: Double, unlessCancelled channel: ScanChannel) {
        let end = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
        while !channel.isCancelled && MonotonicClock.nanoseconds() < end {
            usleep(50_000)
        }
    }

    /// The speeds the port can be set to (termios B* constants).
    public static let supportedBaudRates: [Int] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115_200, 230_400]

    /// Opens and configures the port.
    func open() throws(PortError) -> Int32 {
        guard Self.supportedBaudRates.contains(baudRate) else {
            throw PortError(code: "unsupported-speed", description: "serial port \(path): \(baudRate) baud is not a supported speed; "
                + "use one of \(Self.supportedBaudRates.map(String.init).joined(separator: ", ")) and set the scanner to match")
        }
        let descriptor = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            switch error {
            case ENOENT, ENXIO, ENODEV:
                throw PortError(code: "absent", description: "serial port \(path) is not there (scanner unplugged?); waiting for it")
            case EACCES, EPERM:
                throw PortError(code: "permission-denied", description: "permission denied opening serial port \(path): install the udev rule "
                    + "70-scanstation.rules (group 'scanstation') or add the daemon's user to the port's group (usually 'dialout')")
            case EBUSY:
                throw PortError(code: "busy", description: "serial port \(path) is held by another program; stop it (see `fuser -v \(path)`)")
            default:
                throw PortError(code: "failed", description: "cannot open serial port \(path): \(String(cString: strerror(error)))")
            }
        }
        // Another reader (a second scanstation, a terminal program) would steal scans.
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            Glibc.close(descriptor)
            throw PortError(code: "busy", description: "serial port \(path) is held by another program; stop it (see `fuser -v \(path)`)")
        }
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw PortError(code: "not-a-tty", description: "\(path) is not a serial port (\(message)); check the source's path")
        }
        cfmakeraw(&settings)
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        withUnsafeMutableBytes(of: &settings.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        let speed = Self.speed(baudRate)
        cfsetispeed(&settings, speed)
        cfsetospeed(&settings, speed)
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw PortError(code: "failed", description: "cannot configure serial port \(path) for \(baudRate) baud: \(message)")
        }
        _ = ioctl(descriptor, UInt(TIOCEXCL))
        tcflush(descriptor, TCIFLUSH)
        return descriptor
    }

    /// Reads until the port goes away (true) or the channel is cancelled (false).
    private func read(descriptor: Int32, channel: ScanChannel) -> Bool {
        var framer = SerialFramer(limit: PayloadHygiene.maximumLength + 1)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if channel.isCancelled { return false }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 250)
            if ready < 0 {
                if errno == EINTR { continue }
                return true
            }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return true // EIO: the device is gone
            }
            if count == 0 {
                // Hang-up with nothing to read: the other end (device, or pty master) closed.
                if poller.revents & Int16(POLLHUP) != 0 { return true }
                continue
            }
            for frame in framer.feed(buffer[0..<count]) {
                var bytes = frame.bytes
                var totalLength = frame.totalLength
                // An oversized scan is refused whole (too_long), its affixes left on.
                if !affixes.isEmpty, bytes.count == totalLength {
                    for warning in affixes.strip(&bytes) {
                        logger.warning("\(warning)", metadata: ["source": "\(name)"])
                    }
                    totalLength = bytes.count
                    // Only the prefix and suffix: no data (as a USB scanner's empty scan).
                    if bytes.isEmpty { continue }
                }
                // The port is read for one station alone: its thread may do the station's
                // work for the scan (a commit's wait; the tty buffers what arrives meanwhile).
                if !channel.send(RawScan(source: name, bytes: bytes, totalLength: totalLength), lendingThread: true) { return false }
            }
        }
    }

    static func speed(_ baudRate: Int) -> speed_t {
        switch baudRate {
        case 1200: speed_t(B1200)
        case 9600: speed_t(B9600)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115_200: speed_t(B115200)
        case 230_400: speed_t(B230400)
        default: speed_t(B9600) // not reached: open() accepts only supportedBaudRates
        }
    }
}
