internal import CLibUSB
import Foundation

/// What the bus says about a plugged-in USB device, read without opening it: from the
/// descriptors libusb caches and from sysfs (so it needs no permission on the device node
/// and sends nothing to the device).
public struct USBDeviceDescription: Sendable, Hashable {
    public var busNumber: UInt8
    public var deviceAddress: UInt8
    /// Hub ports from the root, e.g. [1, 4] for `1-1.4`.
    public var portNumbers: [UInt8]
    public var vendorID: UInt16
    public var productID: UInt16
    public var deviceClass: UInt8
    public var manufacturer: String?
    public var product: String?
    public var serialNumber: String?
    public var interfaces: [Interface]

    /// One interface of the active configuration.
    public struct Interface: Sendable, Hashable {
        public var number: UInt8
        public var interfaceClass: UInt8
        public var subclass: UInt8
        public var interfaceProtocol: UInt8
        /// The interrupt IN endpoint address (0x81 ...), if any, and its packet size.
        public var interruptInAddress: UInt8?
        public var interruptInMaxPacketSize: UInt16
        public var interruptOutAddress: UInt8?
        /// The length of the HID report descriptor from the HID class descriptor (0x21).
        public var reportDescriptorLength: UInt16?

        public init(number: UInt8, interfaceClass: UInt8, subclass: UInt8, interfaceProtocol: UInt8,
                    interruptInAddress: UInt8? = nil, interruptInMaxPacketSize: UInt16 = 0,
                    interruptOutAddress: UInt8? = nil, reportDescriptorLength: UInt16? = nil) {
            self.number = number
            self.interfaceClass = interfaceClass
            self.subclass = subclass
            self.interfaceProtocol = interfaceProtocol
            self.interruptInAddress = interruptInAddress
            self.interruptInMaxPacketSize = interruptInMaxPacketSize
            self.interruptOutAddress = interruptOutAddress
            self.reportDescriptorLength = reportDescriptorLength
        }

        /// USB class 3 (HID).
        public var isHID: Bool { interfaceClass == 3 }
        /// HID boot-interface subclass with the keyboard protocol: a keyboard to the BIOS.
        public var isBootKeyboard: Bool { interfaceClass == 3 && subclass == 1 && interfaceProtocol == 1 }
        /// "CCSSPP" as udev writes ID_USB_INTERFACES entries.
        public var classTriple: String { String(format: "%02x%02x%02x", interfaceClass, subclass, interfaceProtocol) }
    }

    /// `1-1.4`: the bus number and the port path, the name sysfs gives the device.
    public var portPath: String {
        "\(busNumber)-" + (portNumbers.isEmpty ? "0" : portNumbers.map(String.init).joined(separator: "."))
    }

    /// The name scans from this device carry (`RawScan.source`).
    public var sourceName: String { "usb:\(portPath)" }

    /// The usbfs node libusb opens.
    public var deviceNode: String { String(format: "/dev/bus/usb/%03d/%03d", busNumber, deviceAddress) }

    /// `05e0:1200`
    public var idText: String { String(format: "%04x:%04x", vendorID, productID) }

    /// Whether any interface is a boot keyboard.
    public var hasBootKeyboard: Bool { interfaces.contains(where: \.isBootKeyboard) }

    public init(busNumber: UInt8, deviceAddress: UInt8, portNumbers: [UInt8], vendorID: UInt16, productID: UInt16,
                deviceClass: UInt8 = 0, manufacturer: String? = nil, product: String? = nil, serialNumber: String? = nil,
                interfaces: [Interface] = []) {
        self.busNumber = busNumber
        self.deviceAddress = deviceAddress
        self.portNumbers = portNumbers
        self.vendorID = vendorID
        self.productID = productID
        self.deviceClass = deviceClass
        self.manufacturer = manufacturer
        self.product = product
        self.serialNumber = serialNumber
        self.interfaces = interfaces
    }
}

extension USBDeviceDescription {
    /// Reads a device's description from libusb's cached descriptors and sysfs.
    init?(device: OpaquePointer) {
        var descriptor = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return nil }
        var ports = [UInt8](repeating: 0, count: 8)
        let portCount = libusb_get_port_numbers(device, &ports, Int32(ports.count))
        self.init(
            busNumber: libusb_get_bus_number(device),
            deviceAddress: libusb_get_device_address(device),
            portNumbers: portCount > 0 ? Array(ports.prefix(Int(portCount))) : [],
            vendorID: descriptor.idVendor, productID: descriptor.idProduct,
            deviceClass: descriptor.bDeviceClass)
        interfaces = Self.interfaces(of: device)
        let sysfs = "/sys/bus/usb/devices/\(portPath)"
        manufacturer = Self.sysfsText(sysfs + "/manufacturer")
        product = Self.sysfsText(sysfs + "/product")
        serialNumber = Self.sysfsText(sysfs + "/serial")
    }

    static func sysfsText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The interfaces (first alternate setting) of the active configuration.
    static func interfaces(of device: OpaquePointer) -> [Interface] {
        var configuration: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_active_config_descriptor(device, &configuration) == 0, let configuration else { return [] }
        defer { libusb_free_config_descriptor(configuration) }
        var result: [Interface] = []
        let interfaceCount = Int(configuration.pointee.bNumInterfaces)
        guard let interfaceArray = configuration.pointee.interface else { return [] }
        for index in 0..<interfaceCount {
            let interface = interfaceArray[index]
            guard interface.num_altsetting > 0, let setting = interface.altsetting?.pointee else { continue }
            var entry = Interface(number: setting.bInterfaceNumber, interfaceClass: setting.bInterfaceClass,
                                  subclass: setting.bInterfaceSubClass, interfaceProtocol: setting.bInterfaceProtocol)
            if let endpoints = setting.endpoint {
                for endpointIndex in 0..<Int(setting.bNumEndpoints) {
                    let endpoint = endpoints[endpointIndex]
                    // bmAttributes bits 0-1: transfer type, 3 = interrupt.
                    guard endpoint.bmAttributes & 0x03 == 3 else { continue }
                    if endpoint.bEndpointAddress & 0x80 != 0 {
                        if entry.interruptInAddress == nil {
                            entry.interruptInAddress = endpoint.bEndpointAddress
                            entry.interruptInMaxPacketSize = endpoint.wMaxPacketSize
                        }
                    } else if entry.interruptOutAddress == nil {
                        entry.interruptOutAddress = endpoint.bEndpointAddress
                    }
                }
            }
            if let extra = setting.extra, setting.extra_length > 0 {
                let bytes = Array(UnsafeBufferPointer(start: extra, count: Int(setting.extra_length)))
                entry.reportDescriptorLength = reportDescriptorLength(inClassDescriptors: bytes)
            }
            result.append(entry)
        }
        return result
    }

    /// Finds the report descriptor's length in the HID class descriptor (type 0x21), which
    /// lists (bDescriptorType, wDescriptorLength) pairs from offset 6.
    static func reportDescriptorLength(inClassDescriptors bytes: [UInt8]) -> UInt16? {
        var offset = 0
        while offset + 2 <= bytes.count {
            let length = Int(bytes[offset])
            guard length >= 2, offset + length <= bytes.count else { return nil }
            if bytes[offset + 1] == 0x21, length >= 9 {
                let count = Int(bytes[offset + 5])
                for index in 0..<count {
                    let base = offset + 6 + index * 3
                    guard base + 2 < offset + length else { break }
                    if bytes[base] == 0x22 {
                        return UInt16(bytes[base + 1]) | UInt16(bytes[base + 2]) << 8
                    }
                }
            }
            offset += length
        }
        return nil
    }
}
