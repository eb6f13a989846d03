/// A parsed HID report descriptor: its collections and the layout of every report.
public struct ReportDescriptor: Sendable, Hashable {
    public var collections: [HIDCollection]
    /// Layout of each input, output and feature report, in order of first appearance.
    public var reports: [ReportLayout]
    /// Items this parser skipped as the Linux kernel does (reserved or unknown local/main tags).
    public var notes: [String]

    public init(collections: [HIDCollection], reports: [ReportLayout], notes: [String] = []) {
        self.collections = collections
        self.reports = reports
        self.notes = notes
    }

    /// Whether the reports carry a report ID byte.
    public var usesReportIDs: Bool { reports.contains { $0.reportID != nil } }

    /// The application collections' usages.
    public var applications: [HIDUsage] { collections.filter(\.isApplication).compactMap(\.usage) }

    /// Has a Keyboard or Keypad application collection (Generic Desktop 0x06 / 0x07).
    public var isKeyboard: Bool {
        applications.contains { $0.page == HIDUsage.Page.genericDesktop && ($0.id == 0x06 || $0.id == 0x07) }
    }

    /// Has a HID Point of Sale barcode scanner application collection (usage page 0x8C).
    public var isBarcodeScanner: Bool { applications.contains { $0.page == HIDUsage.Page.barcodeScanner } }

    /// The layout of the report of `kind` with `reportID` (nil when the descriptor uses no IDs).
    public func report(_ kind: ReportKind, id reportID: UInt8?) -> ReportLayout? {
        reports.first { $0.kind == kind && $0.reportID == reportID }
    }

    /// The standard boot protocol keyboard (HID 1.11 Appendix B.1): modifier byte, reserved byte,
    /// six key usages; output report of five LEDs.
    public static let bootKeyboard: ReportDescriptor = {
        do {
            return try ReportDescriptor(parsing: bootKeyboardBytes)
        } catch {
            // Unreachable: the bytes below are the specification's own; tests parse them too.
            return ReportDescriptor(collections: [], reports: [], notes: ["\(error)"])
        }
    }()

    /// HID 1.11 Appendix B.1, the boot keyboard report descriptor.
    public static let bootKeyboardBytes: [UInt8] = [
        0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
        0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x05, 0x75, 0x01,
        0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01, 0x95, 0x06,
        0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
    ]
}

extension ReportDescriptor {
    /// The largest descriptor accepted: USB's wDescriptorLength is 16 bits.
    static let maximumLength = 0xFFFF
    /// Longest report data accepted, in bytes (Linux HID_MAX_BUFFER_SIZE is 16 KiB).
    static let maximumReportBytes = 16 * 1024
    static let maximumUsages = 12_288  // Linux HID_MAX_USAGES
    static let maximumNesting = 64
    static let maximumPushDepth = 16

    /// Parses a report descriptor as a USB device returns it.
    public init(parsing bytes: [UInt8]) throws(HIDDescriptorError) {
        var parser = DescriptorParser()
        try parser.parse(bytes)
        self.init(collections: parser.collections, reports: parser.finishedReports(), notes: parser.notes)
    }
}

/// The item-by-item state machine of HID 1.11 §6.2.2.
private struct DescriptorParser {
    struct GlobalState {
        var usagePage: UInt16 = 0
        var logicalMinimum: Int64 = 0
        var logicalMaximum: Int64 = 0
        var logicalMaximumRaw: UInt64 = 0
        var logicalMaximumSize = 0
        var physicalMinimum: Int64 = 0
        var physicalMaximum: Int64 = 0
        var physicalMaximumRaw: UInt64 = 0
        var physicalMaximumSize = 0
        var unitExponent = 0
        var unit: UInt32 = 0
        var reportSize = 0
        var reportID: UInt8?
        var reportCount = 0
    }

    /// A Usage as written: with its own page (4-byte form) or taking the page current at the main item.
    struct PendingUsage {
        var page: UInt16?
        var id: UInt16
        func resolved(_ page: UInt16) -> HIDUsage { HIDUsage(page: self.page ?? page, id: id) }
    }

    struct LocalState {
        var usages: [(first: PendingUsage, last: PendingUsage)] = []
        var usageMinimum: PendingUsage?
        var usageMaximum: PendingUsage?
        var usageCount = 0
    }

    struct ReportKey: Hashable {
        var kind: ReportKind
        var id: UInt8?
    }

    var global = GlobalState()
    var local = LocalState()
    var globalStack: [GlobalState] = []
    var collections: [HIDCollection] = []
    var openCollections: [Int] = []
    var reportOrder: [ReportKey] = []
    var reportBits: [ReportKey: Int] = [:]
    var reportFields: [ReportKey: [ReportField]] = [:]
    var sawReportWithoutID = false
    var notes: [String] = []

    mutating func parse(_ bytes: [UInt8]) throws(HIDDescriptorError) {
        guard !bytes.isEmpty else {
            throw HIDDescriptorError(.empty, offset: 0, "the report descriptor is empty; re-read it from the device (unplug and plug it in again)")
        }
        guard bytes.count <= ReportDescriptor.maximumLength else {
            throw HIDDescriptorError(.tooLarge, offset: 0, "the report descriptor is \(bytes.count) bytes, more than a USB descriptor can be")
        }
        var offset = 0
        while offset < bytes.count {
            let prefix = bytes[offset]
            if prefix == 0xFE {
                // Long item: data size, tag, data. The HID specification defines no long item tags.
                guard offset + 2 < bytes.count else {
                    throw HIDDescriptorError(.truncatedItem, offset: offset, "a long item's header runs past the end of the descriptor; the descriptor is cut short")
                }
                let size = Int(bytes[offset + 1])
                guard offset + 3 + size <= bytes.count else {
                    throw HIDDescriptorError(.truncatedItem, offset: offset, "a long item of \(size) bytes runs past the end of the descriptor; the descriptor is cut short")
                }
                notes.append("skipped long item tag 0x\(hex(bytes[offset + 2], width: 2)) at byte \(offset)")
                offset += 3 + size
                continue
            }
            let sizeCode = Int(prefix & 0x3)
            let size = sizeCode == 3 ? 4 : sizeCode
            guard offset + 1 + size <= bytes.count else {
                throw HIDDescriptorError(.truncatedItem, offset: offset, "item 0x\(hex(prefix, width: 2)) needs \(size) data bytes but the descriptor ends; the descriptor is cut short")
            }
            var data: UInt64 = 0
            for index in 0..<size { data |= UInt64(bytes[offset + 1 + index]) << UInt64(8 * index) }
            let tag = prefix >> 4
            switch (prefix >> 2) & 0x3 {
            case 0: try main(tag: tag, data: data, size: size, offset: offset)
            case 1: try globalItem(tag: tag, data: data, size: size, offset: offset)
            case 2: try localItem(tag: tag, data: data, size: size, offset: offset)
            default: notes.append("skipped reserved item 0x\(hex(prefix, width: 2)) at byte \(offset)")
            }
            offset += 1 + size
        }
        if !openCollections.isEmpty {
            throw HIDDescriptorError(.unbalancedCollection, offset: bytes.count, "\(openCollections.count) collection(s) are not closed at the end of the descriptor; the descriptor is cut short or malformed")
        }
    }

    mutating func main(tag: UInt8, data: UInt64, size: Int, offset: Int) throws(HIDDescriptorError) {
        switch tag {
        case 0x8: try addField(.input, flags: data, offset: offset)
        case 0x9: try addField(.output, flags: data, offset: offset)
        case 0xB: try addField(.feature, flags: data, offset: offset)
        case 0xA:
            guard openCollections.count < ReportDescriptor.maximumNesting else {
                throw HIDDescriptorError(.nestingTooDeep, offset: offset, "collections are nested more than \(ReportDescriptor.maximumNesting) deep; this is not a real device's descriptor")
            }
            let usage = local.usages.first.map { $0.first.resolved(global.usagePage) }
                ?? local.usageMinimum.map { $0.resolved(global.usagePage) }
            collections.append(HIDCollection(type: UInt8(truncatingIfNeeded: data), usage: usage, parent: openCollections.last, offset: offset))
            openCollections.append(collections.count - 1)
        case 0xC:
            guard openCollections.popLast() != nil else {
                throw HIDDescriptorError(.unbalancedCollection, offset: offset, "End Collection without an open collection; the descriptor is malformed")
            }
        default:
            notes.append("skipped unknown main item tag 0x\(hex(tag, width: 1)) at byte \(offset)")
        }
        local = LocalState()
    }

    mutating func globalItem(tag: UInt8, data: UInt64, size: Int, offset: Int) throws(HIDDescriptorError) {
        let signed = signExtend(data, bitSize: size * 8)
        switch tag {
        case 0x0:
            guard data <= 0xFFFF else {
                throw HIDDescriptorError(.invalidUsage, offset: offset, "Usage Page 0x\(hex(data, width: 8)) does not fit 16 bits; the descriptor is malformed")
            }
            global.usagePage = UInt16(data)
        case 0x1: global.logicalMinimum = signed
        case 0x2:
            global.logicalMaximum = signed
            global.logicalMaximumRaw = data
            global.logicalMaximumSize = size
        case 0x3: global.physicalMinimum = signed
        case 0x4:
            global.physicalMaximum = signed
            global.physicalMaximumRaw = data
            global.physicalMaximumSize = size
        case 0x5:
            // The specification's exponent is a signed nibble; some devices write a signed byte.
            global.unitExponent = data <= 0xF ? Int(signExtend(data, bitSize: 4)) : Int(signed)
        case 0x6: global.unit = UInt32(truncatingIfNeeded: data)
        case 0x7:
            guard data <= 256 else {
                throw HIDDescriptorError(.invalidReportSize, offset: offset, "Report Size \(data) bits is larger than any HID field (256 bits); the descriptor is malformed")
            }
            global.reportSize = Int(data)
        case 0x8:
            guard data >= 1, data <= 255 else {
                throw HIDDescriptorError(.invalidReportID, offset: offset, "Report ID \(data) is not in 1...255 (0 is reserved); the descriptor is malformed")
            }
            global.reportID = UInt8(data)
        case 0x9:
            guard data <= UInt64(ReportDescriptor.maximumReportBytes * 8) else {
                throw HIDDescriptorError(.invalidReportSize, offset: offset, "Report Count \(data) is larger than any report can hold; the descriptor is malformed")
            }
            global.reportCount = Int(data)
        case 0xA:
            guard globalStack.count < ReportDescriptor.maximumPushDepth else {
                throw HIDDescriptorError(.unbalancedPush, offset: offset, "Push nested more than \(ReportDescriptor.maximumPushDepth) deep; the descriptor is malformed")
            }
            globalStack.append(global)
        case 0xB:
            guard let saved = globalStack.popLast() else {
                throw HIDDescriptorError(.unbalancedPush, offset: offset, "Pop without a matching Push; the descriptor is malformed")
            }
            global = saved
        default:
            // Linux refuses descriptors with unknown global tags, so no working device has one.
            throw HIDDescriptorError(.unknownItem, offset: offset, "unknown global item tag 0x\(hex(tag, width: 1)); the descriptor is malformed")
        }
    }

    mutating func localItem(tag: UInt8, data: UInt64, size: Int, offset: Int) throws(HIDDescriptorError) {
        let usage = PendingUsage(page: size == 4 ? UInt16(truncatingIfNeeded: data >> 16) : nil, id: UInt16(truncatingIfNeeded: data))
        switch tag {
        case 0x0:
            try appendUsage(first: usage, last: usage, count: 1, offset: offset)
        case 0x1:
            local.usageMinimum = usage
            try closeRangeIfComplete(offset: offset)
        case 0x2:
            local.usageMaximum = usage
            try closeRangeIfComplete(offset: offset)
        case 0x3, 0x4, 0x5, 0x7, 0x8, 0x9, 0xA:
            break  // designators, strings and delimiters do not change the report layout
        default:
            notes.append("skipped unknown local item tag 0x\(hex(tag, width: 1)) at byte \(offset)")
        }
    }

    mutating func closeRangeIfComplete(offset: Int) throws(HIDDescriptorError) {
        guard let minimum = local.usageMinimum, let maximum = local.usageMaximum else { return }
        local.usageMinimum = nil
        local.usageMaximum = nil
        let first = minimum.resolved(global.usagePage)
        let last = maximum.resolved(global.usagePage)
        guard first.page == last.page, first.id <= last.id else {
            throw HIDDescriptorError(.invalidUsage, offset: offset, "Usage Minimum \(first) is above Usage Maximum \(last) or on another page; the descriptor is malformed")
        }
        try appendUsage(first: minimum, last: maximum, count: Int(last.id) - Int(first.id) + 1, offset: offset)
    }

    mutating func appendUsage(first: PendingUsage, last: PendingUsage, count: Int, offset: Int) throws(HIDDescriptorError) {
        local.usageCount += count
        guard local.usages.count < ReportDescriptor.maximumUsages else {
            throw HIDDescriptorError(.tooLarge, offset: offset, "more than \(ReportDescriptor.maximumUsages) usages for one item; the descriptor is malformed")
        }
        local.usages.append((first, last))
    }

    mutating func addField(_ kind: ReportKind, flags: UInt64, offset: Int) throws(HIDDescriptorError) {
        if global.reportID == nil {
            sawReportWithoutID = true
        }
        if sawReportWithoutID, global.reportID != nil {
            throw HIDDescriptorError(.mixedReportIDs, offset: offset, "some reports have a report ID and others do not; the descriptor is malformed")
        }
        let key = ReportKey(kind: kind, id: global.reportID)
        let start = reportBits[key] ?? 0
        let length = global.reportSize * global.reportCount
        guard start + length <= ReportDescriptor.maximumReportBytes * 8 else {
            throw HIDDescriptorError(.reportTooLong, offset: offset, "the \(kind.rawValue) report \(global.reportID.map(String.init) ?? "") is longer than \(ReportDescriptor.maximumReportBytes) bytes; the descriptor is malformed")
        }
        if reportBits[key] == nil { reportOrder.append(key) }
        reportBits[key] = start + length
        // A Usage Minimum without Maximum (or the reverse) still names one usage.
        if let lone = local.usageMinimum ?? local.usageMaximum {
            local.usages.append((lone, lone))
        }
        let page = global.usagePage
        let usages = local.usages.compactMap { HIDUsageRange(first: $0.first.resolved(page), last: $0.last.resolved(page)) }
        // Linux reads Logical Maximum as unsigned when the minimum is not negative.
        let logicalMaximum = global.logicalMinimum >= 0 ? Int64(bitPattern: global.logicalMaximumRaw) : global.logicalMaximum
        let physicalMaximum = global.physicalMinimum >= 0 ? Int64(bitPattern: global.physicalMaximumRaw) : global.physicalMaximum
        let collection = openCollections.last
        var application: HIDUsage?
        var cursor = collection
        while let index = cursor {
            if collections[index].isApplication {
                application = collections[index].usage
                break
            }
            cursor = collections[index].parent
        }
        guard length > 0 else { return }
        let field = ReportField(
            bitOffset: start, bitSize: global.reportSize, count: global.reportCount,
            flags: MainItemFlags(rawValue: UInt32(truncatingIfNeeded: flags)), usages: usages,
            logicalMinimum: global.logicalMinimum, logicalMaximum: logicalMaximum,
            physicalMinimum: global.physicalMinimum, physicalMaximum: physicalMaximum,
            unit: HIDUnit(rawValue: global.unit, exponent: global.unitExponent),
            collection: collection, application: application)
        reportFields[key, default: []].append(field)
    }

    func finishedReports() -> [ReportLayout] {
        reportOrder.map { key in
            ReportLayout(kind: key.kind, reportID: key.id, bitLength: reportBits[key] ?? 0, fields: reportFields[key] ?? [])
        }
    }
}
