public import Foundation
import GRDB

/// What the workflows' catalog reads, each from a consistent snapshot.
extension LedgerStore {
    public func product(sku: String) throws(LedgerError) -> Product? {
        try read { try LedgerQueries.product($0, sku: sku) }
    }

    /// The product a scanned GTIN (8, 12, 13 or 14 digits) belongs to.
    public func product(gtin: String) throws(LedgerError) -> ProductMatch? {
        try read { try LedgerQueries.product($0, gtin: gtin) }
    }

    public func gtins(sku: String) throws(LedgerError) -> [ProductGTIN] {
        try read { try LedgerQueries.gtins($0, sku: sku) }
    }

    /// The location whose label encodes `barcode`.
    public func location(barcode: String) throws(LedgerError) -> Location? {
        try read { try LedgerQueries.location($0, barcode: barcode) }
    }

    public func location(code: String) throws(LedgerError) -> Location? {
        try read { try LedgerQueries.location($0, code: code) }
    }

    /// Locations by code; of one kind when `kind` is given (the first dock is the default receive location).
    public func locations(kind: LocationKind? = nil) throws(LedgerError) -> [Location] {
        try read { try LedgerQueries.locations($0, kind: kind) }
    }

    public func `operator`(badge: String) throws(LedgerError) -> Operator? {
        try read { try LedgerQueries.operator($0, badge: badge) }
    }

    /// Balances by location, product, lot and container, sorted by location then SKU.
    public func stock(_ filter: StockFilter = StockFilter()) throws(LedgerError) -> [StockRow] {
        try read { try LedgerQueries.stock($0, filter: filter) }
    }

    /// Total stock on hand of one product over all locations.
    /// One SELECT, atomic by itself, so it skips the snapshot transaction `read` opens
    /// (a third of the query's cost on a hot path).
    public func onHand(sku: String) throws(LedgerError) -> Decimal {
        do {
            return try writer.unsafeRead { try LedgerQueries.onHand($0, sku: sku) }
        } catch {
            throw LedgerError.from(error, path: path, doing: "read the database")
        }
    }

    public func movement(id: String) throws(LedgerError) -> Movement? {
        try read { try LedgerQueries.movement($0, id: id) }
    }

    public func receipt(_ id: String) throws(LedgerError) -> Receipt? {
        try read { try LedgerQueries.receipt($0, id: id) }
    }

    /// The receipts expecting the pallet `sscc` (all receipts when nil).
    public func receipts(sscc: String? = nil) throws(LedgerError) -> [Receipt] {
        try read { db in try LedgerQueries.receiptIDs(db, sscc: sscc).compactMap { try LedgerQueries.receipt(db, id: $0) } }
    }

    public func order(_ id: String) throws(LedgerError) -> Order? {
        try read { try LedgerQueries.order($0, id: id) }
    }

    public func orders() throws(LedgerError) -> [Order] {
        try read { db in try LedgerQueries.orderIDs(db).compactMap { try LedgerQueries.order(db, id: $0) } }
    }

    public func container(sscc: String) throws(LedgerError) -> Container? {
        try read { try LedgerQueries.container($0, sscc: sscc) }
    }

    /// What is in a container now.
    public func contents(sscc: String) throws(LedgerError) -> [StockRow] {
        try read { try LedgerQueries.stock($0, filter: StockFilter(container: sscc)) }
    }

    public func claims(_ kind: DocumentKind, _ document: String) throws(LedgerError) -> [DocumentClaim] {
        try read { try LedgerQueries.claims($0, kind: kind, document: document) }
    }

    /// The receipts, orders and counts a station holds: no other station may work them.
    public func claimsHeld(station: String) throws(LedgerError) -> [DocumentClaim] {
        try read { try LedgerQueries.claimsHeld($0, station: station) }
    }

    public func session(station: String) throws(LedgerError) -> StationSessionState? {
        try read { try LedgerQueries.session($0, station: station) }
    }

    /// Outbox events not yet confirmed by the hub, oldest first.
    public func pendingOutbox(limit: Int = 500) throws(LedgerError) -> [OutboxEntry] {
        try read { try LedgerQueries.pendingOutbox($0, limit: limit) }
    }
}
