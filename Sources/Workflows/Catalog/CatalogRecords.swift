import Foundation
public import ScanCodes

/// A product (stock keeping unit) as the catalog knows it.
public struct Product: Sendable, Hashable, Codable {
    public var sku: String
    public var description: String
    /// Unit of measure, for display only ("pcs", "kg").
    public var unit: String
    public var lotTracked: Bool
    public var expiryTracked: Bool
    /// Where put-away looks for an empty location when the product is nowhere yet.
    public var zone: String?

    public init(sku: String, description: String = "", unit: String = "pcs", lotTracked: Bool = false, expiryTracked: Bool = false, zone: String? = nil) {
        self.sku = sku
        self.description = description
        self.unit = unit
        self.lotTracked = lotTracked
        self.expiryTracked = expiryTracked
        self.zone = zone
    }
}

/// One GTIN of a product: a scan of it counts `unitsPerGTIN` units.
public struct ProductGTIN: Sendable, Hashable, Codable {
    /// GTIN-14.
    public var gtin: String
    public var sku: String
    public var unitsPerGTIN: Quantity

    public init(gtin: String, sku: String, unitsPerGTIN: Quantity = 1) {
        self.gtin = gtin
        self.sku = sku
        self.unitsPerGTIN = unitsPerGTIN
    }
}

/// What a location is for (CONTRACTS.md, locations CSV).
public enum LocationKind: String, Sendable, Hashable, Codable, CaseIterable {
    case dock, storage, pick, pack, ship, staging

    /// Where put-away may store goods.
    public var holdsStock: Bool { self == .storage || self == .pick }
}

public struct Location: Sendable, Hashable, Codable {
    public var code: String
    /// The text of the location's label; the code when the label shows the code.
    public var barcode: String
    public var kind: LocationKind
    public var zone: String?
    /// Position on the pick path.
    public var sequence: Int

    public init(code: String, barcode: String? = nil, kind: LocationKind, zone: String? = nil, sequence: Int = 0) {
        self.code = code
        self.barcode = barcode ?? code
        self.kind = kind
        self.zone = zone
        self.sequence = sequence
    }
}

/// Where a quantity of stock is: a location, a product, a lot, and a container if any.
public struct StockKey: Sendable, Hashable, Codable {
    public var location: String
    public var sku: String
    public var lot: String?
    @ISODateCoded public var expiry: CalendarDate?
    /// The SSCC of the container holding it, nil for loose stock.
    public var container: String?

    public init(location: String, sku: String, lot: String? = nil, expiry: CalendarDate? = nil, container: String? = nil) {
        self.location = location
        self.sku = sku
        self.lot = lot
        self.expiry = expiry
        self.container = container
    }

    /// Hashes where, what and in which container: keys that differ only in lot or expiry
    /// (a few per place) share a bucket, and every lookup hashes two strings fewer.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        hasher.combine(sku)
        hasher.combine(container)
    }
}

public struct StockBalance: Sendable, Hashable {
    public var key: StockKey
    public var quantity: Quantity

    public init(key: StockKey, quantity: Quantity) {
        self.key = key
        self.quantity = quantity
    }
}

public enum ContainerKind: String, Sendable, Hashable, Codable {
    case pallet, box, tote
}

public enum ContainerStatus: String, Sendable, Hashable, Codable {
    /// Receiving goods (a box being packed, a tote being filled).
    case open
    /// Packed and closed, ready to ship.
    case closed
    /// Left the warehouse.
    case shipped
}

/// A logistic unit named by its SSCC: a pallet, a shipping box or a tote.
public struct Container: Sendable, Hashable, Codable {
    public var sscc: String
    public var kind: ContainerKind
    public var status: ContainerStatus
    public var location: String?
    /// The order a box or tote belongs to.
    public var order: String?

    public init(sscc: String, kind: ContainerKind, status: ContainerStatus = .open, location: String? = nil, order: String? = nil) {
        self.sscc = sscc
        self.kind = kind
        self.status = status
        self.location = location
        self.order = order
    }
}

public enum DocumentStatus: String, Sendable, Hashable, Codable {
    case open, closed
}

/// One expected line of a receipt, with what has been received against it.
public struct ReceiptLine: Sendable, Hashable, Codable {
    public var line: Int
    /// The pallet this line arrives on, when the advance notice names it.
    public var sscc: String?
    public var sku: String
    public var quantity: Quantity
    public var lot: String?
    @ISODateCoded public var expiry: CalendarDate?
    public var received: Quantity

    public init(line: Int, sscc: String? = nil, sku: String, quantity: Quantity, lot: String? = nil, expiry: CalendarDate? = nil, received: Quantity = 0) {
        self.line = line
        self.sscc = sscc
        self.sku = sku
        self.quantity = quantity
        self.lot = lot
        self.expiry = expiry
        self.received = received
    }
}

/// An expected receipt (advance shipping notice) and its progress.
public struct Receipt: Sendable, Hashable, Codable {
    public var number: String
    public var lines: [ReceiptLine]
    public var status: DocumentStatus
    /// Started without an advance notice: everything scanned is what arrived.
    public var blind: Bool
    /// Received quantities that matched no line, by sku.
    public var unplanned: [String: Quantity]

    public init(number: String, lines: [ReceiptLine], status: DocumentStatus = .open, blind: Bool = false, unplanned: [String: Quantity] = [:]) {
        self.number = number
        self.lines = lines
        self.status = status
        self.blind = blind
        self.unplanned = unplanned
    }

    public func expected(sku: String) -> Quantity {
        lines.reduce(0) { $1.sku == sku ? $0 + $1.quantity : $0 }
    }

    public func received(sku: String) -> Quantity {
        lines.reduce(unplanned[sku] ?? 0) { $1.sku == sku ? $0 + $1.received : $0 }
    }
}

public struct OrderLine: Sendable, Hashable, Codable {
    public var line: Int
    public var sku: String
    public var quantity: Quantity
    public var picked: Quantity
    /// Recorded as not found at picking (`CMD-SHORT`).
    public var shorted: Quantity
    public var packed: Quantity

    public init(line: Int, sku: String, quantity: Quantity, picked: Quantity = 0, shorted: Quantity = 0, packed: Quantity = 0) {
        self.line = line
        self.sku = sku
        self.quantity = quantity
        self.picked = picked
        self.shorted = shorted
        self.packed = packed
    }

    /// Still to pick.
    public var open: Quantity { max(0, quantity - picked - shorted) }
    /// Picked and not yet packed.
    public var packable: Quantity { max(0, picked - packed) }
}

/// A customer order and its progress.
public struct Order: Sendable, Hashable, Codable {
    public var number: String
    public var lines: [OrderLine]
    public var status: DocumentStatus

    public init(number: String, lines: [OrderLine], status: DocumentStatus = .open) {
        self.number = number
        self.lines = lines
        self.status = status
    }

    public var fullyPicked: Bool { lines.allSatisfy { $0.open == 0 } }
    /// Every line packed as far as it was picked, and nothing left to pick.
    public var fullyPacked: Bool { fullyPicked && lines.allSatisfy { $0.packable == 0 } }
}

/// The kinds of document a station works on and claims.
public enum DocumentKind: String, Sendable, Hashable, Codable {
    case receipt, order, count, box, shipment
}

public struct DocumentRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: DocumentKind
    public var number: String

    public init(_ kind: DocumentKind, _ number: String) {
        self.kind = kind
        self.number = number
    }

    public var description: String { "\(kind.rawValue):\(number)" }
}

/// A station's claim on a document: the first claim wins, others refuse to start it.
public struct Claim: Sendable, Hashable, Codable {
    public var document: DocumentRef
    public var station: String
    public var operatorBadge: String?

    public init(document: DocumentRef, station: String, operatorBadge: String?) {
        self.document = document
        self.station = station
        self.operatorBadge = operatorBadge
    }
}

public struct Operator: Sendable, Hashable, Codable {
    public var badge: String
    public var name: String

    public init(badge: String, name: String) {
        self.badge = badge
        self.name = name
    }
}

/// Codes an optional `CalendarDate` as ISO `YYYY-MM-DD` text (or null), so records that
/// carry an expiry can be stored in a snapshot.
@propertyWrapper
public struct ISODateCoded: Sendable, Hashable, Codable {
    public var wrappedValue: CalendarDate?

    public init(wrappedValue: CalendarDate?) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            wrappedValue = nil
            return
        }
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO date: \(text)")
        }
        wrappedValue = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue.description)
        } else {
            try container.encodeNil()
        }
    }
}
