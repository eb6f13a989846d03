// libFuzzer entry point over ScanCodes' decoding: every reading of every input, and the
// JSON rendering, must return without trapping. Built only with SCANSTATION_FUZZ=1
// (see Package.swift and Fuzz/run-fuzzer.sh); libFuzzer supplies `main`.
import ScanCodes

private let classifier = ScanClassifier()
private let referenceDate = CalendarDate(year: 2026, month: 11, day: 24)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScanCodes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for reading in ScanReading.allCases {
        let scan = classifier.classify(bytes, referenceDate: referenceDate, reading: reading)
        _ = scan.jsonLine
    }
    _ = GS1Parser.parseHumanReadable(bytes[...], referenceDate: referenceDate)
    _ = DigitalLink.parse(bytes[...], referenceDate: referenceDate)
    _ = EPCDecoder.decode(hex: bytes[...])
    _ = try? LabelScheme(jsonFile: bytes)
    return 0
}
