import Foundation
@testable import HIDDecoding

/// Hex ("00 1d 2f", "001d2f") to bytes; nil on anything else.
func bytes(hex: String) -> [UInt8]? {
    let digits = hex.filter { !$0.isWhitespace }
    guard digits.count % 2 == 0 else { return nil }
    var result: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
        result.append(byte)
        index = next
    }
    return result
}

func bootReport(_ modifiers: UInt8, _ keys: UInt8...) -> [UInt8] {
    var report: [UInt8] = [modifiers, 0]
    report.append(contentsOf: keys)
    while report.count < 8 { report.append(0) }
    return report
}

let releaseAll = bootReport(0)

/// Feeds boot reports (all at time 0) and flushes at the end of the stream.
func decode(_ reports: [[UInt8]], layout: KeyboardLayout, framing: ScanFraming = ScanFraming(), descriptor: ReportDescriptor = .bootKeyboard) -> [HIDScan] {
    var decoder = HIDScanDecoder(descriptor: descriptor, layout: layout, framing: framing)
    var scans: [HIDScan] = []
    for report in reports { scans += decoder.feed(report: report, atMilliseconds: 0) }
    scans += decoder.flush(atMilliseconds: .max)
    return scans
}

/// Alt held while `digits` are typed on the keypad, then Alt released.
func altNumpadReports(_ digits: String, altBit: UInt8 = 0x04) -> [[UInt8]] {
    var reports = [bootReport(altBit)]
    for digit in digits {
        guard let value = digit.wholeNumberValue else { continue }
        let usage: UInt8 = value == 0 ? 0x62 : 0x58 + UInt8(value)
        reports.append(bootReport(altBit, usage))
        reports.append(bootReport(altBit))
    }
    reports.append(releaseAll)
    return reports
}

func corpusURL(_ name: String) -> URL? {
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Corpus")
}
