import HIDDecoding
import ScanCodes

/// What a claimed HID interface is, by its report descriptor.
public enum ScannerKind: String, Sendable, Hashable {
    /// Types its scans as keystrokes (keyboard wedge).
    case keyboard
    /// Sends scans on the HID POS barcode scanner page (0x8C), with the symbology.
    case hidPOS = "hid-pos"
}

/// A good read, a warning or a bad read shown on the scanner itself (beeper, LED), where it can.
public enum ScanSignal: String, Sendable, Hashable, CaseIterable {
    case goodRead = "good"
    /// Taken with a warning: the worker must look at the display.
    case warning
    case badRead = "bad"
}

/// One scan a claimed interface completed, with what went wrong while decoding it (a key
/// the layout cannot map, a missing prefix, suffix or terminator).
struct InterpretedScan {
    var bytes: [UInt8]
    var symbology: Symbology?
    var warnings: [String]
}

/// The seam between the libusb plumbing and HIDDecoding: one per claimed interface,
/// reports in, scans out. Keeps HIDDecoding's types out of the device manager.
struct ReportInterpreter {
    let kind: ScannerKind
    private let descriptor: ReportDescriptor
    private var decoder: HIDScanDecoder
    private var pendingSince: UInt64?
    private let timeoutMilliseconds: UInt64

    /// Parses the descriptor; nil when it is neither a keyboard nor a barcode scanner.
    init?(descriptor bytes: [UInt8], rule: USBScannerRule) {
        guard let descriptor = try? ReportDescriptor(parsing: bytes) else { return nil }
        if descriptor.isBarcodeScanner {
            kind = .hidPOS
        } else if descriptor.isKeyboard {
            kind = .keyboard
        } else {
            return nil
        }
        self.descriptor = descriptor
        let framing = ScanFraming(terminator: ScanTerminator(rawValue: rule.terminator) ?? .enter,
                                  interCharacterTimeoutMilliseconds: rule.interCharacterTimeoutMilliseconds,
                                  stripPrefix: rule.stripPrefix.isEmpty ? nil : rule.stripPrefix,
                                  stripSuffix: rule.stripSuffix.isEmpty ? nil : rule.stripSuffix)
        decoder = HIDScanDecoder(descriptor: descriptor, layout: KeyboardLayout(rawValue: rule.layout) ?? .us, framing: framing)
        timeoutMilliseconds = UInt64(max(1, rule.interCharacterTimeoutMilliseconds))
    }

    /// Whether the descriptor alone says "barcode scanner" (HID POS page).
    static func isBarcodeScanner(descriptor bytes: [UInt8]) -> Bool {
        (try? ReportDescriptor(parsing: bytes))?.isBarcodeScanner ?? false
    }

    static func kind(descriptor bytes: [UInt8]) -> ScannerKind? {
        guard let descriptor = try? ReportDescriptor(parsing: bytes) else { return nil }
        return descriptor.isBarcodeScanner ? .hidPOS : descriptor.isKeyboard ? .keyboard : nil
    }

    /// One input report; returns the scans it completed.
    mutating func feed(report: [UInt8], atMilliseconds now: UInt64) -> [InterpretedScan] {
        let scans = decoder.feed(report: report, atMilliseconds: now)
        pendingSince = now
        return scans.map(Self.convert)
    }

    /// When the loop must wake to end a scan by silence, if a scan may be pending.
    /// (The decoder ends a scan once the silence is longer than the timeout: hence the + 1.)
    var flushDeadline: UInt64? { pendingSince.map { $0 + timeoutMilliseconds + 1 } }

    /// Ends a scan that has been silent for the inter-character timeout.
    mutating func flush(atMilliseconds now: UInt64) -> [InterpretedScan] {
        pendingSince = nil
        return decoder.flush(atMilliseconds: now).map(Self.convert)
    }

    func outputReport(for signal: ScanSignal) -> [UInt8]? {
        switch signal {
        case .goodRead: descriptor.outputReport(for: .goodRead)
        case .warning: descriptor.outputReport(for: .warning)
        case .badRead: descriptor.outputReport(for: .badRead)
        }
    }

    private static func convert(_ scan: HIDScan) -> InterpretedScan {
        InterpretedScan(bytes: scan.bytes, symbology: scan.symbology.flatMap { Symbology(rawValue: $0) }, warnings: scan.warnings)
    }
}
