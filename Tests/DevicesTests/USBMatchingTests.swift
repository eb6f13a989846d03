import Devices
import Testing

@Suite struct USBMatchingTests {
    static func device(vendor: UInt16, product: UInt16, bootKeyboard: Bool = true, serial: String? = nil, ports: [UInt8] = [1]) -> USBDeviceDescription {
        USBDeviceDescription(busNumber: 1, deviceAddress: 2, portNumbers: ports, vendorID: vendor, productID: product, serialNumber: serial,
                             interfaces: [.init(number: 0, interfaceClass: 3, subclass: bootKeyboard ? 1 : 0, interfaceProtocol: bootKeyboard ? 1 : 0,
                                                interruptInAddress: 0x81, interruptInMaxPacketSize: 8)])
    }

    @Test(arguments: [0x0c2e, 0x0536, 0x05e0, 0x05f9, 0x080c, 0x1eab, 0x067e, 0x065a, 0x0db5] as [UInt16])
    func knownScannerVendorsAreTakenByDefault(_ vendor: UInt16) {
        #expect(USBDeviceMatch.knownScanners.matches(Self.device(vendor: vendor, product: 0x0001)) == true)
    }

    @Test func anUnknownKeyboardIsOnlyADescriptorQuestionAndANonHIDDeviceIsNo() {
        // nil: taken only if its report descriptor turns out to be a HID POS scanner.
        #expect(USBDeviceMatch.knownScanners.matches(Self.device(vendor: 0x046d, product: 0xc31c)) == nil)
        let storage = USBDeviceDescription(busNumber: 1, deviceAddress: 5, portNumbers: [2], vendorID: 0x0781, productID: 0x5567,
                                           interfaces: [.init(number: 0, interfaceClass: 8, subclass: 6, interfaceProtocol: 0x50)])
        #expect(USBDeviceMatch.knownScanners.matches(storage) == false)
    }

    @Test func productsNamedAsScannersInUsbIdsAreKnownButTheirVendorsOtherDevicesAreNot() {
        #expect(KnownScanners.contains(vendor: 0x03f0, product: 0x0139)) // HP Barcode Scanner 4430
        #expect(!KnownScanners.contains(vendor: 0x03f0, product: 0x0001)) // another HP device
    }

    @Test func rulesMatchByIdsSerialAndPortPath() {
        let device = Self.device(vendor: 0x05e0, product: 0x1200, serial: "S42", ports: [1, 4])
        #expect(device.portPath == "1-1.4")
        #expect(device.sourceName == "usb:1-1.4")
        #expect(USBDeviceMatch.ids(vendor: 0x05e0, product: 0x1200).matches(device) == true)
        #expect(USBDeviceMatch.ids(vendor: 0x05e0, product: nil).matches(device) == true)
        #expect(USBDeviceMatch.ids(vendor: 0x05e0, product: 0x1300).matches(device) == false)
        #expect(USBDeviceMatch.serialNumber("S42").matches(device) == true)
        #expect(USBDeviceMatch.serialNumber("S43").matches(device) == false)
        #expect(USBDeviceMatch.portPath("1-1.4").matches(device) == true)
        #expect(USBDeviceMatch.portPath("1-1").matches(device) == false)
    }

    @Test func usbIdsNamesVendorsAndProductsAndStopsAtTheClassLists() {
        let database = USBIDDatabase(text: """
            # comment
            05e0  Symbol Technologies
            \t1200  Bar Code Scanner
            \t\t00  an interface line
            0c2e  Metrologic Instruments
            C 03  Human Interface Device
            \t01  Boot Interface Subclass
            """)
        #expect(database.vendorName(0x05e0) == "Symbol Technologies")
        #expect(database.productName(vendor: 0x05e0, product: 0x1200) == "Bar Code Scanner")
        #expect(database.vendorName(0x0c2e) == "Metrologic Instruments")
        #expect(database.productName(vendor: 0x0c2e, product: 0x0001) == nil)
        #expect(database.vendorName(0x0003) == nil)
    }
}
