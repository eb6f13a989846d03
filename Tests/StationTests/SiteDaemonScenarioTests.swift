import DeviceEmulation
import Foundation
import Testing

/// The daemon the way a site runs it: a config file with several stations, their own
/// scanners, modes and locations, talked to over the control socket.
@Suite struct SiteDaemonScenarioTests {
    /// The station's `prefix` and `suffix` are what its scanners are set to send around each
    /// scan; a serial scanner's are removed as a USB scanner's are (they were kept: a GTIN
    /// arrived as '#4006381333931!' and was no product).
    @Test func aSerialScannersConfiguredPrefixAndSuffixAreRemoved() throws {
        let directory = try TemporaryDirectory()
        let scanner = try PseudoTerminal()
        defer { scanner.unplug() }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(directory.path("s.db"))"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            sources = ["stdin"]
            [[station]]
            name = "dock-2"
            sources = ["serial:\(scanner.slavePath)"]
            prefix = "#"
            suffix = "!"
            """)
        defer { daemon.stop() }
        // The port opens a moment after the daemon starts: what is typed before is lost,
        // as with a real scanner.
        var first: [String: Any]?
        for _ in 0..<20 where first == nil {
            scanner.type("#]E04006381333931!\r\n")
            first = try daemon.nextAnswer(timeout: 0.5)
        }
        while try daemon.nextAnswer(timeout: 0.3) != nil {}
        #expect(first?["station"] as? String == "dock-2")
        #expect(first?["input"] as? String == "]E04006381333931")
        #expect(first?["symbology"] as? String == "ean-13")
        // A scan without them is kept whole (a warning in the log says so).
        scanner.type("OP-7\r\n")
        let whole = try daemon.nextAnswer()
        #expect(whole["input"] as? String == "OP-7")
        #expect(whole["result"] as? String == "accepted")
    }
}
