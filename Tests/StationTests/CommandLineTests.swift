import Foundation
import Station
import Testing

@Suite struct CommandLineTests {
    @Test func versionAndHelp() throws {
        let version = try ScanStationProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(String(decoding: version.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let help = try ScanStationProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.stdout, as: UTF8.self).contains("run"))
        let runHelp = try ScanStationProcess.run(["run", "--help"])
        #expect(String(decoding: runHelp.stdout, as: UTF8.self).contains("--feedback"))
    }

    @Test(arguments: [
        (["run", "--mode", "teleport"], "unknown mode 'teleport'"),
        (["run", "--source", "carrier-pigeon"], "unknown source kind 'carrier-pigeon'"),
        (["run", "--source", "usb:12:34"], "4 hex digits"),
        (["run", "--feedback", "xml"], "unknown feedback format 'xml'"),
        (["run", "--station", ""], "must be non-empty"),
    ])
    func usageErrorsAreClearAndExit64(arguments: [String], message: String) throws {
        let output = try ScanStationProcess.run(arguments)
        #expect(output.status == 64, "usage errors exit with EX_USAGE")
        #expect(output.stderr.contains(message), "stderr: \(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    /// CONTRACTS.md decode: standard input is one payload per line (LF only), one object
    /// per payload in order, so a blank line (the corpus's empty EPC) keeps its own answer.
    @Test func decodeAnswersEveryStandardInputLineInOrder() throws {
        let output = try ScanStationProcess.run(
            ["decode", "--format", "jsonl", "--as", "auto"],
            input: Data("4006381333931\n\n\r\n]C1010950600013435210L1\u{1D}17270630\r\nCMD-DONE".utf8))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let answers = try output.lines.map(jsonObject)
        #expect(answers.map { $0["input"] as? String } == ["4006381333931", "", "", "]C1010950600013435210L1\u{1D}17270630", "CMD-DONE"])
        #expect(answers.map { $0["type"] as? String } == ["gtin", "text", "text", "gs1", "command"])
        #expect(answers.map { $0["ok"] as? Bool } == [true, false, false, true, true])
        #expect((answers[1]["error"] as? [String: Any])?["code"] as? String == "empty_message")
        #expect((answers[1]["error"] as? [String: Any])?["offset"] as? Int == 0)
        let epc = try ScanStationProcess.run(["decode", "--format", "jsonl", "--as", "epc"], input: Data("30\n\n".utf8))
        #expect(epc.lines.count == 2)
    }

    @Test func unopenableDatabaseIsAClearError() throws {
        let output = try ScanStationProcess.run(["run", "--db", "/nonexistent-dir/x/station.db"], input: Data("A\n".utf8))
        #expect(output.status != 0)
        #expect(output.stderr.contains("/nonexistent-dir/x/station.db"))
        #expect(output.stderr.contains("cannot be opened or created"))
        #expect(output.stdout.isEmpty, "nothing is acknowledged when nothing can be stored")
    }

    @Test func databasePathRules() {
        let none: (String) -> Bool = { _ in false }
        let system: (String) -> Bool = { $0 == DatabaseLocation.systemPath }
        #expect(DatabaseLocation.resolve(option: "/a.db", configured: "/b.db", environment: ["STATE_DIRECTORY": "/s"], fileExists: system) == "/a.db")
        #expect(DatabaseLocation.resolve(option: nil, configured: "/b.db", environment: ["STATE_DIRECTORY": "/s"], fileExists: system) == "/b.db")
        #expect(DatabaseLocation.resolve(option: nil, configured: nil, environment: ["STATE_DIRECTORY": "/s:/t"], fileExists: system) == "/s/scanstation.db")
        #expect(DatabaseLocation.resolve(option: nil, configured: nil, environment: [:], fileExists: system) == DatabaseLocation.systemPath)
        #expect(DatabaseLocation.resolve(option: nil, configured: nil, environment: [:], fileExists: none) == "./scanstation.db")
    }

    @Test func sourceSpecifications() throws {
        #expect(try SourceSpecification(parsing: "stdin") == .standardInput)
        #expect(try SourceSpecification(parsing: "usb") == .usb(vendor: nil, product: nil))
        #expect(try SourceSpecification(parsing: "usb:05e0:1200") == .usb(vendor: 0x05E0, product: 0x1200))
        #expect(try SourceSpecification(parsing: "serial:/dev/ttyACM0") == .serial(path: "/dev/ttyACM0"))
        #expect(try SourceSpecification(parsing: "frames:-") == .frames(path: "-"))
        #expect(try SourceSpecification(parsing: "llrp:10.0.0.5") == .llrp(host: "10.0.0.5", port: 5084))
        #expect(try SourceSpecification(parsing: "llrp:reader.local:14150") == .llrp(host: "reader.local", port: 14150))
        #expect(throws: SourceSpecification.ParseError.self) { try SourceSpecification(parsing: "llrp:host:99999") }
        #expect(throws: SourceSpecification.ParseError.self) { try SourceSpecification(parsing: "camera:") }
        #expect(throws: SourceSpecification.ParseError.self) { try SourceSpecification(parsing: "stdin:x") }
    }
}
