import Foundation
public import ScanCodes

public enum MovementKind: String, Sendable, Hashable, Codable, CaseIterable {
    case receive, putaway, pick, pack, ship, adjust, undo
}

/// One immutable stock movement: `quantity` of a product (and lot) leaves `from` (nil: it
/// enters the warehouse) and arrives at `to` (nil: it leaves the warehouse).
/// Balances are the sum of all movements.
public struct Movement: Sendable, Hashable, Codable {
    /// UUIDv7.
    public var id: String
    public var kind: MovementKind
    public var sku: String
    public var lot: String?
    @ISODateCoded public var expiry: CalendarDate?
    /// Always positive.
    public var quantity: Quantity
    public var from: String?
    public var fromContainer: String?
    public var to: String?
    public var toContainer: String?
    /// The document (and its line) this movement counts towards.
    public var document: DocumentRef?
    public var line: Int?
    public var operatorBadge: String?
    /// For an undo: the movement it compensates and that movement's kind.
    public var reverses: String?
    public var reversedKind: MovementKind?
    /// Milliseconds since the Unix epoch, from the step's context.
    public var at: Int64

    public init(
        id: String, kind: MovementKind, sku: String, lot: String? = nil, expiry: CalendarDate? = nil, quantity: Quantity,
        from: String? = nil, fromContainer: String? = nil, to: String? = nil, toContainer: String? = nil,
        document: DocumentRef? = nil, line: Int? = nil, operatorBadge: String? = nil,
        reverses: String? = nil, reversedKind: MovementKind? = nil, at: Int64
    ) {
        self.id = id
        self.kind = kind
        self.sku = sku
        self.lot = lot
        self.expiry = expiry
        self.quantity = quantity
        self.from = from
        self.fromContainer = fromContainer
        self.to = to
        self.toContainer = toContainer
        self.document = document
        self.line = line
        self.operatorBadge = operatorBadge
        self.reverses = reverses
        self.reversedKind = reversedKind
        self.at = at
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
