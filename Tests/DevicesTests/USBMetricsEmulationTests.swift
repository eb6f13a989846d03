import DeviceEmulation
import Foundation
import Testing

/// The daemon's /metrics counts USB scanners taken and lost, under umockdev: plugged,
/// unplugged and replugged while `scanstation run` serves metrics.
@Suite(.serialized)
struct USBMetricsEmulationTests {
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return UInt16(bigEndian: address.sin_port)
    }

    @Test func connectsAndDisconnectsOfAReplugedScannerAreCounted() throws {
        let port = try Self.freePort()
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("scanstation-usbmetrics-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        // The scrape happens inside the emulation, after plug (1 s), unplug (+1.5 s) and
        // replug (+1 s); then the daemon is stopped.
        let script = """
            '\(UMockdevRun.scanstation)' run --source usb --listen 127.0.0.1:\(port) --control-socket off --db '\(database)' --feedback jsonl </dev/null &
            pid=$!
            sleep 5.5
            /usr/bin/python3 -c 'import urllib.request,sys; sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:\(port)/metrics", timeout=10).read().decode())'
            kill -TERM $pid
            wait $pid
            """
        let output = try UMockdevRun.run(
            devices: [(EmulatedUSBDevice(vendorID: 0x05e0, productID: 0x1200), EmulatedUSBDevice.keyboardSession(BootKeyboardTyping.us("PLUG1")))],
            timeline: .init(plugAfterSeconds: 1, unplugAfterSeconds: 1.5, replugAfterSeconds: 1),
            command: ["/bin/sh", "-c", script])
        #expect(output.status == 0, "\(output.stderr)")
        let metrics = output.lines.filter { $0.hasPrefix("scanstation_device_") || $0.hasPrefix("scanstation_scans_total") }
        #expect(metrics.contains("scanstation_device_connects_total{kind=\"usb\"} 2"), "\(metrics)\n\(output.stderr)")
        #expect(metrics.contains("scanstation_device_disconnects_total{kind=\"usb\"} 1"), "\(metrics)")
        #expect(metrics.contains("scanstation_device_connects_total{kind=\"serial\"} 0"), "\(metrics)")
        #expect(output.stderr.components(separatedBy: "USB scanner attached").count - 1 == 2, "\(output.stderr)")
    }
}
