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
        let line: String
        switch format {
        case .none: return
        case .jsonl: line = Self.json(answer)
        case .text: line = Self.text(answer)
        }
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        Self.writeToStandardOutput(bytes)
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
        var out = "{\"seq\":\(answer.seq.map(String.init) ?? "null")"
        out += ",\"scan_id\":" + JSONLiteral.string(answer.scanID)
        out += ",\"station\":" + JSONLiteral.string(answer.station)
        out += ",\"input\":" + JSONLiteral.string(String(decoding: answer.input, as: UTF8.self))
        out += ",\"symbology\":" + JSONLiteral.optionalString(answer.symbology)
        out += ",\"result\":" + JSONLiteral.string(answer.result.rawValue)
        out += ",\"prompt\":" + JSONLiteral.string(answer.prompt)
        out += ",\"movements\":[" + answer.movements.map(JSONLiteral.string).joined(separator: ",") + "]"
        if let error = answer.error {
            out += ",\"error\":{\"code\":" + JSONLiteral.string(error.code)
            out += ",\"message\":" + JSONLiteral.string(error.message)
            // CONTRACTS.md types offset as a number: an error not tied to a byte of the
            // payload (a workflow refusal) points at its start.
            out += ",\"offset\":" + String(error.offset ?? 0) + "}"
        }
        return out + "}"
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
