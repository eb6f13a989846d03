// TEMPORARY: a minimal stand-in for the HIDDecoding API (issue 4) so the USB plumbing can
// be built and tested before that target lands; removed when it is merged.

struct HIDDecodingStandInError: Error {}

enum POSSignal { case goodRead, badRead }

enum KeyboardLayout: String { case us, uk, de, fr, es, it }

enum ScanTerminator { case enter, tab, none }

struct ScanFraming {
    var terminator: ScanTerminator
    var interCharacterTimeoutMilliseconds: Int
    var stripPrefix: String
    var stripSuffix: String
    init(terminator: ScanTerminator, interCharacterTimeoutMilliseconds: Int, stripPrefix: String, stripSuffix: String) {
        self.terminator = terminator
        self.interCharacterTimeoutMilliseconds = interCharacterTimeoutMilliseconds
        self.stripPrefix = stripPrefix
        self.stripSuffix = stripSuffix
    }
}

struct ReportDescriptor {
    var isKeyboard = false
    var isBarcodeScanner = false
    var bootKeyboard: ReportDescriptor { var d = ReportDescriptor(); d.isKeyboard = true; return d }
    init() {}
    init(parsing bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw HIDDecodingStandInError() }
        var index = 0
        var page: UInt32 = 0
        while index < bytes.count {
            let prefix = bytes[index]
            let size = [0, 1, 2, 4][Int(prefix & 3)]
            guard index + size < bytes.count || index + size == bytes.count - 1 || index + 1 + size <= bytes.count else { throw HIDDecodingStandInError() }
            var value: UInt32 = 0
            for offset in 0..<size { value |= UInt32(bytes[index + 1 + offset]) << (8 * offset) }
            if prefix & 0xFC == 0x04 { page = value }
            if prefix & 0xFC == 0x08 {
                if page == 1 && value == 6 { isKeyboard = true }
                if page == 0x8C { isBarcodeScanner = true }
            }
            index += 1 + size
        }
    }
    func outputReport(for signal: POSSignal) -> [UInt8]? { nil }
}

struct HIDScan {
    var bytes: [UInt8]
    var text: String
    var symbology: String?
    var warnings: [String]
}

struct HIDScanDecoder {
    let framing: ScanFraming
    var previous: Set<UInt8> = []
    var pending: [UInt8] = []
    init(descriptor: ReportDescriptor, layout: KeyboardLayout, framing: ScanFraming) {
        self.framing = framing
    }
    mutating func feed(report: [UInt8], atMilliseconds: UInt64) -> [HIDScan] {
        guard report.count >= 8 else { return [] }
        let shift = report[0] & 0x22 != 0
        let keys = Set(report[2..<8].filter { $0 != 0 })
        var scans: [HIDScan] = []
        for key in report[2..<8] where key != 0 && !previous.contains(key) {
            switch key {
            case 0x04...0x1D: pending.append((shift ? 0x41 : 0x61) + key - 0x04)
            case 0x1E...0x26: pending.append(0x31 + key - 0x1E)
            case 0x27: pending.append(0x30)
            case 0x28:
                scans.append(HIDScan(bytes: pending, text: String(decoding: pending, as: UTF8.self), symbology: nil, warnings: []))
                pending = []
            default: break
            }
        }
        previous = keys
        return scans
    }
    mutating func flush(atMilliseconds: UInt64) -> [HIDScan] { [] }
}
