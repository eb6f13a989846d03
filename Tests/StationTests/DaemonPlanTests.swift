import Foundation
import Station
import Testing

@Suite struct DaemonPlanTests {
    let noFiles: (String) -> Bool = { _ in false }

    func plan(_ request: RunRequest, stdin: Bool = true) throws -> DaemonPlan {
        try DaemonPlan(request: request, standardInputUsable: stdin, hostName: "pc-7", environment: [:], fileExists: noFiles)
    }

    @Test func builtInDefaults() throws {
        let defaults = try plan(RunRequest(configuration: nil))
        #expect(defaults.stations.map(\.name) == ["pc-7"])
        #expect(defaults.stations[0].sources == [.standardInput, .usb(vendor: nil, product: nil)])
        #expect(defaults.stations[0].mode == .log)
        #expect(defaults.databasePath == "./scanstation.db")

        let noStdin = try plan(RunRequest(configuration: nil), stdin: false)
        #expect(noStdin.stations[0].sources == [.usb(vendor: nil, product: nil)], "never read /dev/null")
    }

    @Test func commandLineSourcesReplaceDefaultsAndConfig() throws {
        var request = RunRequest(configuration: nil)
        request.sources = [.standardInput]
        request.station = "dock-1"
        let cli = try plan(request)
        #expect(cli.stations.map(\.name) == ["dock-1"])
        #expect(cli.stations[0].sources == [.standardInput])

        var configuration = ScanStationConfiguration()
        configuration.database = "/srv/s.db"
        configuration.language = .de
        var first = StationConfiguration(name: "a")
        first.sources = [.camera(device: "/dev/video0")]
        var second = StationConfiguration(name: "b")
        second.sources = [.serial(path: "/dev/ttyACM0")]
        configuration.stations = [first, second]
        var configured = RunRequest(configuration: configuration)
        configured.sources = [.standardInput]
        let toFirst = try plan(configured)
        #expect(toFirst.stations.map(\.sources) == [[.standardInput], [.serial(path: "/dev/ttyACM0")]])
        #expect(toFirst.databasePath == "/srv/s.db")
        #expect(toFirst.language == .de)

        configured.station = "b"
        configured.mode = .log
        let toSecond = try plan(configured)
        #expect(toSecond.stations.map(\.sources) == [[.camera(device: "/dev/video0")], [.standardInput]])
        configured.station = "zz"
        #expect(throws: DaemonPlan.SetupError.self) { try plan(configured) }
    }

    @Test func standardInputFeedsOneStationOnly() {
        var configuration = ScanStationConfiguration()
        var first = StationConfiguration(name: "a")
        first.sources = [.standardInput]
        var second = StationConfiguration(name: "b")
        second.sources = [.standardInput]
        configuration.stations = [first, second]
        #expect(throws: DaemonPlan.SetupError.self) { try plan(RunRequest(configuration: configuration)) }
    }

    @Test func runWithAConfigFileUsesItsStationAndLanguage() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        let db = directory.path("from-config.db")
        try Data("""
            database = "\(db)"
            language = "de"
            [[station]]
            name = "pack-3"
            sources = ["stdin"]
            """.utf8).write(to: URL(fileURLWithPath: config))
        let output = try ScanStationProcess.run(["run", "--config", config, "--feedback", "jsonl"], input: Data("4006381333931\n".utf8))
        #expect(output.status == 0, "\(output.stderr)")
        let answer = try jsonObject(try #require(output.lines.first))
        #expect(answer["station"] as? String == "pack-3")
        #expect(answer["prompt"] as? String == "Erfasst. Nächstes Etikett scannen.")
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test func runRefusesABadConfig() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        try Data("[[station]]\nname = \"x\"\nsources = [\"stdin\"]\nfoo = 1\n".utf8).write(to: URL(fileURLWithPath: config))
        let output = try ScanStationProcess.run(["run", "--config", config, "--db", directory.path("s.db")], input: Data("A\n".utf8))
        #expect(output.status == 78)
        #expect(output.stderr.contains("\(config):4: station[0].foo: unknown key 'foo'"))
        #expect(output.stdout.isEmpty)
    }
}
