public import Foundation

public enum MovementKind: String, Sendable, Hashable, Codable, CaseIterable {
    case receive, putaway, pick, pack, ship, adjust, undo
}

/// One fact of the append-only ledger: `quantity` of `sku` (lot) left `from` and
/// arrived at `to`. A nil side is outside the warehouse (receiving from a truck,
/// shipping, an adjustment). Containers name the pallet or box on each side.
public struct Movement: Sendable, Hashable, Codable {
    /// UUIDv7.
    public var id: String
    public var station: String
    /// The station's own movement sequence number (1, 2, 3, … per station).
    public var stationSeq: Int64
    /// Unix milliseconds.
    public var at: Int64
    public var operatorBadge: String?
    public var kind: MovementKind
    public var sku: String
    public var lot: String?
    /// ISO `YYYY-MM-DD`.
    public var expiry: String?
    public var quantity: Decimal
    public var fromLocation: String?
    public var toLocation: String?
    public var fromContainer: String?
    public var toContainer: String?
    /// The receipt or order it belongs to, and the document's line.
    public var document: String?
    public var documentLine: Int?
    /// The scan that caused it.
    public var scanID: String?
    /// For `undo`: the id of the movement it takes back.
    public var reverses: String?

    public init(
        id: String, station: String, stationSeq: Int64, at: Int64, operatorBadge: String?, kind: MovementKind,
        sku: String, lot: String?, expiry: String?, quantity: Decimal, fromLocation: String?, toLocation: String?,
        fromContainer: String?, toContainer: String?, document: String?, documentLine: Int?, scanID: String?,
        reverses: String?
    ) {
        self.id = id
        self.station = station
        self.stationSeq = stationSeq
        self.at = at
        self.operatorBadge = operatorBadge
        self.kind = kind
        self.sku = sku
        self.lot = lot
        self.expiry = expiry
        self.quantity = quantity
        self.fromLocation = fromLocation
        self.toLocation = toLocation
        self.fromContainer = fromContainer
        self.toContainer = toContainer
        self.document = document
        self.documentLine = documentLine
        self.scanID = scanID
        self.reverses = reverses
    }
}

/// A movement a workflow asks for; the store adds id, station, sequence, time and scan.
public struct NewMovement: Sendable, Hashable {
    public var kind: MovementKind
    public var sku: String
    public var lot: String?
    public var expiry: String?
    public var quantity: Decimal
    public var fromLocation: String?
    public var toLocation: String?
    public var fromContainer: String?
    public var toContainer: String?
    public var document: String?
    public var documentLine: Int?
    public var operatorBadge: String?
    public var reverses: String?

    public init(
        kind: MovementKind, sku: String, lot: String? = nil, expiry: String? = nil, quantity: Decimal,
        from fromLocation: String? = nil, to toLocation: String? = nil,
        fromContainer: String? = nil, toContainer: String? = nil,
        document: String? = nil, documentLine: Int? = nil, operatorBadge: String? = nil, reverses: String? = nil
    ) {
        self.kind = kind
        self.sku = sku
        self.lot = lot
        self.expiry = expiry
        self.quantity = quantity
        self.fromLocation = fromLocation
        self.toLocation = toLocation
        self.fromContainer = fromContainer
        self.toContainer = toContainer
        self.document = document
        self.documentLine = documentLine
        self.operatorBadge = operatorBadge
        self.reverses = reverses
    }
}

/// One balance: what is at a location (inside a container, of a lot) right now.
public struct StockRow: Sendable, Hashable, Codable {
    public var location: String
    public var sku: String
    public var lot: String?
    public var expiry: String?
    public var container: String?
    public var quantity: Decimal

    public init(location: String, sku: String, lot: String?, expiry: String?, container: String?, quantity: Decimal) {
        self.location = location
        self.sku = sku
        self.lot = lot
        self.expiry = expiry
        self.container = container
        self.quantity = quantity
    }
}

/// Which balances a stock query returns; nil fields match everything.
public struct StockFilter: Sendable, Hashable {
    public var location: String?
    public var sku: String?
    public var lot: String?
    public var container: String?
    /// Include rows whose quantity is zero (reports omit them).
    public var includeZero: Bool

    public init(location: String? = nil, sku: String? = nil, lot: String? = nil, container: String? = nil, includeZero: Bool = false) {
        self.location = location
        self.sku = sku
        self.lot = lot
        self.container = container
        self.includeZero = includeZero
    }
}
