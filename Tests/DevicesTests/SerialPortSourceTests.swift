import DeviceEmulation
import Devices
import Foundation
import Logging
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Log lines a test can look at.
final class CollectedLog: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(log: self) }
    }

    struct CollectingHandler: LogHandler {
        let log: CollectedLog
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let extra = (event.metadata ?? [:]).map { "\($0)=\($1)" }.sorted().joined(separator: " ")
            log.append("\(event.level) \(event.message) \(extra)")
        }
    }
}

/// Takes scans from a channel with a deadline, without blocking the test forever.
func take(_ count: Int, from channel: ScanChannel, within seconds: Double = 5) async -> [RawScan] {
    let timer = Task {
        try await Task.sleep(for: .seconds(seconds))
        channel.cancel()
    }
    defer { timer.cancel() }
    var scans: [RawScan] = []
    for await scan in channel {
        scans.append(scan)
        if scans.count == count { break }
    }
    return scans
}

func waitFor(_ condition: () -> Bool, seconds: Double = 5) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

@Suite struct SerialFramerTests {
    @Test func framesAtCRLFOrCRLFOnceAndSkipsEmptyFrames() {
        var framer = SerialFramer(limit: 100)
        let frames = framer.feed(Array("A1\r\nB2\rC3\n\r\n\nD4".utf8))
        #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == ["A1", "B2", "C3"])
        #expect(framer.feed(Array("\r".utf8)).map(\.bytes) == [Array("D4".utf8)])
    }

    @Test func keepsOnlyTheLimitButCountsTheWholeFrame() {
        var framer = SerialFramer(limit: 3)
        let frames = framer.feed(Array("ABCDEFG\n".utf8))
        #expect(frames.count == 1)
        #expect(frames.first?.bytes == Array("ABC".utf8))
        #expect(frames.first?.totalLength == 7)
    }

    @Test func aTerminatorSplitAcrossReadsIsStillOne() {
        var framer = SerialFramer(limit: 100)
        #expect(framer.feed(Array("X9\r".utf8)).count == 1)
        #expect(framer.feed(Array("\nY8\n".utf8)).map(\.bytes) == [Array("Y8".utf8)])
    }
}

@Suite struct SerialPortSourceTests {
    @Test func readsScansFromAPseudoTerminalInRawMode() async throws {
        let terminal = try PseudoTerminal()
        defer { terminal.unplug() }
        let log = CollectedLog()
        let source = SerialPortSource(path: terminal.slavePath, baudRate: 115_200, logger: log.logger)
        let channel = ScanChannel()
        source.start(into: channel)
        #expect(waitFor { log.contains("serial scanner opened") })
        // In cooked mode 0x7F would erase the A and the CR would become LF with an echo.
        terminal.type("A\u{7F}B\r0123456789012\r\nLOC-01-02\n")
        let scans = await take(3, from: channel)
        #expect(scans.map(\.bytes) == [[0x41, 0x7F, 0x42], Array("0123456789012".utf8), Array("LOC-01-02".utf8)])
        #expect(scans.allSatisfy { $0.source == "serial:\(terminal.slavePath)" })
        var echo = [UInt8](repeating: 0, count: 64)
        let flags = fcntl(terminal.master, F_GETFL)
        _ = fcntl(terminal.master, F_SETFL, flags | O_NONBLOCK)
        #expect(read(terminal.master, &echo, echo.count) < 0, "raw mode must not echo")
        channel.cancel()
    }

    /// A serial port is read for one station alone: its thread is lent to the waiting
    /// station for each scan.
    @Test func lendsItsThreadToTheWaitingConsumer() async throws {
        let terminal = try PseudoTerminal()
        defer { terminal.unplug() }
        let log = CollectedLog()
        let source = SerialPortSource(path: terminal.slavePath, baudRate: 115_200, logger: log.logger)
        // The channel calls the hand-off inside `send`, on the sender's thread, and only for
        // a sender that lends it.
        let handOffs = Mutex(0)
        let channel = ScanChannel(handOff: { resume in
            handOffs.withLock { $0 += 1 }
            resume()
        })
        source.start(into: channel)
        #expect(waitFor { log.contains("serial scanner opened") })
        let consumer = Task { await take(1, from: channel) }
        // Sleep, not block: the consumer needs one of the few pool threads to start waiting.
        var waited = 0
        while !channel.isConsumerWaiting, waited < 1_000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(channel.isConsumerWaiting)
        terminal.type("0123456789012\r")
        let scans = await consumer.value
        #expect(scans.map(\.bytes) == [Array("0123456789012".utf8)])
        #expect(handOffs.withLock { $0 } == 1, "the scan was handed over with the source's thread lent")
        channel.cancel()
    }

    @Test func unplugEndsTheStreamAndTheReturningPortIsReadAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A stable name like /dev/serial/by-id/..., pointing at whichever pty is "plugged in".
        let link = directory.appendingPathComponent("scanner").path
        let first = try PseudoTerminal()
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: first.slavePath)
        let log = CollectedLog()
        let source = SerialPortSource(path: link, logger: log.logger, retryInitialSeconds: 0.1, retryMaximumSeconds: 0.2)
        let channel = ScanChannel()
        source.start(into: channel)
        #expect(waitFor { log.contains("serial scanner opened") })
        first.type("BEFORE\r")
        // Half a scan, then the cable is pulled: the half must not come out.
        first.type("HALF")
        usleep(100_000)
        first.unplug()
        try FileManager.default.removeItem(atPath: link)
        #expect(waitFor { log.contains("went away") })
        #expect(waitFor { log.contains("is not there") })
        let second = try PseudoTerminal()
        defer { second.unplug() }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: second.slavePath)
        #expect(waitFor { log.contains("serial scanner reopened") })
        second.type("AFTER\n")
        let scans = await take(2, from: channel)
        #expect(scans.map { String(decoding: $0.bytes, as: UTF8.self) } == ["BEFORE", "AFTER"])
        channel.cancel()
    }

    @Test func aPortHeldByAnotherProgramIsReportedAsBusy() async throws {
        let terminal = try PseudoTerminal()
        defer { terminal.unplug() }
        let holder = open(terminal.slavePath, O_RDWR | O_NOCTTY)
        #expect(holder >= 0)
        defer { close(holder) }
        #expect(flock(holder, LOCK_EX | LOCK_NB) == 0)
        let log = CollectedLog()
        let source = SerialPortSource(path: terminal.slavePath, logger: log.logger, retryInitialSeconds: 0.1, retryMaximumSeconds: 0.2)
        let channel = ScanChannel()
        source.start(into: channel)
        #expect(waitFor { log.contains("is held by another program") && log.contains("error=busy") })
        #expect(!log.contains("serial scanner opened"))
        channel.cancel()
    }

    @Test func aPathThatIsNotATerminalIsRejectedWithAHint() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-tty-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let log = CollectedLog()
        let source = SerialPortSource(path: file.path, logger: log.logger, retryInitialSeconds: 0.1, retryMaximumSeconds: 0.2)
        let channel = ScanChannel()
        source.start(into: channel)
        #expect(waitFor { log.contains("is not a serial port") && log.contains("error=not-a-tty") })
        channel.cancel()
    }

    @Test func anUnsupportedSpeedIsRefusedWithTheSupportedOnes() async throws {
        let terminal = try PseudoTerminal()
        defer { terminal.unplug() }
        let log = CollectedLog()
        let source = SerialPortSource(path: terminal.slavePath, baudRate: 12345, logger: log.logger, retryInitialSeconds: 0.1, retryMaximumSeconds: 0.2)
        let channel = ScanChannel()
        source.start(into: channel)
        #expect(waitFor { log.contains("12345 baud is not a supported speed") && log.contains("9600") })
        #expect(!log.contains("serial scanner opened"))
        channel.cancel()
    }
}

@Suite struct SerialPortInventoryTests {
    @Test func listsACMAndUSBSerialNodesWithTheirStableNames() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dev-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let byID = root.appendingPathComponent("serial/by-id")
        try FileManager.default.createDirectory(at: byID, withIntermediateDirectories: true)
        for node in ["ttyACM10", "ttyACM2", "ttyUSB0", "ttyS0", "null"] {
            try Data().write(to: root.appendingPathComponent(node))
        }
        try FileManager.default.createSymbolicLink(atPath: byID.appendingPathComponent("usb-Honeywell_Imaging_1900-if00").path,
                                                   withDestinationPath: "../../ttyACM2")
        let ports = SerialPortInventory.list(deviceRoot: root.path)
        #expect(ports.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["ttyACM2", "ttyUSB0", "ttyACM10"])
        #expect(ports.first?.stableNames.map { URL(fileURLWithPath: $0).lastPathComponent } == ["usb-Honeywell_Imaging_1900-if00"])
        #expect(ports.first?.accessible == true)
        #expect(ports.last?.stableNames == [])
    }
}
