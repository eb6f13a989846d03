public import Foundation
public import GRDB
import ScanCodes

/// The changes one scan (or one sync batch) makes, inside the store's write transaction.
/// A workflow's effects map onto these calls; everything done through one transaction
/// is committed together with the scan, or not at all. Valid only inside the closure
/// that received it.
public final class LedgerWriteTransaction {
    /// The connection, for what the typed API does not cover yet.
    public let db: Database
    public let station: String
    /// The scan being committed; nil for writes without a scan.
    public let scanID: String?
    /// Unix milliseconds: the scan's time, used for every row written.
    public let time: Int64
    /// The operator logged in when the scan arrived (the default for movements).
    public let operatorBadge: String?
    private unowned let store: LedgerStore
    /// Movements appended so far, in order.
    private(set) var appended: [Movement] = []

    init(db: Database, store: LedgerStore, station: String, scanID: String?, time: Int64, operatorBadge: String?) {
        self.db = db
        self.store = store
        self.station = station
        self.scanID = scanID
        self.time = time
        self.operatorBadge = operatorBadge
    }

    // MARK: Movements and balances

    /// Appends a movement of this station: the ledger row, both balances and the
    /// outbox entry. Returns the stored movement (with its UUIDv7 id and sequence number).
    @discardableResult
    public func appendMovement(_ new: NewMovement) throws -> Movement {
        guard !new.sku.isEmpty else { throw invalid("A movement needs a SKU.") }
        guard new.fromLocation != nil || new.toLocation != nil else {
            throw invalid("A movement of \(new.sku) needs a from or a to location.")
        }
        guard let stored = MicroUnits.stored(new.quantity), stored != 0 else {
            throw invalid("Quantity \(new.quantity) of \(new.sku) is zero or has more than 6 decimals.")
        }
        if let expiry = new.expiry, CalendarDate(iso: expiry) == nil {
            throw invalid("Expiry '\(expiry)' of \(new.sku) is not a YYYY-MM-DD date.")
        }
        let seq = try nextMovementSequence()
        let movement = Movement(
            id: store.nextID(milliseconds: time), station: station, stationSeq: seq, at: time,
            operatorBadge: new.operatorBadge ?? operatorBadge, kind: new.kind, sku: new.sku, lot: new.lot,
            expiry: new.expiry, quantity: new.quantity, fromLocation: new.fromLocation, toLocation: new.toLocation,
            fromContainer: new.fromContainer, toContainer: new.toContainer, document: new.document,
            documentLine: new.documentLine, scanID: scanID, reverses: new.reverses)
        try insert(movement, storedQuantity: stored, origin: "local")
        try db.cachedStatement(sql: "INSERT INTO outbox(event_id, kind, station, created_at, payload) VALUES (?, 'movement', ?, ?, ?)")
            .execute(arguments: [movement.id, station, time, MovementJSON.encode(movement)])
        appended.append(movement)
        return movement
    }

    /// Stores a movement pulled from the hub (another station's): the same ledger row
    /// and balances, no outbox entry. Returns false when the id is already stored.
    @discardableResult
    public func applyRemoteMovement(_ movement: Movement) throws -> Bool {
        guard let stored = MicroUnits.stored(movement.quantity), stored != 0 else {
            throw invalid("Quantity \(movement.quantity) of pulled movement \(movement.id) is zero or has more than 6 decimals.")
        }
        let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM movement WHERE id = ?"), arguments: [movement.id]) ?? false
        if exists { return false }
        try insert(movement, storedQuantity: stored, origin: "remote")
        return true
    }

    /// Takes a movement back: a new `undo` movement in the opposite direction.
    @discardableResult
    public func undo(movementID: String) throws -> Movement {
        guard let original = try LedgerQueries.movement(db, id: movementID) else {
            throw invalid("There is no movement \(movementID) to undo.")
        }
        let already = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM movement WHERE reverses = ?"), arguments: [movementID]) ?? false
        if already { throw invalid("Movement \(movementID) was already undone.") }
        return try appendMovement(NewMovement(
            kind: .undo, sku: original.sku, lot: original.lot, expiry: original.expiry, quantity: original.quantity,
            from: original.toLocation, to: original.fromLocation,
            fromContainer: original.toContainer, toContainer: original.fromContainer,
            document: original.document, documentLine: original.documentLine, reverses: original.id))
    }

    /// Moves everything in a container to `location` (put-away of a pallet): one
    /// movement per balance of the container, which stays the container.
    @discardableResult
    public func moveContainer(sscc: String, to location: String, kind: MovementKind = .putaway, document: String? = nil) throws -> [Movement] {
        let contents = try LedgerQueries.stock(db, filter: StockFilter(container: sscc))
        guard !contents.isEmpty else { throw invalid("Container \(sscc) is empty or unknown.") }
        var movements: [Movement] = []
        for row in contents where row.location != location {
            movements.append(try appendMovement(NewMovement(
                kind: kind, sku: row.sku, lot: row.lot, expiry: row.expiry, quantity: row.quantity,
                from: row.location, to: location, fromContainer: sscc, toContainer: sscc, document: document)))
        }
        try db.cachedStatement(sql: "UPDATE container SET location = ? WHERE sscc = ?").execute(arguments: [location, sscc])
        return movements
    }

    private func insert(_ movement: Movement, storedQuantity: Int64, origin: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO movement(id, station, station_seq, at, operator, kind, sku, lot, expiry, qty,
                                 from_location, to_location, from_container, to_container,
                                 document, document_line, scan_id, reverses, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                movement.id, movement.station, movement.stationSeq, movement.at, movement.operatorBadge,
                movement.kind.rawValue, movement.sku, movement.lot, movement.expiry, storedQuantity,
                movement.fromLocation, movement.toLocation, movement.fromContainer, movement.toContainer,
                movement.document, movement.documentLine, movement.scanID, movement.reverses, origin,
            ])
        if let document = movement.document, let line = movement.documentLine {
            // An undo counts against the kind of the movement it takes back.
            let kind = movement.kind == .undo
                ? try movement.reverses.flatMap { try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM movement WHERE id = ?"), arguments: [$0]) } ?? movement.kind.rawValue
                : movement.kind.rawValue
            try db.cachedStatement(sql: """
                INSERT INTO document_progress(document, line, kind, qty) VALUES (?, ?, ?, ?)
                ON CONFLICT(document, line, kind) DO UPDATE SET qty = qty + excluded.qty
                """).execute(arguments: [document, line, kind, movement.kind == .undo ? -storedQuantity : storedQuantity])
        }
        let balance = try db.cachedStatement(sql: """
            INSERT INTO balance(sku, location, lot, container, expiry, qty) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(sku, location, lot, container)
            DO UPDATE SET qty = qty + excluded.qty, expiry = coalesce(excluded.expiry, expiry)
            """)
        if let from = movement.fromLocation {
            try balance.execute(arguments: [movement.sku, from, movement.lot ?? "", movement.fromContainer ?? "", movement.expiry, -storedQuantity])
        }
        if let to = movement.toLocation {
            try balance.execute(arguments: [movement.sku, to, movement.lot ?? "", movement.toContainer ?? "", movement.expiry, storedQuantity])
            if let container = movement.toContainer {
                // A container is where its stock went; receiving onto a new SSCC creates it.
                try db.cachedStatement(sql: """
                    INSERT INTO container(sscc, kind, location, created_at, station) VALUES (?, 'pallet', ?, ?, ?)
                    ON CONFLICT(sscc) DO UPDATE SET location = excluded.location
                    """).execute(arguments: [container, to, movement.at, movement.station])
            }
        }
    }

    private func nextMovementSequence() throws -> Int64 {
        let bump = try db.cachedStatement(sql: "UPDATE station SET last_movement_seq = last_movement_seq + 1 WHERE name = ? RETURNING last_movement_seq")
        if let seq = try Int64.fetchOne(bump, arguments: [station]) { return seq }
        try db.cachedStatement(sql: "INSERT INTO station(name, last_movement_seq) VALUES (?, 1)").execute(arguments: [station])
        return 1
    }

    // MARK: Containers

    /// Creates a container or updates its kind, status, location and document.
    public func upsertContainer(_ container: Container) throws {
        try db.cachedStatement(sql: """
            INSERT INTO container(sscc, kind, location, status, document, created_at, station) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(sscc) DO UPDATE SET kind = excluded.kind, location = coalesce(excluded.location, location),
                status = excluded.status, document = coalesce(excluded.document, document)
            """).execute(arguments: [container.sscc, container.kind.rawValue, container.location, container.status.rawValue,
                             container.document, container.createdAt, container.station ?? station])
    }

    public func setContainerStatus(sscc: String, _ status: ContainerStatus) throws {
        try db.cachedStatement(sql: "UPDATE container SET status = ? WHERE sscc = ?").execute(arguments: [status.rawValue, sscc])
        guard db.changesCount > 0 else { throw invalid("There is no container \(sscc).") }
    }

    /// The next serial of this station's SSCC range (CONTRACTS.md `sscc_serial_range`);
    /// never repeats, also across restarts and restores.
    public func nextSSCCSerial(range: ClosedRange<Int64>) throws -> Int64 {
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_sscc_serial FROM station WHERE name = ?"), arguments: [station])
        let next = last.map { max($0 + 1, range.lowerBound) } ?? range.lowerBound
        guard next <= range.upperBound else {
            throw LedgerError(.ssccRangeExhausted, path: "",
                "Station \(station) has used its whole SSCC serial range \(range.lowerBound)...\(range.upperBound). Configure a new sscc_serial_range.")
        }
        try db.cachedStatement(sql: """
            INSERT INTO station(name, last_sscc_serial) VALUES (?, ?)
            ON CONFLICT(name) DO UPDATE SET last_sscc_serial = excluded.last_sscc_serial
            """).execute(arguments: [station, next])
        return next
    }

    /// A new 18-digit SSCC: extension digit, company prefix, the next serial, check digit.
    public func nextSSCC(companyPrefix: String, extensionDigit: Int = 0, range: ClosedRange<Int64>) throws -> String {
        let serialDigits = 16 - companyPrefix.count
        guard (6...12).contains(companyPrefix.count), companyPrefix.allSatisfy({ $0.isASCII && $0.isNumber }), (0...9).contains(extensionDigit) else {
            throw invalid("SSCC company prefix '\(companyPrefix)' must be 6 to 12 digits.")
        }
        let serial = try nextSSCCSerial(range: range)
        let serialText = String(serial)
        guard serial >= 0, serialText.count <= serialDigits else {
            throw invalid("SSCC serial \(serial) does not fit in \(serialDigits) digits after prefix \(companyPrefix).")
        }
        let body = "\(extensionDigit)\(companyPrefix)\(String(repeating: "0", count: serialDigits - serialText.count))\(serialText)"
        guard let check = CheckDigit.gs1Mod10(for: Array(body.utf8)) else { throw invalid("SSCC body \(body) is not numeric.") }
        return body + String(check)
    }

    /// Advances the station's SSCC serial to `serial`, which a workflow minted from
    /// `lastSSCCSerial` read in this same transaction. Refused when the serial is not past
    /// the last one used, so no SSCC is ever minted twice.
    public func useSSCCSerial(_ serial: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO station(name, last_sscc_serial) VALUES (?, ?)
            ON CONFLICT(name) DO UPDATE SET last_sscc_serial = excluded.last_sscc_serial
            WHERE last_sscc_serial IS NULL OR last_sscc_serial < excluded.last_sscc_serial
            """).execute(arguments: [station, serial])
        guard db.changesCount > 0 else {
            let last = try LedgerQueries.lastSSCCSerial(db, station: station)
            throw LedgerError(.invalidChange, path: "",
                "SSCC serial \(serial) of station \(station) was already used (the last one used is \(last.map(String.init) ?? "none")). Scan CMD-NEWBOX again for a new box label.")
        }
    }

    // MARK: Documents, claims, session

    /// Reads that see this transaction's own changes and nobody else's.
    public var view: LedgerView { LedgerView(db: db) }

    /// `CMD-SHORT`: `quantity` of an order line could not be found (negative when undone).
    public func recordShortPick(order: String, line: Int, quantity: Decimal, operatorBadge: String? = nil) throws {
        guard let stored = MicroUnits.stored(quantity), stored != 0 else {
            throw invalid("Short quantity \(quantity) of order \(order) line \(line) is zero or has more than 6 decimals.")
        }
        let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM order_line WHERE order_no = ? AND line = ?"), arguments: [order, line]) ?? false
        guard exists else { throw invalid("There is no line \(line) on order \(order) to record a short pick on.") }
        try db.cachedStatement(sql: """
            INSERT INTO short_pick(id, order_no, line, qty, station, operator, at, scan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [store.nextID(milliseconds: time), order, line, stored, station, operatorBadge ?? self.operatorBadge, time, scanID])
    }

    /// Creates the receipt row of a receipt started without an advance notice (status
    /// in progress); nothing when it exists already.
    public func openBlindReceipt(_ receipt: String) throws {
        try db.cachedStatement(sql: "INSERT INTO receipt(receipt, status, blind) VALUES (?, 'in_progress', 1) ON CONFLICT DO NOTHING").execute(arguments: [receipt])
    }

    /// The line of a blind receipt that goods of this product, lot, expiry and pallet are
    /// booked on: the existing one, else a new line expecting 0. Nil for a receipt with an
    /// advance notice (its lines come from the import).
    public func blindReceiptLine(receipt: String, sku: String, lot: String?, expiry: String?, sscc: String?) throws -> Int? {
        let blind = try Bool.fetchOne(db.cachedStatement(sql: "SELECT blind FROM receipt WHERE receipt = ?"), arguments: [receipt]) ?? false
        guard blind else { return nil }
        if let line = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT line FROM receipt_line WHERE receipt = ? AND sku = ? AND lot IS ? AND expiry IS ? AND sscc IS ? ORDER BY line LIMIT 1
            """), arguments: [receipt, sku, lot, expiry, sscc]) {
            return line
        }
        let line = (try Int.fetchOne(db.cachedStatement(sql: "SELECT max(line) FROM receipt_line WHERE receipt = ?"), arguments: [receipt]) ?? 0) + 1
        try db.cachedStatement(sql: "INSERT INTO receipt_line(receipt, line, sscc, sku, qty, lot, expiry) VALUES (?, ?, ?, ?, 0, ?, ?)").execute(
                       arguments: [receipt, line, sscc, sku, lot, expiry])
        return line
    }

    /// A closed cycle count at `location`: every product and lot expected or found there.
    /// Returns the count's id.
    @discardableResult
    public func recordStockCount(location: String, lines: [StockCountLine], operatorBadge: String? = nil) throws -> String {
        let id = store.nextID(milliseconds: time)
        try db.cachedStatement(sql: "INSERT INTO stock_count(id, location, station, operator, at, scan_id) VALUES (?, ?, ?, ?, ?, ?)").execute(
                       arguments: [id, location, station, operatorBadge ?? self.operatorBadge, time, scanID])
        let insert = try db.cachedStatement(sql: "INSERT INTO stock_count_line(count_id, line, sku, lot, expected, counted) VALUES (?, ?, ?, ?, ?, ?)")
        for (index, line) in lines.enumerated() {
            guard let expected = MicroUnits.stored(line.expected), let counted = MicroUnits.stored(line.counted) else {
                throw invalid("Count of \(line.sku) at \(location) has a quantity with more than 6 decimals.")
            }
            try insert.execute(arguments: [id, index + 1, line.sku, line.lot, expected, counted])
        }
        return id
    }

    /// The worker confirmed that pallet `sscc` is booked as its label says, not as `receipt` expected.
    public func recordPalletMismatch(receipt: String, sscc: String, operatorBadge: String? = nil) throws {
        try db.cachedStatement(sql: "INSERT INTO pallet_mismatch(id, receipt, sscc, station, operator, at, scan_id) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(
                       arguments: [store.nextID(milliseconds: time), receipt, sscc, station, operatorBadge ?? self.operatorBadge, time, scanID])
    }

    public func setReceiptStatus(_ receipt: String, _ status: DocumentStatus) throws {
        try db.cachedStatement(sql: "UPDATE receipt SET status = ? WHERE receipt = ?").execute(arguments: [status.rawValue, receipt])
        guard db.changesCount > 0 else { throw invalid("There is no receipt \(receipt).") }
    }

    public func setOrderStatus(_ order: String, _ status: DocumentStatus) throws {
        try db.cachedStatement(sql: "UPDATE orders SET status = ? WHERE order_no = ?").execute(arguments: [status.rawValue, order])
        guard db.changesCount > 0 else { throw invalid("There is no order \(order).") }
    }

    /// A document a station starts working on is in progress; one in progress or done
    /// already keeps its status.
    public func markStarted(_ kind: DocumentKind, _ document: String) throws {
        switch kind {
        case .receipt:
            try db.cachedStatement(sql: "UPDATE receipt SET status = 'in_progress' WHERE receipt = ? AND status = 'open'").execute(arguments: [document])
        case .order:
            try db.cachedStatement(sql: "UPDATE orders SET status = 'in_progress' WHERE order_no = ? AND status = 'open'").execute(arguments: [document])
        case .count:
            break // a location has no status
        }
    }

    /// Records this station's claim on a document (pending until the hub answers) and
    /// queues it for the hub. Claiming again keeps the first claim; one the station released
    /// (it left the document) is claimed anew.
    @discardableResult
    public func claim(_ kind: DocumentKind, _ document: String) throws -> DocumentClaim {
        try db.cachedStatement(sql: """
            INSERT INTO document_claim(document_kind, document, station, claimed_at, status) VALUES (?, ?, ?, ?, 'pending')
            ON CONFLICT(document_kind, document, station) DO UPDATE SET claimed_at = excluded.claimed_at, status = 'pending'
            WHERE status = 'released'
            """).execute(arguments: [kind.rawValue, document, station, time])
        if db.changesCount > 0 {
            let payload = "{\"document_kind\":\(MovementJSON.string(kind.rawValue)),\"document\":\(MovementJSON.string(document)),\"station\":\(MovementJSON.string(station)),\"claimed_at\":\(time)}"
            try db.cachedStatement(sql: "INSERT INTO outbox(event_id, kind, station, created_at, payload) VALUES (?, 'claim', ?, ?, ?)").execute(
                           arguments: [store.nextID(milliseconds: time), station, time, payload])
        }
        guard let claim = try LedgerQueries.claims(db, kind: kind, document: document).first(where: { $0.station == station }) else {
            throw invalid("The claim on \(kind.rawValue) \(document) was not stored.")
        }
        return claim
    }

    /// Stores a claim as the hub reported it (any station's).
    public func setClaim(_ claim: DocumentClaim) throws {
        try db.cachedStatement(sql: """
            INSERT INTO document_claim(document_kind, document, station, claimed_at, status) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(document_kind, document, station) DO UPDATE SET status = excluded.status
            """).execute(arguments: [claim.documentKind.rawValue, claim.document, claim.station, claim.claimedAt, claim.status.rawValue])
    }

    /// Lets go of every document this station holds and forgets its open work, so other
    /// stations may take them up (an admin's `scanstation release` for a station that is
    /// gone). What it booked stays booked. Returns the claims let go.
    @discardableResult
    public func releaseEverythingHeld() throws -> [DocumentClaim] {
        let held = try LedgerQueries.claimsHeld(db, station: station)
        for claim in held {
            var released = claim
            released.status = .released
            try setClaim(released)
        }
        if let session = try LedgerQueries.session(db, station: station), session.state != nil || session.operatorBadge != nil {
            try saveSession(mode: session.mode, operatorBadge: nil, state: nil)
        }
        return held
    }

    /// Saves what the station is doing, so a restart resumes there.
    public func saveSession(mode: String, operatorBadge: String?, state: [UInt8]?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO station_session(station, mode, operator, state, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(station) DO UPDATE SET mode = excluded.mode, operator = excluded.operator,
                state = excluded.state, updated_at = excluded.updated_at
            """).execute(arguments: [station, mode, operatorBadge, state.map { Data($0) }, time])
    }

    /// Marks outbox events as confirmed by the hub (they may then be pruned).
    public func markSynced(eventIDs: [String]) throws {
        let statement = try db.cachedStatement(sql: "UPDATE outbox SET synced_at = ? WHERE event_id = ? AND synced_at IS NULL")
        for id in eventIDs { try statement.execute(arguments: [time, id]) }
    }

    // MARK: Reads inside the transaction (see what earlier scans of a burst did)

    public func stock(_ filter: StockFilter) throws -> [StockRow] { try LedgerQueries.stock(db, filter: filter) }
    public func container(sscc: String) throws -> Container? { try LedgerQueries.container(db, sscc: sscc) }

    private func invalid(_ message: String) -> LedgerError {
        LedgerError(.invalidChange, path: "", message)
    }
}
