public import Foundation

/// Runs a program inside `umockdev-run` with emulated USB devices, as the tests of the real
/// libusb path do. Fails (throws) when umockdev is not installed: such tests never skip.
public enum UMockdevRun {
    public struct ToolMissing: Error, CustomStringConvertible {
        public var tool: String
        public var description: String { "\(tool) is not installed (Debian package umockdev); the USB tests need it" }
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The first of `names` found on PATH (or the usual Debian locations).
    public static func tool(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolMissing(tool: name)
    }

    /// The built `scanstation` next to the test bundle (or $SCANSTATION_BINARY).
    public static var scanstation: String {
        if let path = ProcessInfo.processInfo.environment["SCANSTATION_BINARY"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("scanstation")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return ".build/debug/scanstation"
    }

    /// A fresh folder for the emulation files of one test.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scanstation-usb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Readable by the unprivileged user of the permission test.
        chmod(url.path, 0o755)
        return url
    }

    /// Writes each device's description and replay, then runs `command` under umockdev-run.
    public static func run(devices: [(device: EmulatedUSBDevice, steps: [EmulatedUSBDevice.Step])], command: [String],
                           environment: [String: String] = [:], timeoutSeconds: Double = 30) throws -> Output {
        let umockdevRun = try tool("umockdev-run")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments: [String] = []
        for (index, entry) in devices.enumerated() {
            let description = directory.appendingPathComponent("device\(index).umockdev")
            try Data(entry.device.umockdevDescription.utf8).write(to: description)
            arguments += ["-d", description.path]
            if !entry.steps.isEmpty {
                let replay = directory.appendingPathComponent("device\(index).pcap")
                try entry.device.pcap(entry.steps).write(to: replay)
                arguments += ["-p", "\(entry.device.sysfsPath)=\(replay.path)"]
            }
        }
        return try runProcess(umockdevRun, arguments + ["--"] + command, environment: environment, timeoutSeconds: timeoutSeconds)
    }

    /// Runs a process to completion (killed after the timeout), collecting both outputs.
    public static func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                                  timeoutSeconds: Double = 30) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["G_MESSAGES_DEBUG"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = Collected()
        let errorReader = Thread { collected.setError(stderr.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let killer = Thread {
            let deadline = Date().addingTimeInterval(timeoutSeconds)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        killer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !collected.hasError { usleep(1000) }
        return Output(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: collected.error, as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable {
        // @unchecked: guarded by `lock`.
        private let lock = NSLock()
        private var data: Data?
        func setError(_ value: Data) { lock.withLock { data = value } }
        var hasError: Bool { lock.withLock { data != nil } }
        var error: Data { lock.withLock { data ?? Data() } }
    }
}

extension UMockdevRun {
    /// Device changes while the program runs: plug in, unplug, replug, or a testbed other
    /// users may use (device nodes stay root-only). Drives `testbed.py` under
    /// umockdev-wrapper with Python's UMockdev bindings (Debian gir1.2-umockdev-1.0, python3-gi).
    public struct Timeline: Sendable {
        public var plugAfterSeconds: Double?
        public var unplugAfterSeconds: Double?
        public var replugAfterSeconds: Double?
        public var openTestbed = false

        public init(plugAfterSeconds: Double? = nil, unplugAfterSeconds: Double? = nil, replugAfterSeconds: Double? = nil, openTestbed: Bool = false) {
            self.plugAfterSeconds = plugAfterSeconds
            self.unplugAfterSeconds = unplugAfterSeconds
            self.replugAfterSeconds = replugAfterSeconds
            self.openTestbed = openTestbed
        }
    }

    public static func run(devices: [(device: EmulatedUSBDevice, steps: [EmulatedUSBDevice.Step])], timeline: Timeline,
                           command: [String], timeoutSeconds: Double = 30) throws -> Output {
        let wrapper = try tool("umockdev-wrapper")
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw ToolMissing(tool: python) }
        guard let script = Bundle.module.url(forResource: "testbed", withExtension: "py") else { throw ToolMissing(tool: "testbed.py") }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = [python, script.path]
        for (index, entry) in devices.enumerated() {
            let description = directory.appendingPathComponent("device\(index).umockdev")
            try Data(entry.device.umockdevDescription.utf8).write(to: description)
            arguments += ["--device", description.path]
            if !entry.steps.isEmpty {
                let replay = directory.appendingPathComponent("device\(index).pcap")
                try entry.device.pcap(entry.steps).write(to: replay)
                arguments += ["--pcap", "\(entry.device.sysfsPath)=\(replay.path)"]
            }
        }
        if let seconds = timeline.plugAfterSeconds { arguments += ["--plug-after", "\(seconds)"] }
        if let seconds = timeline.unplugAfterSeconds { arguments += ["--unplug-after", "\(seconds)"] }
        if let seconds = timeline.replugAfterSeconds {
            // A replugged device gets a new address from the host, so a new node and replay.
            arguments += ["--replug-after", "\(seconds)"]
            for (index, entry) in devices.enumerated() {
                var device = entry.device
                device.deviceAddress += 10
                let description = directory.appendingPathComponent("replug\(index).umockdev")
                try Data(device.umockdevDescription.utf8).write(to: description)
                arguments += ["--replug-device", description.path]
                if !entry.steps.isEmpty {
                    let replay = directory.appendingPathComponent("replug\(index).pcap")
                    try device.pcap(entry.steps).write(to: replay)
                    arguments += ["--replug-pcap", "\(device.sysfsPath)=\(replay.path)"]
                }
            }
        }
        if timeline.openTestbed { arguments.append("--open-testbed") }
        return try runProcess(wrapper, arguments + ["--"] + command, timeoutSeconds: timeoutSeconds)
    }
}
