import Foundation
import ScanCodes
import Ledger

#if canImport(Glibc)
import Glibc
#endif

/// How answers are shown on standard output.
public enum FeedbackFormat: String, Sendable, CaseIterable {
    /// One JSON object per scan (CONTRACTS.md), for scripts and tests.
    case jsonl
    /// One short human line per scan, for a person at a terminal.
    case text
    /// Nothing on standard output (the display and scanner signals still work).
    case none
}

/// Writes each answer to standard output and flushes at once, so a reader on the other
/// end of a pipe sees it as soon as the scan is committed.
public struct FeedbackWriter: Sendable {
    public var format: FeedbackFormat

    public init(format: FeedbackFormat) {
        self.format = format
    }

    public func write(_ answer: ScanAnswer) {
        switch format {
        case .none: return
        case .jsonl: Self.writeToStandardOutput(Self.jsonLine(answer))
        case .text:
            var bytes = Array(Self.text(answer).utf8)
            bytes.append(0x0A)
            Self.writeToStandardOutput(bytes)
        }
    }

    /// One write(2) per answer, straight from the line's bytes (FileHandle and Data cost
    /// a few microseconds a scan; a line up to PIPE_BUF reaches a pipe in one piece even
    /// when stations answer at once). A closed output ends the daemon with SIGPIPE, as before.
    static func writeToStandardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(1, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// The exact object of CONTRACTS.md (`run --feedback jsonl`), in its key order.
    public static func json(_ answer: ScanAnswer) -> String {
        var line = jsonLine(answer)
        line.removeLast()
        return String(decoding: line, as: UTF8.self)
    }

    /// `json(answer)` and its newline, built as bytes: this runs for every scan, between
    /// its commit and its answer.
    static func jsonLine(_ answer: ScanAnswer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + answer.prompt.utf8.count + answer.input.count + 40 * answer.movements.count)
        func key(_ name: StaticString) {
            name.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        key("{\"seq\":")
        if let seq = answer.seq { out.append(contentsOf: String(seq).utf8) } else { key("null") }
        key(",\"scan_id\":")
        JSONLiteral.append(answer.scanID, to: &out)
        key(",\"station\":")
        JSONLiteral.append(answer.station, to: &out)
        key(",\"input\":")
        JSONLiteral.append(utf8: answer.input, to: &out)
        key(",\"symbology\":")
        if let symbology = answer.symbology { JSONLiteral.append(symbology, to: &out) } else { key("null") }
        key(",\"result\":")
        JSONLiteral.append(answer.result.rawValue, to: &out)
        key(",\"prompt\":")
        JSONLiteral.append(answer.prompt, to: &out)
        key(",\"movements\":[")
        for (index, movement) in answer.movements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONLiteral.append(movement, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if let error = answer.error {
            key(",\"error\":{\"code\":")
            JSONLiteral.append(error.code, to: &out)
            key(",\"message\":")
            JSONLiteral.append(error.message, to: &out)
            // CONTRACTS.md types offset as a number: an error not tied to a byte of the
            // payload (a workflow refusal) points at its start.
            key(",\"offset\":")
            out.append(contentsOf: String(error.offset ?? 0).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
        return out
    }

    static func text(_ answer: ScanAnswer) -> String {
        let mark: String
        switch answer.result {
        case .accepted: mark = "OK  "
        case .warning: mark = "WARN"
        case .rejected: mark = "FAIL"
        }
        var shown = String(decoding: answer.input, as: UTF8.self)
            .replacingOccurrences(of: "\u{1D}", with: "<GS>")
            .replacingOccurrences(of: "\u{1E}", with: "<RS>")
            .replacingOccurrences(of: "\u{04}", with: "<EOT>")
        if shown.count > 60 { shown = String(shown.prefix(57)) + "..." }
        var line = "\(mark) #\(answer.seq.map(String.init) ?? "-") \(shown)"
        if let error = answer.error { line += " — \(error.message)" }
        return line + "\n     → " + answer.prompt
    }
}
