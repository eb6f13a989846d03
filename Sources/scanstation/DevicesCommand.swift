import ArgumentParser
import Devices
import Foundation
import Logging
import ScanCodes
import Station
import Synchronization

/// `scanstation devices [--format text|json]` and `scanstation devices watch`.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List USB devices and which station each scanner would feed, or watch the scans they send.",
        subcommands: [List.self, Watch.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List plugged-in USB devices: port, ids and names, serial, interfaces, scanner kind, access, station.")

        @Option(help: ArgumentHelp("Output format: text|json.", valueName: "format"))
        var format: String = "text"

        @Option(help: "The default station's name (default: the host name).")
        var station: String?

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("unknown format '\(format)'; use text or json") }
        }

        func run() async throws {
            let stationName = station ?? DevicesCommand.hostName()
            let entries: [USBInventoryEntry]
            do {
                entries = try USBDeviceInventory.list(configuration: USBScannerConfiguration(), defaultStation: stationName)
            } catch {
                FileHandle.standardError.write(Data("error: cannot list USB devices: \(error)\n".utf8))
                throw ExitCode(1)
            }
            let serialPorts = SerialPortInventory.list()
            if format == "json" {
                let objects = entries.map(Self.json)
                let ports = serialPorts.map { port -> [String: Any] in
                    ["path": port.path, "stable_names": port.stableNames, "accessible": port.accessible]
                }
                let data = try JSONSerialization.data(withJSONObject: ["devices": objects, "serial_ports": ports],
                                                      options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
                FileHandle.standardOutput.write(data + Data("\n".utf8))
                return
            }
            for port in serialPorts {
                print("serial \(port.path)\(port.stableNames.isEmpty ? "" : "  (\(port.stableNames.joined(separator: ", ")))")  access: \(port.accessible ? "yes" : "no")")
            }
            if entries.isEmpty {
                print("no USB devices found")
                return
            }
            for entry in entries {
                let device = entry.device
                let names = [entry.vendorName ?? device.manufacturer, entry.productName ?? device.product].compactMap { $0 }.joined(separator: " ")
                print("\(device.sourceName)  \(device.idText)  \(names)")
                if let serial = device.serialNumber { print("    serial:     \(serial)") }
                print("    interfaces: \(device.interfaces.map(\.classTriple).joined(separator: " "))")
                print("    scanner:    \(entry.scannerKind?.rawValue ?? "no")")
                print("    access:     \(entry.accessible ? "yes" : "no (see the udev rule)")")
                print("    station:    \(entry.station ?? "none")")
                if let note = entry.note { print("    note:       \(note)") }
            }
        }

        static func json(_ entry: USBInventoryEntry) -> [String: Any] {
            let device = entry.device
            var object: [String: Any] = [
                "source": device.sourceName,
                "bus": Int(device.busNumber),
                "port_path": device.portPath,
                "address": Int(device.deviceAddress),
                "vendor_id": String(format: "%04x", device.vendorID),
                "product_id": String(format: "%04x", device.productID),
                "interfaces": device.interfaces.map { interface -> [String: Any] in
                    ["number": Int(interface.number), "class": String(format: "%02x", interface.interfaceClass),
                     "subclass": String(format: "%02x", interface.subclass), "protocol": String(format: "%02x", interface.interfaceProtocol)]
                },
                "scanner": entry.scannerKind?.rawValue ?? NSNull(),
                "accessible": entry.accessible,
                "station": entry.station ?? NSNull(),
                "device_node": device.deviceNode,
            ]
            object["vendor_name"] = entry.vendorName ?? device.manufacturer ?? NSNull()
            object["product_name"] = entry.productName ?? device.product ?? NSNull()
            object["serial"] = device.serialNumber ?? NSNull()
            object["note"] = entry.note ?? NSNull()
            return object
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Read the USB scanners the default rules take and print each scan as a JSON line, without recording it.")

        @Option(help: "Stop after this many seconds (default: run until interrupted).")
        var seconds: Double?

        @Option(help: "Stop after this many scans.")
        var count: Int?

        @Option(help: ArgumentHelp("Keyboard layout of keyboard-wedge scanners: us, uk, de, fr, es, it.", valueName: "layout"))
        var layout: String = "us"

        @Option(help: ArgumentHelp("What ends a keyboard-wedge scan: enter, tab or none (then only the timeout).", valueName: "terminator"))
        var terminator: String = "enter"

        @Option(name: .customLong("timeout-ms"), help: "A scan also ends after this many milliseconds without a keystroke.")
        var timeoutMilliseconds: Int = 100

        @Option(name: .customLong("match"), help: ArgumentHelp("Take devices by this rule (repeatable): VID:PID, serial=S, port=1-1.4 or hid-pos, optionally @STATION to route them to a station (default: known scanners and HID POS).", valueName: "rule[@station]"))
        var matches: [String] = []

        @Option(help: ArgumentHelp("Answer each scan on its scanner with a good read, warning or bad read signal (beeper, LED), to try them.", valueName: "good|warning|bad"))
        var signal: String?

        @Flag(help: "Find scanners by rescanning the bus every 2 s instead of by hotplug events.")
        var rescan = false

        @Option(help: ArgumentHelp("Log level: debug|info|warning|error.", valueName: "level"))
        var logLevel: String = "info"

        func validate() throws {
            if let signal, ScanSignal(rawValue: signal) == nil { throw ValidationError("unknown signal '\(signal)'; use good, warning or bad") }
            guard ["enter", "tab", "none"].contains(terminator) else { throw ValidationError("unknown terminator '\(terminator)'; use enter, tab or none") }
            guard timeoutMilliseconds > 0 else { throw ValidationError("--timeout-ms must be positive") }
        }

        func run() async throws {
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
            var rules: [USBScannerRule] = []
            for text in matches {
                let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
                rules.append(USBScannerRule(match: try Self.parseMatch(parts.first ?? text), station: parts.count > 1 ? parts[1] : nil, layout: layout,
                                            terminator: terminator, interCharacterTimeoutMilliseconds: timeoutMilliseconds))
            }
            if rules.isEmpty {
                rules = [USBScannerRule(match: .knownScanners, layout: layout, terminator: terminator, interCharacterTimeoutMilliseconds: timeoutMilliseconds)]
            }
            var configuration = USBScannerConfiguration(rules: rules)
            configuration.alwaysRescan = rescan
            let manager = USBScannerManager(configuration: configuration, logger: Logger(label: "scanstation.usb"))
            // One channel per station the rules name (routing as the daemon does), else one for all.
            let stations = Array(Set(rules.compactMap(\.station))).sorted()
            var channels: [(station: String?, channel: ScanChannel)] = []
            if stations.isEmpty {
                let channel = ScanChannel()
                manager.start(into: channel)
                channels.append((nil, channel))
            } else {
                for station in stations {
                    let channel = ScanChannel()
                    manager.source(station: station).start(into: channel)
                    channels.append((station, channel))
                }
            }
            let all = channels.map(\.channel)
            if let seconds {
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: seconds)
                    all.forEach { $0.cancel() }
                }
            }
            let counter = ScanCounter()
            let signal = self.signal.flatMap(ScanSignal.init(rawValue:))
            let count = self.count
            await withTaskGroup(of: Void.self) { group in
                for (station, channel) in channels {
                    group.addTask {
                        for await scan in channel {
                            Self.printScan(scan, station: station)
                            if let signal { manager.signal(signal, on: scan.source) }
                            if let count, counter.increment() >= count {
                                // Give a requested signal the time to go out before everything is released.
                                if signal != nil { try? await Task.sleep(for: .milliseconds(200)) }
                                all.forEach { $0.cancel() }
                            }
                        }
                    }
                }
            }
            all.forEach { $0.cancel() }
            manager.waitUntilStopped(timeoutSeconds: 5)
        }

        static func printScan(_ scan: RawScan, station: String?) {
            var object: [String: Any] = [
                "source": scan.source,
                "text": String(decoding: scan.bytes, as: UTF8.self),
                "hex": scan.bytes.map { String(format: "%02x", $0) }.joined(),
                "length": scan.totalLength,
                "monotonic_ns": scan.monotonicNanoseconds,
            ]
            object["symbology"] = scan.symbology?.rawValue ?? NSNull()
            if let station { object["station"] = station }
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }

        /// Scans printed so far, across the stations' channels.
        final class ScanCounter: Sendable {
            private let value = Mutex(0)
            func increment() -> Int { value.withLock { $0 += 1; return $0 } }
        }

        static func parseMatch(_ text: String) throws -> USBDeviceMatch {
            if text.hasPrefix("serial=") { return .serialNumber(String(text.dropFirst(7))) }
            if text.hasPrefix("port=") { return .portPath(String(text.dropFirst(5))) }
            if text == "hid-pos" { return .anyHIDPOSScanner }
            let parts = text.split(separator: ":")
            if parts.count == 2, let vendor = UInt16(parts[0], radix: 16), let product = UInt16(parts[1], radix: 16) {
                return .ids(vendor: vendor, product: product)
            }
            throw ValidationError("unknown match '\(text)'; use VID:PID, serial=S, port=1-1.4 or hid-pos")
        }
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "station" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.split(separator: ".").first.map(String.init) ?? "station"
    }
}
