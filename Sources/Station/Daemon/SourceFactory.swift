public import Devices
public import Logging
import Ledger

/// Makes the scan sources the stations' specifications name, with each station's scanner
/// settings. All stations' USB scanners share one device manager (one libusb thread).
public struct SourceFactory: Sendable {
    /// Why a source cannot be made; `exitCode` follows sysexits (64 usage, 66 no input,
    /// 69 unavailable, 78 config).
    public struct SourceError: Error, Sendable, CustomStringConvertible {
        public var source: SourceSpecification
        public var description: String
        public var exitCode: Int32
    }

    let usb: USBScannerManager?
    let logger: Logger
    let standardInputEndsRun: Bool
    let events: DeviceEvents?

    /// - Parameters:
    ///   - stations: every station the daemon runs, so USB rules route each device to its
    ///     station.
    ///   - standardInputEndsRun: end of standard input ends its station's other sources too
    ///     (scans piped in as a batch).
    ///   - events: where the device sources report scanners coming and going (/metrics).
    public init(stations: [StationConfiguration], standardInputEndsRun: Bool = false, events: DeviceEvents? = nil, logger: Logger) {
        self.logger = logger
        self.events = events
        self.standardInputEndsRun = standardInputEndsRun
        var rules: [USBScannerRule] = []
        for station in stations {
            for specification in station.sources {
                guard let match = Self.usbMatch(specification) else { continue }
                rules.append(USBScannerRule(
                    match: match, station: station.name, layout: station.layout, terminator: station.terminator,
                    stripPrefix: station.prefix ?? "", stripSuffix: station.suffix ?? ""))
            }
        }
        usb = rules.isEmpty ? nil : USBScannerManager(configuration: USBScannerConfiguration(rules: rules), events: events, logger: logger)
    }

    /// Beeps or lights the USB scanner a scan came from (HID POS scanners whose output
    /// reports can; others ignore it): see `scanSignal(for:)`.
    public func signal(_ answer: ScanAnswer, source: String) {
        guard let usb, source.hasPrefix("usb:") else { return }
        usb.signal(Self.scanSignal(for: answer.result), on: source)
    }

    /// The scanner's signal for a result: good read when accepted, the warning signal when
    /// accepted with a warning (it needs the worker's attention, so never the good-read
    /// beep), bad read when rejected.
    static func scanSignal(for result: ScanResult) -> ScanSignal {
        switch result {
        case .accepted: .goodRead
        case .warning: .warning
        case .rejected: .badRead
        }
    }

    static func usbMatch(_ specification: SourceSpecification) -> USBDeviceMatch? {
        switch specification {
        case .usb(nil, _): .knownScanners
        case .usb(let vendor?, let product): .ids(vendor: vendor, product: product)
        case .usbSerialNumber(let serial): .serialNumber(serial)
        case .usbPort(let port): .portPath(port)
        case .usbHIDPOS: .anyHIDPOSScanner
        default: nil
        }
    }

    /// Checks what can be checked before the daemon starts (syntax of arguments).
    public static func validate(_ specification: SourceSpecification) throws(SourceError) {
        switch specification {
        case .standardInput, .camera, .usb, .usbSerialNumber, .usbPort, .usbHIDPOS:
            return
        case .serial(let argument):
            _ = try serialPort(argument, specification)
        case .frames(let argument):
            do {
                _ = try FrameLayout.parse(argument: argument)
            } catch {
                throw SourceError(source: specification, description: error.message, exitCode: 64)
            }
        case .llrp:
            throw unavailable(specification)
        }
    }

    /// `serial:/dev/ttyACM0` or `serial:/dev/ttyS0@115200` (9600 baud by default).
    static func serialPort(_ argument: String, _ specification: SourceSpecification) throws(SourceError) -> (path: String, baud: Int) {
        guard let at = argument.lastIndex(of: "@") else { return (argument, 9600) }
        guard let baud = Int(argument[argument.index(after: at)...]), SerialPortSource.supportedBaudRates.contains(baud) else {
            throw SourceError(source: specification, description: "source 'serial:\(argument)': the speed after '@' must be one of \(SerialPortSource.supportedBaudRates.map(String.init).joined(separator: ", "))", exitCode: 64)
        }
        return (String(argument[..<at]), baud)
    }

    /// Whether the source reads standard input (only one source may).
    public static func readsStandardInput(_ specification: SourceSpecification) -> Bool {
        switch specification {
        case .standardInput: return true
        case .frames(let argument): return (try? FrameLayout.parse(argument: argument))?.path == "-"
        default: return false
        }
    }

    /// Whether the source ends by itself (end of input): a daemon that reads only such
    /// sources exits when they have ended.
    public static func endsWithInput(_ specification: SourceSpecification) -> Bool {
        switch specification {
        case .standardInput, .frames: true
        default: false
        }
    }

    public func make(_ specification: SourceSpecification, for station: StationConfiguration) throws(SourceError) -> any ScanSource {
        switch specification {
        case .standardInput:
            return StandardInputSource(endsChannel: standardInputEndsRun)
        case .usb, .usbSerialNumber, .usbPort, .usbHIDPOS:
            guard let usb else { throw Self.unavailable(specification) }
            return usb.source(station: station.name)
        case .serial(let argument):
            let (path, baud) = try Self.serialPort(argument, specification)
            return SerialPortSource(path: path, baudRate: baud, stripPrefix: station.prefix, stripSuffix: station.suffix, events: events, logger: logger)
        case .camera(let device):
            let configuration = try Self.camera(station, specification)
            // A camera missing or busy at start is an error naming it; once running, a
            // camera that goes away is reopened with back-off.
            do {
                _ = try VideoFrameSource(device: device, width: configuration.width, height: configuration.height)
            } catch {
                throw SourceError(source: specification, description: "\(error.code): \(error.message)", exitCode: 69)
            }
            return CameraScanSource.camera(device: device, configuration: configuration, events: events, logger: logger)
        case .frames(let argument):
            let configuration = try Self.camera(station, specification)
            do {
                let path = try FrameLayout.parse(argument: argument).path
                if path != "-" {
                    // Opened now only to name a missing file before the daemon starts.
                    _ = try FrameStreamReader(path: path, layout: .pgm)
                }
                return try CameraScanSource.frames(argument: argument, configuration: configuration, logger: logger)
            } catch {
                throw SourceError(source: specification, description: "\(error.code): \(error.message)", exitCode: 66) // EX_NOINPUT
            }
        case .llrp:
            throw Self.unavailable(specification)
        }
    }

    /// The station's `[station.camera]` settings as the camera side takes them.
    static func camera(_ station: StationConfiguration, _ specification: SourceSpecification) throws(SourceError) -> CameraConfiguration {
        var configuration = CameraConfiguration()
        configuration.width = station.cameraWidth
        configuration.height = station.cameraHeight
        if let holdOff = station.cameraHoldOffMilliseconds { configuration.holdOffMilliseconds = holdOff }
        if let names = station.cameraSymbologies {
            do {
                configuration.symbologies = try SymbologySelection(parsing: names.joined(separator: ","))
            } catch {
                throw SourceError(source: specification, description: "station \(station.name): camera.symbologies: \(error.message)", exitCode: 78)
            }
        }
        return configuration
    }

    static func unavailable(_ specification: SourceSpecification) -> SourceError {
        SourceError(source: specification, description: "source '\(specification)' is not available in this build of scanstation yet", exitCode: 78)
    }
}
