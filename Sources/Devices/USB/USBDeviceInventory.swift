internal import CLibUSB
import Foundation
import Glibc

/// One plugged-in USB device as `scanstation devices` shows it.
public struct USBInventoryEntry: Sendable, Hashable {
    public var device: USBDeviceDescription
    public var vendorName: String?
    public var productName: String?
    /// keyboard or hid-pos from the report descriptor, when it could be read.
    public var scannerKind: ScannerKind?
    /// Whether this user may open the device node (read and write).
    public var accessible: Bool
    /// The station it would feed, nil when no rule takes it.
    public var station: String?
    /// Why it would not be taken or could not be inspected, worded for the admin.
    public var note: String?
}

/// Lists what is on the USB bus without taking anything.
public enum USBDeviceInventory {
    /// - Parameters:
    ///   - configuration: the rules that decide which station a device would feed.
    ///   - defaultStation: the station of rules that name none.
    ///   - names: vendor and product names.
    public static func list(configuration: USBScannerConfiguration, defaultStation: String,
                            names: USBIDDatabase = .system()) throws(USBError) -> [USBInventoryEntry] {
        let context = try USBContext()
        let devices = context.deviceList()
        defer { devices.forEach { libusb_unref_device($0) } }
        var entries: [USBInventoryEntry] = []
        for device in devices {
            guard let description = USBDeviceDescription(device: device) else { continue }
            // Root hubs are the bus itself, not something plugged in.
            if description.deviceClass == 9 && description.portNumbers.isEmpty { continue }
            var entry = USBInventoryEntry(
                device: description,
                vendorName: names.vendorName(description.vendorID),
                productName: names.productName(vendor: description.vendorID, product: description.productID),
                scannerKind: nil,
                accessible: access(description.deviceNode, R_OK | W_OK) == 0,
                station: nil, note: nil)
            let hidInterfaces = description.interfaces.filter { $0.isHID && $0.interruptInAddress != nil }
            if !hidInterfaces.isEmpty {
                entry.scannerKind = inspect(device: device, description: description, interfaces: hidInterfaces, note: &entry.note)
            }
            if let (rule, needsDescriptor) = configuration.rule(for: description) {
                if !needsDescriptor || entry.scannerKind == .hidPOS {
                    entry.station = rule.station ?? defaultStation
                }
            }
            if entry.station == nil, entry.note == nil, description.hasBootKeyboard {
                entry.note = "a keyboard of an unknown vendor: left to the system (add a usb rule to use it as a scanner)"
            }
            entries.append(entry)
        }
        return entries.sorted { ($0.device.busNumber, $0.device.portPath) < ($1.device.busNumber, $1.device.portPath) }
    }

    /// The kind of the first HID interface that is a keyboard or a barcode scanner: from
    /// sysfs when the kernel's driver has it, else by reading the report descriptor (only
    /// when no driver is bound, so nothing is taken from the system).
    static func inspect(device: OpaquePointer, description: USBDeviceDescription,
                        interfaces: [USBDeviceDescription.Interface], note: inout String?) -> ScannerKind? {
        var kinds: [ScannerKind] = []
        var handle: OpaquePointer?
        defer { if let handle { libusb_close(handle) } }
        for interface in interfaces {
            if let bytes = USBEventLoop.sysfsReportDescriptor(description: description, interface: interface.number) {
                if let kind = ReportInterpreter.kind(descriptor: bytes) { kinds.append(kind) }
                continue
            }
            if handle == nil {
                let status = libusb_open(device, &handle)
                if status != 0 {
                    handle = nil
                    let error = USBError(rawValue: status)
                    note = error == .accessDenied ? ScannerDeviceError.permissionDenied(description).message : "cannot open: \(error.name)"
                    break
                }
            }
            guard let open = handle else { break }
            let number = Int32(interface.number)
            guard libusb_kernel_driver_active(open, number) != 1 else { continue }
            guard libusb_claim_interface(open, number) == 0 else {
                note = ScannerDeviceError.busy(description, interface: interface.number).message
                continue
            }
            defer { libusb_release_interface(open, number) }
            if let bytes = try? USBEventLoop.readReportDescriptor(handle: open, interface: interface),
               let kind = ReportInterpreter.kind(descriptor: bytes) {
                kinds.append(kind)
            }
        }
        if kinds.contains(.hidPOS) { return .hidPOS }
        if kinds.contains(.keyboard) { return .keyboard }
        if kinds.isEmpty, note == nil, description.hasBootKeyboard { return .keyboard }
        return nil
    }
}
