public import Foundation

/// A product, identified by its SKU. Quantities of it are counted in `unitOfMeasure`.
public struct Product: Sendable, Hashable, Codable {
    public var sku: String
    public var description: String
    public var unitOfMeasure: String
    public var lotTracked: Bool
    public var expiryTracked: Bool
    /// The storage zone put-away suggests when the product is nowhere in stock yet.
    public var zone: String?

    public init(sku: String, description: String = "", unitOfMeasure: String = "ea", lotTracked: Bool = false, expiryTracked: Bool = false, zone: String? = nil) {
        self.sku = sku
        self.description = description
        self.unitOfMeasure = unitOfMeasure
        self.lotTracked = lotTracked
        self.expiryTracked = expiryTracked
        self.zone = zone
    }
}

/// One GTIN of a product and how many of the product's units one scan of it means.
public struct ProductGTIN: Sendable, Hashable, Codable {
    /// Always the 14-digit form (shorter GTINs are padded with leading zeros).
    public var gtin: String
    public var sku: String
    public var unitsPerGTIN: Decimal

    public init(gtin: String, sku: String, unitsPerGTIN: Decimal = 1) {
        self.gtin = gtin
        self.sku = sku
        self.unitsPerGTIN = unitsPerGTIN
    }

    /// The GTIN-14 form of an 8, 12, 13 or 14 digit GTIN; nil for anything else.
    public static func normalized(_ gtin: String) -> String? {
        guard [8, 12, 13, 14].contains(gtin.utf8.count), gtin.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(repeating: "0", count: 14 - gtin.utf8.count) + gtin
    }
}

/// What a scanned GTIN resolves to.
public struct ProductMatch: Sendable, Hashable {
    public var product: Product
    public var gtin: String
    public var unitsPerGTIN: Decimal
}

public enum LocationKind: String, Sendable, Hashable, Codable, CaseIterable {
    case dock, storage, pick, pack, ship, staging
}

public struct Location: Sendable, Hashable, Codable {
    public var code: String
    /// What the location's label encodes (defaults to the code).
    public var barcode: String
    public var kind: LocationKind
    public var zone: String?
    /// Walking order for pick paths.
    public var sequence: Int?

    public init(code: String, barcode: String? = nil, kind: LocationKind, zone: String? = nil, sequence: Int? = nil) {
        self.code = code
        self.barcode = barcode ?? code
        self.kind = kind
        self.zone = zone
        self.sequence = sequence
    }
}

public struct Operator: Sendable, Hashable, Codable {
    public var badge: String
    public var name: String

    public init(badge: String, name: String = "") {
        self.badge = badge
        self.name = name
    }
}
