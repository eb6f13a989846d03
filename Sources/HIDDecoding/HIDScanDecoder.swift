/// Turns the reports of one HID device into scans: a keyboard wedge (boot or report protocol)
/// or a HID POS barcode scanner, chosen by the descriptor.
public struct HIDScanDecoder: Sendable {
    public let descriptor: ReportDescriptor
    public let layout: KeyboardLayout
    public let framing: ScanFraming

    public init(descriptor: ReportDescriptor, layout: KeyboardLayout, framing: ScanFraming) {
        self.descriptor = descriptor
        self.layout = layout
        self.framing = framing
    }

    /// Decodes one input report (with its report ID byte first when the descriptor uses IDs)
    /// received at `atMilliseconds` (any monotonic clock); returns the scans it completed.
    public mutating func feed(report: [UInt8], atMilliseconds: UInt64) -> [HIDScan] {
        []
    }

    /// Ends the scan in hand if the inter-character timeout has passed at `atMilliseconds`
    /// (always, when the framing has no timeout). At the end of a stream, call it with `.max`.
    public mutating func flush(atMilliseconds: UInt64) -> [HIDScan] {
        []
    }
}
