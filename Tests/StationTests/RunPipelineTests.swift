import Foundation
import GRDB
import Testing

/// The walking skeleton end to end: scans piped into the real executable, answers read
/// back, the SQLite file opened independently.
@Suite struct RunPipelineTests {
    @Test func acceptedScanIsAnsweredAndStored() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        let output = try ScanStationProcess.run(
            ["run", "--feedback", "jsonl", "--db", db, "--station", "dock-1"],
            input: Data("4006381333931\n".utf8))
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.lines.count == 1)
        let answer = try jsonObject(try #require(output.lines.first))
        #expect(answer["result"] as? String == "accepted")
        #expect(answer["station"] as? String == "dock-1")
        #expect(answer["input"] as? String == "4006381333931")
        #expect(answer["seq"] as? Int == 1)
        #expect(answer["movements"] as? [Any] != nil)
        #expect(answer["error"] == nil)
        let scanID = try #require(answer["scan_id"] as? String)
        #expect(scanID.count == 36)
        #expect(Array(scanID)[14] == "7", "scan_id must be a UUIDv7: \(scanID)")

        let queue = try DatabaseQueue(path: db)
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT station, seq, result, kind, input, source FROM scan_log WHERE id = ?", arguments: [scanID])
        }
        let stored = try #require(row)
        #expect(stored["station"] as String == "dock-1")
        #expect(stored["seq"] as Int == 1)
        #expect(stored["result"] as String == "accepted")
        #expect(stored["kind"] as String == "gtin")
        #expect(stored["source"] as String == "stdin")
        #expect(stored["input"] as Data == Data("4006381333931".utf8))
        #expect(output.stderr.contains("scan_id=\(scanID)"), "every log line about a scan carries its scan_id")
    }

    @Test func everyLineGetsOneAnswerInOrderAndRejectsAreLogged() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        var input = Data()
        let oversized = Data(repeating: UInt8(ascii: "7"), count: 5000)
        let lines: [Data] = [
            Data("4006381333931\r".utf8),                 // CR stripped
            Data("]C1010950600013435210LOT\u{1D}17261231".utf8), // GS is data
            Data([0x41, 0x07, 0x42]),                     // BEL: rejected
            Data([0x41, 0xC3, 0x28]),                     // invalid UTF-8: rejected
            oversized,                                    // > 4096 bytes: rejected
            Data("OP-1234".utf8),
            Data("A\u{1E}B\u{04}".utf8),                  // RS and EOT are data
        ]
        for line in lines { input.append(line); input.append(0x0A) }
        input.append(Data("\n\r\n".utf8))                 // empty lines are not scans
        let output = try ScanStationProcess.run(["run", "--feedback", "jsonl", "--db", db, "--station", "pack-2"], input: input)
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let answers = try output.lines.map(jsonObject)
        try #require(answers.count == lines.count)
        #expect(answers.map { $0["seq"] as? Int } == Array(1...lines.count))
        #expect(answers.map { $0["result"] as? String } == ["accepted", "accepted", "rejected", "rejected", "rejected", "accepted", "accepted"])
        #expect(answers[0]["input"] as? String == "4006381333931")
        #expect(answers[1]["symbology"] as? String == "gs1-128")
        #expect(answers[1]["input"] as? String == "]C1010950600013435210LOT\u{1D}17261231")
        let codes = answers.map { ($0["error"] as? [String: Any])?["code"] as? String }
        #expect(codes == [nil, nil, "control_character", "invalid_utf8", "too_long", nil, nil])
        #expect((answers[2]["error"] as? [String: Any])?["offset"] as? Int == 1)
        let tooLongMessage = (answers[4]["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(tooLongMessage.contains("5000 bytes"))

        let queue = try DatabaseQueue(path: db)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, result, error_code, error_message, input, input_length FROM scan_log ORDER BY seq")
        }
        #expect(rows.count == lines.count)
        #expect(rows.map { $0["result"] as String } == answers.compactMap { $0["result"] as? String })
        let rejected = rows.filter { ($0["result"] as String) == "rejected" }
        #expect(rejected.count == 3)
        #expect(rejected.allSatisfy { !($0["error_message"] as String).isEmpty })
        let long = rows[4]
        #expect(long["input_length"] as Int == 5000)
        #expect((long["input"] as Data).count == 4096, "the scan log keeps the first 4096 bytes")
        #expect(long["error_code"] as String == "too_long")
    }

    @Test func sequenceNumbersPersistAcrossRuns() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        let first = try ScanStationProcess.run(["run", "--feedback", "jsonl", "--db", db, "--station", "s"], input: Data("A1\nA2\n".utf8))
        let second = try ScanStationProcess.run(["run", "--feedback", "jsonl", "--db", db, "--station", "s"], input: Data("A3\n".utf8))
        #expect(first.status == 0 && second.status == 0)
        let seqs = try (first.lines + second.lines).map { try jsonObject($0)["seq"] as? Int }
        #expect(seqs == [1, 2, 3])
    }

    @Test func textFeedbackIsTheDefault() throws {
        let directory = try TemporaryDirectory()
        let output = try ScanStationProcess.run(["run", "--db", directory.path("s.db"), "--station", "s"], input: Data("4006381333931\n".utf8))
        #expect(output.status == 0)
        let text = String(decoding: output.stdout, as: UTF8.self)
        #expect(text.hasPrefix("OK   #1 4006381333931"))
        #expect(text.contains("Scan the next label."))
    }

    @Test func germanPrompts() throws {
        let directory = try TemporaryDirectory()
        let output = try ScanStationProcess.run(["run", "--feedback", "jsonl", "--language", "de", "--db", directory.path("s.db")], input: Data("X\n".utf8))
        let answer = try jsonObject(try #require(output.lines.first))
        #expect(answer["prompt"] as? String == "Erfasst. Nächstes Etikett scannen.")
    }
}
