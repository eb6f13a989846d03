import ArgumentParser
import ScanCodes
import Foundation
import HIDDecoding

struct HIDDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hid-decode",
        abstract: "Decode USB HID reports (keyboard wedge or HID POS) into scans, one JSON object per scan.",
        discussion: """
            Standard input: one report per line, hex (spaces allowed), optionally preceded by a \
            timestamp in milliseconds (`T_MS HEX`) for timeout framing. A first field is read as \
            a timestamp when it is decimal and differs in length from the field after it \
            (`1200 0000040000000000`, `7 00 00 04 00 00 00 00 00`). With --descriptor, reports \
            carry their report ID byte as the descriptor says; without, they are boot keyboard \
            reports. Output: {"text":...,"symbology":...,"warnings":[...]} per framed scan; a \
            key the layout cannot map is a warning in that scan, never dropped silently.
            """
    )

    @Option(help: ArgumentHelp("The host keyboard layout: \(KeyboardLayout.allCases.map(\.rawValue).joined(separator: "|")).", valueName: "layout"))
    var layout: String = KeyboardLayout.us.rawValue

    @Option(help: ArgumentHelp("The device's HID report descriptor, hex (default: the boot keyboard).", valueName: "hex"))
    var descriptor: String?

    @Option(help: ArgumentHelp("What ends a scan: enter, tab or none.", valueName: "terminator"))
    var terminator: String = ScanTerminator.enter.rawValue

    @Option(name: .customLong("timeout-ms"), help: ArgumentHelp("Inter-character timeout in milliseconds, with timestamped input (0: none).", valueName: "n"))
    var timeoutMilliseconds: Int = ScanFraming.defaultTimeoutMilliseconds

    @Option(help: ArgumentHelp("A prefix the scanner sends before each scan, removed.", valueName: "s"))
    var stripPrefix: String?

    @Option(help: ArgumentHelp("A suffix the scanner sends after each scan, removed.", valueName: "s"))
    var stripSuffix: String?

    func validate() throws {
        guard KeyboardLayout(rawValue: layout) != nil else {
            throw ValidationError("unknown layout '\(layout)'; use one of \(KeyboardLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ScanTerminator(rawValue: terminator) != nil else {
            throw ValidationError("unknown terminator '\(terminator)'; use enter, tab or none")
        }
        guard timeoutMilliseconds >= 0 else { throw ValidationError("--timeout-ms must be 0 or more") }
        if let descriptor {
            guard let bytes = HexText.bytes(descriptor) else { throw ValidationError("--descriptor is not hex: \(descriptor)") }
            do { _ = try ReportDescriptor(parsing: bytes) } catch { throw ValidationError("--descriptor: \(error)") }
        }
    }

    func run() throws {
        var parsed = ReportDescriptor.bootKeyboard
        if let descriptor, let bytes = HexText.bytes(descriptor) {
            do { parsed = try ReportDescriptor(parsing: bytes) } catch { throw ValidationError("--descriptor: \(error)") }
        }
        let framing = ScanFraming(
            terminator: ScanTerminator(rawValue: terminator) ?? .enter,
            interCharacterTimeoutMilliseconds: timeoutMilliseconds == 0 ? nil : timeoutMilliseconds,
            stripPrefix: stripPrefix, stripSuffix: stripSuffix)
        var decoder = HIDScanDecoder(descriptor: parsed, layout: KeyboardLayout(rawValue: layout) ?? .us, framing: framing)
        var output = StandardOutput()
        var lineNumber = 0
        var now: UInt64 = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            if fields.count >= 2, fields[0].allSatisfy({ $0.isASCII && $0.isNumber }), fields[0].count != fields[1].count,
               let time = UInt64(fields[0]) {
                now = time
                fields.removeFirst()
            }
            guard let report = HexText.bytes(fields.joined()) else {
                FileHandle.standardError.write(Data("scanstation hid-decode: line \(lineNumber) is not a hex report; skipped\n".utf8))
                continue
            }
            for scan in decoder.feed(report: report, atMilliseconds: now) { output.write(Self.json(scan)) }
        }
        for scan in decoder.flush(atMilliseconds: .max) { output.write(Self.json(scan)) }
    }

    static func json(_ scan: HIDScan) -> String {
        "{\"text\":\(JSONLiteral.string(scan.text)),\"symbology\":\(scan.symbology.map(JSONLiteral.string) ?? "null"),\"warnings\":[\(scan.warnings.map(JSONLiteral.string).joined(separator: ","))]}"
    }
}

struct HIDDescriptorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hid-descriptor",
        abstract: "Print the report layout of a HID report descriptor given in hex.",
        discussion: "Exits 1 with the reason when the descriptor is malformed."
    )

    @Argument(help: ArgumentHelp("The report descriptor, hex (spaces allowed).", valueName: "hex"))
    var hex: [String]

    @Option(help: ArgumentHelp("Output: text or json.", valueName: "format"))
    var format: String = "text"

    func validate() throws {
        guard format == "text" || format == "json" else { throw ValidationError("unknown format '\(format)'; use text or json") }
        guard HexText.bytes(hex.joined()) != nil else { throw ValidationError("the descriptor is not hex: \(hex.joined(separator: " "))") }
    }

    func run() throws {
        let bytes = HexText.bytes(hex.joined()) ?? []
        let descriptor: ReportDescriptor
        do {
            descriptor = try ReportDescriptor(parsing: bytes)
        } catch {
            FileHandle.standardError.write(Data("scanstation hid-descriptor: \(error)\n".utf8))
            throw ExitCode(1)
        }
        var output = StandardOutput()
        if format == "json" {
            output.write(Self.json(descriptor))
        } else {
            for line in Self.text(descriptor) { output.write(line) }
        }
    }

    static func text(_ descriptor: ReportDescriptor) -> [String] {
        var lines: [String] = []
        let kinds = [descriptor.isKeyboard ? "keyboard" : nil, descriptor.isBarcodeScanner ? "HID POS barcode scanner" : nil].compactMap { $0 }
        lines.append("device: \(kinds.isEmpty ? "neither a keyboard nor a HID POS barcode scanner" : kinds.joined(separator: " and "))")
        for collection in descriptor.collections {
            var depth = 0
            var parent = collection.parent
            while let index = parent { depth += 1; parent = descriptor.collections[index].parent }
            lines.append(String(repeating: "  ", count: depth) + "collection \(collection.typeName) \(collection.usage?.description ?? "-")")
        }
        for report in descriptor.reports {
            lines.append("\(report.kind.rawValue) report \(report.reportID.map { "id \($0)" } ?? "(no id)"): \(report.wireLength) bytes")
            for field in report.fields {
                let end = field.bitOffset + field.bitLength - 1
                var parts = ["bits \(field.bitOffset)-\(end)", "\(field.count) x \(field.bitSize) bit"]
                parts.append(field.isConstant ? "constant" : (field.isArray ? "array" : "variable"))
                if !field.usages.isEmpty { parts.append("usages " + field.usages.map(\.description).joined(separator: ", ")) }
                parts.append("logical \(field.logicalMinimum)...\(field.logicalMaximum)")
                if field.physicalMinimum != 0 || field.physicalMaximum != 0 { parts.append("physical \(field.physicalMinimum)...\(field.physicalMaximum)") }
                if field.unit.rawValue != 0 { parts.append("unit \(field.unit)") }
                lines.append("  " + parts.joined(separator: ", "))
            }
        }
        for note in descriptor.notes { lines.append("note: \(note)") }
        return lines
    }

    static func json(_ descriptor: ReportDescriptor) -> String {
        let reports = descriptor.reports.map { report -> String in
            let fields = report.fields.map { field -> String in
                var flags: [String] = [field.isConstant ? "constant" : "data", field.isArray ? "array" : "variable"]
                if field.flags.contains(.relative) { flags.append("relative") }
                if field.flags.contains(.bufferedBytes) { flags.append("buffered_bytes") }
                if field.flags.contains(.nullState) { flags.append("null_state") }
                return "{\"bit_offset\":\(field.bitOffset),\"bit_size\":\(field.bitSize),\"count\":\(field.count),"
                    + "\"flags\":[\(flags.map(JSONLiteral.string).joined(separator: ","))],"
                    + "\"usages\":[\(field.usages.map { JSONLiteral.string($0.description) }.joined(separator: ","))],"
                    + "\"logical_minimum\":\(field.logicalMinimum),\"logical_maximum\":\(field.logicalMaximum),"
                    + "\"physical_minimum\":\(field.physicalMinimum),\"physical_maximum\":\(field.physicalMaximum),"
                    + "\"unit\":\(JSONLiteral.string(field.unit.description)),"
                    + "\"application\":\(field.application.map { JSONLiteral.string($0.description) } ?? "null")}"
            }
            return "{\"kind\":\"\(report.kind.rawValue)\",\"report_id\":\(report.reportID.map(String.init) ?? "null"),"
                + "\"length\":\(report.wireLength),\"fields\":[\(fields.joined(separator: ","))]}"
        }
        return "{\"keyboard\":\(descriptor.isKeyboard),\"barcode_scanner\":\(descriptor.isBarcodeScanner),"
            + "\"report_ids\":\(descriptor.usesReportIDs),"
            + "\"applications\":[\(descriptor.applications.map { JSONLiteral.string($0.description) }.joined(separator: ","))],"
            + "\"reports\":[\(reports.joined(separator: ","))]}"
    }
}

/// Hex with optional spaces, as the HID commands read it.
fileprivate enum HexText {
    static func bytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") })
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}


/// Line-buffered standard output, flushed per line so pipes see each scan at once.
fileprivate struct StandardOutput {
    mutating func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
