/// What the policy does when a rule is broken (unknown product, over-receipt, expired goods,
/// over-pick, over-pack).
public enum PolicyAction: String, Sendable, CaseIterable {
    case reject, warn, allow
}

/// One station of the PC: its sources, modes and policies (`[[station]]`).
public struct StationConfiguration: Sendable, Equatable {
    public var name: String
    public var mode: StationMode = .log
    /// What `CMD-MODE-x` may switch to; the starting mode is always allowed.
    public var modes: [StationMode] = []
    public var sources: [SourceSpecification] = []
    /// The keyboard layout keyboard-wedge scanners of this station are set to.
    public var layout: String = "us"
    public var prefix: String?
    public var suffix: String?
    /// What ends a keyboard-wedge scan: enter, tab or none.
    public var terminator: String = "enter"
    public var tokenFile: String?
    public var receiveTo: String?
    public var stageTo: String?
    public var packAt: String?
    public var ssccCompanyPrefix: String?
    public var ssccSerialRange: ClosedRange<Int64>?
    public var requireLogin = false
    /// Minutes without a scan after which the operator is logged out; nil: never.
    public var idleLogoutMinutes: Int?
    public var unknownProduct: PolicyAction = .reject
    public var overReceipt: PolicyAction = .warn
    public var expired: PolicyAction = .reject
    /// More of a pick line than it has left (a `CMD-QTY-n` too large, a case of more).
    public var overPick: PolicyAction = .reject
    /// More of a product into boxes than was picked for it.
    public var overPack: PolicyAction = .reject
    public var allowNegativeStock = false
    /// Whether goods may be received without an expected receipt (a blind receipt is made).
    public var blindReceiving = false
    /// Cameras and frame streams: the resolution to ask a camera for (nil: its default).
    public var cameraWidth: Int?
    public var cameraHeight: Int?
    /// Cameras and frame streams: the symbologies the site uses (nil: everything readable).
    public var cameraSymbologies: [String]?
    /// Cameras and frame streams: how long a label must be out of sight before it counts again.
    public var cameraHoldOffMilliseconds: Int?

    public init(name: String) {
        self.name = name
    }
}

/// The config file (`/etc/scanstation/scanstation.toml`, CONTRACTS.md), as plain values.
public struct ScanStationConfiguration: Sendable, Equatable {
    public static let defaultPath = "/etc/scanstation/scanstation.toml"

    public var database: String?
    /// The display and /metrics listener; nil when "off".
    public var listen: String? = "127.0.0.1:8420"
    public var language: PromptLanguage = .en
    public var controlSocket = "/run/scanstation/control.sock"
    public var hubURL: String?
    public var hubCAFile: String?
    /// The site's label scheme: command and operator-badge prefixes.
    public var commandPrefix = "CMD-"
    public var operatorPrefix = "OP-"
    public var stations: [StationConfiguration] = []

    public init() {}
}

/// A config error, naming the file, the line and the key path.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var keyPath: String?
    public var message: String
    /// Problems found after this one: a check reports every station and every unknown key
    /// at once, so an admin fixes a file in one pass.
    public var further: [ConfigurationError] = []

    /// This problem, then the further ones, each on its own.
    public var problems: [ConfigurationError] {
        var first = self
        first.further = []
        return [first] + further
    }

    /// The first problem, and how many more there are (`problems` lists them).
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let keyPath { text += "\(keyPath): " }
        text += message
        if !further.isEmpty { text += " (and \(further.count) more problem\(further.count == 1 ? "" : "s"))" }
        return text
    }

    /// Throws the first of `problems` carrying the rest; nothing when there are none.
    static func throwing(_ problems: [ConfigurationError]) throws(ConfigurationError) {
        guard var first = problems.first else { return }
        first.further = Array(problems.dropFirst())
        throw first
    }
}
