import ArgumentParser

@main
struct ScanStationCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scanstation",
        abstract: "Barcode and RFID scanner station daemon for warehouse PCs.",
        discussion: """
            Reads the station's scanners, turns each scan into a step of the warehouse \
            workflow, records it durably in a local SQLite store and answers at once.
            """,
        version: ScanStationCommand.version,
        subcommands: [
            RunCommand.self,
            DecodeCommand.self,
            ReadImageCommand.self,
            HIDDecodeCommand.self,
            HIDDescriptorCommand.self,
            DevicesCommand.self,
            ImportCommand.self,
            ReportCommand.self,
            DbCommand.self,
            ConfigCommand.self,
            UdevRulesCommand.self,
            StatusCommand.self,
            ReloadCommand.self,
            SyncCommand.self,
            LogoutCommand.self,
            ReleaseCommand.self,
        ]
    )
}
