import Foundation
import ScanCodes
import Workflows
#if canImport(Glibc)
import Glibc
#endif

// Workflow steps per second against the in-memory catalog: whole cycles of receive,
// put-away, pick, pack (new box) and ship, each on fresh documents, with every step's
// effects applied. `--smoke` runs briefly for CI.
// Times are the thread's CPU time, so that other processes on a shared machine do not
// count against the figure (steps per second per core); wall time is printed beside it.

let smoke = CommandLine.arguments.contains("--smoke")
let cycles = smoke ? 200 : 40_000
let rounds = smoke ? 1 : 3

func withCheckDigit(_ body: String) -> String {
    body + String(CheckDigit.gs1Mod10(for: Array(body.utf8)) ?? 0)
}

let widgetEach = withCheckDigit("0400638133393")
let widgetCase = withCheckDigit("1400638133393")
let gadget = withCheckDigit("0400638100001")
let today = CalendarDate(year: 2026, month: 11, day: 24)
let classifier = ScanClassifier()
let settings = StationSettings(
    name: "bench-1", mode: .receive, modes: WorkflowMode.allCases, language: .en,
    ssccCompanyPrefix: "4012345", ssccSerialRange: 1...9_999_999)

func baseCatalog() -> InMemoryCatalog {
    var catalog = InMemoryCatalog(keepsHistory: false)
    catalog.add(Product(sku: "WIDGET-7", zone: "A"), gtins: [
        ProductGTIN(gtin: widgetEach, sku: "WIDGET-7", unitsPerGTIN: 1),
        ProductGTIN(gtin: widgetCase, sku: "WIDGET-7", unitsPerGTIN: 12),
    ])
    catalog.add(Product(sku: "GADGET-2", zone: "B"), gtins: [ProductGTIN(gtin: gadget, sku: "GADGET-2")])
    for (code, kind, sequence) in [
        ("DOCK-1", LocationKind.dock, 0), ("A-01", .storage, 10), ("A-02", .storage, 20), ("B-01", .storage, 30),
        ("STAGE-1", .staging, 90), ("PACK-1", .pack, 95), ("SHIP-1", .ship, 99),
    ] {
        catalog.add(Location(code: code, barcode: "LOC-" + code, kind: kind, zone: code.hasPrefix("A") ? "A" : "B", sequence: sequence))
    }
    catalog.add(Operator(badge: "ANNA", name: "Anna"))
    return catalog
}

func scan(_ text: String) -> DecodedScan {
    classifier.classify(Array(text.utf8), referenceDate: today)
}

/// The scans of one cycle on receipt R-i and order O-i; the box is the i-th minted SSCC.
func cycleScans(_ index: Int) -> [DecodedScan] {
    let box = SSCCMinter.sscc(extensionDigit: 0, companyPrefix: "4012345", serial: UInt64(index + 1)) ?? ""
    return [
        "CMD-MODE-receive", "R-\(index)", widgetCase, widgetCase, gadget, "CMD-DONE",
        "CMD-MODE-putaway", "CMD-QTY-24", widgetEach, "LOC-A-01", gadget, "LOC-B-01",
        "CMD-MODE-pick", "O-\(index)", "LOC-A-01", widgetEach, widgetEach, "LOC-B-01", gadget,
        "CMD-MODE-pack", "O-\(index)", "CMD-NEWBOX", widgetEach, widgetEach, gadget, "CMD-DONE",
        "CMD-MODE-ship", box,
    ].map(scan)
}

func documents(_ index: Int) -> (Receipt, Order) {
    (Receipt(number: "R-\(index)", lines: [
        ReceiptLine(line: 1, sku: "WIDGET-7", quantity: 24),
        ReceiptLine(line: 2, sku: "GADGET-2", quantity: 1),
    ]),
     Order(number: "O-\(index)", lines: [
        OrderLine(line: 1, sku: "WIDGET-7", quantity: 2),
        OrderLine(line: 2, sku: "GADGET-2", quantity: 1),
     ]))
}

let prepared = (0..<cycles).map { (documents($0), cycleScans($0)) }

struct Run {
    var steps = 0
    var rejected = 0
    var movements = 0
    var totalSeconds = 0.0
    var wallSeconds = 0.0
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU time of this thread, in seconds.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func run() -> Run {
    var catalog = baseCatalog()
    var state = WorkflowState(settings: settings)
    var result = Run()
    var counter: UInt64 = 0
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    for ((receipt, order), scans) in prepared {
        catalog.add(receipt)
        catalog.add(order)
        for decoded in scans {
            counter += 1
            let context = StepContext(
                now: 1_795_000_000_000 + Int64(counter), today: today,
                ids: .sequential(milliseconds: 1_795_000_000_000 + Int64(counter), counter: counter), settings: settings)
            let (next, outcome) = Workflow.step(state, scan: decoded, catalog: catalog, context: context)
            state = next
            catalog.apply(outcome, station: settings.name)
            result.steps += 1
            result.movements += outcome.movements.count
            if outcome.feedback == .error { result.rejected += 1 }
        }
    }
    result.totalSeconds = threadCPUSeconds() - cpuStart
    result.wallSeconds = seconds(clock.now - start)
    return result
}

var best: Run?
for _ in 0..<rounds {
    let result = run()
    if best == nil || result.totalSeconds < best?.totalSeconds ?? .infinity { best = result }
}
guard let best else { fatalError("no run") }
let stepsPerSecond = Double(best.steps) / best.totalSeconds
print("workflows: \(cycles) cycles (receive, put-away, pick, pack, ship), \(best.steps) steps, \(best.movements) movements, \(best.rejected) rejected")
print(String(format: "step + apply to in-memory catalog: %.0f steps/s (%.2f µs/step)", stepsPerSecond, 1e6 / stepsPerSecond))
print(String(format: "(wall clock, with other load on the machine: %.0f steps/s step + apply)", Double(best.steps) / best.wallSeconds))
print(String(format: "target 500000 steps/s per core: %@", stepsPerSecond >= 500_000 ? "met" : "not met"))
if best.rejected != 0 {
    print("warning: \(best.rejected) scans were rejected; the benchmark script is off")
}
