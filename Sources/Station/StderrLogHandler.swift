public import Logging
import Foundation
import ScanCodes

#if canImport(Glibc)
import Glibc
#endif

/// One line per event on standard error: `level=info msg="scan accepted" scan_id=... ...`.
/// Under systemd (JOURNAL_STREAM set) each line starts with the `<N>` syslog priority
/// that journald reads.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let journald: Bool

    public init(label: String, level: Logger.Level = .info, journald: Bool? = nil) {
        self.label = label
        self.logLevel = level
        self.journald = journald ?? (ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        Self.writeToStandardError(line(for: event))
    }

    /// The event's line, newline included. Built as bytes and written with one write(2): a
    /// line is logged for every scan, on the thread that answers it.
    func line(for event: LogEvent) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(192)
        if journald {
            line.append(UInt8(ascii: "<"))
            line.append(UInt8(ascii: "0") + UInt8(Self.priority(event.level)))
            line.append(UInt8(ascii: ">"))
        }
        line.append(contentsOf: "level=".utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: " msg=".utf8)
        Self.appendQuoted(event.message.description, to: &line)
        let extra = event.metadata
        var keys = Array(metadata.keys)
        if let extra { keys += extra.keys.filter { metadata[$0] == nil } }
        keys.sort()
        for key in keys {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            Self.appendQuoted(Self.text(extra?[key] ?? metadata[key]), to: &line)
        }
        line.append(0x0A)
        return line
    }

    static func text(_ value: Logger.Metadata.Value?) -> String {
        switch value {
        case .string(let text)?: text
        case .stringConvertible(let convertible)?: convertible.description
        case let other?: "\(other)"
        case nil: ""
        }
    }

    /// The value as is when it is plain printable ASCII without quotes, `=` or backslashes,
    /// else as a JSON string literal.
    static func appendQuoted(_ value: String, to line: inout [UInt8]) {
        let utf8 = value.utf8
        let plain = !utf8.isEmpty && !utf8.contains { $0 <= 0x20 || $0 >= 0x7F || $0 == 0x22 || $0 == 0x3D || $0 == 0x5C }
        line.append(contentsOf: plain ? utf8 : JSONLiteral.string(value).utf8)
    }

    static func writeToStandardError(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = write(2, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    // stderr gone or full: a log line is not worth blocking or crashing for.
                    return
                }
            }
        }
    }

    /// syslog priorities (sd-daemon.h): err 3, warning 4, notice 5, info 6, debug 7.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

}
