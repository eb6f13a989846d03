public import Foundation
import GRDB

/// Reads through one transaction: every read of a view sees the same state of the store.
/// A workflow step decides against one view, so a concurrent import cannot show it half
/// of its changes. Valid only inside the closure that received it.
public struct LedgerView {
    let db: Database

    init(db: Database) {
        self.db = db
    }

    public func product(sku: String) throws -> Product? { try LedgerQueries.product(db, sku: sku) }
    /// The product a scanned GTIN (8, 12, 13 or 14 digits) belongs to.
    public func product(gtin: String) throws -> ProductMatch? { try LedgerQueries.product(db, gtin: gtin) }
    public func gtins(sku: String) throws -> [ProductGTIN] { try LedgerQueries.gtins(db, sku: sku) }
    public func location(code: String) throws -> Location? { try LedgerQueries.location(db, code: code) }
    /// The location whose label encodes `barcode`.
    public func location(barcode: String) throws -> Location? { try LedgerQueries.location(db, barcode: barcode) }
    public func locations(kind: LocationKind? = nil) throws -> [Location] { try LedgerQueries.locations(db, kind: kind) }
    public func `operator`(badge: String) throws -> Operator? { try LedgerQueries.operator(db, badge: badge) }
    public func stock(_ filter: StockFilter = StockFilter()) throws -> [StockRow] { try LedgerQueries.stock(db, filter: filter) }
    public func movement(id: String) throws -> Movement? { try LedgerQueries.movement(db, id: id) }
    public func receipt(_ id: String) throws -> Receipt? { try LedgerQueries.receipt(db, id: id) }
    /// What was received on the receipt without a line expecting it, by SKU (net of undos).
    public func unplannedReceived(receipt: String) throws -> [String: Decimal] {
        try LedgerQueries.unplannedReceived(db, receipt: receipt).mapValues(MicroUnits.decimal)
    }
    /// The receipts expecting the pallet `sscc`.
    public func receipts(sscc: String) throws -> [Receipt] {
        try LedgerQueries.receiptIDs(db, sscc: sscc).compactMap { try LedgerQueries.receipt(db, id: $0) }
    }
    public func order(_ id: String) throws -> Order? { try LedgerQueries.order(db, id: id) }
    public func container(sscc: String) throws -> Container? { try LedgerQueries.container(db, sscc: sscc) }
    public func claims(_ kind: DocumentKind, _ document: String) throws -> [DocumentClaim] {
        try LedgerQueries.claims(db, kind: kind, document: document)
    }
    public func session(station: String) throws -> StationSessionState? { try LedgerQueries.session(db, station: station) }
    /// The last SSCC serial the station minted (never goes back, also across restores); nil before its first.
    public func lastSSCCSerial(station: String) throws -> Int64? { try LedgerQueries.lastSSCCSerial(db, station: station) }
}

extension LedgerStore {
    /// Runs `body` with a view of one read transaction.
    public func withView<T>(_ body: (LedgerView) throws -> T) throws(LedgerError) -> T {
        try read { db in try body(LedgerView(db: db)) }
    }

    /// Decides and records one scan in a single write transaction. `decide` reads through
    /// `transaction.view` (no other writer can change the store meanwhile, not even another
    /// process: the transaction holds the write lock from its start), makes the scan's
    /// changes, and returns the scan-log row to record. When it throws, nothing is written.
    public func commitScan(
        id scanID: String, station: String, time: Int64, operatorBadge: String?,
        decide: (LedgerWriteTransaction) throws -> ScanLogEntry
    ) throws(LedgerError) -> LedgerCommit {
        guard !isReadOnly else {
            throw LedgerError(.readOnly, path: path, "The store was opened read-only; nothing can be recorded.")
        }
        do {
            return try writer.writeWithoutTransaction { db in try Self.inImmediateTransaction(db) {
                let transaction = LedgerWriteTransaction(db: db, store: self, station: station, scanID: scanID, time: time, operatorBadge: operatorBadge)
                let entry = try decide(transaction)
                guard entry.scanID == scanID, entry.station == station else {
                    throw LedgerError(.invalidChange, path: "", "Scan \(entry.scanID) of \(entry.station) was recorded in the transaction of scan \(scanID) of \(station).")
                }
                let seq = try Self.nextScanSequence(db, station: station)
                try Self.insert(entry, seq: seq, db)
                return LedgerCommit(seq: seq, movements: transaction.appended)
            } }
        } catch {
            throw LedgerError.from(error, path: path, doing: "record scan \(scanID)")
        }
    }

    /// Closed cycle counts, oldest first (of one location when given).
    public func stockCounts(location: String? = nil) throws(LedgerError) -> [StockCount] {
        try read { try LedgerQueries.stockCounts($0, location: location) }
    }

    /// Pallets booked as their label said after the worker confirmed a mismatch, oldest first.
    public func palletMismatches(receipt: String? = nil) throws(LedgerError) -> [PalletMismatch] {
        try read { try LedgerQueries.palletMismatches($0, receipt: receipt) }
    }

    public func lastSSCCSerial(station: String) throws(LedgerError) -> Int64? {
        try read { try LedgerQueries.lastSSCCSerial($0, station: station) }
    }
}
