import DeviceEmulation
import Foundation
import Testing

/// `scanstation devices --format json` against an emulated bus: what is plugged in, which
/// are scanners (by their report descriptors), and which station each would feed.
@Suite(.serialized)
struct DevicesCommandTests {
    struct Listing: Decodable {
        var devices: [Device]
    }

    struct Device: Decodable {
        var source: String
        var port_path: String
        var vendor_id: String
        var product_id: String
        var vendor_name: String?
        var product_name: String?
        var serial: String?
        var interfaces: [Interface]
        var scanner: String?
        var accessible: Bool
        var station: String?
        var note: String?
    }

    struct Interface: Decodable, Equatable {
        var number: Int
        var `class`: String
        var subclass: String
        var `protocol`: String
    }

    @Test func listsScannersAndKeyboardsWithIdsNamesKindAndStation() throws {
        var wedge = EmulatedUSBDevice(vendorID: 0x05e0, productID: 0x1200)
        wedge.serialNumber = "S4000-0042"
        var keyboard = EmulatedUSBDevice(vendorID: 0x046d, productID: 0xc31c)
        keyboard.port = 2
        keyboard.deviceAddress = 3
        keyboard.product = "USB Keyboard"
        var pos = EmulatedUSBDevice(vendorID: 0x7f7f, productID: 0x5678) // no such vendor in usb.ids
        pos.port = 3
        pos.deviceAddress = 4
        pos.interfaceSubclass = 0
        pos.interfaceProtocol = 0
        pos.reportDescriptor = ReportDescriptors.hidPOSScanner
        pos.maxPacketSize = 64
        pos.product = "POS Imager"
        let output = try UMockdevRun.run(
            devices: [(wedge, [.reportDescriptorRequest]), (keyboard, [.reportDescriptorRequest]), (pos, [.reportDescriptorRequest])],
            command: [UMockdevRun.scanstation, "devices", "--format", "json", "--station", "dock-1"])
        #expect(output.status == 0, "\(output.stderr)")
        let listing = try JSONDecoder().decode(Listing.self, from: Data(output.stdout.utf8))
        #expect(listing.devices.map(\.source) == ["usb:1-1", "usb:1-2", "usb:1-3"])
        guard listing.devices.count == 3 else { return }
        let (scanner, plain, imager) = (listing.devices[0], listing.devices[1], listing.devices[2])

        #expect(scanner.vendor_id == "05e0" && scanner.product_id == "1200")
        #expect(scanner.vendor_name == "Symbol Technologies") // from usb.ids
        #expect(scanner.product_name == "Bar Code Scanner")
        #expect(scanner.serial == "S4000-0042")
        #expect(scanner.interfaces == [Interface(number: 0, class: "03", subclass: "01", protocol: "01")])
        #expect(scanner.scanner == "keyboard")
        #expect(scanner.accessible)
        #expect(scanner.station == "dock-1")

        #expect(plain.scanner == "keyboard")
        #expect(plain.station == nil)
        #expect(plain.note?.contains("left to the system") == true)

        #expect(imager.scanner == "hid-pos")
        #expect(imager.station == "dock-1")
        #expect(imager.vendor_name == "Test Scanner Inc.") // not in usb.ids: the device's own string
        #expect(imager.interfaces == [Interface(number: 0, class: "03", subclass: "00", protocol: "00")])
    }

    @Test func textListingShowsTheSameFacts() throws {
        let output = try UMockdevRun.run(
            devices: [(EmulatedUSBDevice(vendorID: 0x0c2e, productID: 0x0b81), [.reportDescriptorRequest])],
            command: [UMockdevRun.scanstation, "devices", "--station", "pack-2"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("usb:1-1  0c2e:0b81  Metrologic Instruments Barcode scanner Voyager 1400g Series"))
        #expect(output.stdout.contains("scanner:    keyboard"))
        #expect(output.stdout.contains("station:    pack-2"))
        #expect(output.stdout.contains("access:     yes"))
    }

    @Test func aDeviceThisUserMayNotOpenIsShownAsSuchWithTheFix() throws {
        let setpriv = try UMockdevRun.tool("setpriv")
        let output = try UMockdevRun.run(
            devices: [(EmulatedUSBDevice(vendorID: 0x05e0, productID: 0x1200), [.reportDescriptorRequest])],
            timeline: .init(openTestbed: true),
            command: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                      UMockdevRun.scanstation, "devices", "--format", "json", "--station", "dock-1"])
        #expect(output.status == 0, "\(output.stderr)")
        let listing = try JSONDecoder().decode(Listing.self, from: Data(output.stdout.utf8))
        let device = try #require(listing.devices.first)
        #expect(device.accessible == false)
        #expect(device.station == "dock-1") // known vendor: it would feed the station once allowed
        #expect(device.note?.contains("permission denied") == true)
        #expect(device.note?.contains("udev rule") == true)
    }
}
