import Foundation
import GRDB

/// Which movements a report shows; nil fields match everything. Times are Unix ms,
/// `since` inclusive and `until` exclusive.
public struct MovementFilter: Sendable, Hashable {
    public var location: String?
    public var sku: String?
    public var lot: String?
    public var operatorBadge: String?
    public var document: String?
    public var kind: MovementKind?
    public var station: String?
    public var since: Int64?
    public var until: Int64?
    public var limit: Int?

    public init(location: String? = nil, sku: String? = nil, lot: String? = nil, operatorBadge: String? = nil, document: String? = nil,
                kind: MovementKind? = nil, station: String? = nil, since: Int64? = nil, until: Int64? = nil, limit: Int? = nil) {
        self.location = location
        self.sku = sku
        self.lot = lot
        self.operatorBadge = operatorBadge
        self.document = document
        self.kind = kind
        self.station = station
        self.since = since
        self.until = until
        self.limit = limit
    }
}

/// The supervisor's reports (CONTRACTS.md, `scanstation report`).
extension LedgerStore {
    /// Stock on hand, sorted by location then SKU; zero rows omitted.
    public func stockReport(_ filter: StockFilter) throws(LedgerError) -> ReportTable {
        try read { db in
            var table = ReportTable(columns: ["location", "sku", "lot", "expiry", "container", "qty"])
            let (whereClause, arguments) = Self.stockConditions(filter)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM balance \(whereClause) ORDER BY location, sku, lot, container", arguments: arguments)
            for row in rows {
                let lot: String = row["lot"]
                let container: String = row["container"]
                table.rows.append([.text(row["location"]), .text(row["sku"]), .text(lot.isEmpty ? nil : lot), .text(row["expiry"]),
                                   .text(container.isEmpty ? nil : container), .quantity(row["qty"])])
            }
            return table
        }
    }

    /// What a supervisor must resolve: negative balances (two stations took the same stock
    /// while apart), pallets booked against their receipt after a confirmed label mismatch,
    /// and order lines picked beyond what was ordered.
    public func stockExceptions(_ filter: StockFilter) throws(LedgerError) -> ReportTable {
        try read { db in
            var table = ReportTable(columns: ["exception", "location", "sku", "lot", "container", "document", "line", "expected", "qty"])
            var negative = filter
            negative.includeZero = true
            var (whereClause, arguments) = Self.stockConditions(negative)
            whereClause += whereClause.isEmpty ? "WHERE qty < 0" : " AND qty < 0"
            for row in try Row.fetchAll(db, sql: "SELECT * FROM balance \(whereClause) ORDER BY location, sku, lot, container", arguments: arguments) {
                let lot: String = row["lot"]
                let container: String = row["container"]
                table.rows.append([.text("negative_stock"), .text(row["location"]), .text(row["sku"]), .text(lot.isEmpty ? nil : lot),
                                   .text(container.isEmpty ? nil : container), .text(nil), .integer(nil), .quantity(0), .quantity(row["qty"])])
            }
            if filter.location == nil, filter.lot == nil, filter.container == nil {
                // Pallets booked as their label said after the worker confirmed a mismatch with
                // the receipt: one row per movement that confirming scan booked.
                for row in try Row.fetchAll(db, sql: """
                    SELECT p.receipt, p.sscc, m.to_location, m.sku, m.lot, m.document_line, m.qty, l.qty AS expected
                    FROM pallet_mismatch p JOIN movement m ON m.scan_id = p.scan_id AND m.to_container = p.sscc AND m.kind = 'receive'
                    LEFT JOIN receipt_line l ON l.receipt = p.receipt AND l.line = m.document_line
                    WHERE NOT EXISTS (SELECT 1 FROM movement u WHERE u.reverses = m.id)
                    ORDER BY p.at, p.id, m.station_seq
                    """) where filter.sku == nil || filter.sku == row["sku"] {
                    table.rows.append([.text("pallet_mismatch_confirmed"), .text(row["to_location"]), .text(row["sku"]), .text(row["lot"]),
                                       .text(row["sscc"]), .text(row["receipt"]), .integer(row["document_line"]), .quantity(row["expected"]), .quantity(row["qty"])])
                }
                for order in try LedgerQueries.orderIDs(db) {
                    guard let document = try LedgerQueries.order(db, id: order) else { continue }
                    for line in document.lines where line.picked > line.ordered && (filter.sku == nil || filter.sku == line.sku) {
                        table.rows.append([.text("over_picked"), .text(nil), .text(line.sku), .text(nil), .text(nil), .text(order),
                                           .integer(Int64(line.line)), .quantity(MicroUnits.stored(line.ordered)), .quantity(MicroUnits.stored(line.picked))])
                    }
                }
            }
            return table
        }
    }

    static func stockConditions(_ filter: StockFilter) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let sku = filter.sku { conditions.append("sku = ?"); arguments += [sku] }
        if let location = filter.location { conditions.append("location = ?"); arguments += [location] }
        if let lot = filter.lot { conditions.append("lot = ?"); arguments += [lot] }
        if let container = filter.container { conditions.append("container = ?"); arguments += [container] }
        if !filter.includeZero { conditions.append("qty <> 0") }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// Movements in time order.
    public func movementReport(_ filter: MovementFilter) throws(LedgerError) -> ReportTable {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let location = filter.location { conditions.append("(from_location = ? OR to_location = ?)"); arguments += [location, location] }
            if let sku = filter.sku { conditions.append("sku = ?"); arguments += [sku] }
            if let lot = filter.lot { conditions.append("lot = ?"); arguments += [lot] }
            if let badge = filter.operatorBadge { conditions.append("operator = ?"); arguments += [badge] }
            if let document = filter.document { conditions.append("document = ?"); arguments += [document] }
            if let kind = filter.kind { conditions.append("kind = ?"); arguments += [kind.rawValue] }
            if let station = filter.station { conditions.append("station = ?"); arguments += [station] }
            if let since = filter.since { conditions.append("at >= ?"); arguments += [since] }
            if let until = filter.until { conditions.append("at < ?"); arguments += [until] }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let limit = filter.limit.map { " LIMIT \($0)" } ?? ""
            var table = ReportTable(columns: ["id", "at", "station", "station_seq", "kind", "sku", "lot", "expiry", "qty", "from_location",
                                              "to_location", "from_container", "to_container", "document", "document_line", "operator", "scan_id"])
            for row in try Row.fetchAll(db, sql: "SELECT * FROM movement \(whereClause) ORDER BY at, id\(limit)", arguments: arguments) {
                table.rows.append([
                    .text(row["id"]), .text(ReportTime.text(row["at"])), .text(row["station"]), .integer(row["station_seq"]), .text(row["kind"]),
                    .text(row["sku"]), .text(row["lot"]), .text(row["expiry"]), .quantity(row["qty"]), .text(row["from_location"]),
                    .text(row["to_location"]), .text(row["from_container"]), .text(row["to_container"]), .text(row["document"]),
                    .integer(row["document_line"]), .text(row["operator"]), .text(row["scan_id"]),
                ])
            }
            return table
        }
    }

    /// Receipt lines with expected, received and still open quantities.
    public func receiptReport(receipt: String?) throws(LedgerError) -> ReportTable {
        try read { db in
            // `blind` (added last, so column positions stay): a receipt started without an advance notice.
            var table = ReportTable(columns: ["receipt", "status", "line", "sku", "lot", "expiry", "sscc", "expected", "received", "open", "blind"])
            let ids = try receipt.map { [$0] } ?? LedgerQueries.receiptIDs(db)
            for id in ids {
                guard let document = try LedgerQueries.receipt(db, id: id) else { continue }
                for line in document.lines {
                    let expected = MicroUnits.stored(line.expected)
                    let received = MicroUnits.stored(line.received)
                    table.rows.append([.text(id), .text(document.status.rawValue), .integer(Int64(line.line)), .text(line.sku), .text(line.lot),
                                       .text(line.expiry), .text(line.sscc), .quantity(expected), .quantity(received),
                                       .quantity(expected.flatMap { e in received.map { max(0, e - $0) } }), .boolean(document.blind)])
                }
                // Goods booked on the receipt that no line expected (another lot, a product
                // not on it): without these rows they would be on the dock but nowhere in
                // the receipt's report. No line number; expected 0.
                for row in try Row.fetchAll(db, sql: """
                    SELECT m.sku, m.lot, m.expiry, CASE WHEN m.kind = 'undo' THEN m.from_container ELSE m.to_container END AS sscc,
                           sum(CASE WHEN m.kind = 'undo' THEN -m.qty ELSE m.qty END) AS qty
                    FROM movement m LEFT JOIN movement o ON m.kind = 'undo' AND o.id = m.reverses
                    WHERE m.document = ? AND m.document_line IS NULL AND coalesce(o.kind, m.kind) = 'receive'
                    GROUP BY 1, 2, 3, 4 HAVING sum(CASE WHEN m.kind = 'undo' THEN -m.qty ELSE m.qty END) <> 0
                    ORDER BY 1, 2, 3, 4
                    """, arguments: [id]) {
                    table.rows.append([.text(id), .text(document.status.rawValue), .integer(nil), .text(row["sku"]), .text(row["lot"]),
                                       .text(row["expiry"]), .text(row["sscc"]), .quantity(0), .quantity(row["qty"]), .quantity(0),
                                       .boolean(document.blind)])
                }
            }
            return table
        }
    }

    /// Order lines with ordered, picked, packed and shipped quantities.
    public func orderReport(order: String?) throws(LedgerError) -> ReportTable {
        try read { db in
            // `shorted` (added last, so column positions stay): recorded as not found with CMD-SHORT.
            var table = ReportTable(columns: ["order", "status", "line", "sku", "ordered", "picked", "packed", "shipped", "shorted"])
            let ids = try order.map { [$0] } ?? LedgerQueries.orderIDs(db)
            for id in ids {
                guard let document = try LedgerQueries.order(db, id: id) else { continue }
                for line in document.lines {
                    table.rows.append([.text(id), .text(document.status.rawValue), .integer(Int64(line.line)), .text(line.sku),
                                       .quantity(MicroUnits.stored(line.ordered)), .quantity(MicroUnits.stored(line.picked)),
                                       .quantity(MicroUnits.stored(line.packed)), .quantity(MicroUnits.stored(line.shipped)),
                                       .quantity(MicroUnits.stored(line.shorted))])
                }
            }
            return table
        }
    }

    /// Closed cycle counts, one row per product and lot: what the ledger expected at the
    /// location, what was counted, and the difference the count booked.
    public func countReport(location: String?, sku: String?, since: Int64?, until: Int64?) throws(LedgerError) -> ReportTable {
        try read { db in
            var table = ReportTable(columns: ["counted_at", "location", "station", "operator", "sku", "lot", "expected", "counted", "difference", "count_id"])
            for count in try LedgerQueries.stockCounts(db, location: location) {
                if let since, count.at < since { continue }
                if let until, count.at >= until { continue }
                for line in count.lines where sku == nil || line.sku == sku {
                    let expected = MicroUnits.stored(line.expected)
                    let counted = MicroUnits.stored(line.counted)
                    table.rows.append([.text(ReportTime.text(count.at)), .text(count.location), .text(count.station), .text(count.operatorBadge),
                                       .text(line.sku), .text(line.lot), .quantity(expected), .quantity(counted),
                                       .quantity(counted.flatMap { c in expected.map { c - $0 } }), .text(count.id)])
                }
            }
            return table
        }
    }

    /// Per operator and hour (UTC): scans, accepted, rejected, document lines worked on
    /// (distinct document lines the operator's movements advanced) and units moved (net of undos).
    public func productivityReport(operatorBadge: String?, since: Int64?, until: Int64?) throws(LedgerError) -> ReportTable {
        try read { db in
            struct Key: Hashable, Comparable {
                var badge: String
                var hour: Int64
                static func < (a: Key, b: Key) -> Bool { (a.badge, a.hour) < (b.badge, b.hour) }
            }
            struct Counts { var scans: Int64 = 0, accepted: Int64 = 0, rejected: Int64 = 0, lines: Int64 = 0, units: Int64 = 0 }
            func conditions(_ timeColumn: String) -> (String, StatementArguments) {
                var conditions = ["operator IS NOT NULL"]
                var arguments: StatementArguments = []
                if let operatorBadge { conditions.append("operator = ?"); arguments += [operatorBadge] }
                if let since { conditions.append("\(timeColumn) >= ?"); arguments += [since] }
                if let until { conditions.append("\(timeColumn) < ?"); arguments += [until] }
                return ("WHERE " + conditions.joined(separator: " AND "), arguments)
            }
            var counts: [Key: Counts] = [:]
            let (scanWhere, scanArguments) = conditions("received_at")
            for row in try Row.fetchAll(db, sql: """
                SELECT operator, received_at / 3600000 AS hour, count(*) AS scans,
                       sum(result <> 'rejected') AS accepted, sum(result = 'rejected') AS rejected
                FROM scan_log \(scanWhere) GROUP BY 1, 2
                """, arguments: scanArguments) {
                let key = Key(badge: row["operator"], hour: row["hour"])
                counts[key, default: Counts()].scans = row["scans"]
                counts[key, default: Counts()].accepted = row["accepted"]
                counts[key, default: Counts()].rejected = row["rejected"]
            }
            let (movementWhere, movementArguments) = conditions("at")
            for row in try Row.fetchAll(db, sql: """
                SELECT operator, at / 3600000 AS hour,
                       count(DISTINCT CASE WHEN document IS NOT NULL AND kind <> 'undo' THEN document || char(0) || document_line END) AS lines,
                       sum(CASE WHEN kind = 'undo' THEN -qty ELSE qty END) AS units
                FROM movement \(movementWhere) GROUP BY 1, 2
                """, arguments: movementArguments) {
                let key = Key(badge: row["operator"], hour: row["hour"])
                counts[key, default: Counts()].lines = row["lines"]
                counts[key, default: Counts()].units = row["units"]
            }
            var table = ReportTable(columns: ["operator", "hour", "scans", "accepted", "rejected", "lines_completed", "units_moved"])
            for key in counts.keys.sorted() {
                guard let value = counts[key] else { continue }
                table.rows.append([.text(key.badge), .text(ReportTime.text(key.hour * 3_600_000)), .integer(value.scans), .integer(value.accepted),
                                   .integer(value.rejected), .integer(value.lines), .quantity(value.units)])
            }
            return table
        }
    }
}
