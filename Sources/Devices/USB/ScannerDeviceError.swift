/// Why a scanner could not be used, worded for the warehouse admin who must fix it.
public struct ScannerDeviceError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Hashable, Sendable {
        case permissionDenied = "permission-denied"
        case busy
        case unplugged
        case failed
    }

    private let code: Code
    /// The device, as `usb:1-1.4 (05e0:1200)`.
    public let device: String
    public let message: String

    /// A short stable name for logs and JSON (`permission-denied`, `busy`, ...).
    public var codeName: String { code.rawValue }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.device == rhs.device }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(device)
    }

    public var description: String { message }

    /// This user may not open the device node.
    public static func permissionDenied(_ device: USBDeviceDescription) -> Self {
        Self(code: .permissionDenied, device: device.label,
             message: "permission denied opening \(device.label) at \(device.deviceNode): install the udev rule 70-scanstation.rules "
                + "(it gives group 'scanstation' access to known scanners; for another device add a rule with "
                + "ATTR{idVendor}==\"\(device.idText.prefix(4))\", GROUP=\"scanstation\", MODE=\"0660\" "
                + "in /etc/udev/rules.d/71-scanstation-site.rules), "
                + "add the daemon's user to that group, then replug the scanner")
    }

    /// Another program (or a kernel driver that would not let go) holds the interface.
    public static func busy(_ device: USBDeviceDescription, interface: UInt8) -> Self {
        Self(code: .busy, device: device.label,
             message: "\(device.label) interface \(interface) is held by another program; stop the program that uses the scanner "
                + "(see `fuser -v \(device.deviceNode)`) or another scanstation instance")
    }

    public static func unplugged(_ device: USBDeviceDescription) -> Self {
        Self(code: .unplugged, device: device.label, message: "\(device.label) was unplugged; plug it in again to go on scanning")
    }

    public static func failed(_ device: USBDeviceDescription, _ error: USBError, retryInSeconds: Double) -> Self {
        Self(code: .failed, device: device.label,
             message: "\(device.label) failed (\(error.name)); trying again in \(Int(retryInSeconds.rounded())) s. "
                + "If this repeats, replug the scanner or try another USB port or cable")
    }
}

extension USBDeviceDescription {
    /// `usb:1-1.4 (05e0:1200)`
    public var label: String { "\(sourceName) (\(idText))" }
}
