import GRDB
import ScanCodes

/// A checked file, ready to write: the statements to run and the rows for them.
struct ImportPlan {
    var kind: ImportKind
    /// Each entry: SQL and the rows of arguments it runs with, in order.
    var steps: [(sql: String, rows: [StatementArguments])] = []
    var rowCount = 0
    var inserted = 0
    var updated = 0

    func apply(_ db: Database, progress: ((Int, Int) -> Void)?) throws -> ImportSummary {
        let total = steps.reduce(0) { $0 + $1.rows.count }
        var done = 0
        for step in steps {
            let statement = try db.makeStatement(sql: step.sql)
            for arguments in step.rows {
                try statement.execute(arguments: arguments)
                done += 1
                if done % 2000 == 0 { progress?(done, total) }
            }
        }
        progress?(total, total)
        return ImportSummary(kind: kind, rows: rowCount, inserted: inserted, updated: updated)
    }

    static func make(_ kind: ImportKind, rows: inout ImportRows, db: Database) throws -> ImportPlan {
        var plan = ImportPlan(kind: kind)
        plan.rowCount = rows.rows.count
        switch kind {
        case .products: try plan.products(&rows, db)
        case .locations: try plan.locations(&rows, db)
        case .operators: try plan.operators(&rows, db)
        case .receipts: try plan.receipts(&rows, db)
        case .orders: try plan.orders(&rows, db)
        }
        return plan
    }

    private mutating func count<Key: Hashable>(_ keys: some Sequence<Key>, existing: Set<Key>) {
        for key in keys { if existing.contains(key) { updated += 1 } else { inserted += 1 } }
    }

    /// Document + line keys of the rows already stored, built here: SQLite text read back
    /// stops at a NUL, so a key joined with char(0) in SQL never matches and a re-import
    /// would count every updated line as new.
    private static func documentLineKeys(_ db: Database, sql: String) throws -> Set<String> {
        var keys: Set<String> = []
        for row in try Row.fetchAll(db, sql: sql) {
            let document: String = row[0]
            let line: Int = row[1]
            keys.insert("\(document)\u{0}\(line)")
        }
        return keys
    }

    // MARK: Kinds

    private mutating func products(_ rows: inout ImportRows, _ db: Database) throws {
        guard rows.require(["sku"]) else { return }
        var products: [String: StatementArguments] = [:]
        var order: [String] = []
        var gtins: [StatementArguments] = []
        var seenGTINs: [String: Int] = [:]
        var seenPairs: [String: Int] = [:]
        var gtinOwners: [(gtin: String, sku: String, row: ImportRows.Row)] = []
        for row in rows.rows {
            guard let sku = rows.required(row, "sku") else { continue }
            let lotTracked = rows.bool(row, "lot_tracked")
            let expiryTracked = rows.bool(row, "expiry_tracked")
            let units = rows.quantity(row, "units_per_gtin") ?? MicroUnits.scale
            if products[sku] == nil { order.append(sku) }
            products[sku] = [sku, rows.text(row, "description") ?? "", rows.text(row, "uom") ?? "ea", lotTracked, expiryTracked, rows.text(row, "zone")]
            if let gtin = rows.text(row, "gtin") {
                guard let normalized = ProductGTIN.normalized(gtin) else {
                    rows.problem(row, "gtin", "'\(gtin)' is not a GTIN (8, 12, 13 or 14 digits)")
                    continue
                }
                guard CheckDigit.isValidGS1(Array(normalized.utf8)) else {
                    rows.problem(row, "gtin", "GTIN '\(gtin)' has a wrong check digit")
                    continue
                }
                rows.unique(normalized, row, "gtin", in: &seenGTINs, describe: "GTIN \(gtin)")
                gtins.append([normalized, sku, units])
                gtinOwners.append((normalized, sku, row))
            } else {
                rows.unique(sku, row, "sku", in: &seenPairs, describe: "SKU \(sku) without a GTIN")
            }
        }
        // A GTIN names one product: it may not move from a product this file does not
        // list (a typo would silently make every scan of the other product's label this one).
        for owner in gtinOwners {
            if let other = try String.fetchOne(db, sql: "SELECT sku FROM product_gtin WHERE gtin = ? AND sku <> ?", arguments: [owner.gtin, owner.sku]),
               products[other] == nil {
                rows.problem(owner.row, "gtin", "GTIN \(owner.gtin) already belongs to product \(other); a GTIN names one product (list \(other) in the same file to move it)")
            }
        }
        let existing = try Set(String.fetchAll(db, sql: "SELECT sku FROM product"))
        count(order, existing: existing)
        // A file with a zone column sets the zones (empty clears one); without it, re-import
        // keeps the zones the products have.
        let zoneUpdate = rows.header["zone"] == nil ? "" : ", zone = excluded.zone"
        steps.append((sql: """
            INSERT INTO product(sku, description, uom, lot_tracked, expiry_tracked, zone) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(sku) DO UPDATE SET description = excluded.description, uom = excluded.uom,
                lot_tracked = excluded.lot_tracked, expiry_tracked = excluded.expiry_tracked\(zoneUpdate)
            """, rows: order.compactMap { products[$0] }))
        steps.append((sql: """
            INSERT INTO product_gtin(gtin, sku, units_per_gtin) VALUES (?, ?, ?)
            ON CONFLICT(gtin) DO UPDATE SET sku = excluded.sku, units_per_gtin = excluded.units_per_gtin
            """, rows: gtins))
    }

    private mutating func locations(_ rows: inout ImportRows, _ db: Database) throws {
        guard rows.require(["code", "kind"]) else { return }
        var arguments: [StatementArguments] = []
        var codes: [String] = []
        var seenCodes: [String: Int] = [:]
        var seenBarcodes: [String: Int] = [:]
        var barcodeOwners: [(barcode: String, code: String, row: ImportRows.Row)] = []
        for row in rows.rows {
            guard let code = rows.required(row, "code") else { continue }
            rows.unique(code, row, "code", in: &seenCodes, describe: "location \(code)")
            let barcode = rows.text(row, "barcode") ?? code
            rows.unique(barcode, row, "barcode", in: &seenBarcodes, describe: "barcode \(barcode)")
            var kind: LocationKind?
            if let kindText = rows.required(row, "kind") {
                kind = LocationKind(rawValue: kindText.lowercased())
                if kind == nil {
                    rows.problem(row, "kind", "'\(kindText)' is not a location kind; use \(LocationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            let sequence = rows.integer(row, "sequence", minimum: Int.min)
            guard let kind else { continue }
            codes.append(code)
            barcodeOwners.append((barcode, code, row))
            arguments.append([code, barcode, kind.rawValue, rows.text(row, "zone"), sequence])
        }
        // A barcode may not stay on another location that this file does not change.
        let importedCodes = Set(codes)
        for owner in barcodeOwners {
            if let other = try String.fetchOne(db, sql: "SELECT code FROM location WHERE barcode = ? AND code <> ?", arguments: [owner.barcode, owner.code]),
               !importedCodes.contains(other) {
                rows.problem(owner.row, rows.field(owner.row, "barcode") == nil ? "code" : "barcode",
                             "barcode \(owner.barcode) already belongs to location \(other)")
            }
        }
        count(codes, existing: try Set(String.fetchAll(db, sql: "SELECT code FROM location")))
        // Clear barcodes first so two locations may swap labels in one file.
        steps.append((sql: "UPDATE location SET barcode = '\u{1}' || code WHERE code = ?", rows: codes.map { [$0] }))
        steps.append((sql: """
            INSERT INTO location(code, barcode, kind, zone, sequence) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET barcode = excluded.barcode, kind = excluded.kind,
                zone = excluded.zone, sequence = excluded.sequence
            """, rows: arguments))
    }

    private mutating func operators(_ rows: inout ImportRows, _ db: Database) throws {
        guard rows.require(["badge"]) else { return }
        var arguments: [StatementArguments] = []
        var badges: [String] = []
        var seen: [String: Int] = [:]
        for row in rows.rows {
            guard let badge = rows.required(row, "badge") else { continue }
            rows.unique(badge, row, "badge", in: &seen, describe: "badge \(badge)")
            badges.append(badge)
            arguments.append([badge, rows.text(row, "name") ?? ""])
        }
        count(badges, existing: try Set(String.fetchAll(db, sql: "SELECT badge FROM operator")))
        steps.append((sql: "INSERT INTO operator(badge, name) VALUES (?, ?) ON CONFLICT(badge) DO UPDATE SET name = excluded.name", rows: arguments))
    }

    private mutating func receipts(_ rows: inout ImportRows, _ db: Database) throws {
        guard rows.require(["receipt", "sku", "qty"]) else { return }
        let skus = try Set(String.fetchAll(db, sql: "SELECT sku FROM product"))
        var documents: [String] = []
        var lineArguments: [StatementArguments] = []
        var keys: [String] = []
        var rowsPerReceipt: [String: Int] = [:]
        var seen: [String: Int] = [:]
        for row in rows.rows {
            guard let receipt = rows.required(row, "receipt") else { continue }
            rowsPerReceipt[receipt, default: 0] += 1
            if rowsPerReceipt[receipt] == 1 { documents.append(receipt) }
            // The line number defaults to the row's position within its receipt.
            let line = rows.integer(row, "line", minimum: 1) ?? rowsPerReceipt[receipt] ?? 1
            rows.unique("\(receipt)\u{0}\(line)", row, rows.text(row, "line") == nil ? "receipt" : "line", in: &seen, describe: "receipt \(receipt) line \(line)")
            var sscc = rows.text(row, "sscc")
            if let text = sscc {
                if text.utf8.count != 18 || !CheckDigit.isValidGS1(Array(text.utf8)) {
                    rows.problem(row, "sscc", "'\(text)' is not an SSCC (18 digits with a valid check digit)")
                    sscc = nil
                }
            }
            let sku = rows.required(row, "sku")
            if let sku, !skus.contains(sku) {
                rows.problem(row, "sku", "unknown SKU \(sku); import it with `scanstation import products` first")
            }
            let qty = rows.required(row, "qty") == nil ? nil : rows.quantity(row, "qty")
            let expiry = rows.date(row, "expiry")
            guard let sku, let qty else { continue }
            keys.append("\(receipt)\u{0}\(line)")
            lineArguments.append([receipt, line, sscc, sku, qty, rows.text(row, "lot"), expiry])
        }
        count(keys, existing: try Self.documentLineKeys(db, sql: "SELECT receipt, line FROM receipt_line"))
        steps.append((sql: "INSERT INTO receipt(receipt) VALUES (?) ON CONFLICT DO NOTHING", rows: documents.map { [$0] }))
        steps.append((sql: """
            INSERT INTO receipt_line(receipt, line, sscc, sku, qty, lot, expiry) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(receipt, line) DO UPDATE SET sscc = excluded.sscc, sku = excluded.sku, qty = excluded.qty,
                lot = excluded.lot, expiry = excluded.expiry
            """, rows: lineArguments))
    }

    private mutating func orders(_ rows: inout ImportRows, _ db: Database) throws {
        guard rows.require(["order", "line", "sku", "qty"]) else { return }
        let skus = try Set(String.fetchAll(db, sql: "SELECT sku FROM product"))
        var documents: [String] = []
        var known: Set<String> = []
        var lineArguments: [StatementArguments] = []
        var keys: [String] = []
        var seen: [String: Int] = [:]
        // An order already packed (done) that gets more to pick (a new line, a larger
        // quantity) is open again, or reports would call it finished; one in progress stays so.
        var ordered: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT order_no, line, qty FROM order_line") {
            let order: String = row[0], line: Int = row[1], qty: Int64 = row[2]
            ordered["\(order)\u{0}\(line)"] = qty
        }
        var amended: [String] = []
        for row in rows.rows {
            guard let order = rows.required(row, "order") else { continue }
            if known.insert(order).inserted { documents.append(order) }
            let line = rows.required(row, "line") == nil ? nil : rows.integer(row, "line", minimum: 1)
            let sku = rows.required(row, "sku")
            if let sku, !skus.contains(sku) {
                rows.problem(row, "sku", "unknown SKU \(sku); import it with `scanstation import products` first")
            }
            let qty = rows.required(row, "qty") == nil ? nil : rows.quantity(row, "qty")
            guard let line, let sku, let qty else { continue }
            rows.unique("\(order)\u{0}\(line)", row, "line", in: &seen, describe: "order \(order) line \(line)")
            keys.append("\(order)\u{0}\(line)")
            lineArguments.append([order, line, sku, qty])
            if qty > ordered["\(order)\u{0}\(line)"] ?? 0, !amended.contains(order) { amended.append(order) }
        }
        count(keys, existing: try Self.documentLineKeys(db, sql: "SELECT order_no, line FROM order_line"))
        steps.append((sql: "INSERT INTO orders(order_no) VALUES (?) ON CONFLICT DO NOTHING", rows: documents.map { [$0] }))
        steps.append((sql: """
            INSERT INTO order_line(order_no, line, sku, qty) VALUES (?, ?, ?, ?)
            ON CONFLICT(order_no, line) DO UPDATE SET sku = excluded.sku, qty = excluded.qty
            """, rows: lineArguments))
        steps.append((sql: "UPDATE orders SET status = 'open' WHERE order_no = ? AND status = 'done'", rows: amended.map { [$0] }))
    }
}
