import Foundation
import GRDB
import Devices
import Ledger
@testable import Station
import Testing

/// GET /metrics on a running daemon, `--listen off`, bad addresses, a port in use, and the
/// text format's pieces.
@Suite struct MetricsTests {
    /// A daemon reading scans from a pipe, with the given extra arguments.
    final class Daemon {
        let directory: TemporaryDirectory
        let process = Process()
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        var buffer = Data()

        init(listen: String, extraArguments: [String] = []) throws {
            directory = try TemporaryDirectory()
            let config = directory.path("scanstation.toml")
            try Data("""
                database = "\(directory.path("s.db"))"
                listen = "\(listen)"
                control_socket = "off"
                [[station]]
                name = "dock-\\"1\\""
                sources = ["stdin"]
                [[station]]
                name = "pack-2"
                """.utf8).write(to: URL(fileURLWithPath: config))
            process.executableURL = ScanStationProcess.executable
            process.arguments = ["run", "--config", config, "--feedback", "jsonl"] + extraArguments
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
        }

        func scan(_ bytes: [UInt8]) throws -> [String: Any] {
            stdin.fileHandleForWriting.write(Data(bytes + [0x0A]))
            while !buffer.contains(0x0A) {
                let chunk = stdout.fileHandleForReading.availableData
                try #require(!chunk.isEmpty, "daemon closed its output")
                buffer.append(chunk)
            }
            let newline = try #require(buffer.firstIndex(of: 0x0A))
            let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            return try jsonObject(line)
        }

        /// Stops the daemon and returns its log.
        func stop() -> String {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// A port nothing listens on right now.
    static func freePort() throws -> UInt16 {
        let (fd, port) = try listeningSocket(port: 0)
        close(fd)
        return port
    }

    static func listeningSocket(port: UInt16) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(listen(fd, 4) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Sends `request` raw to 127.0.0.1:port and returns the whole answer; nil when
    /// nothing accepts the connection.
    static func exchange(port: UInt16, request: [UInt8]) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            answer += chunk[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    static func get(_ path: String, port: UInt16) -> String? {
        exchange(port: port, request: Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n\r\n".utf8))
    }

    /// Waits until something accepts connections on the port.
    static func waitForListener(port: UInt16) -> Bool {
        for _ in 0..<250 {
            if get("/metrics", port: port) != nil { return true }
            usleep(20_000)
        }
        return false
    }

    /// Samples of a scrape by `name{labels}` (labels as written).
    static func samples(_ body: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let value = line[line.index(after: space)...]
            values[String(line[..<space])] = value == "+Inf" ? .infinity : Double(value)
        }
        return values
    }

    @Test func scrapeCountsScansByStationAndResultWithLatencyHistogram() throws {
        let port = try Self.freePort()
        let daemon = try Daemon(listen: "127.0.0.1:\(port)")
        var expected: [String: Int] = [:]
        for input in [Array("4006381333931".utf8), Array("4006381333931".utf8), [0x41, 0x01, 0x42], Array("OP-77".utf8)] {
            let answer = try daemon.scan(input)
            let result = try #require(answer["result"] as? String)
            expected[result, default: 0] += 1
        }
        #expect(expected["rejected"] == 1, "the control character is rejected")
        try #require(Self.waitForListener(port: port), "the daemon listens on 127.0.0.1:\(port)")

        var response = ""
        for _ in 0..<100 {
            response = try #require(Self.get("/metrics", port: port))
            if response.contains("scanstation_scan_ack_latency_seconds_count{station=\"dock-\\\"1\\\"\"} 4\n") { break }
            usleep(10_000)
        }
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"))
        let body = String(try #require(response.components(separatedBy: "\r\n\r\n").last))
        let values = Self.samples(body)
        let station = #"station="dock-\"1\"""#
        for result in ["accepted", "warning", "rejected"] {
            #expect(values["scanstation_scans_total{\(station),result=\"\(result)\"}"] == Double(expected[result] ?? 0), "\(result)")
            #expect(values["scanstation_scans_total{station=\"pack-2\",result=\"\(result)\"}"] == 0)
        }
        #expect(body.contains("# TYPE scanstation_scan_ack_latency_seconds histogram"))
        let bounds = ["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "+Inf"]
        let buckets = try bounds.map { bound in
            try #require(values["scanstation_scan_ack_latency_seconds_bucket{\(station),le=\"\(bound)\"}"], "bucket le=\(bound)")
        }
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0 <= $1 }, "buckets are cumulative: \(buckets)")
        #expect(buckets.last == 4)
        #expect(values["scanstation_scan_ack_latency_seconds_count{\(station)}"] == 4)
        let sum = try #require(values["scanstation_scan_ack_latency_seconds_sum{\(station)}"])
        #expect(sum > 0 && sum < 60)
        #expect(values["scanstation_scan_ack_latency_seconds_count{station=\"pack-2\"}"] == 0)
        for kind in ["usb", "serial", "camera"] {
            #expect(values["scanstation_device_connects_total{kind=\"\(kind)\"}"] == 0)
            #expect(values["scanstation_device_disconnects_total{kind=\"\(kind)\"}"] == 0)
        }
        // The outbox gauge is what the store holds.
        let queue = try DatabaseQueue(path: daemon.directory.path("s.db"), configuration: { var c = Configuration(); c.readonly = true; return c }())
        let outbox = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox WHERE synced_at IS NULL") ?? -1 }
        #expect(values["scanstation_outbox_length"] == Double(outbox))
        #expect(values["scanstation_sync_lag_seconds"] == 0, "log mode records no movements: nothing waits for the hub")

        // More scans show up in the next scrape.
        // (The scan is counted just after its answer is written, so allow a moment.)
        _ = try daemon.scan(Array("4006381333931".utf8))
        var again: [String: Double] = [:]
        for _ in 0..<100 {
            again = Self.samples(try #require(Self.get("/metrics?x=1", port: port)))
            if again["scanstation_scan_ack_latency_seconds_count{\(station)}"] == 5 { break }
            usleep(10_000)
        }
        #expect(again["scanstation_scans_total{\(station),result=\"accepted\"}"] == Double((expected["accepted"] ?? 0) + 1))
        #expect(again["scanstation_scan_ack_latency_seconds_count{\(station)}"] == 5)

        // Anything else is 404; oversized and malformed requests get an answer too.
        #expect(Self.get("/", port: port)?.hasPrefix("HTTP/1.1 404 ") == true)
        #expect(Self.exchange(port: port, request: Array("POST /metrics HTTP/1.1\r\n\r\n".utf8))?.hasPrefix("HTTP/1.1 404 ") == true)
        #expect(Self.exchange(port: port, request: Array("nonsense\r\n\r\n".utf8))?.hasPrefix("HTTP/1.1 400 ") == true)
        let huge = Array("GET /metrics HTTP/1.1\r\nX: ".utf8) + [UInt8](repeating: 0x61, count: 20_000)
        #expect(Self.exchange(port: port, request: huge)?.hasPrefix("HTTP/1.1 431 ") == true)
        // A client that never finishes its request is dropped; the server still answers.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        defer { close(silent) }
        #expect(Self.get("/metrics", port: port)?.hasPrefix("HTTP/1.1 200 ") == true)

        let log = daemon.stop()
        #expect(log.contains("msg=\"metrics listening\" listen=127.0.0.1:\(port)"), "\(log)")
        #expect(daemon.process.terminationStatus == 0)
    }

    @Test func listenOffServesNothing() throws {
        let port = try Self.freePort()
        let daemon = try Daemon(listen: "127.0.0.1:\(port)", extraArguments: ["--listen", "off"])
        _ = try daemon.scan(Array("4006381333931".utf8))
        usleep(300_000)
        #expect(Self.get("/metrics", port: port) == nil, "nothing listens on the config's port")
        let log = daemon.stop()
        #expect(!log.contains("metrics"), "\(log)")
    }

    @Test func listenOverridesTheConfig() throws {
        let configured = try Self.freePort()
        let port = try Self.freePort()
        let daemon = try Daemon(listen: "127.0.0.1:\(configured)", extraArguments: ["--listen", "127.0.0.1:\(port)"])
        _ = try daemon.scan(Array("4006381333931".utf8))
        #expect(Self.waitForListener(port: port))
        #expect(Self.get("/metrics", port: configured) == nil)
        _ = daemon.stop()
    }

    @Test func malformedListenAddressIsAUsageError() throws {
        for bad in ["8420", "localhost", "127.0.0.1:http", "::1:8420", "127.0.0.1:70000"] {
            let output = try ScanStationProcess.run(["run", "--listen", bad, "--db", "/dev/null/none"])
            #expect(output.status == 64, "\(bad): \(output.stderr)")
            #expect(output.stderr.contains("--listen \(bad): expected HOST:PORT"), "\(output.stderr)")
        }
    }

    @Test func unbindableAddressIsLoggedAndTheDaemonRuns() throws {
        let directory = try TemporaryDirectory()
        // 192.0.2.1 (TEST-NET-1) is never an address of this machine.
        let output = try ScanStationProcess.run(
            ["run", "--db", directory.path("s.db"), "--listen", "192.0.2.1:8420", "--control-socket", "off", "--feedback", "jsonl"],
            input: Data("4006381333931\n".utf8))
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.lines.count == 1, "the scan was still answered")
        #expect(output.stderr.contains("msg=\"metrics listener unavailable; running without /metrics\""), "\(output.stderr)")
        #expect(output.stderr.contains("192.0.2.1 is not an address of this PC"), "\(output.stderr)")
    }

    @Test func portInUseIsLoggedAndTheDaemonRuns() throws {
        let (holder, port) = try Self.listeningSocket(port: 0)
        defer { close(holder) }
        let directory = try TemporaryDirectory()
        let output = try ScanStationProcess.run(
            ["run", "--db", directory.path("s.db"), "--listen", "127.0.0.1:\(port)", "--control-socket", "off", "--feedback", "jsonl"],
            input: Data("4006381333931\n".utf8))
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.lines.count == 1, "the scan was still answered")
        #expect(output.stderr.contains("metrics listener unavailable"), "\(output.stderr)")
        #expect(output.stderr.contains("another program listens on port \(port)"), "\(output.stderr)")
    }

    // MARK: The pieces.

    @Test func histogramBucketsIncludeTheirUpperBound() {
        let metrics = StationMetrics(station: "s", boundsNanoseconds: [1_000, 2_000])
        metrics.record(result: .accepted, latencyNanoseconds: 1_000)
        metrics.record(result: .rejected, latencyNanoseconds: 1_001)
        metrics.record(result: .warning, latencyNanoseconds: 9_000)
        let snapshot = metrics.snapshot()
        #expect(snapshot.cumulativeBuckets.map(\.count) == [1, 2, 3])
        #expect(snapshot.cumulativeBuckets.last?.bound == .infinity)
        #expect(snapshot.scans == [.accepted: 1, .warning: 1, .rejected: 1])
        #expect(snapshot.latencyCount == 3)
        #expect(abs(snapshot.latencySumSeconds - 11_001e-9) < 1e-15)
    }

    @Test func deviceEventsAreRendered() {
        let events = DeviceEvents()
        events.connected(.usb)
        events.connected(.usb)
        events.disconnected(.usb)
        events.connected(.serial)
        let metrics = DaemonMetrics(stations: [], devices: events, version: "9",
                                    outboxBacklog: { OutboxBacklog(events: 7, oldestCreatedAt: 1_000_000) }, now: { 1_090_500 })
        let values = Self.samples(metrics.render())
        #expect(values["scanstation_device_connects_total{kind=\"usb\"}"] == 2)
        #expect(values["scanstation_device_disconnects_total{kind=\"usb\"}"] == 1)
        #expect(values["scanstation_device_connects_total{kind=\"serial\"}"] == 1)
        #expect(values["scanstation_device_disconnects_total{kind=\"camera\"}"] == 0)
        #expect(values["scanstation_outbox_length"] == 7)
        #expect(values["scanstation_sync_lag_seconds"] == 90.5)
    }

    struct StoreDown: Error, CustomStringConvertible {
        var description: String { "disk\nfull" }
    }

    @Test func unreadableOutboxLeavesTheGaugeOut() {
        let metrics = DaemonMetrics(stations: ["a"], devices: DeviceEvents(), version: "9", outboxBacklog: { throw StoreDown() })
        let text = metrics.render()
        #expect(!text.contains("\nscanstation_outbox_length "))
        #expect(!text.contains("\nscanstation_sync_lag_seconds "))
        #expect(text.contains("# outbox length and sync lag unavailable: disk full\n"))
    }

    @Test func labelValuesAreEscaped() {
        #expect(PrometheusText.escapeLabel("a\\b\"c\nd") == #"a\\b\"c\nd"#)
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(0.25) == "0.25")
    }

    @Test func requestHeadsAreParsed() {
        #expect(MetricsServer.parse(head: Array("GET /metrics HTTP/1.1\r".utf8)) == .metrics(headOnly: false))
        #expect(MetricsServer.parse(head: Array("HEAD /metrics?a=b HTTP/1.0".utf8)) == .metrics(headOnly: true))
        #expect(MetricsServer.parse(head: Array("GET /metricsx HTTP/1.1".utf8)) == .notFound)
        #expect(MetricsServer.parse(head: Array("DELETE /metrics HTTP/1.1".utf8)) == .notFound)
        #expect(MetricsServer.parse(head: Array("GET /metrics".utf8)) == .malformed)
        #expect(MetricsServer.headEnd(Array("GET / HTTP/1.1\r\nA: b\r\n\r\n".utf8)) == 21, "the line feed ending the last header")
        #expect(MetricsServer.headEnd(Array("GET / HTTP/1.1\r\nA: b\r\n".utf8)) == nil)
    }

    @Test func listenAddressesAreSplit() {
        #expect(MetricsServer.split("127.0.0.1:8420")?.host == "127.0.0.1")
        #expect(MetricsServer.split("[::1]:8420")?.host == "::1")
        #expect(MetricsServer.split("[::1]:8420")?.port == 8420)
        #expect(MetricsServer.split("::1:8420") == nil)
        #expect(MetricsServer.split(":8420") == nil)
        #expect(MetricsServer.split("host:0") == nil)
    }
}
