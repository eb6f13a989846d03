public import ScanCodes

/// The modes a station runs (CONTRACTS.md, `--mode`).
public enum WorkflowMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Records each scan; changes no stock.
    case log
    case receive, putaway, pick, pack, ship, count
}

/// What a station does when a scan breaks a rule: refuse it, accept it with a warning, or accept it.
public enum PolicyAction: String, Sendable, Hashable, Codable, CaseIterable {
    case reject, warn, allow
}

public struct WorkflowPolicies: Sendable, Hashable, Codable {
    /// A GTIN the catalog does not know (accepted goods are booked under `GTIN-<gtin>`).
    public var unknownProduct: PolicyAction
    /// More received than the receipt expects (or a product it does not expect).
    public var overReceipt: PolicyAction
    /// Goods whose expiry date has passed.
    public var expired: PolicyAction
    /// Picking more than ordered.
    public var overPick: PolicyAction
    /// Packing more than picked.
    public var overPack: PolicyAction
    /// Whether stock may go below zero (a site that books first and corrects later).
    public var allowNegativeStock: Bool
    /// Whether goods may be received with no expected receipt.
    public var blindReceiving: Bool

    public init(unknownProduct: PolicyAction = .reject, overReceipt: PolicyAction = .warn, expired: PolicyAction = .reject, overPick: PolicyAction = .reject, overPack: PolicyAction = .reject, allowNegativeStock: Bool = false, blindReceiving: Bool = false) {
        self.unknownProduct = unknownProduct
        self.overReceipt = overReceipt
        self.expired = expired
        self.overPick = overPick
        self.overPack = overPack
        self.allowNegativeStock = allowNegativeStock
        self.blindReceiving = blindReceiving
    }
}

/// A station's settings, from its config section (CONTRACTS.md, `[[station]]`).
///
/// The values sit behind one immutable reference: every step's context carries the settings,
/// and copying one reference (then releasing it) costs less than copying a dozen fields with
/// their texts and list each step. Changing a value makes a new reference (settings change
/// when the configuration does, not per step). Equality, hashing and coding are the values'.
public struct StationSettings: Sendable, Hashable, Codable {
    private var storage: Storage

    public var name: String {
        get { storage.values.name }
        set { change { $0.name = newValue } }
    }
    /// The mode the station starts in.
    public var mode: WorkflowMode {
        get { storage.values.mode }
        set { change { $0.mode = newValue } }
    }
    /// What `CMD-MODE-x` may switch to; empty means the starting mode only.
    public var modes: [WorkflowMode] {
        get { storage.values.modes }
        set { change { $0.modes = newValue } }
    }
    public var language: PromptLanguage {
        get { storage.values.language }
        set { change { $0.language = newValue } }
    }
    public var requireLogin: Bool {
        get { storage.values.requireLogin }
        set { change { $0.requireLogin = newValue } }
    }
    /// Seconds without a scan after which the operator is logged out; nil: never.
    public var idleLogoutSeconds: Int? {
        get { storage.values.idleLogoutSeconds }
        set { change { $0.idleLogoutSeconds = newValue } }
    }
    public var receiveTo: String? {
        get { storage.values.receiveTo }
        set { change { $0.receiveTo = newValue } }
    }
    public var stageTo: String? {
        get { storage.values.stageTo }
        set { change { $0.stageTo = newValue } }
    }
    public var packAt: String? {
        get { storage.values.packAt }
        set { change { $0.packAt = newValue } }
    }
    /// GS1 company prefix for the SSCCs of new boxes (`CMD-NEWBOX`).
    public var ssccCompanyPrefix: String? {
        get { storage.values.ssccCompanyPrefix }
        set { change { $0.ssccCompanyPrefix = newValue } }
    }
    public var ssccSerialRange: ClosedRange<UInt64>? {
        get { storage.values.ssccSerialRange }
        set { change { $0.ssccSerialRange = newValue } }
    }
    /// SSCC extension digit of new boxes.
    public var ssccExtensionDigit: UInt8 {
        get { storage.values.ssccExtensionDigit }
        set { change { $0.ssccExtensionDigit = newValue } }
    }
    public var policies: WorkflowPolicies {
        get { storage.values.policies }
        set { change { $0.policies = newValue } }
    }

    public init(
        name: String, mode: WorkflowMode = .log, modes: [WorkflowMode] = [], language: PromptLanguage = .en,
        requireLogin: Bool = false, idleLogoutSeconds: Int? = nil, receiveTo: String? = nil, stageTo: String? = nil,
        packAt: String? = nil, ssccCompanyPrefix: String? = nil, ssccSerialRange: ClosedRange<UInt64>? = nil,
        ssccExtensionDigit: UInt8 = 0, policies: WorkflowPolicies = WorkflowPolicies()
    ) {
        storage = Storage(Values(
            name: name, mode: mode, modes: modes, language: language, requireLogin: requireLogin,
            idleLogoutSeconds: idleLogoutSeconds, receiveTo: receiveTo, stageTo: stageTo, packAt: packAt,
            ssccCompanyPrefix: ssccCompanyPrefix, ssccSerialRange: ssccSerialRange,
            ssccExtensionDigit: ssccExtensionDigit, policies: policies))
    }

    public func allows(_ mode: WorkflowMode) -> Bool {
        mode == self.mode || modes.contains(mode)
    }

    private mutating func change(_ update: (inout Values) -> Void) {
        var values = storage.values
        update(&values)
        storage = Storage(values)
    }

    public static func == (lhs: StationSettings, rhs: StationSettings) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.values == rhs.storage.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.values)
    }

    /// Coded as the values themselves: the same keys as before they moved behind the reference.
    public init(from decoder: any Decoder) throws {
        storage = Storage(try Values(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try storage.values.encode(to: encoder)
    }

    /// The settings' values, as the config gives them.
    private struct Values: Sendable, Hashable, Codable {
        var name: String
        var mode: WorkflowMode
        var modes: [WorkflowMode]
        var language: PromptLanguage
        var requireLogin: Bool
        var idleLogoutSeconds: Int?
        var receiveTo: String?
        var stageTo: String?
        var packAt: String?
        var ssccCompanyPrefix: String?
        var ssccSerialRange: ClosedRange<UInt64>?
        var ssccExtensionDigit: UInt8
        var policies: WorkflowPolicies
    }

    private final class Storage: Sendable {
        let values: Values

        init(_ values: Values) {
            self.values = values
        }
    }
}

/// What a step is given besides the state, the scan and the catalog: time, fresh ids and
/// the station's settings. Pure code never reads the clock; the caller does.
public struct StepContext: Sendable {
    /// Milliseconds since the Unix epoch.
    public var now: Int64
    /// The local date, for expiry checks.
    public var today: CalendarDate
    /// Where the step's new ids come from (a fresh UUIDv7 per scan).
    public var ids: IdentifierSeed
    public var settings: StationSettings

    public init(now: Int64, today: CalendarDate, ids: IdentifierSeed, settings: StationSettings) {
        self.now = now
        self.today = today
        self.ids = ids
        self.settings = settings
    }
}

/// Mints the ids of one step from a UUIDv7 the caller made for it: the n-th id adds n to
/// the seed's random tail, so ids stay UUIDv7, time-ordered, and unique across steps.
public struct IdentifierSeed: Sendable, Hashable {
    /// The UUID's 16 bytes as two big-endian words: no allocation per step.
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// From a UUID's 16 bytes.
    public init(bytes: [UInt8]) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<16 {
            let byte = UInt64(index < bytes.count ? bytes[index] : 0)
            if index < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
        }
        self.init(high: high, low: low)
    }

    /// From a UUID in its 36-character text form; nil when it is not one.
    public init?(uuid text: String) {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in text.utf8 where character != UInt8(ascii: "-") {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let value = high {
                bytes.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard bytes.count == 16, high == nil else { return nil }
        self.init(bytes: bytes)
    }

    /// A deterministic seed for tests and benchmarks: UUIDv7 layout around `milliseconds` and `counter`.
    public static func sequential(milliseconds: Int64, counter: UInt64) -> IdentifierSeed {
        // Bytes 0-5 the time, 6 the version, 8 the variant; the counter in bytes 10-14,
        // above the low 16 bits that `id(_:)` uses for the n-th id.
        let time = UInt64(truncatingIfNeeded: milliseconds) & 0xFFFF_FFFF_FFFF
        let high = time << 16 | 0x70 << 8
        let low = UInt64(0x80) << 56 | (counter & 0xFF_FFFF_FFFF) << 8
        return IdentifierSeed(high: high, low: low)
    }

    /// The n-th id of the step.
    public func id(_ n: Int) -> String {
        identifier(n).text
    }

    /// The n-th id of the step as its 16 bytes, made text only when it is read.
    func identifier(_ n: Int) -> MovementIdentifier {
        // Add n to the low bytes, carrying within the random tail (bytes 9...15): the low 56 bits.
        let tailMask: UInt64 = 0x00FF_FFFF_FFFF_FFFF
        let tail = (low & tailMask) &+ UInt64(UInt16(truncatingIfNeeded: n))
        return MovementIdentifier(high: high, low: low & ~tailMask | tail & tailMask)
    }

    static func format(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { text in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = index < 8 ? high : low
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(7 - index % 8)))
                text[position] = digits.utf8Start[Int(byte >> 4)]
                text[position + 1] = digits.utf8Start[Int(byte & 0x0F)]
                position += 2
            }
            return position
        }
    }
}
