import ArgumentParser
import Foundation
import Station

/// Where to find a running daemon: --socket > the config's control_socket > the default.
struct ControlSocketOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's control socket (default: the config's control_socket, else /run/scanstation/control.sock).", valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("The config file naming the control socket (default: \(ScanStationConfiguration.defaultPath) if it exists).", valueName: "path"))
    var config: String?

    /// The config named, or the default one when it exists.
    var configPath: String? {
        config ?? (FileManager.default.fileExists(atPath: ScanStationConfiguration.defaultPath) ? ScanStationConfiguration.defaultPath : nil)
    }

    func client() throws -> ControlClient {
        if let socket { return ControlClient(path: socket) }
        if let path = configPath {
            do {
                return ControlClient(path: try ScanStationConfiguration.load(path: path).controlSocket)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(78)
            }
        }
        return ControlClient(path: ScanStationConfiguration().controlSocket)
    }

    /// Sends one request; prints the daemon's message and fails when it says no.
    func send(_ request: ControlRequest) throws -> ControlResponse {
        let response: ControlResponse
        do {
            response = try client().send(request)
        } catch let failure as ControlClient.Failure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            throw ExitCode(69) // EX_UNAVAILABLE
        }
        guard response.ok else {
            FileHandle.standardError.write(Data("error: \(response.message)\n".utf8))
            throw ExitCode.failure
        }
        return response
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the running daemon is doing: stations, operators, modes, sources, sync, outbox.")

    @OptionGroup var control: ControlSocketOptions

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("unknown format '\(format)'; use text or json") }
    }

    func run() async throws {
        let response = try control.send(ControlRequest(command: "status"))
        guard let status = response.status else { throw ExitCode.failure }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        print("scanstation \(status.version), pid \(status.pid), store \(status.database)")
        var outbox = "\(status.outbox) event\(status.outbox == 1 ? "" : "s") waiting"
        if let oldest = status.outboxOldestAt {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            outbox += ", the oldest recorded \(Self.age(milliseconds: now - oldest)) ago"
        }
        print("sync: \(status.sync), outbox: \(outbox)")
        for station in status.stations {
            let sources = station.sources.isEmpty ? "no sources" : station.sources.joined(separator: ", ")
            print("station \(station.name): mode \(station.mode), operator \(station.operator ?? "-"), \(station.scans) scans, sources: \(sources)")
        }
    }
}

extension StatusCommand {
    /// A duration as an admin reads it at a glance: "42 s", "7 min", "3 h 20 min", "2 d 5 h".
    static func age(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1000
        switch seconds {
        case ..<60: return "\(seconds) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<86_400: return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
        }
    }
}

struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the running daemon re-read its config (as SIGHUP does) and say what needs a restart.")

    @OptionGroup var control: ControlSocketOptions

    func run() async throws {
        print(try control.send(ControlRequest(command: "reload")).message)
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Synchronise with the hub.",
        subcommands: [Now.self])

    struct Now: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "now",
            abstract: "Push the outbox and pull changes now, through the running daemon.")

        @OptionGroup var control: ControlSocketOptions

        func run() async throws {
            let response: ControlResponse
            do {
                response = try control.client().send(ControlRequest(command: "sync-now"))
            } catch let failure as ControlClient.Failure {
                // No daemon: CONTRACTS.md has `sync now --config` sync by itself. Say what the
                // config allows rather than only that the daemon is not there.
                guard let path = control.configPath, let configuration = try? ScanStationConfiguration.load(path: path) else {
                    FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
                    throw ExitCode(69) // EX_UNAVAILABLE
                }
                let reason = configuration.hubURL == nil
                    ? "\(path) has no [hub]: this station works alone and has nothing to sync"
                    : "no daemon answers (\(failure)), and syncing without the daemon is not built into this version yet; start scanstation and run this again"
                FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
                throw ExitCode(69)
            }
            guard response.ok else {
                FileHandle.standardError.write(Data("error: \(response.message)\n".utf8))
                throw ExitCode.failure
            }
            print(response.message)
        }
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Log the operator out of a station of the running daemon.")

    @Argument(help: "The station.")
    var station: String

    @OptionGroup var control: ControlSocketOptions

    func run() async throws {
        print(try control.send(ControlRequest(command: "logout", station: station)).message)
    }
}

struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Free the receipts, orders and counts a station no longer run by the daemon still holds.",
        discussion: """
            A station removed from the config (or whose PC is gone) keeps its claims, so no \
            other station may work those documents. This lets go of them and of the station's \
            open work; what it booked stays booked. A station the daemon runs is refused: \
            finish or cancel at the station.
            """)

    @Argument(help: "The station.")
    var station: String

    @OptionGroup var control: ControlSocketOptions

    func run() async throws {
        let response = try control.send(ControlRequest(command: "release", station: station))
        guard response.ok else {
            FileHandle.standardError.write(Data("error: \(response.message)\n".utf8))
            throw ExitCode.failure
        }
        print(response.message)
    }
}
