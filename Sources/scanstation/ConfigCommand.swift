import ArgumentParser
import Foundation
import Station

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the config file or print a commented example.",
        subcommands: [Check.self, Example.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a config file without starting anything; errors name the file, the line and the key.")

        @Option(help: ArgumentHelp("The config file.", valueName: "path"))
        var config: String = ScanStationConfiguration.defaultPath

        func run() async throws {
            do {
                let loaded = try ScanStationConfiguration.load(path: config)
                let names = loaded.stations.map(\.name)
                let stations = names.isEmpty
                    ? "no stations: `run` starts one log station, named after the host, on standard input and known USB scanners"
                    : "\(names.count) station\(names.count == 1 ? "" : "s"): \(names.joined(separator: ", "))"
                print("\(config): ok (\(stations))")
                if let database = loaded.database, !database.hasPrefix("/") {
                    // Valid, but rarely meant: systemd starts the daemon in /, where it may not write.
                    FileHandle.standardError.write(Data("warning: \(config): database: '\(database)' is relative, so it is opened from the working directory (/ under systemd); give an absolute path such as /var/lib/scanstation/scanstation.db\n".utf8))
                }
            } catch {
                // Every problem on its own line, in the file's order, so one pass fixes the file.
                let lines = error.problems.map { problem in "error: \(problem)\n" }
                FileHandle.standardError.write(Data(lines.joined().utf8))
                throw ExitCode(78) // EX_CONFIG
            }
        }
    }

    struct Example: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "example", abstract: "Print a commented example config.")

        func run() async throws {
            print(ScanStationConfiguration.exampleText, terminator: "")
        }
    }
}
