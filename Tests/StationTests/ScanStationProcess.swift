import Foundation
import Testing

/// Runs the built `scanstation` executable as a subprocess, as a user or a script would.
struct ScanStationProcess {
    /// The executable next to the test bundle in the build folder (or $SCANSTATION_BINARY).
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["SCANSTATION_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // `swift test` may run the bundle from inside `X.xctest/...`.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("scanstation")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/scanstation")
    }

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
        var lines: [String] {
            String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    /// Runs to completion with `input` on standard input; a run longer than `timeout`
    /// seconds is killed and fails the test instead of hanging the suite.
    /// `launcher` runs the binary through another command (e.g. `setpriv` as another user);
    /// `binary` replaces the built executable (a copy another user may run).
    static func run(
        _ arguments: [String], input: Data = Data(), environment: [String: String] = [:], timeout: Double = 60,
        launcher: [String] = [], binary: URL? = nil
    ) throws -> Output {
        let process = Process()
        let program = binary ?? executable
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(launcher.dropFirst()) + [program.path] + arguments
        } else {
            process.executableURL = program
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "STATE_DIRECTORY")
        env.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // Read both outputs concurrently so neither pipe can fill and stall the child.
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        if process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL {
            Issue.record("scanstation \(arguments.joined(separator: " ")) did not finish within \(timeout) s and was killed")
        }
        return Output(status: process.terminationStatus, stdout: out, stderr: String(decoding: errorData.value, as: UTF8.self))
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A fresh directory for one test's database files.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("scanstation-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to the file `name` here; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let target = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }
}

/// Parses one JSONL answer into a dictionary.
func jsonObject(_ line: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    return try #require(value as? [String: Any], "not a JSON object: \(line)")
}
