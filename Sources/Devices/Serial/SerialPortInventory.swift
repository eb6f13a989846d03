import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A serial port a scanner may be on, as `scanstation devices` shows it.
public struct SerialPortEntry: Sendable, Hashable {
    /// The kernel's node, e.g. /dev/ttyACM0.
    public var path: String
    /// Stable names udev made for it (/dev/serial/by-id/...): use these in the config, as
    /// ttyACM numbers change with plug order.
    public var stableNames: [String]
    /// Whether this user may open it (read and write).
    public var accessible: Bool
}

/// Lists USB CDC-ACM and USB-serial ports (ttyACM*, ttyUSB*) without opening them.
public enum SerialPortInventory {
    public static func list(deviceRoot: String = "/dev") -> [SerialPortEntry] {
        let files = FileManager.default
        let nodes = ((try? files.contentsOfDirectory(atPath: deviceRoot)) ?? [])
            .filter { $0.hasPrefix("ttyACM") || $0.hasPrefix("ttyUSB") }
            .map { "\(deviceRoot)/\($0)" }
        let byID = "\(deviceRoot)/serial/by-id"
        var names: [String: [String]] = [:]
        for link in (try? files.contentsOfDirectory(atPath: byID)) ?? [] {
            let path = "\(byID)/\(link)"
            guard let target = try? files.destinationOfSymbolicLink(atPath: path) else { continue }
            let resolved = target.hasPrefix("/") ? target : URL(fileURLWithPath: byID).appendingPathComponent(target).standardized.path
            names[resolved, default: []].append(path)
        }
        return nodes.sorted { lhs, rhs in
            // ttyACM2 before ttyACM10.
            lhs.count != rhs.count ? lhs.count < rhs.count : lhs < rhs
        }.map { node in
            SerialPortEntry(path: node, stableNames: (names[node] ?? []).sorted(), accessible: access(node, R_OK | W_OK) == 0)
        }
    }
}
