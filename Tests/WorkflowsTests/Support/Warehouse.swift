import Foundation
import ScanCodes
import Workflows

/// A GTIN-14 with its check digit, from 13 digits.
func gtin(_ body: String) -> String {
    body + String(CheckDigit.gs1Mod10(for: Array(body.utf8)) ?? 0)
}

/// An SSCC-18 with its check digit, from 17 digits.
func sscc(_ body: String) -> String {
    body + String(CheckDigit.gs1Mod10(for: Array(body.utf8)) ?? 0)
}

enum Codes {
    static let widgetEach = gtin("0400638133393")
    static let widgetCase = gtin("1400638133393")
    static let gadget = gtin("0400638100001")
    static let milkCase = gtin("0400638100002")
    static let unknown = gtin("0999999999999")
    static let palletA = sscc("03400638100000001")
    static let palletShared = sscc("03400638100000002")
    static let palletLabelOnly = sscc("03400638100000003")
    static let boxLabel = sscc("03400638100000099")
    static let tote = sscc("03400638100000500")
}

/// A GS1 scan as ScanCodes reports it (built directly: the fields the workflows read).
func gs1(
    gtin: String? = nil, sscc: String? = nil, batch: String? = nil, expiry: CalendarDate? = nil,
    contentGTIN: String? = nil, count: Int? = nil, variableCount: Int? = nil
) -> DecodedScan {
    var text = ""
    if let sscc { text += "(00)" + sscc }
    if let gtin { text += "(01)" + gtin }
    if let contentGTIN { text += "(02)" + contentGTIN }
    if let batch { text += "(10)" + batch }
    if let expiry {
        text += "(17)" + String(String(expiry.year).suffix(2)) + String(format: "%02d%02d", expiry.month, expiry.day)
    }
    if let count { text += "(37)" + String(count) }
    if let variableCount { text += "(30)" + String(variableCount) }
    var scan = DecodedScan(input: Array(text.utf8), aimIdentifier: nil, symbology: .gs1128, kind: .gs1, text: text, gtin: gtin, sscc: sscc)
    scan.batch = batch
    scan.expiry = expiry
    scan.contentGTIN = contentGTIN
    scan.count = count
    scan.variableCount = variableCount
    return scan
}

func day(_ iso: String) -> CalendarDate {
    CalendarDate(iso: iso) ?? CalendarDate(year: 1970, month: 1, day: 1)
}

/// The sample warehouse the tests walk.
func sampleCatalog() -> InMemoryCatalog {
    var catalog = InMemoryCatalog()
    catalog.add(Product(sku: "WIDGET-7", zone: "A"), gtins: [
        ProductGTIN(gtin: Codes.widgetEach, sku: "WIDGET-7", unitsPerGTIN: 1),
        ProductGTIN(gtin: Codes.widgetCase, sku: "WIDGET-7", unitsPerGTIN: 12),
    ])
    catalog.add(Product(sku: "GADGET-2", zone: "B"), gtins: [ProductGTIN(gtin: Codes.gadget, sku: "GADGET-2")])
    catalog.add(Product(sku: "MILK-1", lotTracked: true, expiryTracked: true, zone: "A"), gtins: [ProductGTIN(gtin: Codes.milkCase, sku: "MILK-1", unitsPerGTIN: 6)])
    for location in [
        Location(code: "DOCK-1", kind: .dock, sequence: 0),
        Location(code: "DOCK-2", kind: .dock, sequence: 0),
        Location(code: "A-01", barcode: "LOC-A-01", kind: .storage, zone: "A", sequence: 10),
        Location(code: "A-02", barcode: "LOC-A-02", kind: .storage, zone: "A", sequence: 20),
        Location(code: "B-01", barcode: "LOC-B-01", kind: .storage, zone: "B", sequence: 30),
        Location(code: "P-01", barcode: "LOC-P-01", kind: .pick, zone: "A", sequence: 5),
        Location(code: "STAGE-1", kind: .staging, sequence: 90),
        Location(code: "PACK-1", kind: .pack, sequence: 95),
        Location(code: "SHIP-1", kind: .ship, sequence: 99),
    ] {
        catalog.add(location)
    }
    catalog.add(Operator(badge: "ANNA", name: "Anna"))
    catalog.add(Operator(badge: "BEN", name: "Ben"))
    catalog.add(Receipt(number: "R-100", lines: [
        ReceiptLine(line: 1, sscc: Codes.palletA, sku: "WIDGET-7", quantity: 120),
        ReceiptLine(line: 2, sku: "WIDGET-7", quantity: 24),
        ReceiptLine(line: 3, sku: "MILK-1", quantity: 12),
    ]))
    catalog.add(Receipt(number: "R-200", lines: [ReceiptLine(line: 1, sscc: Codes.palletShared, sku: "GADGET-2", quantity: 40)]))
    catalog.add(Receipt(number: "R-201", lines: [ReceiptLine(line: 1, sscc: Codes.palletShared, sku: "GADGET-2", quantity: 40)]))
    catalog.add(Order(number: "O-1", lines: [
        OrderLine(line: 1, sku: "WIDGET-7", quantity: 5),
        OrderLine(line: 2, sku: "GADGET-2", quantity: 2),
    ]))
    return catalog
}

func sampleSettings(mode: WorkflowMode = .receive) -> StationSettings {
    StationSettings(
        name: "dock-1", mode: mode, modes: WorkflowMode.allCases, language: .en,
        ssccCompanyPrefix: "4012345", ssccSerialRange: 1_000_000...1_000_002)
}

/// A station walking scans against an in-memory catalog, applying each step's effects.
struct TestStation {
    var catalog: InMemoryCatalog
    var settings: StationSettings
    var state: WorkflowState
    var now: Int64 = 1_795_000_000_000
    var today = day("2026-11-24")
    var counter: UInt64 = 0
    var classifier = ScanClassifier()
    var last: StepOutcome?

    init(catalog: InMemoryCatalog = sampleCatalog(), settings: StationSettings = sampleSettings()) {
        self.catalog = catalog
        self.settings = settings
        self.state = WorkflowState(settings: settings)
    }

    var context: StepContext {
        StepContext(now: now, today: today, ids: .sequential(milliseconds: now, counter: counter), settings: settings)
    }

    @discardableResult
    mutating func scan(_ decoded: DecodedScan) -> StepOutcome {
        counter += 1
        now += 1000
        let (next, outcome) = Workflow.step(state, scan: decoded, catalog: catalog, context: context)
        state = next
        catalog.apply(outcome, station: settings.name, operatorBadge: state.operatorBadge)
        last = outcome
        return outcome
    }

    @discardableResult
    mutating func scan(_ text: String) -> StepOutcome {
        scan(classifier.classify(Array(text.utf8), referenceDate: today))
    }

    func quantity(_ location: String, _ sku: String, lot: String? = nil, expiry: CalendarDate? = nil, container: String? = nil) -> Quantity {
        catalog.quantity(at: StockKey(location: location, sku: sku, lot: lot, expiry: expiry, container: container))
    }

    func total(_ sku: String) -> Quantity {
        catalog.balances(sku: sku).reduce(0) { $0 + $1.quantity }
    }

    var prompt: String { last?.prompt.text(in: settings.language) ?? "" }
}
