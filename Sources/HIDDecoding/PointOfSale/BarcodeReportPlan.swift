/// Where a HID POS Scanned Data Report (usage page 0x8C) keeps its parts.
struct BarcodeReportPlan: Sendable {
    var reportID: UInt8?
    /// Generic Desktop Byte Count (0x01:0x3B): how many bytes of Decoded Data are valid.
    var byteCount: (offset: Int, size: Int)?
    /// Symbology Identifier 1-3 (0x8C:0xFB-0xFD), one byte each.
    var symbology: [(offset: Int, size: Int)]
    /// Decoded Data (0x8C:0xFE): consecutive byte values.
    var dataOffset: Int
    var dataCount: Int
    /// Decode Data Continued (0x8C:0xFF): more reports of the same scan follow.
    var continued: [(offset: Int, size: Int)]

    enum Usage {
        static let byteCount = HIDUsage(page: HIDUsage.Page.genericDesktop, id: 0x3B)
        static let symbology1: UInt16 = 0xFB
        static let symbology3: UInt16 = 0xFD
        static let decodedData: UInt16 = 0xFE
        static let decodeDataContinued: UInt16 = 0xFF
    }

    static func plans(for descriptor: ReportDescriptor) -> [BarcodeReportPlan] {
        descriptor.reports.compactMap { report in
            guard report.kind == .input else { return nil }
            var plan = BarcodeReportPlan(reportID: report.reportID, byteCount: nil, symbology: [], dataOffset: 0, dataCount: 0, continued: [])
            var sawData = false
            for field in report.fields where !field.isConstant && !field.isArray {
                for index in 0..<field.count {
                    guard let usage = field.usage(at: index) else { continue }
                    let offset = field.bitOffset + index * field.bitSize
                    if usage == Usage.byteCount {
                        plan.byteCount = (offset, min(field.bitSize, 32))
                    }
                    guard usage.page == HIDUsage.Page.barcodeScanner else { continue }
                    switch usage.id {
                    case Usage.symbology1...Usage.symbology3:
                        plan.symbology.append((offset, min(field.bitSize, 8)))
                    case Usage.decodedData where field.bitSize == 8:
                        if !sawData {
                            sawData = true
                            plan.dataOffset = offset
                        }
                        if offset == plan.dataOffset + plan.dataCount * 8 { plan.dataCount += 1 }
                    case Usage.decodeDataContinued:
                        plan.continued.append((offset, min(field.bitSize, 32)))
                    default:
                        break
                    }
                }
            }
            return sawData ? plan : nil
        }
    }

    /// Appends the report's data bytes to `data`; returns whether more reports of the scan
    /// follow, and stores the symbology bytes in `symbology` when it is empty.
    func extract(_ report: UnsafeBufferPointer<UInt8>, appendingTo data: inout [UInt8], symbology: inout [UInt8]) -> Bool {
        var length = dataCount
        if let byteCount {
            length = min(Int(readBits(report, bitOffset: byteCount.offset, bitSize: byteCount.size)), dataCount)
        } else {
            // Without a Byte Count the data is padded with NUL.
            while length > 0, readBits(report, bitOffset: dataOffset + (length - 1) * 8, bitSize: 8) == 0 { length -= 1 }
        }
        if dataOffset & 7 == 0, (dataOffset >> 3) + length <= report.count {
            let start = dataOffset >> 3
            data.append(contentsOf: UnsafeBufferPointer(rebasing: report[start..<(start + length)]))
        } else {
            for index in 0..<length {
                data.append(UInt8(truncatingIfNeeded: readBits(report, bitOffset: dataOffset + index * 8, bitSize: 8)))
            }
        }
        if symbology.isEmpty {
            symbology = self.symbology.map { UInt8(truncatingIfNeeded: readBits(report, bitOffset: $0.offset, bitSize: $0.size)) }
        }
        return continued.contains { readBits(report, bitOffset: $0.offset, bitSize: $0.size) != 0 }
    }
}
