internal import ScanCodes

/// Turns the reports of one HID device into scans: a keyboard wedge (boot or report protocol,
/// decoded in a keyboard layout) or a HID POS barcode scanner, chosen by the descriptor.
/// A plain state machine: time is an argument, nothing is read from a clock.
public struct HIDScanDecoder: Sendable {
    public let descriptor: ReportDescriptor
    public let layout: KeyboardLayout
    public let framing: ScanFraming

    private var keyboard: KeyboardDecoder
    private var framer: ScanFramer
    private let keyboardPlans: [KeyboardReportPlan]
    private let barcodePlans: [BarcodeReportPlan]
    /// Report ID -> plan: 1...n keyboard plan n-1, -1...-n barcode plan n-1, 0 none.
    private let planByReportID: [Int]
    private let usesReportIDs: Bool
    /// No report IDs and a boot-shaped keyboard report: the common case, read directly.
    private let bootFastPath: Bool
    private var keys: [UInt8] = []
    private var barcodeData: [UInt8] = []
    private var barcodeSymbology: [UInt8] = []
    private var barcodeInProgress = false
    private var barcodeLastReportAt: UInt64 = 0
    private var lastReportAt: UInt64 = 0

    /// - Parameters:
    ///   - descriptor: the device's report descriptor; use `.bootKeyboard` for a device in boot protocol.
    ///   - layout: the host keyboard layout the scanner's keystrokes are meant for.
    ///   - framing: what ends a scan.
    public init(descriptor: ReportDescriptor, layout: KeyboardLayout, framing: ScanFraming) {
        self.descriptor = descriptor
        self.layout = layout
        self.framing = framing
        self.keyboard = KeyboardDecoder(layout: layout)
        self.framer = ScanFramer(framing: framing)
        var keyboardPlans = KeyboardReportPlan.plans(for: descriptor)
        let barcodePlans = BarcodeReportPlan.plans(for: descriptor)
        if keyboardPlans.isEmpty, barcodePlans.isEmpty { keyboardPlans = [.boot] }
        self.keyboardPlans = keyboardPlans
        self.barcodePlans = barcodePlans
        self.usesReportIDs = descriptor.usesReportIDs
        var planByReportID = [Int](repeating: 0, count: 256)
        for (index, plan) in keyboardPlans.enumerated() {
            planByReportID[Int(plan.reportID ?? 0)] = index + 1
        }
        for (index, plan) in barcodePlans.enumerated() {
            planByReportID[Int(plan.reportID ?? 0)] = -(index + 1)
        }
        self.planByReportID = planByReportID
        self.bootFastPath = !descriptor.usesReportIDs && barcodePlans.isEmpty && keyboardPlans.count == 1 && keyboardPlans[0].bootKeyArrayStart == 2
        self.keys.reserveCapacity(256)
    }

    /// Caps Lock as the host sees it (off at start).
    public var capsLock: Bool {
        get { keyboard.capsLock }
        set { keyboard.capsLock = newValue }
    }

    /// Num Lock as the host sees it (on at start, so keypad digits type digits, as scanners
    /// that send keypad keys expect).
    public var numLock: Bool {
        get { keyboard.numLock }
        set { keyboard.numLock = newValue }
    }

    /// Decodes one input report (with its report ID byte first when the descriptor uses IDs)
    /// received at `atMilliseconds` (any monotonic clock); returns the scans it completed.
    public mutating func feed(report: [UInt8], atMilliseconds now: UInt64) -> [HIDScan] {
        var scans: [HIDScan] = []
        lastReportAt = now
        if bootFastPath {
            guard report.count >= 3 else {
                framer.warn("a keyboard report of \(report.count) bytes is too short and was ignored; check the device's report descriptor")
                return scans
            }
            report.withUnsafeBufferPointer { bytes in
                keyboard.process(modifiers: bytes[0], keys: UnsafeBufferPointer(rebasing: bytes[2...]), at: now, framer: &framer, scans: &scans)
            }
            return scans
        }
        report.withUnsafeBufferPointer { bytes in
            var data = bytes
            var selector = 1
            if usesReportIDs {
                guard let id = bytes.first else { return }
                selector = planByReportID[Int(id)]
                data = UnsafeBufferPointer(rebasing: bytes[1...])
            } else {
                selector = planByReportID[0]
            }
            if selector > 0 {
                let plan = keyboardPlans[selector - 1]
                if let start = plan.bootKeyArrayStart {
                    guard data.count >= start + 1 else {
                        framer.warn("a keyboard report of \(data.count) bytes is too short and was ignored; check the device's report descriptor")
                        return
                    }
                    keyboard.process(modifiers: data[0], keys: UnsafeBufferPointer(rebasing: data[start...]), at: now, framer: &framer, scans: &scans)
                } else {
                    let modifiers = plan.extract(data, keys: &keys)
                    keys.withUnsafeBufferPointer { keyBuffer in
                        keyboard.process(modifiers: modifiers, keys: keyBuffer, at: now, framer: &framer, scans: &scans)
                    }
                }
            } else if selector < 0 {
                barcodePlans.withUnsafeBufferPointer { plans in
                    barcodeReport(plans[-selector - 1], data, at: now, scans: &scans)
                }
            }
            // Other reports (consumer control, vendor) carry no scan data.
        }
        return scans
    }

    /// Ends the scan in hand if the inter-character timeout has passed at `atMilliseconds`
    /// (always, when the framing has no timeout). At the end of a stream, call it with `.max`.
    public mutating func flush(atMilliseconds now: UInt64) -> [HIDScan] {
        var scans: [HIDScan] = []
        if barcodeInProgress {
            let timeout = UInt64(max(framing.interCharacterTimeoutMilliseconds ?? 0, 0))
            if now == .max || framing.interCharacterTimeoutMilliseconds == nil || (now > barcodeLastReportAt && now - barcodeLastReportAt > timeout) {
                framer.warn("the scanner announced more data that never came; the scan is incomplete")
                finishBarcode(scans: &scans)
            }
        }
        // A dead key still waiting is typed on its own once its key stream has gone quiet.
        let quiet = framing.interCharacterTimeoutMilliseconds.map { now > lastReportAt && now - lastReportAt > UInt64(max($0, 0)) } ?? true
        if now == .max || quiet {
            keyboard.finish(at: now, framer: &framer, scans: &scans)
        }
        framer.flush(at: now, into: &scans)
        return scans
    }

    private mutating func barcodeReport(_ plan: BarcodeReportPlan, _ data: UnsafeBufferPointer<UInt8>, at now: UInt64, scans: inout [HIDScan]) {
        if !barcodeInProgress {
            barcodeData.removeAll(keepingCapacity: true)
            barcodeSymbology.removeAll(keepingCapacity: true)
        }
        barcodeInProgress = true
        barcodeLastReportAt = now
        let continued = plan.extract(data, appendingTo: &barcodeData, symbology: &barcodeSymbology)
        if !continued { finishBarcode(scans: &scans) }
    }

    private mutating func finishBarcode(scans: inout [HIDScan]) {
        barcodeInProgress = false
        var bytes = barcodeData
        barcodeData.removeAll(keepingCapacity: true)
        // A scanner configured with a terminator suffix sends it inside the data.
        switch framing.terminator {
        case .enter:
            if bytes.last == 0x0A { bytes.removeLast() }
            if bytes.last == 0x0D { bytes.removeLast() }
        case .tab:
            if bytes.last == 0x09 { bytes.removeLast() }
        case .none:
            break
        }
        var warnings = framer.takeWarnings()
        if String(validating: bytes, as: UTF8.self) == nil {
            warnings.append("the scanner sent bytes that are not UTF-8; invalid bytes are shown as U+FFFD in the text")
        }
        let symbology = Self.symbologyName(barcodeSymbology)
        scans.append(ScanFramer.makeScan(bytes: &bytes, warnings: warnings, affixes: ScanAffixes(prefix: framing.stripPrefix, suffix: framing.stripSuffix), symbology: symbology))
    }

    /// The symbology a HID POS report's Symbology Identifier bytes name: an AIM identifier
    /// (`]` code modifier, or code and modifier alone), in CONTRACTS.md's names.
    static func symbologyName(_ identifier: [UInt8]) -> String? {
        let bytes = identifier.filter { $0 != 0 }
        guard !bytes.isEmpty else { return nil }
        let aim = bytes.first == UInt8(ascii: "]") ? bytes : [UInt8(ascii: "]")] + bytes
        guard let identifier = AIMIdentifier.split(aim).identifier else { return Symbology.unknown.rawValue }
        return identifier.symbology.rawValue
    }
}
