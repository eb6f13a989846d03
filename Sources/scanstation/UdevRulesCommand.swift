import ArgumentParser
import Foundation
import Station

struct UdevRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udev-rules",
        abstract: "Print udev rules for the devices the config names.",
        discussion: """
            The service group gets each named device (USB scanners and their hidraw and tty \
            nodes, serial ports, cameras; mode 0660), and plugging in a named USB scanner starts \
            the service. Install the output as \(SiteUdevRules.installPath), then run \
            `udevadm control --reload && udevadm trigger`.
            """
    )

    @Option(help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = ScanStationConfiguration.defaultPath

    func run() async throws {
        do {
            let loaded = try ScanStationConfiguration.load(path: config)
            print(try SiteUdevRules.text(stations: loaded.stations, configPath: config), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(78) // EX_CONFIG
        }
    }
}
