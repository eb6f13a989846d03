import DeviceEmulation
import Foundation
import Testing

/// The real libusb path against emulated hardware: `scanstation devices watch` runs inside
/// umockdev-run, which fakes sysfs and usbdevfs and replays the stated USB traffic.
@Suite(.serialized)
struct USBEmulationTests {
    struct WatchedScan: Decodable, Equatable {
        var source: String
        var text: String
        var hex: String
        var symbology: String?
        var station: String?
    }

    static func scans(_ output: UMockdevRun.Output) throws -> [WatchedScan] {
        try output.lines.map { try JSONDecoder().decode(WatchedScan.self, from: Data($0.utf8)) }
    }

    static func keyboardScanner(vendor: UInt16 = 0x05e0, product: UInt16 = 0x1200) -> EmulatedUSBDevice {
        EmulatedUSBDevice(vendorID: vendor, productID: product)
    }

    @Test func keyboardWedgeScannerOfAKnownVendorIsReadAsUSText() throws {
        let reports = BootKeyboardTyping.us("ABC123") + BootKeyboardTyping.us("Pallet42")
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), EmulatedUSBDevice.keyboardSession(reports))],
            command: [UMockdevRun.scanstation, "devices", "watch", "--count", "2", "--seconds", "10"])
        #expect(output.status == 0, "\(output.stderr)")
        let scans = try Self.scans(output)
        #expect(scans.map(\.text) == ["ABC123", "Pallet42"])
        #expect(scans.allSatisfy { $0.source == "usb:1-1" })
        #expect(output.stderr.contains("USB scanner attached"))
        #expect(output.stderr.contains("kind=keyboard"))
    }

    @Test func plainKeyboardOfAnUnknownVendorIsNotTaken() throws {
        var keyboard = EmulatedUSBDevice(vendorID: 0x046d, productID: 0xc31c) // Logitech keyboard ids
        keyboard.product = "USB Keyboard"
        // Were it taken, these keystrokes would come out as a scan.
        let output = try UMockdevRun.run(
            devices: [(keyboard, EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("secret")))],
            command: [UMockdevRun.scanstation, "devices", "watch", "--seconds", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.lines.isEmpty)
        #expect(output.stderr.contains("USB scanner manager started"))
        #expect(!output.stderr.contains("USB scanner attached"))
    }

    @Test func unplugMidScanEndsThatDeviceOnlyAndTheSourceKeepsRunning() throws {
        let reports = BootKeyboardTyping.us("FIRST1") + Array(BootKeyboardTyping.us("LOST").prefix(4))
        let steps = EmulatedUSBDevice.keyboardSession(reports) + [.unplug]
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), steps)],
            command: [UMockdevRun.scanstation, "devices", "watch", "--seconds", "3"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.scans(output).map(\.text) == ["FIRST1"])
        #expect(output.stderr.contains("was unplugged"))
        #expect(output.stderr.contains("error=unplugged"))
        // The source went on until the watch ended it, and gave everything back.
        #expect(output.stderr.contains("USB scanner manager stopped"))
    }

    @Test func permissionDeniedNamesTheDeviceAndPointsAtTheUdevRule() throws {
        let setpriv = try UMockdevRun.tool("setpriv")
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("X1")))],
            timeline: .init(openTestbed: true),
            command: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                      UMockdevRun.scanstation, "devices", "watch", "--seconds", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.lines.isEmpty)
        #expect(output.stderr.contains("permission denied opening usb:1-1 (05e0:1200)"))
        #expect(output.stderr.contains("udev rule"))
        #expect(output.stderr.contains(#"ATTR{idVendor}==\"05e0\""#))
        // Tried again with a growing back-off, not spun on.
        #expect(output.stderr.contains("failures=1 retry_seconds=1.0"))
        #expect(output.stderr.contains("failures=2 retry_seconds=2.0"))
        #expect(!output.stderr.contains("failures=4"))
    }

    @Test func hotplugPicksUpAScannerPluggedInLaterAndAgainAfterReplug() throws {
        let reports = BootKeyboardTyping.us("PLUG1")
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), EmulatedUSBDevice.keyboardSession(reports))],
            timeline: .init(plugAfterSeconds: 1, unplugAfterSeconds: 1.5, replugAfterSeconds: 1),
            command: [UMockdevRun.scanstation, "devices", "watch", "--seconds", "6"])
        #expect(output.status == 0, "\(output.stderr)")
        // Once after the first plug, once after the replug (the replay starts over).
        #expect(try Self.scans(output).map(\.text) == ["PLUG1", "PLUG1"], "\(output.stderr)")
        #expect(output.stderr.components(separatedBy: "USB scanner attached").count - 1 == 2)
        #expect(output.stderr.contains("was unplugged"))
    }

    @Test func withoutHotplugARescanFindsAScannerPluggedInLater() throws {
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("RESCAN7")))],
            timeline: .init(plugAfterSeconds: 0.5),
            command: [UMockdevRun.scanstation, "devices", "watch", "--rescan", "--count", "1", "--seconds", "8"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.scans(output).map(\.text) == ["RESCAN7"])
        #expect(output.stderr.contains("hotplug=false"))
    }

    @Test func eachMatchedScannerFeedsTheStationItsRuleNames() throws {
        var second = EmulatedUSBDevice(vendorID: 0x0c2e, productID: 0x0b81)
        second.port = 2
        second.deviceAddress = 3
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("DOCK1"))),
                      (second, EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("PACK2")))],
            command: [UMockdevRun.scanstation, "devices", "watch", "--match", "05e0:1200@dock-1", "--match", "port=1-2@pack-2",
                      "--count", "2", "--seconds", "10"])
        #expect(output.status == 0, "\(output.stderr)")
        let scans = try Self.scans(output).sorted { $0.text < $1.text }
        #expect(scans.map(\.text) == ["DOCK1", "PACK2"])
        #expect(scans.map(\.station) == ["dock-1", "pack-2"])
        #expect(scans.map(\.source) == ["usb:1-1", "usb:1-2"])
    }

    @Test func withoutATerminatorSilenceEndsTheScan() throws {
        // After the last record the replay goes idle: only the inter-character timeout of the
        // device thread's timer can end this scan.
        let steps = EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("SCAN1", enter: false))
        let started = Date()
        let output = try UMockdevRun.run(
            devices: [(Self.keyboardScanner(), steps)],
            command: [UMockdevRun.scanstation, "devices", "watch", "--terminator", "none", "--timeout-ms", "150",
                      "--count", "1", "--seconds", "10"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try Self.scans(output).map(\.text) == ["SCAN1"], "\(output.stderr)")
        #expect(Date().timeIntervalSince(started) < 8, "the scan must end by the timeout, not by the end of the watch")
    }
}
