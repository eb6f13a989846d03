import Foundation
import Ledger
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Admin commands find the daemon's store through its config, and a station that syncs
/// with a hub refuses local imports (the hub owns master data).
@Suite struct AdminCommandConfigTests {
    func writeProducts(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.path("products.csv")
        try Data("sku,gtin\nWIDGET-7,04006381333931\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func importAndReportUseTheConfigsDatabase() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        try Data("database = \"\(directory.path("daemon.db"))\"\n".utf8).write(to: URL(fileURLWithPath: config))
        let imported = try ScanStationProcess.run(["import", "products", try writeProducts(directory), "--config", config])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.path("daemon.db")))
        let check = try ScanStationProcess.run(["db", "check", "--config", config])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(String(decoding: check.stdout, as: UTF8.self).contains(directory.path("daemon.db")))
    }

    @Test func aStationOnAHubRefusesLocalImports() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        try Data("database = \"\(directory.path("daemon.db"))\"\n[hub]\nurl = \"https://hub.example:8443\"\n".utf8).write(to: URL(fileURLWithPath: config))
        let refused = try ScanStationProcess.run(["import", "products", try writeProducts(directory), "--config", config])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("syncs with the hub at https://hub.example:8443"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("daemon.db")), "nothing was written")
    }

    @Test func aMissingImportFileExitsNoInputAndCreatesNoStore() throws {
        let directory = try TemporaryDirectory()
        let output = try ScanStationProcess.run(["import", "products", directory.path("typo.csv"), "--db", directory.path("s.db")])
        #expect(output.status == 66)
        #expect(output.stderr.contains("cannot open \(directory.path("typo.csv")): no such file; nothing was imported"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("s.db")))
    }

    /// An admin in the service's group reads /var/lib/scanstation but may not write it.
    /// With the daemon stopped SQLite cannot make the WAL's -shm file there: reports and
    /// `db check` still read the store, and a crashed store whose log holds commits says
    /// why it cannot be read instead of showing a past state.
    @Test func aUserWhoMayNotWriteTheStoresDirectoryStillReadsIt() throws {
        let directory = try TemporaryDirectory()
        let storeDirectory = directory.path("state"), crashedDirectory = directory.path("crashed")
        for path in [storeDirectory, crashedDirectory] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) }
        let database = storeDirectory + "/s.db"
        do {
            let store = try LedgerStore(path: database)
            _ = try store.write(station: "dock-1", time: 1_700_000_000_000) { transaction in
                _ = try transaction.appendMovement(NewMovement(kind: .receive, sku: "WIDGET-7", quantity: 12, to: "DOCK-1"))
            }
            // A copy taken while the store is open: its log holds the movement, no -shm.
            for suffix in ["", "-wal"] { try FileManager.default.copyItem(atPath: database + suffix, toPath: crashedDirectory + "/s.db" + suffix) }
            try store.close()
        }
        #expect(!FileManager.default.fileExists(atPath: database + "-shm"), "a clean close leaves no -shm (the case under test)")

        // As root, the other user is nobody, and the binary a copy nobody may run.
        var launcher: [String] = []
        var binary: URL?
        if geteuid() == 0 {
            launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            let copy = directory.path("scanstation")
            try FileManager.default.copyItem(atPath: ScanStationProcess.executable.path, toPath: copy)
            binary = URL(fileURLWithPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        }
        for path in [storeDirectory, crashedDirectory] { try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: path) }
        defer { for path in [storeDirectory, crashedDirectory] { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) } }

        let report = try ScanStationProcess.run(["report", "stock", "--format", "json", "--db", database], launcher: launcher, binary: binary)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(String(decoding: report.stdout, as: UTF8.self).contains("\"sku\":\"WIDGET-7\""), "\(String(decoding: report.stdout, as: UTF8.self))")
        let check = try ScanStationProcess.run(["db", "check", "--db", database], launcher: launcher, binary: binary)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database + "-shm"), "reading left nothing behind")

        let crashed = try ScanStationProcess.run(["report", "stock", "--db", crashedDirectory + "/s.db"], launcher: launcher, binary: binary)
        #expect(crashed.status == 74)
        #expect(crashed.stderr.contains("write-ahead log (\(crashedDirectory)/s.db-wal) holds commits not yet in the file"), "\(crashed.stderr)")
    }

    @Test func aBrokenConfigIsReported() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        try Data("database = 5\n".utf8).write(to: URL(fileURLWithPath: config))
        let output = try ScanStationProcess.run(["report", "stock", "--config", config])
        #expect(output.status == 78)
        #expect(output.stderr.contains("\(config):1: database: expected a string"))
    }
}
