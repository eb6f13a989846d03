import Foundation

/// Which USB devices a station takes (the config's `usb` rules; CONTRACTS.md `run`).
public enum USBDeviceMatch: Sendable, Hashable, CustomStringConvertible {
    /// One vendor, optionally one product of it.
    case ids(vendor: UInt16, product: UInt16?)
    /// The device's iSerialNumber string.
    case serialNumber(String)
    /// The physical port, as sysfs names it: `1-1.4` (bus 1, port 1, hub port 4).
    case portPath(String)
    /// Any device whose HID report descriptor declares the barcode scanner page (0x8C).
    case anyHIDPOSScanner
    /// The default: devices of known scanner vendors and products, and HID POS scanners.
    /// Never an unknown keyboard.
    case knownScanners

    /// Whether the device is matched by its ids, serial or port alone. `nil` when it
    /// depends on the report descriptor (only an HID POS scanner would match).
    public func matches(_ device: USBDeviceDescription) -> Bool? {
        switch self {
        case .ids(let vendor, let product):
            return device.vendorID == vendor && (product == nil || device.productID == product)
        case .serialNumber(let serial):
            return device.serialNumber == serial
        case .portPath(let path):
            return device.portPath == path
        case .anyHIDPOSScanner:
            return device.interfaces.contains(where: \.isHID) ? nil : false
        case .knownScanners:
            if KnownScanners.contains(vendor: device.vendorID, product: device.productID) { return true }
            return device.interfaces.contains(where: \.isHID) ? nil : false
        }
    }

    public var description: String {
        switch self {
        case .ids(let vendor, let product?): return String(format: "usb:%04x:%04x", vendor, product)
        case .ids(let vendor, nil): return String(format: "usb:%04x", vendor)
        case .serialNumber(let serial): return "serial \(serial)"
        case .portPath(let path): return "port \(path)"
        case .anyHIDPOSScanner: return "any HID POS scanner"
        case .knownScanners: return "known scanners"
        }
    }
}
