import ArgumentParser
import Foundation
import ScanCodes

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode payloads as the station would: GS1, GTIN, SSCC, EPC, commands, badges.",
        discussion: """
            With no PAYLOAD, reads standard input, one payload per line (split on LF only: \
            GS and RS are data; a trailing CR is dropped). GS1 dates use the century rule \
            relative to --reference-date (default: today, UTC). Exits 0 when the input was \
            read, whatever the payloads were.
            """
    )

    @Option(name: .customLong("as"), help: ArgumentHelp("How to read each payload: auto, gs1, epc or text.", valueName: "reading"))
    var reading: String = ScanReading.auto.rawValue

    @Option(help: ArgumentHelp("A site's label scheme file (JSON).", valueName: "file"))
    var scheme: String?

    @Option(help: ArgumentHelp("The date that GS1 two-digit years are resolved against.", valueName: "YYYY-MM-DD"))
    var referenceDate: String?

    @Option(help: ArgumentHelp("Output: text or jsonl.", valueName: "format"))
    var format: String = "text"

    @Argument(help: "Payloads to decode (none: read standard input).")
    var payloads: [String] = []

    func validate() throws {
        guard ScanReading(rawValue: reading) != nil else {
            throw ValidationError("unknown reading '\(reading)'; use auto, gs1, epc or text")
        }
        guard format == "text" || format == "jsonl" else {
            throw ValidationError("unknown format '\(format)'; use text or jsonl")
        }
        if let referenceDate, CalendarDate(iso: referenceDate) == nil {
            throw ValidationError("--reference-date '\(referenceDate)' is not a date YYYY-MM-DD")
        }
    }

    func run() throws {
        var labelScheme = LabelScheme.standard
        if let scheme {
            guard let data = FileManager.default.contents(atPath: scheme) else {
                throw ValidationError("cannot read the scheme file '\(scheme)'; check the path and its permissions")
            }
            do {
                labelScheme = try LabelScheme(jsonFile: [UInt8](data))
            } catch {
                throw ValidationError("scheme file '\(scheme)': \(error.message)")
            }
        }
        let classifier = ScanClassifier(scheme: labelScheme)
        let readingMode = ScanReading(rawValue: reading) ?? .auto
        let today = referenceDate.flatMap(CalendarDate.init(iso:)) ?? Self.todayUTC()
        let jsonl = format == "jsonl"

        func decode(_ line: [UInt8]) -> String {
            var payload = line
            if payload.last == 0x0D { payload.removeLast() }
            switch PayloadHygiene.check(payload) {
            case .success(let clean):
                let scan = classifier.classify(clean, referenceDate: today, reading: readingMode)
                return jsonl ? scan.jsonLine : Self.describe(scan)
            case .failure(let error):
                var scan = DecodedScan(input: payload, aimIdentifier: nil, symbology: nil, kind: .text, text: String(decoding: payload, as: UTF8.self))
                scan.error = error
                return jsonl ? scan.jsonLine : Self.describe(scan)
            }
        }

        if !payloads.isEmpty {
            for payload in payloads { Self.write(decode(Array(payload.utf8)) + "\n") }
            return
        }
        var pending: [UInt8] = []
        while true {
            let chunk = FileHandle.standardInput.availableData
            if chunk.isEmpty { break }
            pending += chunk
            var output = ""
            var lineStart = 0
            for index in pending.indices where pending[index] == 0x0A {
                let line = Array(pending[lineStart..<index])
                lineStart = index + 1
                // "One payload per line": a blank line is a (empty) payload too, so the
                // answers stay aligned with the input lines.
                output += decode(line) + "\n"
            }
            pending.removeFirst(lineStart)
            if !output.isEmpty { Self.write(output) }
        }
        // A last line without LF; nothing after the final LF is no line at all.
        if !pending.isEmpty { Self.write(decode(pending) + "\n") }
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func todayUTC() -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The text format: one headline per payload, then its elements and findings.
    static func describe(_ scan: DecodedScan) -> String {
        let shown = String(decoding: scan.input, as: UTF8.self).replacingOccurrences(of: "\u{1D}", with: "<GS>")
        var lines = ["\(shown): \(scan.kind.rawValue)\(scan.symbology.map { " (\($0.rawValue))" } ?? "")\(scan.ok ? "" : " INVALID")"]
        for element in scan.elements {
            var line = "  (\(element.ai)) \(element.title): \(element.value)"
            if let date = element.date { line += " = \(date)" }
            if let decimal = element.decimal, element.ai != "30", element.ai != "37" {
                line += " = \(decimal)\(element.unit.map { " " + $0 } ?? "")\(element.currency.map { " currency " + $0 } ?? "")"
            }
            lines.append(line)
        }
        if let gtin = scan.gtin, scan.elements.isEmpty { lines.append("  GTIN-14: \(gtin)") }
        if let sscc = scan.sscc, scan.elements.isEmpty { lines.append("  SSCC: \(sscc)") }
        if let epc = scan.epc {
            lines.append("  \(epc.pureIdentityURI)")
            lines.append("  \(epc.tagURI)")
            if let elementString = epc.elementString { lines.append("  \(elementString)") }
        }
        if let command = scan.command { lines.append("  command: \(command.name)\(command.argument.map { " " + $0 } ?? "")") }
        if let badge = scan.badge { lines.append("  badge: \(badge)") }
        if let label = scan.label { lines.append("  label: \(label)") }
        if let error = scan.error { lines.append("  error \(error.code) at offset \(error.offset): \(error.message)") }
        for warning in scan.warnings { lines.append("  warning \(warning.code): \(warning.message)") }
        return lines.joined(separator: "\n")
    }
}
