@testable import Station
import Testing
import Workflows

/// `[station.policy]` reaches the workflows: every rule a site may relax, over-pick and
/// over-pack among them (before, they could not be set and always refused).
struct PolicyConfigurationTests {
    @Test func overPickAndOverPackAreSetPerStationAndRejectByDefault() throws {
        let configuration = try ScanStationConfiguration.parse("""
            [[station]]
            name = "pick-1"
            mode = "pick"
            [station.policy]
            over_pick = "warn"
            over_pack = "allow"
            [[station]]
            name = "pick-2"
            mode = "pick"
            """, file: "/etc/scanstation/scanstation.toml")
        let settings = configuration.stations.map { StationSettings(configuration: $0, language: .en) }
        #expect(settings.map(\.policies.overPick) == [.warn, .reject])
        #expect(settings.map(\.policies.overPack) == [.allow, .reject])
        #expect(settings.map(\.policies.overReceipt) == [.warn, .warn])
    }

    @Test func anUnknownOverPickValueNamesTheKey() {
        do {
            _ = try ScanStationConfiguration.parse("[[station]]\nname = \"a\"\n[station.policy]\nover_pick = \"maybe\"\n", file: "s.toml")
            Issue.record("accepted over_pick = maybe")
        } catch {
            #expect(error.description.contains("station[0].policy.over_pick"), "\(error)")
            #expect(error.description.contains("reject, warn, allow"), "\(error)")
        }
    }

    @Test func theExampleConfigNamesThem() throws {
        #expect(ScanStationConfiguration.exampleText.contains("over_pick = \"reject\""))
        let station = try #require(try ScanStationConfiguration.parse(ScanStationConfiguration.exampleText, file: "example.toml").stations.first)
        #expect(station.overPick == .reject && station.overPack == .reject)
    }
}
