import Foundation
import Ledger
import ScanCodes
import Workflows

/// The workflows' read-only catalog over one view of the station's store: every read of a
/// step sees the same committed state (the step runs inside the write transaction that
/// commits its scan, so a concurrent import cannot give it a torn view). Valid only inside
/// the closure that received the view.
///
/// A failed read answers "not there", so the workflow refuses rather than acting on a
/// guess; the first failure is kept in `readFailure`, and the caller then fails the whole
/// transaction instead of committing a decision made on it.
struct LedgerCatalog: Workflows.Catalog {
    let view: LedgerView
    let readFailure = ReadFailure()

    init(view: LedgerView) {
        self.view = view
    }

    /// The first read error of a step, if any (a class: the catalog's reads are non-mutating).
    final class ReadFailure {
        var error: (any Error)?
    }

    private func read<T>(_ fallback: T, _ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            if readFailure.error == nil { readFailure.error = error }
            return fallback
        }
    }

    func product(sku: String) -> Workflows.Product? {
        guard let product = read(nil, { try view.product(sku: sku) }) else { return nil }
        return Workflows.Product(sku: product.sku, description: product.description, unit: product.unitOfMeasure, lotTracked: product.lotTracked, expiryTracked: product.expiryTracked, zone: product.zone)
    }

    func packaging(gtin: String) -> Workflows.ProductGTIN? {
        guard let match = read(nil, { try view.product(gtin: gtin) }) else { return nil }
        return Workflows.ProductGTIN(gtin: match.gtin, sku: match.product.sku, unitsPerGTIN: Quantity(match.unitsPerGTIN))
    }

    func packagings(sku: String) -> [Workflows.ProductGTIN] {
        read([], { try view.gtins(sku: sku) })
            .map { Workflows.ProductGTIN(gtin: $0.gtin, sku: $0.sku, unitsPerGTIN: Quantity($0.unitsPerGTIN)) }
            .sorted { $0.unitsPerGTIN < $1.unitsPerGTIN }
    }

    func location(code: String) -> Workflows.Location? {
        read(nil, { try view.location(code: code) }).map(Self.location)
    }

    func location(barcode: String) -> Workflows.Location? {
        read(nil, { try view.location(barcode: barcode) }).map(Self.location)
    }

    func locations(kind: Workflows.LocationKind) -> [Workflows.Location] {
        guard let stored = Ledger.LocationKind(rawValue: kind.rawValue) else { return [] }
        return read([], { try view.locations(kind: stored) }).map(Self.location).sorted { $0.code < $1.code }
    }

    static func location(_ location: Ledger.Location) -> Workflows.Location {
        Workflows.Location(
            code: location.code, barcode: location.barcode, kind: Workflows.LocationKind(rawValue: location.kind.rawValue) ?? .storage,
            zone: location.zone, sequence: location.sequence ?? Int.max)
    }

    func balances(location: String) -> [StockBalance] { balances(StockFilter(location: location)) }
    func balances(sku: String) -> [StockBalance] { balances(StockFilter(sku: sku)) }
    /// One query on the (location, sku) filter, not a busy dock's whole stock filtered here.
    func balances(location: String, sku: String) -> [StockBalance] { balances(StockFilter(location: location, sku: sku)) }
    func balances(container: String) -> [StockBalance] { balances(StockFilter(container: container)) }

    func balances(_ filter: StockFilter) -> [StockBalance] {
        read([], { try view.stock(filter) }).map {
            StockBalance(
                key: StockKey(location: $0.location, sku: $0.sku, lot: $0.lot, expiry: $0.expiry.flatMap(CalendarDate.init(iso:)), container: $0.container),
                quantity: Quantity($0.quantity))
        }
    }

    func quantity(at key: StockKey) -> Quantity {
        balances(StockFilter(location: key.location, sku: key.sku, lot: key.lot, container: key.container))
            .filter { $0.key == key }
            .reduce(Quantity.zero) { $0 + $1.quantity }
    }

    func container(sscc: String) -> Workflows.Container? {
        guard let container = read(nil, { try view.container(sscc: sscc) }) else { return nil }
        let status: Workflows.ContainerStatus = switch container.status {
        case .open: .open
        case .closed: .closed
        case .shipped: .shipped
        }
        let kind: Workflows.ContainerKind = switch container.kind {
        case .pallet: .pallet
        case .box: .box
        case .tote: .tote
        }
        // A pallet's document is its receipt; a box's or tote's is its order.
        return Workflows.Container(
            sscc: container.sscc, kind: kind, status: status,
            location: container.location, order: container.kind == .pallet ? nil : container.document)
    }

    func receipt(number: String) -> Workflows.Receipt? {
        guard let receipt = read(nil, { try view.receipt(number) }) else { return nil }
        // Goods of products the receipt does not list count towards its totals too: a
        // second unexpected case is over by two, and closing the receipt names them.
        let unplanned = read([:], { try view.unplannedReceived(receipt: number) })
        return Self.receipt(receipt, unplanned: unplanned)
    }

    static func receipt(_ receipt: Ledger.Receipt, unplanned: [String: Decimal] = [:]) -> Workflows.Receipt {
        Workflows.Receipt(
            number: receipt.receipt,
            lines: receipt.lines.map {
                Workflows.ReceiptLine(
                    line: $0.line, sscc: $0.sscc, sku: $0.sku, quantity: Quantity($0.expected), lot: $0.lot,
                    expiry: $0.expiry.flatMap(CalendarDate.init(iso:)), received: Quantity($0.received))
            },
            status: isOpen(receipt.status) ? .open : .closed,
            blind: receipt.blind, unplanned: unplanned.mapValues { Quantity($0) })
    }

    static func isOpen(_ status: Ledger.DocumentStatus) -> Bool {
        status == .open || status == .inProgress
    }

    func openReceipts(expectingSSCC sscc: String) -> [String] {
        read([], { try view.receipts(sscc: sscc) }).filter { Self.isOpen($0.status) }.map(\.receipt).sorted()
    }

    func order(number: String) -> Workflows.Order? {
        guard let order = read(nil, { try view.order(number) }) else { return nil }
        return Workflows.Order(
            number: order.order,
            lines: order.lines.map {
                Workflows.OrderLine(
                    line: $0.line, sku: $0.sku, quantity: Quantity($0.ordered), picked: Quantity($0.picked),
                    shorted: Quantity($0.shorted), packed: Quantity($0.packed))
            },
            status: order.status == .cancelled ? .closed : .open)
    }

    func claim(on document: DocumentRef) -> Claim? {
        let kind: Ledger.DocumentKind
        switch document.kind {
        case .receipt: kind = .receipt
        case .order: kind = .order
        case .count: kind = .count
        default: return nil
        }
        let claims = read([], { try view.claims(kind, document.number) })
        guard let holder = claims.first(where: { $0.status == .granted }) ?? claims.first(where: { $0.status == .pending }) else { return nil }
        return Claim(document: document, station: holder.station, operatorBadge: nil)
    }

    func operatorRecord(badge: String) -> Workflows.Operator? {
        guard let person = read(nil, { try view.operator(badge: badge) }) else { return nil }
        return Workflows.Operator(badge: person.badge, name: person.name.isEmpty ? person.badge : person.name)
    }

    func lastSSCCSerial(station: String) -> UInt64? {
        read(nil, { try view.lastSSCCSerial(station: station) }).flatMap { $0 >= 0 ? UInt64($0) : nil }
    }
}
