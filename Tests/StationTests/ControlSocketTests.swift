import DeviceEmulation
import Foundation
import GRDB
import Testing

/// `scanstation status|reload|logout|sync now` against a running daemon, and SIGHUP.
@Suite struct ControlSocketTests {
    /// A daemon on a config in a temporary directory, reading scans from a pipe.
    final class RunningDaemon {
        let directory: TemporaryDirectory
        let process = Process()
        let stdin = Pipe()
        let stdout = Pipe()
        var buffer = Data()
        var config: String { directory.path("scanstation.toml") }
        var socket: String { directory.path("control.sock") }

        /// - Parameters:
        ///   - directory: where the config, store and socket go (a new one by default).
        ///   - configuration: the config file's text; by default two log stations.
        init(language: String = "en", directory: TemporaryDirectory? = nil, configuration: String? = nil) throws {
            self.directory = try directory ?? TemporaryDirectory()
            if let configuration {
                try self.directory.write("scanstation.toml", configuration)
            } else {
                try writeConfig(language: language)
            }
            process.executableURL = ScanStationProcess.executable
            process.arguments = ["run", "--config", config, "--feedback", "jsonl"]
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<500 where !FileManager.default.fileExists(atPath: socket) { usleep(20_000) }
            try #require(FileManager.default.fileExists(atPath: socket), "the control socket appears")
        }

        func writeConfig(language: String, database: String = "s.db", commandPrefix: String = "CMD-") throws {
            try Data("""
                database = "\(directory.path(database))"
                control_socket = "\(socket)"
                language = "\(language)"
                [scheme]
                command_prefix = "\(commandPrefix)"
                [[station]]
                name = "dock-1"
                sources = ["stdin"]
                [[station]]
                name = "dock-2"
                """.utf8).write(to: URL(fileURLWithPath: config))
        }

        func scan(_ text: String) throws -> [String: Any] {
            stdin.fileHandleForWriting.write(Data((text + "\n").utf8))
            return try nextAnswer()
        }

        /// The next answer line, from whichever station gave it; nil when none comes
        /// within `timeout` seconds (waits for ever without one).
        func nextAnswer(timeout: Double) throws -> [String: Any]? {
            var poller = pollfd(fd: stdout.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard buffer.contains(0x0A) || poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
            return try nextAnswer()
        }

        /// The next answer line, from whichever station gave it.
        func nextAnswer() throws -> [String: Any] {
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

        func stop() {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    @Test func statusShowsStationsModesSourcesAndScans() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stop() }
        _ = try daemon.scan("4006381333931")
        _ = try daemon.scan("OP-77")
        let output = try ScanStationProcess.run(["status", "--socket", daemon.socket, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let status = try jsonObject(String(decoding: output.stdout, as: UTF8.self))
        #expect(status["database"] as? String == daemon.directory.path("s.db"))
        #expect(status["sync"] as? String == "off")
        #expect(status["outbox"] as? Int == 0)
        #expect(status["outbox_oldest_at"] == nil, "nothing waits")
        let stations = try #require(status["stations"] as? [[String: Any]])
        #expect(stations.map { $0["name"] as? String } == ["dock-1", "dock-2"])
        #expect(stations[0]["mode"] as? String == "log")
        #expect(stations[0]["scans"] as? Int == 2)
        #expect(stations[0]["sources"] as? [String] == ["stdin"])
        #expect(stations[1]["scans"] as? Int == 0)

        let text = try ScanStationProcess.run(["status", "--config", daemon.config])
        #expect(String(decoding: text.stdout, as: UTF8.self).contains("station dock-1: mode log, operator -, 2 scans, sources: stdin"))
    }

    @Test func statusDatesTheOldestEventTheHubLacks() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stop() }
        _ = try daemon.scan("4006381333931") // the store is open and migrated
        // An event recorded five minutes ago, still unconfirmed (as after an outage).
        let recorded = Int64(Date().timeIntervalSince1970 * 1000) - 5 * 60_000 - 30_000
        let queue = try DatabaseQueue(path: daemon.directory.path("s.db"))
        try queue.write { db in
            try db.execute(sql: "INSERT INTO outbox(event_id, kind, station, created_at, payload) VALUES ('e-1', 'claim', 'dock-1', ?, '{}')",
                           arguments: [recorded])
        }
        try queue.close()
        let json = try ScanStationProcess.run(["status", "--socket", daemon.socket, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let status = try jsonObject(String(decoding: json.stdout, as: UTF8.self))
        #expect(status["outbox"] as? Int == 1)
        #expect((status["outbox_oldest_at"] as? NSNumber)?.int64Value == recorded)
        let text = try ScanStationProcess.run(["status", "--socket", daemon.socket])
        #expect(String(decoding: text.stdout, as: UTF8.self).contains("sync: off, outbox: 1 event waiting, the oldest recorded 5 min ago\n"))
    }

    @Test func reloadAppliesLanguageAndSchemeAndReportsWhatNeedsARestart() throws {
        let daemon = try RunningDaemon(language: "en")
        defer { daemon.stop() }
        #expect(try daemon.scan("X1")["prompt"] as? String == "Recorded. Scan the next label.")
        #expect(try daemon.scan("CMD-DONE")["result"] as? String == "accepted")

        try daemon.writeConfig(language: "de", commandPrefix: "C:")
        let reload = try ScanStationProcess.run(["reload", "--socket", daemon.socket])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(String(decoding: reload.stdout, as: UTF8.self).contains("label scheme, language, policies"))
        #expect(try daemon.scan("X2")["prompt"] as? String == "Erfasst. Nächstes Etikett scannen.")

        // SIGHUP does the same; a changed database path is kept until a restart.
        try daemon.writeConfig(language: "en", database: "elsewhere.db")
        kill(daemon.process.processIdentifier, SIGHUP)
        var prompt: String?
        for _ in 0..<100 {
            prompt = try daemon.scan("X3")["prompt"] as? String
            if prompt == "Recorded. Scan the next label." { break }
            usleep(20_000)
        }
        #expect(prompt == "Recorded. Scan the next label.")
        #expect(!FileManager.default.fileExists(atPath: daemon.directory.path("elsewhere.db")))
        let again = try ScanStationProcess.run(["reload", "--socket", daemon.socket])
        #expect(String(decoding: again.stdout, as: UTF8.self).contains("needs a restart"))
        #expect(String(decoding: again.stdout, as: UTF8.self).contains("database"))

        try Data("[[station]]\nname = 1\n".utf8).write(to: URL(fileURLWithPath: daemon.config))
        let bad = try ScanStationProcess.run(["reload", "--socket", daemon.socket])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("invalid config, nothing changed"))
        #expect(try daemon.scan("X4")["result"] as? String == "accepted", "a bad reload keeps the daemon running")
    }

    @Test func reloadAddsRestartsAndRemovesStationsWhileOthersKeepScanning() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stop() }
        let scanner = try PseudoTerminal()
        func configure(_ stations: String) throws {
            try Data("""
                database = "\(daemon.directory.path("s.db"))"
                control_socket = "\(daemon.socket)"
                [[station]]
                name = "dock-1"
                sources = ["stdin"]
                \(stations)
                """.utf8).write(to: URL(fileURLWithPath: daemon.config))
        }
        func reload() throws -> String {
            let output = try ScanStationProcess.run(["reload", "--socket", daemon.socket])
            #expect(output.status == 0, "\(output.stderr)")
            return String(decoding: output.stdout, as: UTF8.self)
        }
        func stations() throws -> [[String: Any]] {
            let output = try ScanStationProcess.run(["status", "--socket", daemon.socket, "--format", "json"])
            return try #require(try jsonObject(String(decoding: output.stdout, as: UTF8.self))["stations"] as? [[String: Any]])
        }
        #expect(try daemon.scan("X1")["station"] as? String == "dock-1")

        // dock-2 goes, dock-3 comes with a serial scanner: no restart of the daemon.
        try configure("[[station]]\nname = \"dock-3\"\nsources = [\"serial:\(scanner.slavePath)\"]")
        let added = try reload()
        #expect(added.contains("stations added: dock-3"), "\(added)")
        #expect(added.contains("stations removed: dock-2"), "\(added)")
        #expect(!added.contains("needs a restart"), "\(added)")
        #expect(try stations().map { $0["name"] as? String } == ["dock-1", "dock-3"])
        scanner.type("4006381333931\r\n")
        let fromSerial = try daemon.nextAnswer()
        #expect(fromSerial["station"] as? String == "dock-3")
        #expect(fromSerial["input"] as? String == "4006381333931")
        #expect(try daemon.scan("X2")["station"] as? String == "dock-1", "dock-1 kept scanning")

        // A new mode restarts dock-3 (new session, port reopened); dock-1 reads stdin and
        // cannot be restarted without losing input: reported, kept as it runs.
        try configure("mode = \"count\"\n[[station]]\nname = \"dock-3\"\nmode = \"putaway\"\nsources = [\"serial:\(scanner.slavePath)\"]")
        let restarted = try reload()
        #expect(restarted.contains("stations restarted (sources, mode or scanner settings): dock-3"), "\(restarted)")
        #expect(restarted.contains("needs a restart (running values kept): station dock-1 (it reads standard input or a frame file)"), "\(restarted)")
        let modes = try stations().map { $0["mode"] as? String }
        #expect(modes == ["log", "putaway"])
        // The restarted source reopens the port (retrying while the old one lets go):
        // what is typed before that is lost, as with a real scanner during a restart.
        var afterRestart: [String: Any]?
        for _ in 0..<20 where afterRestart == nil {
            scanner.type("OP-7\r\n")
            afterRestart = try daemon.nextAnswer(timeout: 0.5)
        }
        #expect(afterRestart?["station"] as? String == "dock-3")
        #expect(afterRestart?["input"] as? String == "OP-7")
        while try daemon.nextAnswer(timeout: 0.3) != nil {} // repeats typed while it reopened

        // dock-3 goes: its port is closed, what is typed there is no scan of this daemon.
        try configure("")
        let removed = try reload()
        #expect(removed.contains("stations removed: dock-3"), "\(removed)")
        #expect(try stations().map { $0["name"] as? String } == ["dock-1"])
        scanner.type("4006381333931\r\n")
        usleep(300_000)
        let next = try daemon.scan("X3")
        #expect(next["station"] as? String == "dock-1")
        #expect(next["input"] as? String == "X3")
        scanner.unplug()
    }

    @Test func logoutAndSyncAnswerClearly() throws {
        let daemon = try RunningDaemon()
        defer { daemon.stop() }
        let logout = try ScanStationProcess.run(["logout", "dock-2", "--socket", daemon.socket])
        #expect(logout.status == 0)
        #expect(String(decoding: logout.stdout, as: UTF8.self).contains("dock-2"))
        let unknown = try ScanStationProcess.run(["logout", "dock-9", "--socket", daemon.socket])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no station 'dock-9'"))
        let sync = try ScanStationProcess.run(["sync", "now", "--socket", daemon.socket])
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("no [hub]"))
    }

    @Test func syncNowWithoutADaemonSaysWhatTheConfigAllows() throws {
        let directory = try TemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        let alone = directory.path("alone.toml")
        try Data("control_socket = \"\(directory.path("none.sock"))\"\n[[station]]\nname = \"a\"\n".utf8).write(to: URL(fileURLWithPath: alone))
        let withoutHub = try ScanStationProcess.run(["sync", "now", "--config", alone])
        #expect(withoutHub.status == 69)
        #expect(withoutHub.stderr.contains("alone.toml has no [hub]: this station works alone and has nothing to sync"), "\(withoutHub.stderr)")

        let hubbed = directory.path("hub.toml")
        try Data("""
            control_socket = "\(directory.path("none.sock"))"
            [hub]
            url = "https://hub.example:8443"
            [[station]]
            name = "a"
            token_file = "\(directory.path("a.token"))"

            """.utf8).write(to: URL(fileURLWithPath: hubbed))
        let withHub = try ScanStationProcess.run(["sync", "now", "--config", hubbed])
        #expect(withHub.status == 69)
        #expect(withHub.stderr.contains("no daemon answers"), "\(withHub.stderr)")
        #expect(withHub.stderr.contains("start scanstation and run this again"))

        // A socket named directly, no config: only that the daemon is not there.
        let bare = try ScanStationProcess.run(["sync", "now", "--socket", directory.path("none.sock")])
        #expect(bare.status == 69)
        #expect(bare.stderr.contains("cannot reach the daemon"))
    }

    @Test func socketIsGroupOnlyAndRemovedOnStop() throws {
        let daemon = try RunningDaemon()
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.socket)
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o660)
        daemon.stop()
        #expect(daemon.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
    }

    @Test func noDaemonIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let output = try ScanStationProcess.run(["status", "--socket", directory.path("none.sock")])
        #expect(output.status == 69)
        #expect(output.stderr.contains("cannot reach the daemon"))
    }

    @Test func aDisabledSocketIsNamedAsSuchNotAsAFileCalledOff() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        try Data("control_socket = \"off\"\n".utf8).write(to: URL(fileURLWithPath: config))
        let output = try ScanStationProcess.run(["status", "--config", config])
        #expect(output.status == 69)
        #expect(output.stderr.contains("control_socket = \"off\""), "stderr: \(output.stderr)")
        #expect(!output.stderr.contains("daemon at off"))
    }
}

