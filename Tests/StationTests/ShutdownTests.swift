import Foundation
import GRDB
import Testing

/// SIGTERM and SIGINT while the daemon waits for more scans: everything acknowledged stays
/// committed, the process exits 0 and the database closes cleanly.
@Suite struct ShutdownTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func signalDrainsAndClosesCleanly(signal: Int32) throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("station.db")
        let process = Process()
        process.executableURL = ScanStationProcess.executable
        process.arguments = ["run", "--feedback", "jsonl", "--db", db, "--station", "dock-9"]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()

        // Keep stdin open: the daemon must be stopped by the signal, not by end of input.
        let count = 25
        var acknowledged: [String] = []
        var buffer = Data()
        let reader = stdout.fileHandleForReading
        for index in 0..<count {
            stdin.fileHandleForWriting.write(Data("SCAN-\(index)\n".utf8))
            // Wait for this scan's answer before sending the next one.
            while !buffer.contains(0x0A) {
                let chunk = reader.availableData
                try #require(!chunk.isEmpty, "daemon closed its output early")
                buffer.append(chunk)
            }
            let newline = try #require(buffer.firstIndex(of: 0x0A))
            let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            let answer = try jsonObject(line)
            #expect(answer["result"] as? String == "accepted")
            acknowledged.append(try #require(answer["scan_id"] as? String))
        }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)

        let walSize = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0, "a clean close checkpoints the WAL")
        let queue = try DatabaseQueue(path: db)
        let stored = try queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM scan_log ORDER BY seq") }
        #expect(stored == acknowledged)
        let integrity = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }
}
