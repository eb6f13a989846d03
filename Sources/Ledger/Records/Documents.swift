public import Foundation

public enum DocumentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case done, cancelled
}

/// An expected receipt with its lines and what has been received so far.
public struct Receipt: Sendable, Hashable, Codable {
    public var receipt: String
    public var status: DocumentStatus
    public var lines: [ReceiptLine]
    /// Started at the dock without an advance notice: its lines (expected 0) are what arrived.
    public var blind: Bool

    public init(receipt: String, status: DocumentStatus = .open, lines: [ReceiptLine], blind: Bool = false) {
        self.receipt = receipt
        self.status = status
        self.lines = lines
        self.blind = blind
    }
}

public struct ReceiptLine: Sendable, Hashable, Codable {
    public var line: Int
    /// The pallet expected to carry this line, when the advance notice names one.
    public var sscc: String?
    public var sku: String
    public var expected: Decimal
    public var lot: String?
    public var expiry: String?
    /// Received so far: receive movements on this line minus their undos.
    public var received: Decimal

    public init(line: Int, sscc: String? = nil, sku: String, expected: Decimal, lot: String? = nil, expiry: String? = nil, received: Decimal = 0) {
        self.line = line
        self.sscc = sscc
        self.sku = sku
        self.expected = expected
        self.lot = lot
        self.expiry = expiry
        self.received = received
    }
}

/// A customer order with its lines and their progress (from movements, undos deducted).
public struct Order: Sendable, Hashable, Codable {
    public var order: String
    public var status: DocumentStatus
    public var lines: [OrderLine]

    public init(order: String, status: DocumentStatus = .open, lines: [OrderLine]) {
        self.order = order
        self.status = status
        self.lines = lines
    }
}

public struct OrderLine: Sendable, Hashable, Codable {
    public var line: Int
    public var sku: String
    public var ordered: Decimal
    public var picked: Decimal
    public var packed: Decimal
    public var shipped: Decimal
    /// Recorded as not found at picking (`CMD-SHORT`), undos deducted.
    public var shorted: Decimal

    public init(line: Int, sku: String, ordered: Decimal, picked: Decimal = 0, packed: Decimal = 0, shipped: Decimal = 0, shorted: Decimal = 0) {
        self.line = line
        self.sku = sku
        self.ordered = ordered
        self.picked = picked
        self.packed = packed
        self.shipped = shipped
        self.shorted = shorted
    }
}

public enum DocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case receipt, order
    /// A cycle count of a location (the document is the location's code).
    case count
}

public enum ClaimStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded here, not yet answered by the hub (or no hub).
    case pending
    case granted, refused, released
}

/// A station's claim on a document.
public struct DocumentClaim: Sendable, Hashable, Codable {
    public var documentKind: DocumentKind
    public var document: String
    public var station: String
    public var claimedAt: Int64
    public var status: ClaimStatus

    public init(documentKind: DocumentKind, document: String, station: String, claimedAt: Int64, status: ClaimStatus) {
        self.documentKind = documentKind
        self.document = document
        self.station = station
        self.claimedAt = claimedAt
        self.status = status
    }
}

public enum ContainerKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Received goods on a pallet (its SSCC label).
    case pallet
    /// A shipping box being packed for an order.
    case box
    /// A picking tote that carries an order's picked goods to packing.
    case tote
}

public enum ContainerStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, closed, shipped
}

/// A pallet, box or tote by SSCC. Its contents are the balances that name it.
public struct Container: Sendable, Hashable, Codable {
    public var sscc: String
    public var kind: ContainerKind
    public var location: String?
    public var status: ContainerStatus
    /// The receipt or order it belongs to (a box's or tote's order).
    public var document: String?
    public var createdAt: Int64
    public var station: String?

    public init(sscc: String, kind: ContainerKind, location: String? = nil, status: ContainerStatus = .open, document: String? = nil, createdAt: Int64, station: String? = nil) {
        self.sscc = sscc
        self.kind = kind
        self.location = location
        self.status = status
        self.document = document
        self.createdAt = createdAt
        self.station = station
    }
}

/// What a station was doing, kept so a restart resumes (the workflow encodes `state`).
public struct StationSessionState: Sendable, Hashable, Codable {
    public var station: String
    public var mode: String
    public var operatorBadge: String?
    public var state: [UInt8]?
    public var updatedAt: Int64

    public init(station: String, mode: String, operatorBadge: String?, state: [UInt8]?, updatedAt: Int64) {
        self.station = station
        self.mode = mode
        self.operatorBadge = operatorBadge
        self.state = state
        self.updatedAt = updatedAt
    }
}

/// One event waiting for (or confirmed by) the hub.
public struct OutboxEntry: Sendable, Hashable {
    public var seq: Int64
    public var eventID: String
    public var kind: String
    public var station: String
    public var createdAt: Int64
    /// The event as JSON.
    public var payload: String
    public var syncedAt: Int64?
}

/// A closed cycle count at a location.
public struct StockCount: Sendable, Hashable {
    public var id: String
    public var location: String
    public var station: String
    public var operatorBadge: String?
    /// Unix milliseconds.
    public var at: Int64
    public var lines: [StockCountLine]

    public init(id: String, location: String, station: String, operatorBadge: String?, at: Int64, lines: [StockCountLine]) {
        self.id = id
        self.location = location
        self.station = station
        self.operatorBadge = operatorBadge
        self.at = at
        self.lines = lines
    }
}

/// One product and lot of a count: what the ledger held there and what was found.
public struct StockCountLine: Sendable, Hashable {
    public var sku: String
    public var lot: String?
    public var expected: Decimal
    public var counted: Decimal

    public init(sku: String, lot: String?, expected: Decimal, counted: Decimal) {
        self.sku = sku
        self.lot = lot
        self.expected = expected
        self.counted = counted
    }
}

/// A pallet booked as its label says although the receipt expected otherwise, because
/// the worker confirmed it.
public struct PalletMismatch: Sendable, Hashable {
    public var receipt: String
    public var sscc: String
    public var station: String
    public var operatorBadge: String?
    /// Unix milliseconds.
    public var at: Int64
    public var scanID: String?

    public init(receipt: String, sscc: String, station: String, operatorBadge: String?, at: Int64, scanID: String?) {
        self.receipt = receipt
        self.sscc = sscc
        self.station = station
        self.operatorBadge = operatorBadge
        self.at = at
        self.scanID = scanID
    }
}
