import Foundation
@testable import Station
import Testing

/// `scanstation udev-rules`: the text for each kind of source, errors, and the rules
/// checked by `udevadm test` under umockdev.
@Suite struct UdevRulesTests {
    static func station(_ name: String, _ sources: [String]) throws -> StationConfiguration {
        var station = StationConfiguration(name: name)
        station.sources = try sources.map { try SourceSpecification(parsing: $0) }
        return station
    }

    static func ruleLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    @Test func usbSourcesGetTheirDeviceAndNodesAndStartTheService() throws {
        let text = try SiteUdevRules.text(stations: [try Self.station("dock-1", ["usb:05e0:1200", "usb:0c2e", "usb:serial=AB-12.x", "usb:port=1-1.4"])], configPath: "/etc/s.toml")
        let lines = Self.ruleLines(text)
        #expect(lines.first == #"ACTION=="remove", GOTO="scanstation_site_end""#)
        #expect(lines.last == #"LABEL="scanstation_site_end""#)
        #expect(lines.contains(#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="05e0", ATTR{idProduct}=="1200", GROUP="scanstation", MODE="0660", TAG+="systemd", ENV{SYSTEMD_WANTS}+="scanstation.service""#))
        #expect(lines.contains(#"SUBSYSTEM=="hidraw|tty", ATTRS{idVendor}=="05e0", ATTRS{idProduct}=="1200", GROUP="scanstation", MODE="0660""#))
        #expect(lines.contains(#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="0c2e", GROUP="scanstation", MODE="0660", TAG+="systemd", ENV{SYSTEMD_WANTS}+="scanstation.service""#))
        #expect(lines.contains(#"SUBSYSTEM=="hidraw|tty", ATTRS{serial}=="AB-12.x", GROUP="scanstation", MODE="0660""#))
        #expect(lines.contains(#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", KERNEL=="1-1.4", GROUP="scanstation", MODE="0660", TAG+="systemd", ENV{SYSTEMD_WANTS}+="scanstation.service""#))
        #expect(lines.contains(#"SUBSYSTEM=="hidraw|tty", KERNELS=="1-1.4", GROUP="scanstation", MODE="0660""#))
        #expect(text.contains("# station dock-1: usb:serial=AB-12.x\n"))
        #expect(text.contains("71-scanstation-site.rules") && text.contains("/etc/s.toml"))
        // Every assignment is group scanstation, mode 0660: nothing world-writable.
        for line in lines where line.contains("GROUP") {
            #expect(line.contains(#"GROUP="scanstation", MODE="0660""#), "\(line)")
        }
        #expect(!text.contains("0666") && !text.contains("0664"))
    }

    @Test func serialPortsAndCamerasGetGroupAccessWithoutStartingTheService() throws {
        let text = try SiteUdevRules.text(stations: [try Self.station("s", ["serial:/dev/ttyACM0@115200", "serial:/dev/serial/by-id/usb-Zebra_1-if00", "camera:/dev/video2"])], configPath: "c")
        let lines = Self.ruleLines(text)
        #expect(lines.contains(#"SUBSYSTEM=="tty", KERNEL=="ttyACM0", GROUP="scanstation", MODE="0660""#))
        #expect(lines.contains(#"SUBSYSTEM=="tty", SYMLINK=="serial/by-id/usb-Zebra_1-if00", GROUP="scanstation", MODE="0660""#))
        #expect(lines.contains(#"SUBSYSTEM=="video4linux", KERNEL=="video2", GROUP="scanstation", MODE="0660""#))
        #expect(!text.contains("SYSTEMD_WANTS"))
    }

    @Test func sourcesWithoutDevicesGetANoteAndRepeatsAreWrittenOnce() throws {
        let text = try SiteUdevRules.text(stations: [
            try Self.station("a", ["stdin", "usb", "usb:hid-pos", "llrp:10.0.0.5", "usb:05e0:1200"]),
            try Self.station("b", ["usb:05e0:1200"]),
        ], configPath: "c")
        #expect(Self.ruleLines(text).count == 4, "remove guard, two rules, label: \(text)")
        #expect(text.contains("# station a: usb\n# known scanner vendors: covered by 70-scanstation.rules"))
        #expect(text.contains("# station a: stdin\n# reads standard input"))
        #expect(text.contains("# station b: usb:05e0:1200\n# (same rule as above)\n# (same rule as above)"))
    }

    @Test func valuesUdevWouldReadAsPatternsAreRefused() throws {
        for source in ["usb:serial=A*B", "usb:serial=A\"B", "serial:/dev/tty[01]", "usb:port=1-1;x"] {
            #expect(throws: SiteUdevRules.UnsafeValue.self, "\(source)") {
                try SiteUdevRules.text(stations: [try Self.station("s", [source])], configPath: "c")
            }
        }
    }

    @Test func commandPrintsTheRulesAndNamesConfigErrors() throws {
        let directory = try TemporaryDirectory()
        let config = directory.path("s.toml")
        try Data("[[station]]\nname = \"d\"\nsources = [\"usb:05e0:1200\"]\n".utf8).write(to: URL(fileURLWithPath: config))
        let output = try ScanStationProcess.run(["udev-rules", "--config", config])
        #expect(output.status == 0, "\(output.stderr)")
        let expected = try SiteUdevRules.text(stations: [try Self.station("d", ["usb:05e0:1200"])], configPath: config)
        #expect(String(decoding: output.stdout, as: UTF8.self) == expected)

        try Data("[[station]]\nname = \"d\"\nsources = [\"usb:serial=a*\"]\n".utf8).write(to: URL(fileURLWithPath: config))
        let unsafe = try ScanStationProcess.run(["udev-rules", "--config", config])
        #expect(unsafe.status == 78)
        #expect(unsafe.stderr.contains("station d: source 'usb:serial=a*'"), "\(unsafe.stderr)")
        #expect(unsafe.stdout.isEmpty)

        let missing = try ScanStationProcess.run(["udev-rules", "--config", directory.path("none.toml")])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("none.toml"))
    }

    /// `udevadm test` under umockdev (Tests/System/check-site-udev-rules.sh); needs root,
    /// umockdev and udevadm (or Debian's udev package to unpack), and fails without them.
    @Test func generatedRulesPassUdevadmTest() throws {
        var directory = URL(fileURLWithPath: #filePath)
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory = directory.deletingLastPathComponent()
        }
        let script = directory.appendingPathComponent("Tests/System/check-site-udev-rules.sh")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "\(script.path)")
        try #require(getuid() == 0, "udevadm test under umockdev needs root (unshare -m, mount --bind)")
        let process = Process()
        process.executableURL = script
        process.arguments = [ScanStationProcess.executable.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("site udev rules: all checks passed"), "\(text)")
        #expect(!text.contains("FAIL"), "\(text)")
    }
}
