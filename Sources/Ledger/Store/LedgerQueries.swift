import Foundation
import GRDB

/// The read queries, over any connection (a reader snapshot or the write transaction).
enum LedgerQueries {
    // MARK: Catalog

    static func product(_ db: Database, sku: String) throws -> Product? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(product)
    }

    static func product(_ db: Database, gtin: String) throws -> ProductMatch? {
        guard let normalized = ProductGTIN.normalized(gtin) else { return nil }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT p.*, g.gtin, g.units_per_gtin FROM product_gtin g JOIN product p ON p.sku = g.sku WHERE g.gtin = ?
            """), arguments: [normalized]) else { return nil }
        return ProductMatch(product: product(row), gtin: row["gtin"], unitsPerGTIN: MicroUnits.decimal(row["units_per_gtin"]))
    }

    static func gtins(_ db: Database, sku: String) throws -> [ProductGTIN] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM product_gtin WHERE sku = ? ORDER BY gtin"), arguments: [sku]).map {
            ProductGTIN(gtin: $0["gtin"], sku: $0["sku"], unitsPerGTIN: MicroUnits.decimal($0["units_per_gtin"]))
        }
    }

    private static func product(_ row: Row) -> Product {
        Product(sku: row["sku"], description: row["description"], unitOfMeasure: row["uom"],
                lotTracked: row["lot_tracked"], expiryTracked: row["expiry_tracked"], zone: row["zone"])
    }

    static func location(_ db: Database, barcode: String) throws -> Location? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM location WHERE barcode = ?"), arguments: [barcode]).flatMap(location)
    }

    static func location(_ db: Database, code: String) throws -> Location? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM location WHERE code = ?"), arguments: [code]).flatMap(location)
    }

    static func locations(_ db: Database, kind: LocationKind?) throws -> [Location] {
        let rows = try kind.map { try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM location WHERE kind = ? ORDER BY code"), arguments: [$0.rawValue]) }
            ?? Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM location ORDER BY code"))
        return rows.compactMap(location)
    }

    private static func location(_ row: Row) -> Location? {
        guard let kind = LocationKind(rawValue: row["kind"]) else { return nil }
        return Location(code: row["code"], barcode: row["barcode"], kind: kind, zone: row["zone"], sequence: row["sequence"])
    }

    static func `operator`(_ db: Database, badge: String) throws -> Operator? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM operator WHERE badge = ?"), arguments: [badge]).map {
            Operator(badge: $0["badge"], name: $0["name"])
        }
    }

    // MARK: Stock

    static func stock(_ db: Database, filter: StockFilter) throws -> [StockRow] {
        let (whereClause, arguments) = LedgerStore.stockConditions(filter)
        // Cached: the filter's fields make at most 32 distinct statements.
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM balance \(whereClause) ORDER BY location, sku, lot, container"), arguments: arguments)
            .map(stockRow)
    }

    static func stockRow(_ row: Row) -> StockRow {
        let lot: String = row["lot"]
        let container: String = row["container"]
        return StockRow(location: row["location"], sku: row["sku"], lot: lot.isEmpty ? nil : lot, expiry: row["expiry"],
                        container: container.isEmpty ? nil : container, quantity: MicroUnits.decimal(row["qty"]))
    }

    /// Stock on hand of one product, all locations: one range of the balance key.
    static func onHand(_ db: Database, sku: String) throws -> Decimal {
        let stored = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(sum(qty), 0) FROM balance WHERE sku = ?"), arguments: [sku]) ?? 0
        return MicroUnits.decimal(stored)
    }

    // MARK: Movements

    static func movement(_ db: Database, id: String) throws -> Movement? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM movement WHERE id = ?"), arguments: [id]).flatMap(movement)
    }

    static func movement(_ row: Row) -> Movement? {
        guard let kind = MovementKind(rawValue: row["kind"]) else { return nil }
        return Movement(
            id: row["id"], station: row["station"], stationSeq: row["station_seq"], at: row["at"],
            operatorBadge: row["operator"], kind: kind, sku: row["sku"], lot: row["lot"], expiry: row["expiry"],
            quantity: MicroUnits.decimal(row["qty"]), fromLocation: row["from_location"], toLocation: row["to_location"],
            fromContainer: row["from_container"], toContainer: row["to_container"], document: row["document"],
            documentLine: row["document_line"], scanID: row["scan_id"], reverses: row["reverses"])
    }

    // MARK: Documents

    /// Net quantity per (line, kind) of a document's movements; an undo counts against
    /// the kind of the movement it reverses. A box ships whole, so ship movements carry no
    /// line: `.ship` is what was packed for the line into boxes that have shipped (a
    /// shipment undone puts its box back to closed, and so its lines back to unshipped).
    static func progress(_ db: Database, document: String) throws -> [Int: [MovementKind: Int64]] {
        var progress: [Int: [MovementKind: Int64]] = [:]
        var packed = false
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT line, kind, qty FROM document_progress WHERE document = ?"), arguments: [document]) {
            guard let kind = MovementKind(rawValue: row["kind"]) else { continue }
            progress[row["line"], default: [:]][kind] = row["qty"]
            if kind == .pack { packed = true }
        }
        guard packed else { return progress }
        // Shipped is what was packed into boxes that have shipped since: it changes with
        // the boxes, not with movements of the document, so it is added up here. Only
        // orders that have reached packing get here, and they are short.
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT m.document_line AS line,
                   sum(CASE WHEN c.status = 'shipped' THEN CASE WHEN m.kind = 'undo' THEN -m.qty ELSE m.qty END ELSE 0 END) AS shipped
            FROM movement m LEFT JOIN movement o ON m.kind = 'undo' AND o.id = m.reverses
            LEFT JOIN container c ON c.sscc = CASE WHEN m.kind = 'undo' THEN m.from_container ELSE m.to_container END
            WHERE m.document = ? AND m.document_line IS NOT NULL AND m.kind IN ('pack', 'undo') AND coalesce(o.kind, m.kind) = 'pack'
            GROUP BY 1
            """), arguments: [document]) {
            progress[row["line"], default: [:]][.ship] = row["shipped"]
        }
        return progress
    }

    static func receipt(_ db: Database, id: String) throws -> Receipt? {
        guard let header = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, blind FROM receipt WHERE receipt = ?"), arguments: [id]) else { return nil }
        let statusText: String = header["status"]
        let progress = try progress(db, document: id)
        let lines = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM receipt_line WHERE receipt = ? ORDER BY line"), arguments: [id]).map { row in
            let line: Int = row["line"]
            return ReceiptLine(line: line, sscc: row["sscc"], sku: row["sku"], expected: MicroUnits.decimal(row["qty"]),
                               lot: row["lot"], expiry: row["expiry"], received: MicroUnits.decimal(progress[line]?[.receive] ?? 0))
        }
        return Receipt(receipt: id, status: DocumentStatus(rawValue: statusText) ?? .open, lines: lines, blind: header["blind"])
    }

    /// Goods booked on a receipt that no line expected (a product not on it), net of
    /// undos, by SKU in micro-units. Blind receipts put every product on a line of its own.
    static func unplannedReceived(_ db: Database, receipt: String) throws -> [String: Int64] {
        var received: [String: Int64] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT m.sku, sum(CASE WHEN m.kind = 'undo' THEN -m.qty ELSE m.qty END) AS qty
            FROM movement m LEFT JOIN movement o ON m.kind = 'undo' AND o.id = m.reverses
            WHERE m.document = ? AND m.document_line IS NULL AND coalesce(o.kind, m.kind) = 'receive'
            GROUP BY 1
            """), arguments: [receipt]) {
            let quantity: Int64 = row["qty"]
            if quantity != 0 { received[row["sku"]] = quantity }
        }
        return received
    }

    static func receiptIDs(_ db: Database, sscc: String? = nil) throws -> [String] {
        if let sscc {
            return try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT receipt FROM receipt_line WHERE sscc = ? ORDER BY receipt"), arguments: [sscc])
        }
        return try String.fetchAll(db.cachedStatement(sql: "SELECT receipt FROM receipt ORDER BY receipt"))
    }

    static func order(_ db: Database, id: String) throws -> Order? {
        guard let statusText = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM orders WHERE order_no = ?"), arguments: [id]) else { return nil }
        let progress = try progress(db, document: id)
        var shorted: [Int: Int64] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT line, sum(qty) AS qty FROM short_pick WHERE order_no = ? GROUP BY line"), arguments: [id]) {
            shorted[row["line"]] = row["qty"]
        }
        let lines = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_line WHERE order_no = ? ORDER BY line"), arguments: [id]).map { row in
            let line: Int = row["line"]
            let done = progress[line] ?? [:]
            return OrderLine(line: line, sku: row["sku"], ordered: MicroUnits.decimal(row["qty"]),
                             picked: MicroUnits.decimal(done[.pick] ?? 0), packed: MicroUnits.decimal(done[.pack] ?? 0),
                             shipped: MicroUnits.decimal(done[.ship] ?? 0), shorted: MicroUnits.decimal(shorted[line] ?? 0))
        }
        return Order(order: id, status: DocumentStatus(rawValue: statusText) ?? .open, lines: lines)
    }

    static func orderIDs(_ db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT order_no FROM orders ORDER BY order_no"))
    }

    static func claims(_ db: Database, kind: DocumentKind, document: String) throws -> [DocumentClaim] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM document_claim WHERE document_kind = ? AND document = ? ORDER BY claimed_at, station"),
                         arguments: [kind.rawValue, document]).compactMap { row in
            guard let status = ClaimStatus(rawValue: row["status"]) else { return nil }
            return DocumentClaim(documentKind: kind, document: document, station: row["station"], claimedAt: row["claimed_at"], status: status)
        }
    }

    /// The documents a station holds (claims pending or granted), oldest first.
    static func claimsHeld(_ db: Database, station: String) throws -> [DocumentClaim] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM document_claim WHERE station = ? AND status IN ('pending', 'granted') ORDER BY claimed_at, document"),
                         arguments: [station]).compactMap { row in
            guard let kind = DocumentKind(rawValue: row["document_kind"]), let status = ClaimStatus(rawValue: row["status"]) else { return nil }
            return DocumentClaim(documentKind: kind, document: row["document"], station: station, claimedAt: row["claimed_at"], status: status)
        }
    }

    // MARK: Counts and confirmations

    static func stockCounts(_ db: Database, location: String?) throws -> [StockCount] {
        let headers = try location.map {
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM stock_count WHERE location = ? ORDER BY at, id"), arguments: [$0])
        } ?? Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM stock_count ORDER BY at, id"))
        return try headers.map { header in
            let id: String = header["id"]
            let lines = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM stock_count_line WHERE count_id = ? ORDER BY line"), arguments: [id]).map {
                StockCountLine(sku: $0["sku"], lot: $0["lot"], expected: MicroUnits.decimal($0["expected"]), counted: MicroUnits.decimal($0["counted"]))
            }
            return StockCount(id: id, location: header["location"], station: header["station"], operatorBadge: header["operator"], at: header["at"], lines: lines)
        }
    }

    static func palletMismatches(_ db: Database, receipt: String?) throws -> [PalletMismatch] {
        let rows = try receipt.map {
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM pallet_mismatch WHERE receipt = ? ORDER BY at, id"), arguments: [$0])
        } ?? Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM pallet_mismatch ORDER BY at, id"))
        return rows.map {
            PalletMismatch(receipt: $0["receipt"], sscc: $0["sscc"], station: $0["station"], operatorBadge: $0["operator"], at: $0["at"], scanID: $0["scan_id"])
        }
    }

    // MARK: Containers, session, outbox

    /// The last SSCC serial the station minted; nil before its first.
    static func lastSSCCSerial(_ db: Database, station: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_sscc_serial FROM station WHERE name = ?"), arguments: [station])
    }

    static func container(_ db: Database, sscc: String) throws -> Container? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM container WHERE sscc = ?"), arguments: [sscc]).flatMap { row in
            guard let kind = ContainerKind(rawValue: row["kind"]), let status = ContainerStatus(rawValue: row["status"]) else { return nil }
            return Container(sscc: row["sscc"], kind: kind, location: row["location"], status: status,
                             document: row["document"], createdAt: row["created_at"], station: row["station"])
        }
    }

    static func session(_ db: Database, station: String) throws -> StationSessionState? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM station_session WHERE station = ?"), arguments: [station]).map { row in
            let state: Data? = row["state"]
            return StationSessionState(station: row["station"], mode: row["mode"], operatorBadge: row["operator"],
                                       state: state.map { [UInt8]($0) }, updatedAt: row["updated_at"])
        }
    }

    static func pendingOutbox(_ db: Database, limit: Int) throws -> [OutboxEntry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox WHERE synced_at IS NULL ORDER BY seq LIMIT ?"), arguments: [limit]).map { row in
            OutboxEntry(seq: row["seq"], eventID: row["event_id"], kind: row["kind"], station: row["station"],
                        createdAt: row["created_at"], payload: row["payload"], syncedAt: row["synced_at"])
        }
    }
}
