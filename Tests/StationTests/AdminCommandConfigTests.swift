import Foundation
import Testing

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

    @Test func aBrokenConfigIsReported() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("scanstation.toml")
        try Data("database = 5\n".utf8).write(to: URL(fileURLWithPath: config))
        let output = try ScanStationProcess.run(["report", "stock", "--config", config])
        #expect(output.status == 78)
        #expect(output.stderr.contains("\(config):1: database: expected a string"))
    }
}
