/// A prefix and a suffix a scanner is configured to send around every scan (a station's
/// `prefix` and `suffix`), removed from each scan whatever the scanner's interface: keyboard
/// wedge, HID POS or serial.
public struct ScanAffixes: Sendable, Hashable {
    public var prefix: [UInt8]
    public var suffix: [UInt8]

    public init(prefix: String? = nil, suffix: String? = nil) {
        self.prefix = Array((prefix ?? "").utf8)
        self.suffix = Array((suffix ?? "").utf8)
    }

    public var isEmpty: Bool { prefix.isEmpty && suffix.isEmpty }

    /// Removes the prefix and the suffix from `bytes`; one that is missing leaves the scan
    /// whole at that end and is returned as a warning.
    public func strip(_ bytes: inout [UInt8]) -> [String] {
        var warnings: [String] = []
        if !prefix.isEmpty {
            if bytes.starts(with: prefix) {
                bytes.removeFirst(prefix.count)
            } else if !bytes.isEmpty {
                warnings.append("the configured prefix is missing; the scan is kept whole")
            }
        }
        if !suffix.isEmpty {
            if bytes.count >= suffix.count, bytes.suffix(suffix.count).elementsEqual(suffix) {
                bytes.removeLast(suffix.count)
            } else if !bytes.isEmpty {
                warnings.append("the configured suffix is missing; the scan is kept whole")
            }
        }
        return warnings
    }
}
