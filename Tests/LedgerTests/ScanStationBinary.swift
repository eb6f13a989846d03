import Foundation

/// Runs the built `scanstation` executable, found next to the test bundle in the build
/// folder (or at $SCANSTATION_BINARY), as an admin's shell would.
enum ScanStationBinary {
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["SCANSTATION_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("scanstation")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/scanstation")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: String = "") throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "STATE_DIRECTORY")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain stderr on its own thread so neither pipe can fill and stall the child.
        let errorText = ErrorBox()
        let reader = Thread { errorText.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: errorText.wait())
    }
}

private final class ErrorBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?
    func set(_ value: Data) { condition.lock(); data = value; condition.signal(); condition.unlock() }
    func wait() -> String {
        condition.lock()
        while data == nil { condition.wait() }
        defer { condition.unlock() }
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}
