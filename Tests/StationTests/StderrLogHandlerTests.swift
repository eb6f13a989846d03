import Logging
import Testing
@testable import Station

/// The log line format scripts and journald read: `level=… msg=… key=value…`, keys sorted,
/// values quoted as JSON strings only when they need it, the `<N>` priority under systemd.
@Suite struct StderrLogHandlerTests {
    func line(_ handler: StderrLogHandler, _ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata?) -> String {
        let event = LogEvent(level: level, message: message, metadata: metadata, source: nil, file: #fileID, function: #function, line: #line)
        return String(decoding: handler.line(for: event), as: UTF8.self)
    }

    @Test func keysAreSortedAndOnlyValuesThatNeedItAreQuoted() {
        var handler = StderrLogHandler(label: "t", journald: false)
        handler[metadataKey: "station"] = "dock-1"
        handler[metadataKey: "scan_id"] = "01a2"
        let text = line(handler, .info, "scan accepted", ["seq": "7", "input": "A=B \"q\"\u{1D}", "empty": ""])
        #expect(text == #"level=info msg="scan accepted" empty="" input="A=B \"q\"\u001d" scan_id=01a2 seq=7 station=dock-1"# + "\n")
    }

    @Test func anEventsOwnMetadataWinsAndJournaldGetsThePriority() {
        var handler = StderrLogHandler(label: "t", journald: true)
        handler[metadataKey: "station"] = "dock-1"
        #expect(line(handler, .warning, "gone", ["station": "dock-2"]) == "<4>level=warning msg=gone station=dock-2\n")
        #expect(line(handler, .error, "ünïcode", nil) == "<3>level=error msg=\"ünïcode\" station=dock-1\n")
    }
}
