import ArgumentParser
import Foundation
import Ledger

struct ReportCommand: ParsableCommand {
    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case stock, movements, receipts, orders, productivity, counts
    }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print stock, movements, receipts, orders, productivity or cycle counts from the store.",
        discussion: """
            Opens the store read-only. Times (--since, --until) are YYYY-MM-DD (UTC days; \
            --until includes that day) or ISO 8601 date-times. `report stock --exceptions` \
            lists negative balances, pallets booked after a confirmed label mismatch and \
            over-picked order lines for a supervisor to resolve. `report counts` lists closed \
            cycle counts: expected, counted and the difference per product and lot.
            """
    )

    @Argument(help: ArgumentHelp("stock, movements, receipts, orders, productivity or counts.", valueName: "report"))
    var kind: Kind

    @Option(help: ArgumentHelp("table, csv or json.", valueName: "format"))
    var format: String = ReportFormat.table.rawValue

    @Option(help: "Only this location (stock, movements, counts).") var location: String?
    @Option(help: "Only this SKU (stock, movements, counts).") var sku: String?
    @Option(help: "Only this lot (stock, movements).") var lot: String?
    @Option(help: "Only this container's SSCC (stock).") var container: String?
    @Option(name: .customLong("operator"), help: "Only this operator badge (movements, productivity).") var operatorBadge: String?
    @Option(help: "Only this order (movements, orders).") var order: String?
    @Option(help: "Only this receipt (movements, receipts).") var receipt: String?
    @Option(help: ArgumentHelp("Only this movement kind (movements).", valueName: "kind")) var movementKind: String?
    @Option(help: "Only this station (movements).") var station: String?
    @Option(help: ArgumentHelp("From this time on (movements, productivity, counts).", valueName: "time")) var since: String?
    @Option(help: ArgumentHelp("Up to this time (movements, productivity, counts).", valueName: "time")) var until: String?
    @Option(help: "At most this many rows (movements).") var limit: Int?
    @Flag(help: "Exceptions instead of stock: negative balances, over-picked order lines (stock).") var exceptions = false

    @OptionGroup var database: LedgerDatabaseOption

    func validate() throws {
        guard ReportFormat(rawValue: format) != nil else { throw ValidationError("unknown format '\(format)'; use table, csv or json") }
        let given: [(String, Bool, [Kind])] = [
            ("--location", location != nil, [.stock, .movements, .counts]), ("--sku", sku != nil, [.stock, .movements, .counts]),
            ("--lot", lot != nil, [.stock, .movements]), ("--container", container != nil, [.stock]),
            ("--operator", operatorBadge != nil, [.movements, .productivity]), ("--order", order != nil, [.movements, .orders]),
            ("--receipt", receipt != nil, [.movements, .receipts]), ("--movement-kind", movementKind != nil, [.movements]),
            ("--station", station != nil, [.movements]), ("--since", since != nil, [.movements, .productivity, .counts]),
            ("--until", until != nil, [.movements, .productivity, .counts]), ("--limit", limit != nil, [.movements]),
            ("--exceptions", exceptions, [.stock]),
        ]
        for (name, isGiven, kinds) in given where isGiven && !kinds.contains(kind) {
            throw ValidationError("\(name) does not apply to `report \(kind.rawValue)`; it filters \(kinds.map(\.rawValue).joined(separator: " and "))")
        }
        if let movementKind, MovementKind(rawValue: movementKind) == nil {
            throw ValidationError("unknown movement kind '\(movementKind)'; use \(MovementKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if order != nil, receipt != nil { throw ValidationError("give --order or --receipt, not both") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, ReportTime.milliseconds(value) == nil {
                throw ValidationError("\(name) '\(value)' is not a date (YYYY-MM-DD) or an ISO 8601 time")
            }
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let store = try database.open(readOnly: true)
        defer { try? store.close() }
        let sinceTime = since.flatMap { ReportTime.milliseconds($0) }
        let untilTime = until.flatMap { ReportTime.milliseconds($0, endOfDay: true) }
        let table: ReportTable
        do {
            switch kind {
            case .stock:
                let filter = StockFilter(location: location, sku: sku, lot: lot, container: container)
                table = exceptions ? try store.stockExceptions(filter) : try store.stockReport(filter)
            case .movements:
                table = try store.movementReport(MovementFilter(
                    location: location, sku: sku, lot: lot, operatorBadge: operatorBadge, document: order ?? receipt,
                    kind: movementKind.flatMap(MovementKind.init(rawValue:)), station: station, since: sinceTime, until: untilTime, limit: limit))
            case .receipts:
                table = try store.receiptReport(receipt: receipt)
            case .orders:
                table = try store.orderReport(order: order)
            case .productivity:
                table = try store.productivityReport(operatorBadge: operatorBadge, since: sinceTime, until: untilTime)
            case .counts:
                table = try store.countReport(location: location, sku: sku, since: sinceTime, until: untilTime)
            }
        } catch {
            throw LedgerExit.report(error)
        }
        FileHandle.standardOutput.write(Data(table.rendered(as: ReportFormat(rawValue: format) ?? .table).utf8))
    }
}
