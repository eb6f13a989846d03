import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon under a NOTIFY_SOCKET this test owns, as systemd would run it.
@Suite struct SystemdNotifyTests {
    /// A bound datagram socket collecting what the daemon sends.
    final class NotifySocket {
        let fd: Int32
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            try #require(fd >= 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            }
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(status == 0)
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit {
            close(fd)
            unlink(path)
        }

        /// Messages received until `deadline` or until `until` holds.
        func receive(seconds: Double, until done: ([String]) -> Bool) -> [String] {
            var messages: [String] = []
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < end && !done(messages) {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
            }
            return messages
        }
    }

    @Test func readyWatchdogStatusAndStopping() throws {
        let notify = try NotifySocket()
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = ScanStationProcess.executable
        process.arguments = ["run", "--feedback", "none", "--db", directory.path("s.db"), "--station", "bench-4"]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "200000"
        environment.removeValue(forKey: "WATCHDOG_PID")
        process.environment = environment
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        let early = notify.receive(seconds: 10) { messages in
            messages.contains { $0.contains("READY=1") } && messages.filter { $0 == "WATCHDOG=1" }.count >= 3
        }
        let ready = try #require(early.first { $0.contains("READY=1") }, "got: \(early)")
        #expect(ready.contains("STATUS=Station bench-4 ready"))
        #expect(early.filter { $0 == "WATCHDOG=1" }.count >= 3, "pings at half of WATCHDOG_USEC while idle")
        #expect(early.firstIndex { $0.contains("READY=1") } == 0, "READY=1 comes first")

        kill(process.processIdentifier, SIGTERM)
        let late = notify.receive(seconds: 10) { messages in messages.contains { $0.contains("STOPPING=1") } }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(late.contains { $0.hasPrefix("STOPPING=1") })
    }

    @Test func withoutNotifySocketNothingIsSentAndTheDaemonRuns() throws {
        let directory = try TemporaryDirectory()
        let output = try ScanStationProcess.run(["run", "--feedback", "jsonl", "--db", directory.path("s.db")], input: Data("A\n".utf8), environment: ["NOTIFY_SOCKET": ""])
        #expect(output.status == 0)
        #expect(output.lines.count == 1)
    }
}
