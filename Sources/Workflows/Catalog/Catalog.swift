import Foundation
public import ScanCodes

/// The read-only view of the warehouse a workflow step decides against: master data,
/// stock, containers, documents with their progress, claims and operators.
/// The Ledger implements it over SQLite; `InMemoryCatalog` implements it over dictionaries.
public protocol Catalog {
    func product(sku: String) -> Product?
    /// The product a GTIN-14 names, with how many units a scan of it counts.
    func packaging(gtin: String) -> ProductGTIN?
    /// The GTINs of a product, smallest pack first.
    func packagings(sku: String) -> [ProductGTIN]

    func location(code: String) -> Location?
    /// The location whose label reads `barcode`.
    func location(barcode: String) -> Location?
    /// All locations of a kind, sorted by code.
    func locations(kind: LocationKind) -> [Location]
    /// The code of the first of `locations(kind:)`: where a station with no location
    /// configured receives, stages or packs.
    func firstLocationCode(kind: LocationKind) -> String?

    /// Non-zero balances at a location.
    func balances(location: String) -> [StockBalance]
    /// Non-zero balances of a product, anywhere.
    func balances(sku: String) -> [StockBalance]
    /// Non-zero balances of a product at a location, in the order `balances(location:)` gives them.
    func balances(location: String, sku: String) -> [StockBalance]
    /// Non-zero balances inside a container.
    func balances(container: String) -> [StockBalance]
    func quantity(at key: StockKey) -> Quantity
    /// Calls `body` with each non-zero balance of a product in a location that holds stock
    /// (`LocationKind.holdsStock`), with that location's pick-path sequence: what picking
    /// chooses from, read without building arrays or looking each location up.
    func forEachStockedBalance(sku: String, _ body: (StockBalance, _ sequence: Int) -> Void)
    /// The first, in `isBefore`'s order, of the positive balances `forEachStockedBalance`
    /// gives (of equals, the one it gives first), with its location's sequence: picking's
    /// choice of source, made without a balance built and kept for every candidate.
    func firstPositiveStockedBalance(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (balance: StockBalance, sequence: Int)?
    /// The location sequence and expiry of `firstPositiveStockedBalance`'s choice: all that
    /// ranking an order's lines by pick path needs, read without copying out the balance.
    func firstPositiveStockedPlace(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (sequence: Int, expiry: CalendarDate?)?
    /// Calls `body` with each balance `balances(location:sku:)` gives, in its order: for a
    /// question about them (is any positive?) asked without building the array.
    func forEachBalance(location: String, sku: String, _ body: (StockBalance) -> Void)

    func container(sscc: String) -> Container?

    func receipt(number: String) -> Receipt?
    /// Numbers of the open receipts with a line on this pallet.
    func openReceipts(expectingSSCC sscc: String) -> [String]

    func order(number: String) -> Order?

    func claim(on document: DocumentRef) -> Claim?

    func operatorRecord(badge: String) -> Operator?

    /// The last SSCC serial the station minted for a box (`CMD-NEWBOX`); nil before its first.
    func lastSSCCSerial(station: String) -> UInt64?
}

extension Catalog {
    /// A catalog that keeps no serial counter: minting starts at the range and skips SSCCs
    /// already in use.
    public func lastSSCCSerial(station: String) -> UInt64? { nil }
}

extension Catalog {
    /// For catalogs without an index by location and product: the location's balances, filtered.
    public func balances(location: String, sku: String) -> [StockBalance] {
        balances(location: location).filter { $0.key.sku == sku }
    }
}

extension Catalog {
    public func firstLocationCode(kind: LocationKind) -> String? {
        locations(kind: kind).first?.code
    }
}

extension Catalog {
    public func forEachBalance(location: String, sku: String, _ body: (StockBalance) -> Void) {
        for balance in balances(location: location, sku: sku) { body(balance) }
    }
}

extension Catalog {
    public func firstPositiveStockedBalance(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (balance: StockBalance, sequence: Int)? {
        var first: (balance: StockBalance, sequence: Int)?
        forEachStockedBalance(sku: sku) { balance, sequence in
            guard balance.quantity > 0 else { return }
            if let current = first, !isBefore(balance.key, sequence, current.balance.key, current.sequence) { return }
            first = (balance, sequence)
        }
        return first
    }
}

extension Catalog {
    public func firstPositiveStockedPlace(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (sequence: Int, expiry: CalendarDate?)? {
        firstPositiveStockedBalance(sku: sku, by: isBefore).map { ($0.sequence, $0.balance.key.expiry) }
    }
}

extension Catalog {
    public func forEachStockedBalance(sku: String, _ body: (StockBalance, _ sequence: Int) -> Void) {
        for balance in balances(sku: sku) {
            guard let location = location(code: balance.key.location), location.kind.holdsStock else { continue }
            body(balance, location.sequence)
        }
    }
}
