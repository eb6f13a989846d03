import Foundation
public import ScanCodes

public enum MovementKind: String, Sendable, Hashable, Codable, CaseIterable {
    case receive, putaway, pick, pack, ship, adjust, undo
}

/// One immutable stock movement: `quantity` of a product (and lot) leaves `from` (nil: it
/// enters the warehouse) and arrives at `to` (nil: it leaves the warehouse).
/// Balances are the sum of all movements.
///
/// The values sit behind one immutable reference: a step's movements are copied into its
/// outcome, its undo history and the reads that add them to the catalog's stock, and one
/// reference is copied (and released) for a dozen texts. Changing a value makes a new
/// reference. Equality, hashing and coding are the values'.
public struct Movement: Sendable, Hashable, Codable {
    private var storage: Storage

    /// UUIDv7.
    public var id: String {
        get { identifier.text }
        set { identifier = MovementIdentifier(newValue) }
    }
    /// The id as a step mints it: 128 bits, made text only when `id` is read (when the
    /// movement is stored), not for every movement a step decides.
    var identifier: MovementIdentifier {
        get { storage.values.identifier }
        set { change { $0.identifier = newValue } }
    }
    public var kind: MovementKind {
        get { storage.values.kind }
        set { change { $0.kind = newValue } }
    }
    public var sku: String {
        get { storage.values.sku }
        set { change { $0.sku = newValue } }
    }
    public var lot: String? {
        get { storage.values.lot }
        set { change { $0.lot = newValue } }
    }
    public var expiry: CalendarDate? {
        get { storage.values.expiry }
        set { change { $0.expiry = newValue } }
    }
    /// Always positive.
    public var quantity: Quantity {
        get { storage.values.quantity }
        set { change { $0.quantity = newValue } }
    }
    public var from: String? {
        get { storage.values.from }
        set { change { $0.from = newValue } }
    }
    public var fromContainer: String? {
        get { storage.values.fromContainer }
        set { change { $0.fromContainer = newValue } }
    }
    public var to: String? {
        get { storage.values.to }
        set { change { $0.to = newValue } }
    }
    public var toContainer: String? {
        get { storage.values.toContainer }
        set { change { $0.toContainer = newValue } }
    }
    /// The document (and its line) this movement counts towards.
    public var document: DocumentRef? {
        get { storage.values.document }
        set { change { $0.document = newValue } }
    }
    public var line: Int? {
        get { storage.values.line }
        set { change { $0.line = newValue } }
    }
    public var operatorBadge: String? {
        get { storage.values.operatorBadge }
        set { change { $0.operatorBadge = newValue } }
    }
    /// For an undo: the movement it compensates and that movement's kind.
    public var reverses: String? {
        get { storage.values.reverses }
        set { change { $0.reverses = newValue } }
    }
    public var reversedKind: MovementKind? {
        get { storage.values.reversedKind }
        set { change { $0.reversedKind = newValue } }
    }
    /// Milliseconds since the Unix epoch, from the step's context.
    public var at: Int64 {
        get { storage.values.at }
        set { change { $0.at = newValue } }
    }

    public init(
        id: String, kind: MovementKind, sku: String, lot: String? = nil, expiry: CalendarDate? = nil, quantity: Quantity,
        from: String? = nil, fromContainer: String? = nil, to: String? = nil, toContainer: String? = nil,
        document: DocumentRef? = nil, line: Int? = nil, operatorBadge: String? = nil,
        reverses: String? = nil, reversedKind: MovementKind? = nil, at: Int64
    ) {
        self.init(
            identifier: MovementIdentifier(id), kind: kind, sku: sku, lot: lot, expiry: expiry, quantity: quantity,
            from: from, fromContainer: fromContainer, to: to, toContainer: toContainer, document: document, line: line,
            operatorBadge: operatorBadge, reverses: reverses, reversedKind: reversedKind, at: at)
    }

    init(
        identifier: MovementIdentifier, kind: MovementKind, sku: String, lot: String?, expiry: CalendarDate?, quantity: Quantity,
        from: String?, fromContainer: String?, to: String?, toContainer: String?, document: DocumentRef?, line: Int?,
        operatorBadge: String?, reverses: String?, reversedKind: MovementKind?, at: Int64
    ) {
        storage = Storage(Values(
            identifier: identifier, kind: kind, sku: sku, lot: lot, expiry: expiry, quantity: quantity, from: from,
            fromContainer: fromContainer, to: to, toContainer: toContainer, document: document, line: line,
            operatorBadge: operatorBadge, reverses: reverses, reversedKind: reversedKind, at: at))
    }

    private mutating func change(_ update: (inout Values) -> Void) {
        var values = storage.values
        update(&values)
        storage = Storage(values)
    }

    public static func == (lhs: Movement, rhs: Movement) -> Bool {
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

    /// A movement's values.
    private struct Values: Sendable, Hashable, Codable {
        var identifier: MovementIdentifier
        var kind: MovementKind
        var sku: String
        var lot: String?
        @ISODateCoded var expiry: CalendarDate?
        var quantity: Quantity
        var from: String?
        var fromContainer: String?
        var to: String?
        var toContainer: String?
        var document: DocumentRef?
        var line: Int?
        var operatorBadge: String?
        var reverses: String?
        var reversedKind: MovementKind?
        var at: Int64

        /// The keys of the stored properties: the identifier codes as `id`, as the text it stands for.
        enum CodingKeys: String, CodingKey {
            case identifier = "id"
            case kind, sku, lot, expiry, quantity, from, fromContainer, to, toContainer, document, line, operatorBadge, reverses, reversedKind, at
        }
    }

    private final class Storage: Sendable {
        let values: Values

        init(_ values: Values) {
            self.values = values
        }
    }

    /// The balance the quantity leaves, nil when it enters the warehouse.
    public var source: StockKey? {
        from.map { StockKey(location: $0, sku: sku, lot: lot, expiry: expiry, container: fromContainer) }
    }

    /// The balance the quantity reaches, nil when it leaves the warehouse.
    public var destination: StockKey? {
        to.map { StockKey(location: $0, sku: sku, lot: lot, expiry: expiry, container: toContainer) }
    }

    /// Whether the quantity leaves `key`: `source == key` without building the source key
    /// (copying its strings) first. The product is compared first: most often it differs.
    func leaves(_ key: StockKey) -> Bool {
        guard let from else { return false }
        return sku == key.sku && from == key.location && lot == key.lot && expiry == key.expiry && fromContainer == key.container
    }

    /// Whether the quantity reaches `key`: `destination == key`, compared in place.
    func reaches(_ key: StockKey) -> Bool {
        guard let to else { return false }
        return sku == key.sku && to == key.location && lot == key.lot && expiry == key.expiry && toContainer == key.container
    }

    /// The kind whose document progress this movement changes (an undo changes its original's).
    public var progressKind: MovementKind { kind == .undo ? (reversedKind ?? .undo) : kind }
    /// +1 for a forward movement, -1 for an undo, applied to document progress.
    public var progressSign: Quantity { kind == .undo ? -1 : 1 }
}

/// A movement's id: a UUID in its canonical text (lowercase, hyphenated) kept as its 16
/// bytes, any other text as it is. One text has one value, so equal ids stay equal values.
struct MovementIdentifier: Sendable, Hashable, Codable {
    /// The UUID's bytes as two big-endian words; zero when `other` holds the id.
    var high: UInt64
    var low: UInt64
    /// An id that is not a UUID in canonical text.
    var other: String?

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        self.other = nil
    }

    init(_ text: String) {
        let uuid = Self.canonicalUUID(text)
        high = uuid?.high ?? 0
        low = uuid?.low ?? 0
        other = uuid == nil ? text : nil
    }

    var text: String {
        other ?? IdentifierSeed.format(high: high, low: low)
    }

    /// The 16 bytes of `text` when it is exactly what `IdentifierSeed.format` writes for them.
    static func canonicalUUID(_ text: String) -> (high: UInt64, low: UInt64)? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable(canonicalUUID) ?? nil
    }

    private static func canonicalUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> (high: UInt64, low: UInt64)? {
        guard bytes.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        for (position, byte) in bytes.enumerated() {
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if nibbles < 16 {
                high = high << 4 | UInt64(nibble)
            } else {
                low = low << 4 | UInt64(nibble)
            }
            nibbles += 1
        }
        return (high, low)
    }

    init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
