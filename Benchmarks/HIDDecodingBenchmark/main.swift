// Reports decoded per second, one core: boot-keyboard streams (a GS1 scan typed in DE, with
// Ctrl+AltGr+9 separators), a report-protocol keyboard with a key bitmap, and HID POS reports;
// against a raw baseline in the same run (reading every byte of the same reports).
// Rates are per second of this thread's CPU time, so other load on a shared machine does not
// count against them. `--smoke` runs each for a fraction of a second (CI); otherwise 2 s each.
import BenchmarkSupport
import Foundation  // libm for rounding
import HIDDecoding

let smoke = CommandLine.arguments.contains("--smoke")
/// `--only WORD`: run only the cases whose name contains WORD (and the baseline).
let only: String? = CommandLine.arguments.firstIndex(of: "--only").flatMap { index in
    index + 1 < CommandLine.arguments.count ? CommandLine.arguments[index + 1] : nil
}
let secondsPerCase: Double = smoke ? 0.2 : 2.0

/// CPU time of this thread: on a shared machine, what one core spends, whatever else runs.
func measure(_ name: String, reports: [[UInt8]], baseline: Double?, body: ([[UInt8]]) -> Int) -> Double {
    if let only, !name.hasPrefix("raw"), !name.contains(only) { return 0 }
    var total = 0
    var checksum = 0
    let start = threadCPUSeconds()
    var elapsed = 0.0
    repeat {
        checksum &+= body(reports)
        total += reports.count
        elapsed = threadCPUSeconds() - start
    } while elapsed < secondsPerCase
    let rate = Double(total) / elapsed
    var line = "\(name): \(formatted(rate)) reports/s of CPU time"
    if let baseline { line += " (\(decimal(rate / baseline * 100, places: 1))% of the raw baseline)" }
    print(line + " [checksum \(checksum & 0xFFFF)]")
    return rate
}

func formatted(_ rate: Double) -> String {
    rate >= 1e6 ? decimal(rate / 1e6, places: 2) + " million" : decimal(rate, places: 0)
}

func decimal(_ value: Double, places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    guard places > 0 else { return String(scaled) }
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return "\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
}

/// The raw baseline: touch every byte of every report, as any decoder must at least.
func rawBaseline(_ reports: [[UInt8]]) -> Int {
    var sum = 0
    for report in reports {
        for byte in report { sum &+= Int(byte) }
    }
    return sum
}

// A GS1 element string with two GS separators, typed in DE, 40 scans per batch.
let payload = "]C101040123456789011724123110LOT\u{1D}21SERIAL123\u{1D}3103001234"
let encoder = KeyboardEncoder(layout: .de)
var bootStream: [[UInt8]] = []
do {
    let scan = try encoder.bootReports(for: payload)
    for _ in 0..<40 { bootStream += scan }
} catch {
    print("cannot build the benchmark stream: \(error)")
}

let baseline = measure("raw baseline (sum of report bytes)", reports: bootStream, baseline: nil, body: rawBaseline)

/// Feeds every report to a fresh decoder (built once per batch of 40 scans) and counts scans.
func decodeAll(_ reports: [[UInt8]], descriptor: ReportDescriptor, layout: KeyboardLayout) -> Int {
    var decoder = HIDScanDecoder(descriptor: descriptor, layout: layout, framing: ScanFraming())
    var scans = 0
    for report in reports { scans &+= decoder.feed(report: report, atMilliseconds: 0).count }
    return scans
}

let bootRate = measure("boot keyboard, DE, GS1 scans", reports: bootStream, baseline: baseline) {
    decodeAll($0, descriptor: .bootKeyboard, layout: .de)
}

// Report protocol: report ID 1, modifier bitmap, then a bitmap of usages 0x00-0x67.
let bitmapDescriptor: ReportDescriptor? = try? ReportDescriptor(parsing: [
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x85, 0x01,
    0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
    0x19, 0x00, 0x29, 0x67, 0x95, 0x68, 0x81, 0x02, 0xC0,
])
let bitmapStream = bootStream.map { boot -> [UInt8] in
    var report = [UInt8](repeating: 0, count: 15)
    report[0] = 1
    report[1] = boot[0]
    for usage in boot[2...] where usage != 0 { report[2 + Int(usage) / 8] |= 1 << (usage % 8) }
    return report
}
if let bitmapDescriptor {
    _ = measure("report-protocol keyboard (key bitmap), DE", reports: bitmapStream, baseline: baseline) {
        decodeAll($0, descriptor: bitmapDescriptor, layout: .de)
    }
}

// HID POS: Honeywell's scanned data report layout, 64-byte reports, two per scan.
let posDescriptor: ReportDescriptor? = try? ReportDescriptor(parsing: [
    0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x01,
    0x05, 0x01, 0x09, 0x3B, 0x81, 0x02, 0x95, 0x03, 0x05, 0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02,
    0x95, 0x38, 0x09, 0xFE, 0x82, 0x02, 0x01, 0x06, 0x66, 0xFF, 0x95, 0x02, 0x09, 0x04, 0x09, 0x00, 0x81, 0x02,
    0x05, 0x8C, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x09, 0xFF, 0x81, 0x02, 0xC0,
])
let posStream: [[UInt8]] = (0..<40).flatMap { _ -> [[UInt8]] in
    let data = Array(String(repeating: "0123456789", count: 8).utf8)
    func report(_ part: ArraySlice<UInt8>, continued: Bool) -> [UInt8] {
        [0x02, UInt8(part.count)] + Array("]C1".utf8) + part + [UInt8](repeating: 0, count: 56 - part.count) + [0, 0, continued ? 1 : 0]
    }
    return [report(data[0..<56], continued: true), report(data[56...], continued: false)]
}
if let posDescriptor {
    _ = measure("HID POS scanned data reports (64 bytes)", reports: posStream, baseline: nil) {
        decodeAll($0, descriptor: posDescriptor, layout: .us)
    }
}

let target = 10_000_000.0
if bootRate > 0 {
print(bootRate >= target
    ? "boot keyboard target met: at least 10 million reports/s"
    : "boot keyboard target NOT met: \(formatted(bootRate)) < 10 million reports/s" + (smoke ? " (smoke run, debug build: expected)" : ""))
}
