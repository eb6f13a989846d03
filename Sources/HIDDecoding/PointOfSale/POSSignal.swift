/// A signal the station gives the worker through the scanner itself.
public enum POSSignal: Sendable, Hashable, CaseIterable {
    case goodRead, badRead
}

extension ReportDescriptor {
    /// The output report (report ID byte first when the descriptor uses IDs) that makes a HID POS
    /// scanner beep or light for `signal`, or nil when its descriptor has no such control.
    public func outputReport(for signal: POSSignal) -> [UInt8]? {
        nil
    }
}
