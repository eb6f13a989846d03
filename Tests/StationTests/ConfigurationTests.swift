import Foundation
import Station
import Testing

@Suite struct ConfigurationTests {
    func parse(_ text: String) throws(ConfigurationError) -> ScanStationConfiguration {
        try ScanStationConfiguration.parse(text, file: "/etc/scanstation/scanstation.toml")
    }

    func failure(_ text: String) -> ConfigurationError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func theExampleParsesWithItsValues() throws {
        let configuration = try parse(ScanStationConfiguration.exampleText)
        #expect(configuration.database == "/var/lib/scanstation/scanstation.db")
        #expect(configuration.listen == "127.0.0.1:8420")
        #expect(configuration.language == .en)
        #expect(configuration.controlSocket == "/run/scanstation/control.sock")
        #expect(configuration.hubURL == nil)
        let station = try #require(configuration.stations.first)
        #expect(station.name == "dock-1")
        #expect(station.mode == .receive)
        #expect(station.modes == [.receive, .putaway])
        #expect(station.sources == [.usb(vendor: 0x05E0, product: 0x1200)])
        #expect(station.receiveTo == "DOCK-3")
        #expect(station.ssccCompanyPrefix == "4012345")
        #expect(station.ssccSerialRange == 1_000_000...1_999_999)
        #expect(station.unknownProduct == .reject)
        #expect(station.overReceipt == .warn)
    }

    @Test func theContractExampleParses() throws {
        let configuration = try parse("""
            database = "/var/lib/scanstation/scanstation.db"
            listen = "127.0.0.1:8420"          # display, /metrics; "off" disables
            language = "en"                    # en, de
            control_socket = "/run/scanstation/control.sock"

            [hub]                              # absent: the station works alone
            url = "https://hub.example:8443"
            ca_file = "/etc/scanstation/hub-ca.pem"   # optional

            [[station]]
            name = "dock-1"
            mode = "receive"                   # the mode it starts in
            modes = ["receive", "putaway"]     # what CMD-MODE-x may switch to
            sources = ["usb:05e0:1200", "serial:/dev/ttyACM0", "camera:/dev/video0", "llrp:10.0.0.5"]
            layout = "us"
            token_file = "/etc/scanstation/dock-1.token"   # this station's hub token
            receive_to = "DOCK-3"
            sscc_company_prefix = "4012345"
            sscc_serial_range = [1000000, 1999999]

            [[station]]
            name = "pack-2"
            mode = "pack"
            sources = ['stdin']
            """)
        #expect(configuration.hubURL == "https://hub.example:8443")
        #expect(configuration.hubCAFile == "/etc/scanstation/hub-ca.pem")
        #expect(configuration.stations.map(\.name) == ["dock-1", "pack-2"])
        #expect(configuration.stations[0].sources.count == 4)
        #expect(configuration.stations[0].sources[3] == .llrp(host: "10.0.0.5", port: 5084))
        #expect(configuration.stations[1].sources == [.standardInput])
        #expect(configuration.stations[1].mode == .pack)
    }

    @Test func cameraSettings() throws {
        let station = try #require(try parse("""
            [[station]]
            name = "bench"
            sources = ["camera:/dev/video0"]
            [station.camera]
            resolution = "1280x720"
            symbologies = ["ean-13", "gs1-datamatrix"]
            hold_off_ms = 2500
            """).stations.first)
        #expect(station.cameraWidth == 1280)
        #expect(station.cameraHeight == 720)
        #expect(station.cameraSymbologies == ["ean-13", "gs1-datamatrix"])
        #expect(station.cameraHoldOffMilliseconds == 2500)
    }

    /// Each [[station]] has its own [station.policy] and [station.camera] (TOML: a sub-table
    /// header after an array element belongs to that element). Before, the second station's
    /// was refused: "table [station.policy] is defined twice".
    @Test func everyStationHasItsOwnPolicyAndCameraTables() throws {
        let configuration = try parse("""
            [[station]]
            name = "dock-1"
            mode = "receive"
            [station.policy]
            expired = "warn"
            [station.camera]
            hold_off_ms = 100
            [[station]]
            name = "pick-1"
            mode = "pick"
            [station.policy]
            expired = "allow"
            [station.camera]
            hold_off_ms = 200
            """)
        #expect(configuration.stations.map(\.name) == ["dock-1", "pick-1"])
        #expect(configuration.stations.map(\.expired) == [.warn, .allow])
        #expect(configuration.stations.map(\.cameraHoldOffMilliseconds) == [100, 200])
        // Twice in one station is still a mistake.
        let twice = failure("[[station]]\nname = \"a\"\n[station.policy]\nexpired = \"warn\"\n[station.policy]\nexpired = \"allow\"\n")
        #expect(twice?.description.contains("table [station.policy] is defined twice") == true, "\(String(describing: twice))")
    }

    @Test func everyProblemIsListedNotJustTheFirst() throws {
        let text = """
            colour = "red"
            language = 5
            [hub]
            ca_file = "/x"
            [[station]]
            name = "a"
            mode = "fly"
            [[station]]
            name = "b"
            [station.policy]
            expired = "never"
            [[station]]
            name = "c"
            layuot = "de"
            [[station]]
            name = "c"
            """
        let error = try #require(failure(text))
        let problems = error.problems
        #expect(problems.map(\.keyPath) == ["colour", "language", "hub.url", "station[0].mode", "station[1].policy.expired", "station[2].layuot", "station[3].name"], "\(problems)")
        #expect(problems.last?.line == 16)
        #expect(problems.last?.message.contains("defined twice (first as station[2])") == true)
        // The first problem keeps its place in messages that show one line.
        #expect(error.keyPath == "colour")
        #expect(error.description.hasSuffix("(and 6 more problems)"))
        // A station with a problem does not have its other keys called unknown.
        #expect(!problems.contains { $0.message.contains("unknown key 'name'") })
    }

    @Test func listenOffDisablesTheListener() throws {
        #expect(try parse("listen = \"off\"\n").listen == nil)
        #expect(try parse("").listen == "127.0.0.1:8420")
    }

    @Test(arguments: [
        ("colour = \"red\"\n", 1, "colour", "unknown key 'colour'"),
        ("\n\n[[station]]\nname = \"a\"\nmodes = [\"pick\", \"fly\"]\n", 5, "station[0].modes", "unknown mode 'fly'"),
        ("[[station]]\nname = \"a\"\n[[station]]\nname = \"b\"\nlayuot = \"de\"\n", 5, "station[1].layuot", "unknown key"),
        ("[[station]]\nname = \"a\"\nsscc_serial_range = [5, 1]\n", 3, "station[0].sscc_serial_range", "first <= last"),
        ("[[station]]\nname = \"a\"\nsources = [\"usb:1:2\"]\n", 3, "station[0].sources", "4 hex digits"),
        ("[[station]]\nname = \"a\"\n[station.policy]\nexpired = \"maybe\"\n", 4, "station[0].policy.expired", "reject, warn, allow"),
        ("language = 5\n", 1, "language", "expected a string, found an integer"),
        ("[[station]]\nmode = \"pick\"\n", 1, "station[0].name", "needs a name"),
        ("[hub]\nca_file = \"x\"\n", 1, "hub.url", "needs url"),
        ("[[station]]\nname = \"a\"\n[[station]]\nname = \"a\"\n", 4, "station[1].name", "defined twice"),
        ("[[station]]\nname = \"a\"\n[station.camera]\nresolution = \"big\"\n", 4, "station[0].camera.resolution", "WIDTHxHEIGHT"),
        ("[[station]]\nname = \"a\"\n[station.camera]\nsymbologies = [\"ean13\"]\n", 4, "station[0].camera.symbologies", "unknown symbology 'ean13'"),
    ] as [(String, Int?, String, String)])
    func errorsNameLineKeyPathAndProblem(text: String, line: Int?, keyPath: String, message: String) throws {
        let error = try #require(failure(text))
        #expect(error.file == "/etc/scanstation/scanstation.toml")
        #expect(error.line == line)
        #expect(error.keyPath == keyPath)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test(arguments: [
        ("a = \n", 1, "expected a value"),
        ("x = \"open\n", 1, "unterminated string"),
        ("\n[station\n", 2, "expected ']'"),
        ("a = 1\na = 2\n", 2, "defined twice"),
        ("a = [1, 2\n", 2, "unterminated array"),
        ("a = red\n", 1, "strings need quotes"),
        ("a = 1 b = 2\n", 1, "one key = value per line"),
    ] as [(String, Int, String)])
    func syntaxErrorsNameTheLine(text: String, line: Int, message: String) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func tomlValuesAndStructure() throws {
        let document = try TOMLDocument(parsing: """
            # comment
            a = "x\\ty\\u00e9"   # trailing comment
            b = 'C:\\path'
            c = -1_000
            d = 2.5
            e = true
            f = [ 1,
                  2, # inside
                ]
            g = { h = "i", j.k = 3 }
            l.m = "dotted"
            [t]
            u = 1
            [[arr]]
            v = 1
            [arr.sub]
            w = 2
            [[arr]]
            v = 2
            """)
        func value(_ node: TOMLDocument.Node?) -> String { node.map { "\($0.value)" } ?? "nil" }
        guard case .string(let a)? = document.root["a"]?.value else { Issue.record("a"); return }
        #expect(a == "x\tyé")
        guard case .string(let b)? = document.root["b"]?.value else { Issue.record("b"); return }
        #expect(b == "C:\\path")
        guard case .integer(let c)? = document.root["c"]?.value else { Issue.record("c"); return }
        #expect(c == -1000)
        guard case .array(let f)? = document.root["f"]?.value else { Issue.record("f"); return }
        #expect(f.count == 2)
        #expect(document.root["f"]?.line == 7)
        guard case .array(let arr)? = document.root["arr"]?.value, arr.count == 2, case .table(let first) = arr[0].value,
              case .table(let sub)? = first["sub"]?.value, case .integer(let w)? = sub["w"]?.value
        else { Issue.record("arr: \(value(document.root["arr"]))"); return }
        #expect(w == 2)
        #expect(arr[1].line == 18)
        guard case .table(let l)? = document.root["l"]?.value, case .string(let m)? = l["m"]?.value else { Issue.record("l"); return }
        #expect(m == "dotted")
    }

    @Test func configCheckCommand() throws {
        let directory = try TemporaryDirectory()
        let good = directory.path("good.toml")
        let example = try ScanStationProcess.run(["config", "example"])
        #expect(example.status == 0)
        try example.stdout.write(to: URL(fileURLWithPath: good))
        let checked = try ScanStationProcess.run(["config", "check", "--config", good])
        #expect(checked.status == 0)
        #expect(String(decoding: checked.stdout, as: UTF8.self).contains("ok (1 station: dock-1)"))
        let empty = directory.path("empty.toml")
        try Data("language = \"de\"\n".utf8).write(to: URL(fileURLWithPath: empty))
        let emptyChecked = try ScanStationProcess.run(["config", "check", "--config", empty])
        #expect(emptyChecked.status == 0)
        #expect(String(decoding: emptyChecked.stdout, as: UTF8.self).contains("ok (no stations: `run` starts one log station"))

        let bad = directory.path("bad.toml")
        try Data("[[station]]\nname = \"a\"\nmode = \"recieve\"\n".utf8).write(to: URL(fileURLWithPath: bad))
        let failed = try ScanStationProcess.run(["config", "check", "--config", bad])
        #expect(failed.status == 78)
        #expect(failed.stderr.contains("\(bad):3: station[0].mode: unknown value 'recieve'"))

        // Every problem of the file at once, one per line, in the file's order.
        let several = directory.path("several.toml")
        try Data("colour = 1\n[[station]]\nmode = \"fly\"\n[[station]]\nname = \"b\"\nlayuot = \"de\"\n".utf8).write(to: URL(fileURLWithPath: several))
        let listed = try ScanStationProcess.run(["config", "check", "--config", several])
        #expect(listed.status == 78)
        let lines = listed.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "error: \(several):1: colour: unknown key 'colour'",
            "error: \(several):2: station[0].name: every [[station]] needs a name",
            "error: \(several):6: station[1].layuot: unknown key 'layuot'",
        ], "\(listed.stderr)")

        // A relative database path is valid, with a warning: under systemd it would be in /.
        let relative = directory.path("relative.toml")
        try Data("database = \"store.db\"\n".utf8).write(to: URL(fileURLWithPath: relative))
        let warned = try ScanStationProcess.run(["config", "check", "--config", relative])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: \(relative): database: 'store.db' is relative"), "\(warned.stderr)")

        let missing = try ScanStationProcess.run(["config", "check", "--config", directory.path("none.toml")])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("cannot read the config file (No such file or directory)"), "\(missing.stderr)")
        let folder = try ScanStationProcess.run(["config", "check", "--config", directory.path("")])
        #expect(folder.status == 78)
        #expect(folder.stderr.contains("cannot read the config file (is a directory, not a file)"), "\(folder.stderr)")
    }
}
