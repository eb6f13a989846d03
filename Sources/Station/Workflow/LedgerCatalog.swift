import Foundation
import Ledger
import ScanCodes
import Workflows

/// The workflows' read-only catalog over the station's store: every read is a snapshot
/// of the committed ledger. A store error reads as "not there", so the workflow refuses
/// the scan rather than acting on a guess (the error itself is logged by the commit).
struct LedgerCatalog: Workflows.Catalog {
    let store: LedgerStore

    func product(sku: String) -> Workflows.Product? {
        guard let product = (try? store.product(sku: sku)) ?? nil else { return nil }
        return Workflows.Product(sku: product.sku, description: product.description, unit: product.unitOfMeasure, lotTracked: product.lotTracked, expiryTracked: product.expiryTracked)
    }

    func packaging(gtin: String) -> Workflows.ProductGTIN? {
        guard let match = (try? store.product(gtin: gtin)) ?? nil else { return nil }
        return Workflows.ProductGTIN(gtin: match.gtin, sku: match.product.sku, unitsPerGTIN: Quantity(match.unitsPerGTIN))
    }

    func packagings(sku: String) -> [Workflows.ProductGTIN] {
        ((try? store.gtins(sku: sku)) ?? [])
            .map { Workflows.ProductGTIN(gtin: $0.gtin, sku: $0.sku, unitsPerGTIN: Quantity($0.unitsPerGTIN)) }
            .sorted { $0.unitsPerGTIN < $1.unitsPerGTIN }
    }

    func location(code: String) -> Workflows.Location? {
        ((try? store.location(code: code)) ?? nil).map(Self.location)
    }

    func location(barcode: String) -> Workflows.Location? {
        ((try? store.location(barcode: barcode)) ?? nil).map(Self.location)
    }

    func locations(kind: Workflows.LocationKind) -> [Workflows.Location] {
        guard let stored = Ledger.LocationKind(rawValue: kind.rawValue) else { return [] }
        return ((try? store.locations(kind: stored)) ?? []).map(Self.location).sorted { $0.code < $1.code }
    }

    static func location(_ location: Ledger.Location) -> Workflows.Location {
        Workflows.Location(
            code: location.code, barcode: location.barcode, kind: Workflows.LocationKind(rawValue: location.kind.rawValue) ?? .storage,
            zone: location.zone, sequence: location.sequence ?? Int.max)
    }

    func balances(location: String) -> [StockBalance] { balances(StockFilter(location: location)) }
    func balances(sku: String) -> [StockBalance] { balances(StockFilter(sku: sku)) }
    func balances(container: String) -> [StockBalance] { balances(StockFilter(container: container)) }

    func balances(_ filter: StockFilter) -> [StockBalance] {
        ((try? store.stock(filter)) ?? []).map {
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
        guard let container = (try? store.container(sscc: sscc)) ?? nil else { return nil }
        let status: Workflows.ContainerStatus = switch container.status {
        case .open: .open
        case .closed: .closed
        case .shipped: .shipped
        }
        return Workflows.Container(
            sscc: container.sscc, kind: container.kind == .pallet ? .pallet : .box, status: status,
            location: container.location, order: container.kind == .box ? container.document : nil)
    }

    func receipt(number: String) -> Workflows.Receipt? {
        guard let receipt = (try? store.receipt(number)) ?? nil else { return nil }
        return Self.receipt(receipt)
    }

    static func receipt(_ receipt: Ledger.Receipt) -> Workflows.Receipt {
        Workflows.Receipt(
            number: receipt.receipt,
            lines: receipt.lines.map {
                Workflows.ReceiptLine(
                    line: $0.line, sscc: $0.sscc, sku: $0.sku, quantity: Quantity($0.expected), lot: $0.lot,
                    expiry: $0.expiry.flatMap(CalendarDate.init(iso:)), received: Quantity($0.received))
            },
            status: isOpen(receipt.status) ? .open : .closed,
            blind: receipt.lines.isEmpty)
    }

    static func isOpen(_ status: Ledger.DocumentStatus) -> Bool {
        status == .open || status == .inProgress
    }

    func openReceipts(expectingSSCC sscc: String) -> [String] {
        ((try? store.receipts(sscc: sscc)) ?? []).filter { Self.isOpen($0.status) }.map(\.receipt).sorted()
    }

    func order(number: String) -> Workflows.Order? {
        guard let order = (try? store.order(number)) ?? nil else { return nil }
        return Workflows.Order(
            number: order.order,
            lines: order.lines.map {
                Workflows.OrderLine(line: $0.line, sku: $0.sku, quantity: Quantity($0.ordered), picked: Quantity($0.picked), packed: Quantity($0.packed))
            },
            status: order.status == .cancelled ? .closed : .open)
    }

    func claim(on document: DocumentRef) -> Claim? {
        let kind: Ledger.DocumentKind
        switch document.kind {
        case .receipt: kind = .receipt
        case .order: kind = .order
        default: return nil
        }
        let claims = (try? store.claims(kind, document.number)) ?? []
        guard let holder = claims.first(where: { $0.status == .granted }) ?? claims.first(where: { $0.status == .pending }) else { return nil }
        return Claim(document: document, station: holder.station, operatorBadge: nil)
    }

    func operatorRecord(badge: String) -> Workflows.Operator? {
        guard let person = (try? store.operator(badge: badge)) ?? nil else { return nil }
        return Workflows.Operator(badge: person.badge, name: person.name.isEmpty ? person.badge : person.name)
    }
}
