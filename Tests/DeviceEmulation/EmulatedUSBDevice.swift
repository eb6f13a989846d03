public import Foundation

/// A USB HID device for umockdev: writes its `.umockdev` description and a usbmon pcap
/// replay of the traffic a test states (testing-hardware.md has the formats).
public struct EmulatedUSBDevice: Sendable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var busNumber: Int = 1
    public var deviceAddress: Int = 2
    /// The root port: the device is `BUS-PORT` (`1-1`).
    public var port: Int = 1
    public var manufacturer = "Test Scanner Inc."
    public var product = "Emulated Barcode Scanner"
    public var serialNumber = "EMU0001"
    /// bInterfaceSubClass / bInterfaceProtocol of the one HID interface (1/1: boot keyboard).
    public var interfaceSubclass: UInt8 = 1
    public var interfaceProtocol: UInt8 = 1
    public var reportDescriptor: [UInt8] = ReportDescriptors.bootKeyboard
    public var endpoint: UInt8 = 0x81
    public var maxPacketSize: UInt16 = 8

    public init(vendorID: UInt16, productID: UInt16) {
        self.vendorID = vendorID
        self.productID = productID
    }

    public var portPath: String { "\(busNumber)-\(port)" }
    public var sysfsPath: String { "/sys/devices/pci0000:00/0000:00:14.0/usb\(busNumber)/\(portPath)" }
    public var deviceNode: String { String(format: "/dev/bus/usb/%03d/%03d", busNumber, deviceAddress) }

    /// Device descriptor followed by the whole configuration (interface, HID, endpoint).
    public var descriptors: [UInt8] {
        var device: [UInt8] = [18, 1, 0x00, 0x02, 0, 0, 0, 64]
        device += le16(vendorID) + le16(productID) + le16(0x0100) + [1, 2, 3, 1]
        let interface: [UInt8] = [9, 4, 0, 0, 1, 3, interfaceSubclass, interfaceProtocol, 0]
        let hid: [UInt8] = [9, 0x21, 0x11, 0x01, 0, 1, 0x22] + le16(UInt16(reportDescriptor.count))
        let endpointDescriptor: [UInt8] = [7, 5, endpoint, 3] + le16(maxPacketSize) + [10]
        let total = UInt16(9 + interface.count + hid.count + endpointDescriptor.count)
        let configuration: [UInt8] = [9, 2] + le16(total) + [1, 1, 0, 0xA0, 50]
        return device + configuration + interface + hid + endpointDescriptor
    }

    /// The `.umockdev` text (no comment lines: umockdev's parser rejects them).
    public var umockdevDescription: String {
        let hex = descriptors.map { String(format: "%02X", $0) }.joined()
        let node = String(format: "bus/usb/%03d/%03d", busNumber, deviceAddress)
        let minor = (busNumber - 1) * 128 + (deviceAddress - 1)
        let lines = [
            "P: \(sysfsPath.dropFirst(4))",
            "N: \(node)=\(hex)",
            String(format: "E: BUSNUM=%03d", busNumber),
            String(format: "E: DEVNUM=%03d", deviceAddress),
            "E: DEVNAME=/dev/\(node)",
            "E: DEVTYPE=usb_device",
            "E: DRIVER=usb",
            "E: ID_BUS=usb",
            String(format: "E: ID_VENDOR_ID=%04x", vendorID),
            String(format: "E: ID_MODEL_ID=%04x", productID),
            String(format: "E: ID_USB_INTERFACES=:03%02x%02x:", interfaceSubclass, interfaceProtocol),
            "E: MAJOR=189",
            "E: MINOR=\(minor)",
            String(format: "E: PRODUCT=%x/%x/100", vendorID, productID),
            "E: SUBSYSTEM=usb",
            "E: TYPE=0/0/0",
            "A: authorized=1",
            "A: bConfigurationValue=1\\n",
            "A: bDeviceClass=00",
            "A: bMaxPacketSize0=64",
            "A: bNumConfigurations=1",
            "A: bNumInterfaces= 1",
            "A: busnum=\(busNumber)\\n",
            "A: devnum=\(deviceAddress)\\n",
            "A: devpath=\(port)",
            "A: dev=189:\(minor)",
            String(format: "A: idVendor=%04x", vendorID),
            String(format: "A: idProduct=%04x", productID),
            "A: manufacturer=\(manufacturer)",
            "A: product=\(product)",
            "A: serial=\(serialNumber)",
            "A: speed=12",
            "A: version= 2.00",
            "H: descriptors=\(hex)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the host does, in order, as the replay must expect it.
    public enum Step: Sendable {
        /// GET_DESCRIPTOR(Report) answered with `reportDescriptor`.
        case reportDescriptorRequest
        /// SET_IDLE(0) to the interface.
        case setIdle
        /// One interrupt IN transfer completing with this report.
        case report([UInt8])
        /// The interrupt IN transfer completes with -ENODEV (unplugged mid-stream).
        case unplug
        /// SET_REPORT(Output) with these bytes (report id first): a beep or LED.
        case setOutputReport([UInt8])
    }

    /// The usual conversation of scanstation with a keyboard-wedge scanner: the report
    /// descriptor, SET_IDLE, then the reports.
    public static func keyboardSession(_ reports: [[UInt8]]) -> [Step] {
        [.reportDescriptorRequest, .setIdle] + reports.map(Step.report)
    }

    /// A HID POS scanner: no SET_IDLE.
    public static func posSession(_ reports: [[UInt8]]) -> [Step] {
        [.reportDescriptorRequest] + reports.map(Step.report)
    }

    /// Classic pcap, link type 220 (usbmon with the 64-byte header), as usbmon records it.
    public func pcap(_ steps: [Step]) -> Data {
        var records: [(microseconds: UInt64, bytes: [UInt8])] = []
        var urbID: UInt64 = 0x1000
        var microseconds: UInt64 = 0

        func packet(_ event: Character, id: UInt64? = nil, type: UInt8, endpoint: UInt8, setup: [UInt8]?, urbLength: Int, data: [UInt8], status: Int32 = 0) {
            var header: [UInt8] = []
            header += le64(id ?? urbID)
            header += [UInt8(event.asciiValue ?? 0), type, endpoint, UInt8(deviceAddress)]
            header += le16(UInt16(busNumber))
            header += [setup != nil ? 0 : UInt8(ascii: "-")]
            header += [data.isEmpty ? UInt8(ascii: event == "S" ? "<" : ">") : 0]
            header += le64(microseconds / 1_000_000)
            header += le32(UInt32(microseconds % 1_000_000))
            header += le32(UInt32(bitPattern: status))
            header += le32(UInt32(urbLength))
            header += le32(UInt32(data.count))
            header += setup ?? [UInt8](repeating: 0, count: 8)
            header += [UInt8](repeating: 0, count: 16) // interval, start frame, flags, ndesc
            records.append((microseconds, header + data))
            microseconds += 1000
        }

        // The host keeps one interrupt IN transfer queued and queues the next as soon as one
        // completes, so each completion is followed by the next submission.
        var interruptPending = false
        var interruptID: UInt64 = 0
        func submitInterrupt() {
            interruptID = urbID
            urbID += 1
            packet("S", id: interruptID, type: 1, endpoint: endpoint, setup: nil, urbLength: Int(maxPacketSize), data: [])
            interruptPending = true
        }
        for step in steps {
            switch step {
            case .reportDescriptorRequest:
                let setup: [UInt8] = [0x81, 0x06, 0x00, 0x22, 0, 0] + le16(UInt16(reportDescriptor.count))
                packet("S", type: 2, endpoint: 0x80, setup: setup, urbLength: reportDescriptor.count, data: [])
                packet("C", type: 2, endpoint: 0x80, setup: nil, urbLength: reportDescriptor.count, data: reportDescriptor)
                urbID += 1
            case .setIdle:
                let setup: [UInt8] = [0x21, 0x0A, 0, 0, 0, 0, 0, 0]
                packet("S", type: 2, endpoint: 0x00, setup: setup, urbLength: 0, data: [])
                packet("C", type: 2, endpoint: 0x00, setup: nil, urbLength: 0, data: [])
                urbID += 1
            case .setOutputReport(let report):
                let setup: [UInt8] = [0x21, 0x09, report.first ?? 0, 0x02, 0, 0] + le16(UInt16(report.count))
                packet("S", type: 2, endpoint: 0x00, setup: setup, urbLength: report.count, data: report)
                packet("C", type: 2, endpoint: 0x00, setup: nil, urbLength: report.count, data: [])
                urbID += 1
            case .report(let report):
                if !interruptPending { submitInterrupt() }
                packet("C", id: interruptID, type: 1, endpoint: endpoint, setup: nil, urbLength: report.count, data: report)
                submitInterrupt()
            case .unplug:
                if !interruptPending { submitInterrupt() }
                packet("C", id: interruptID, type: 1, endpoint: endpoint, setup: nil, urbLength: 0, data: [], status: -19)
                interruptPending = false
            }
        }
        var out: [UInt8] = le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(262_144) + le32(220)
        for record in records {
            // Capture times as usbmon writes them (umockdev 0.17 replays as fast as the host reads).
            out += le32(UInt32(record.microseconds / 1_000_000)) + le32(UInt32(record.microseconds % 1_000_000))
            out += le32(UInt32(record.bytes.count)) + le32(UInt32(record.bytes.count))
            out += record.bytes
        }
        return Data(out)
    }
}

func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) } }
