// Devices benchmark: report-to-RawScan latency of the USB path under umockdev, and idle CPU
// of the device loop with hotplug only (no scanner attached).
//
//   DevicesBenchmark [--smoke]
//
// The parent writes the emulated scanner and its usbmon replay, then runs itself inside
// umockdev-run (`--child-latency N` / `--child-idle SECONDS`); the child drives the real
// USBScannerManager and prints one line of figures that the parent reports.
import BenchmarkSupport
import DeviceEmulation
import Devices
import Foundation
import Logging

let arguments = CommandLine.arguments
let logger = Logger(label: "benchmark", factory: { _ in SwiftLogNoOpLogHandler() })

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Child: read N scans and print the latency from the completion of the report that ended
/// each scan (RawScan.monotonicNanoseconds) to its arrival in async code.
func childLatency(_ count: Int) async {
    let manager = USBScannerManager(logger: logger)
    let channel = ScanChannel()
    manager.start(into: channel)
    let watchdog = Task {
        try await Task.sleep(for: .seconds(60))
        channel.cancel()
    }
    var latencies: [Double] = []
    for await scan in channel {
        latencies.append(Double(MonotonicClock.nanoseconds() - scan.monotonicNanoseconds) / 1000)
        if latencies.count == count { break }
    }
    watchdog.cancel()
    channel.cancel()
    manager.waitUntilStopped(timeoutSeconds: 5)
    let sorted = latencies.sorted()
    print("latency scans=\(sorted.count) median_us=\(percentile(sorted, 0.5)) p99_us=\(percentile(sorted, 0.99)) max_us=\(sorted.last ?? .nan)")
}

/// Child: run the device loop with no device for `seconds` and print its CPU use.
func childIdle(_ seconds: Double) async {
    let manager = USBScannerManager(logger: logger)
    let channel = ScanChannel()
    manager.start(into: channel)
    try? await Task.sleep(for: .milliseconds(500)) // start-up is not idle
    let cpuBefore = cpuSeconds()
    let wallBefore = MonotonicClock.nanoseconds()
    try? await Task.sleep(for: .seconds(seconds))
    let cpu = cpuSeconds() - cpuBefore
    let wall = Double(MonotonicClock.nanoseconds() - wallBefore) / 1e9
    channel.cancel()
    manager.waitUntilStopped(timeoutSeconds: 5)
    print("idle seconds=\(wall) cpu_seconds=\(cpu) cpu_percent=\(cpu / wall * 100)")
}

func parent(smoke: Bool) throws {
    let scans = smoke ? 20 : 500
    let idleSeconds = smoke ? 1.0 : 10.0
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    var reports: [[UInt8]] = []
    for index in 0..<scans {
        reports += BootKeyboardTyping.us(String(format: "400638133%04d", index))
    }
    let scanner = EmulatedUSBDevice(vendorID: 0x05e0, productID: 0x1200)
    print("DevicesBenchmark\(smoke ? " (smoke)" : ""): libusb \(SystemLibraries.libusbVersion), umockdev usbmon replay, keyboard-wedge scanner, 13-digit scans (28 reports each, replayed as fast as the host reads them)")
    let latency = try UMockdevRun.run(devices: [(scanner, EmulatedUSBDevice.keyboardSession(reports))],
                                      command: [me, "--child-latency", "\(scans)"], timeoutSeconds: 120)
    guard let line = latency.lines.first(where: { $0.hasPrefix("latency") }) else {
        FileHandle.standardError.write(Data("latency run failed (status \(latency.status)):\n\(latency.stderr)\n".utf8))
        exit(1)
    }
    print("report -> RawScan in async code: \(line)")
    // An empty testbed: hotplug works (umockdev's udev monitor), no usbfs node to poll.
    let idle = try UMockdevRun.run(devices: [], command: [me, "--child-idle", "\(idleSeconds)"], timeoutSeconds: 60)
    guard let idleLine = idle.lines.first(where: { $0.hasPrefix("idle") }) else {
        FileHandle.standardError.write(Data("idle run failed (status \(idle.status)):\n\(idle.stderr)\n".utf8))
        exit(1)
    }
    print("device loop, no scanner, hotplug only: \(idleLine)")
}

if let index = arguments.firstIndex(of: "--child-latency"), index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
    await childLatency(count)
} else if let index = arguments.firstIndex(of: "--child-idle"), index + 1 < arguments.count, let seconds = Double(arguments[index + 1]) {
    await childIdle(seconds)
} else {
    do {
        try parent(smoke: arguments.contains("--smoke"))
    } catch {
        FileHandle.standardError.write(Data("DevicesBenchmark: \(error)\n".utf8))
        exit(1)
    }
}
