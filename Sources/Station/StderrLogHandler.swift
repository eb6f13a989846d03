public import Logging
import Foundation
import ScanCodes

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
        var line = journald ? "<\(Self.priority(event.level))>" : ""
        line += "level=\(event.level) msg=\(Self.quote(event.message.description))"
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quote("\(merged[key].map { "\($0)" } ?? "")"))"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
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

    static func quote(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "=" && $0 != "\\"
        }
        return plain ? value : JSONLiteral.string(value)
    }
}
