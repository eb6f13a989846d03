/// How the USB side finds scanners and turns their reports into scans. Plain values, built
/// from the config file (or the defaults) at the edge.
public struct USBScannerConfiguration: Sendable {
    /// Rules in order; a device is taken by the first rule that matches it.
    public var rules: [USBScannerRule]
    /// How often the bus is rescanned where libusb has no hotplug support (seconds).
    public var rescanIntervalSeconds: Double
    /// The first wait before a failing device is tried again; doubled per failure.
    public var retryInitialSeconds: Double
    /// The longest wait between attempts on a failing device.
    public var retryMaximumSeconds: Double
    /// Rescan the bus even where libusb has hotplug (for diagnosis, and to test the rescan path).
    public var alwaysRescan = false

    /// The default station's rules (CONTRACTS.md `run`): known scanner vendors and HID POS
    /// scanners, never an unknown keyboard.
    public init(rules: [USBScannerRule] = [USBScannerRule(match: .knownScanners)],
                rescanIntervalSeconds: Double = 2, retryInitialSeconds: Double = 1, retryMaximumSeconds: Double = 60) {
        self.rules = rules
        self.rescanIntervalSeconds = rescanIntervalSeconds
        self.retryInitialSeconds = retryInitialSeconds
        self.retryMaximumSeconds = retryMaximumSeconds
    }

    /// The first rule that takes the device for sure (`true`), or that might once the
    /// report descriptor is known (`nil`, only HID POS rules).
    func rule(for device: USBDeviceDescription) -> (rule: USBScannerRule, needsDescriptor: Bool)? {
        for rule in rules {
            switch rule.match.matches(device) {
            case true?: return (rule, false)
            case nil: return (rule, true)
            case false?: continue
            }
        }
        return nil
    }
}

/// One `usb` entry of a station: which devices, and how their keystrokes become scans.
public struct USBScannerRule: Sendable, Hashable {
    public var match: USBDeviceMatch
    /// The station the devices feed; nil for the default station.
    public var station: String?
    /// The keyboard layout the scanner types in: us, uk, de, fr, es, it.
    public var layout: String
    /// What ends a scan for keyboard-wedge scanners: enter, tab or none.
    public var terminator: String
    /// A scan also ends after this much silence (milliseconds).
    public var interCharacterTimeoutMilliseconds: Int
    public var stripPrefix: String
    public var stripSuffix: String

    public init(match: USBDeviceMatch, station: String? = nil, layout: String = "us", terminator: String = "enter",
                interCharacterTimeoutMilliseconds: Int = 100, stripPrefix: String = "", stripSuffix: String = "") {
        self.match = match
        self.station = station
        self.layout = layout
        self.terminator = terminator
        self.interCharacterTimeoutMilliseconds = interCharacterTimeoutMilliseconds
        self.stripPrefix = stripPrefix
        self.stripSuffix = stripSuffix
    }
}
