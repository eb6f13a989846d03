import BenchmarkSupport
import ScanCodes
import Workflows
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Workflow steps per CPU-second of one core against the in-memory catalog, every step's
// effects applied to the catalog as the Ledger would commit them.
//
// The warehouse is of a realistic size: 2,000 products (a quarter lot- and expiry-tracked,
// with several lots each), 2,000 storage locations in ten zones, every product stocked at
// two or more places. A station works it in waves, one mode at a time, as a shift does:
// 100 receipts of three lines, put-away of everything received, 100 orders of one to six
// lines (FEFO and pick path), packing them into new boxes, shipping the boxes, and a cycle
// count of 20 locations (one in ten counted short).
//
// The scans are those a worker would make reading each prompt: a first, untimed walk
// records them; the timed rounds replay them from the same opening warehouse, each wave's
// modes timed apart, so the figures are per mode and overall. The baseline replays the
// same scans through a station in log mode (a step that only records the scan): what every
// step costs before any workflow logic.
//
//   swift build -c release --product WorkflowsBenchmark && .build/release/WorkflowsBenchmark
//   WorkflowsBenchmark --smoke          (CI: two waves, one round)
//   WorkflowsBenchmark --profile [N]    (one untimed replay of N waves, for callgrind:
//       valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*replayForProfile*' …)
//   WorkflowsBenchmark --profile [N] --log   (the log-mode baseline only: --toggle-collect='*replayLoggedForProfile*')

let arguments = CommandLine.arguments
let smoke = arguments.contains("--smoke")
let profileWaves: Int? = arguments.firstIndex(of: "--profile").map { flag in
    flag + 1 < arguments.count ? Int(arguments[flag + 1]) ?? 4 : 4
}
let waves = profileWaves ?? (smoke ? 2 : 60)
// Best of five: on a shared VM a neighbour's burst can slow a whole round by a third; the
// fastest round is the one closest to what a step costs.
let rounds = smoke ? 1 : 5

let productCount = 2_000
let storageCount = 2_000
let zoneCount = 10
let receiptsPerWave = 100
let ordersPerWave = 100
let countsPerWave = 20

let today = CalendarDate(year: 2026, month: 11, day: 24)
let classifier = ScanClassifier()
let settings = StationSettings(
    name: "bench-1", mode: .receive, modes: WorkflowMode.allCases, language: .en,
    ssccCompanyPrefix: "4012345", ssccSerialRange: 1...9_999_999)

/// A fixed pseudo-random sequence (SplitMix64), so every run walks the same warehouse.
struct SplitMix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((value ^ (value >> 31)) % UInt64(bound))
    }
}

func withCheckDigit(_ body: String) -> String {
    body + String(CheckDigit.gs1Mod10(for: Array(body.utf8)) ?? 0)
}

func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

struct Article {
    var sku: String
    var each: String
    var pack: String
    var tracked: Bool
}

let articles: [Article] = (0..<productCount).map { index in
    Article(
        sku: "SKU-" + padded(index, 5),
        each: withCheckDigit("04012345" + padded(index, 5)),
        pack: withCheckDigit("14012345" + padded(index, 5)),
        tracked: index % 4 == 0)
}
let articleBySKU = Dictionary(uniqueKeysWithValues: articles.map { ($0.sku, $0) })
let storageCodes = (0..<storageCount).map { "S-\($0 % zoneCount)-" + padded($0 / zoneCount, 3) }

func expiry(_ months: Int) -> CalendarDate {
    CalendarDate(year: 2027 + months / 12, month: 1 + months % 12, day: 28)
}

func openingCatalog() -> InMemoryCatalog {
    var catalog = InMemoryCatalog(keepsHistory: false)
    var random = SplitMix(state: 7)
    for (index, article) in articles.enumerated() {
        catalog.add(
            Product(sku: article.sku, lotTracked: article.tracked, expiryTracked: article.tracked, zone: "Z\(index % zoneCount)"),
            gtins: [
                ProductGTIN(gtin: article.each, sku: article.sku, unitsPerGTIN: 1),
                ProductGTIN(gtin: article.pack, sku: article.sku, unitsPerGTIN: 12),
            ])
        // Two or three places per product, lots with different expiries for tracked ones.
        for place in 0..<(2 + index % 2) {
            let code = storageCodes[random.next(storageCount)]
            let lot = article.tracked ? "L\(index)-\(place)" : nil
            let date = article.tracked ? expiry(random.next(24)) : nil
            catalog.setStock(StockKey(location: code, sku: article.sku, lot: lot, expiry: date), 500)
        }
    }
    for (index, code) in storageCodes.enumerated() {
        catalog.add(Location(code: code, barcode: "LOC-" + code, kind: .storage, zone: "Z\(index % zoneCount)", sequence: 100 + index))
    }
    for (code, kind, sequence) in [
        ("DOCK-1", LocationKind.dock, 0), ("STAGE-1", .staging, 90_000), ("PACK-1", .pack, 90_100), ("SHIP-1", .ship, 90_200),
    ] {
        catalog.add(Location(code: code, barcode: "LOC-" + code, kind: kind, sequence: sequence))
    }
    catalog.add(Operator(badge: "ANNA", name: "Anna"))
    return catalog
}

/// The wave's documents: receipts and orders over randomly chosen products.
func documents(wave: Int) -> (receipts: [Receipt], orders: [Order]) {
    var random = SplitMix(state: 1_000 + UInt64(wave))
    let receipts = (0..<receiptsPerWave).map { index in
        Receipt(number: "R-\(wave)-\(index)", lines: (1...3).map { line in
            let article = articles[random.next(productCount)]
            // A case line is two case scans (or one lot label of a case); a loose line five items.
            let quantity: Quantity = line == 3 ? 5 : (article.tracked ? 12 : 24)
            return ReceiptLine(line: line, sku: article.sku, quantity: quantity)
        })
    }
    let orders = (0..<ordersPerWave).map { index in
        Order(number: "O-\(wave)-\(index)", lines: (1...(1 + random.next(6))).map { line in
            OrderLine(line: line, sku: articles[random.next(productCount)].sku, quantity: Quantity(1 + random.next(3)))
        })
    }
    return (receipts, orders)
}

func scan(_ text: String) -> DecodedScan {
    classifier.classify(Array(text.utf8), referenceDate: today)
}

/// A GS1-128 lot label: GTIN, expiry and lot, as a scanner sends it.
func lotLabel(_ gtin: String, lot: String, expiry: CalendarDate?) -> DecodedScan {
    var text = "]C101" + gtin
    if let expiry {
        text += "17" + padded(expiry.year % 100, 2) + padded(expiry.month, 2) + padded(expiry.day, 2)
    }
    return scan(text + "10" + lot)
}

enum Phase: Int, CaseIterable {
    case receive, putaway, pick, pack, ship, count

    var name: String { String(describing: self) }
}

/// One mode's scans of one wave, with the documents to add before them.
struct Segment {
    var phase: Phase
    var receipts: [Receipt] = []
    var orders: [Order] = []
    var scans: [Recorded<DecodedScan>] = []
}

/// A recorded scan or outcome behind a reference: a step (or an apply) reads the immutable
/// property in place, where going through an array of values copies each one (retaining a
/// dozen texts and arrays), harness work that the timed figures should not count.
final class Recorded<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// The station as the benchmark drives it: step, then apply, as the daemon does.
struct Station {
    var catalog: InMemoryCatalog
    var state = WorkflowState(settings: settings)
    var counter: UInt64 = 0
    var steps = 0
    var rejected = 0
    var warnings = 0
    var movements = 0

    mutating func step(_ decoded: DecodedScan, settings: StationSettings = settings) -> StepOutcome {
        counter += 1
        let now = 1_795_000_000_000 + Int64(counter)
        let context = StepContext(now: now, today: today, ids: .sequential(milliseconds: now, counter: counter), settings: settings)
        let outcome = Workflow.step(&state, scan: decoded, catalog: catalog, context: context)
        catalog.apply(outcome, station: settings.name)
        steps += 1
        movements += outcome.movements.count
        switch outcome.feedback {
        case .error: rejected += 1
        case .warning: warnings += 1
        case .ok: break
        }
        return outcome
    }
}

/// Walks every wave reading the prompts, as a worker would, and records the scans.
func record() -> [Segment] {
    var station = Station(catalog: openingCatalog())
    var segments: [Segment] = []
    var log: [DecodedScan] = []
    func perform(_ decoded: DecodedScan) -> StepOutcome {
        log.append(decoded)
        return station.step(decoded)
    }
    func perform(_ text: String) -> StepOutcome { perform(scan(text)) }
    func instruction(_ outcome: StepOutcome) -> PromptMessage {
        outcome.prompt.instruction ?? PromptMessage(.scanAnything)
    }
    func finish(_ segment: inout Segment) {
        segment.scans = log.map(Recorded.init)
        log = []
        segments.append(segment)
    }
    _ = perform("OP-ANNA")
    for wave in 0..<waves {
        let (receipts, orders) = documents(wave: wave)

        var receiving = Segment(phase: .receive, receipts: receipts)
        for receipt in receipts { station.catalog.add(receipt) }
        _ = perform("CMD-MODE-receive")
        var received: [(article: Article, quantity: Int, lot: String?)] = []
        for receipt in receipts {
            _ = perform(receipt.number)
            for line in receipt.lines {
                guard let article = articleBySKU[line.sku] else { continue }
                if line.line == 3 {
                    let lot = article.tracked ? "RL\(wave)" : nil
                    _ = perform("CMD-QTY-5")
                    _ = perform(article.tracked ? lotLabel(article.each, lot: "RL\(wave)", expiry: expiry(20)) : scan(article.each))
                    received.append((article, 5, lot))
                } else if article.tracked {
                    _ = perform(lotLabel(article.pack, lot: "RP\(wave)", expiry: expiry(18)))
                    received.append((article, 12, "RP\(wave)"))
                } else {
                    _ = perform(article.pack)
                    _ = perform(article.pack)
                    received.append((article, 24, nil))
                }
            }
            _ = perform("CMD-DONE")
        }
        finish(&receiving)

        var puttingAway = Segment(phase: .putaway)
        _ = perform("CMD-MODE-putaway")
        for goods in received {
            _ = perform("CMD-QTY-\(goods.quantity)")
            let unit = perform(goods.lot.map { lotLabel(goods.article.each, lot: $0, expiry: nil) } ?? scan(goods.article.each))
            let target = instruction(unit).value("location") ?? storageCodes[0]
            _ = perform("LOC-" + target)
        }
        finish(&puttingAway)

        var picking = Segment(phase: .pick, orders: orders)
        for order in orders { station.catalog.add(order) }
        _ = perform("CMD-MODE-pick")
        for order in orders {
            var outcome = perform(order.number)
            var guardSteps = 0
            var oneByOne = false
            while guardSteps < 100 {
                guardSteps += 1
                let next = instruction(outcome)
                switch next.id {
                case .goToLocation, .goToLocationLot:
                    outcome = perform("LOC-" + (next.value("location") ?? ""))
                case .pickItem, .pickItemLot:
                    guard let sku = next.value("sku"), let article = articleBySKU[sku],
                          let quantity = next.value("quantity").flatMap({ Int($0) })
                    else {
                        guardSteps = .max
                        break
                    }
                    // A suggested lot may hold less than the line wants: one scan at a time, so
                    // the prompt can move on to the next lot. Other goods by quantity when the
                    // place has enough, else one by one as well.
                    let lot = next.value("lot")
                    let item = lot.map { lotLabel(article.each, lot: $0, expiry: nil) } ?? scan(article.each)
                    if quantity > 2, lot == nil, !oneByOne {
                        _ = perform("CMD-QTY-\(quantity)")
                        outcome = perform(item)
                        if outcome.feedback == .error {
                            oneByOne = true
                            outcome = perform("CMD-CANCEL")
                        }
                    } else {
                        outcome = perform(item)
                    }
                case .noStockToPick:
                    outcome = perform("CMD-SHORT")
                default:
                    guardSteps = .max
                }
            }
        }
        finish(&picking)

        var packing = Segment(phase: .pack)
        var boxes: [String] = []
        _ = perform("CMD-MODE-pack")
        for order in orders {
            _ = perform(order.number)
            let opened = perform("CMD-NEWBOX")
            for change in opened.containers {
                if case .created(let box) = change { boxes.append(box.sscc) }
            }
            for line in station.catalog.order(number: order.number)?.lines ?? [] {
                guard let article = articleBySKU[line.sku] else { continue }
                let quantity = Int(line.packable.micros / Quantity.scale)
                if quantity > 2 {
                    _ = perform("CMD-QTY-\(quantity)")
                    _ = perform(article.each)
                } else {
                    for _ in 0..<quantity { _ = perform(article.each) }
                }
            }
            _ = perform("CMD-DONE")
        }
        finish(&packing)

        var shipping = Segment(phase: .ship)
        _ = perform("CMD-MODE-ship")
        _ = perform("LOC-SHIP-1")
        for box in boxes { _ = perform(box) }
        finish(&shipping)

        var counting = Segment(phase: .count)
        _ = perform("CMD-MODE-count")
        var random = SplitMix(state: 5_000 + UInt64(wave))
        for index in 0..<countsPerWave {
            let code = storageCodes[random.next(storageCount)]
            _ = perform("LOC-" + code)
            for (place, balance) in station.catalog.balances(location: code).enumerated() where balance.key.container == nil {
                guard let article = articleBySKU[balance.key.sku] else { continue }
                var quantity = Int(balance.quantity.micros / Quantity.scale)
                if index % 10 == 0, place == 0 { quantity -= 1 }
                guard quantity > 0 else { continue }
                _ = perform("CMD-QTY-\(quantity)")
                _ = perform(balance.key.lot.map { lotLabel(article.each, lot: $0, expiry: nil) } ?? scan(article.each))
            }
            _ = perform("CMD-DONE")
        }
        finish(&counting)
    }
    if station.rejected != 0 {
        print("warning: \(station.rejected) scans were rejected while recording; the benchmark script is off")
    }
    return segments
}

/// CPU time of this thread, in seconds: other processes on a shared machine do not count
/// against the figure (steps per second per core).
struct Figures {
    var steps = [Int](repeating: 0, count: Phase.allCases.count)
    var seconds = [Double](repeating: 0, count: Phase.allCases.count)
    var rejected = 0
    var warnings = 0
    var movements = 0

    var totalSteps: Int { steps.reduce(0, +) }
    var totalSeconds: Double { seconds.reduce(0, +) }
}

/// One timed replay of the recorded scans from the opening warehouse.
func replay(_ segments: [Segment], opening: InMemoryCatalog) -> Figures {
    var station = Station(catalog: opening)
    var figures = Figures()
    _ = station.step(scan("OP-ANNA"))
    for segment in segments {
        for receipt in segment.receipts { station.catalog.add(receipt) }
        for order in segment.orders { station.catalog.add(order) }
        let stepsBefore = station.steps
        let start = threadCPUSeconds()
        for recorded in segment.scans { _ = station.step(recorded.value) }
        figures.seconds[segment.phase.rawValue] += threadCPUSeconds() - start
        figures.steps[segment.phase.rawValue] += station.steps - stepsBefore
    }
    figures.rejected = station.rejected
    figures.warnings = station.warnings
    figures.movements = station.movements
    return figures
}

/// Each step's outcome in one untimed replay (prompts dropped), per segment: what the
/// apply-only replay below applies.
func recordOutcomes(_ segments: [Segment], opening: InMemoryCatalog) -> (login: StepOutcome, segments: [[Recorded<StepOutcome>]]) {
    var station = Station(catalog: opening)
    let login = station.step(scan("OP-ANNA"))
    var recorded: [[Recorded<StepOutcome>]] = []
    for segment in segments {
        for receipt in segment.receipts { station.catalog.add(receipt) }
        for order in segment.orders { station.catalog.add(order) }
        recorded.append(segment.scans.map { recorded in
            var outcome = station.step(recorded.value)
            outcome.prompt = Prompt([])
            return Recorded(outcome)
        })
    }
    return (login, recorded)
}

/// The catalog's share: the same outcomes applied to the opening warehouse with no step,
/// timed per phase like `replay`.
func replayApplies(_ segments: [Segment], opening: InMemoryCatalog, outcomes: (login: StepOutcome, segments: [[Recorded<StepOutcome>]])) -> [Double] {
    var catalog = opening
    var seconds = [Double](repeating: 0, count: Phase.allCases.count)
    catalog.apply(outcomes.login, station: settings.name)
    for (segment, applied) in zip(segments, outcomes.segments) {
        for receipt in segment.receipts { catalog.add(receipt) }
        for order in segment.orders { catalog.add(order) }
        let start = threadCPUSeconds()
        for recorded in applied { catalog.apply(recorded.value, station: settings.name) }
        seconds[segment.phase.rawValue] += threadCPUSeconds() - start
    }
    return seconds
}

/// The same scans through a log-mode station: each step only records its scan.
func replayLogged(_ segments: [Segment], opening: InMemoryCatalog) -> (steps: Int, seconds: Double) {
    let logging = StationSettings(name: "bench-1", mode: .log)
    // The session must start in log mode too: a receive-mode session given log settings
    // refuses every scan (no receipt open), which measured the rejection path instead.
    var station = Station(catalog: opening, state: WorkflowState(settings: logging))
    let scans = segments.flatMap(\.scans).filter { $0.value.kind != .command }
    let start = threadCPUSeconds()
    for recorded in scans { _ = station.step(recorded.value, settings: logging) }
    let seconds = threadCPUSeconds() - start
    if station.rejected != 0 { print("warning: \(station.rejected) log-mode steps were rejected; the baseline is off") }
    return (station.steps, seconds)
}

@inline(never)
func replayForProfile(_ segments: [Segment], opening: InMemoryCatalog) -> Int {
    var station = Station(catalog: opening)
    for segment in segments {
        for receipt in segment.receipts { station.catalog.add(receipt) }
        for order in segment.orders { station.catalog.add(order) }
        for recorded in segment.scans { _ = station.step(recorded.value) }
    }
    return station.steps
}

@inline(never)
func replayLoggedForProfile(_ segments: [Segment], opening: InMemoryCatalog) -> Int {
    replayLogged(segments, opening: opening).steps
}

func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

func column(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

let segments = record()
let opening = openingCatalog()

if profileWaves != nil, arguments.contains("--log") {
    let steps = replayLoggedForProfile(segments, opening: opening)
    print("profiled log-mode replay: \(waves) waves, \(steps) steps")
    exit(0)
}
if profileWaves != nil {
    let steps = replayForProfile(segments, opening: opening)
    print("profiled replay: \(waves) waves, \(steps) steps")
    exit(0)
}

let outcomes = recordOutcomes(segments, opening: opening)
var best: Figures?
var bestPerPhase = [Double](repeating: .infinity, count: Phase.allCases.count)
var bestApplyPerPhase = [Double](repeating: .infinity, count: Phase.allCases.count)
var baselineRate = 0.0
for _ in 0..<rounds {
    let applying = replayApplies(segments, opening: opening, outcomes: outcomes)
    for phase in Phase.allCases {
        bestApplyPerPhase[phase.rawValue] = min(bestApplyPerPhase[phase.rawValue], applying[phase.rawValue])
    }
    let figures = replay(segments, opening: opening)
    if figures.totalSeconds < best?.totalSeconds ?? .infinity { best = figures }
    for phase in Phase.allCases {
        bestPerPhase[phase.rawValue] = min(bestPerPhase[phase.rawValue], figures.seconds[phase.rawValue])
    }
    let logged = replayLogged(segments, opening: opening)
    baselineRate = max(baselineRate, Double(logged.steps) / logged.seconds)
}
guard let best else { fatalError("no run") }
let rate = Double(best.totalSteps) / best.totalSeconds
print("Workflows step benchmark (steps per CPU-second of one core, step + apply to the in-memory catalog, best of \(rounds)\(smoke ? ", smoke run" : ""))")
print("  warehouse: \(productCount) products, \(storageCount) storage locations; \(waves) waves of \(receiptsPerWave) receipts, \(ordersPerWave) orders, \(countsPerWave) counts")
print("  \(best.totalSteps) steps, \(best.movements) movements, \(best.warnings) warnings, \(best.rejected) rejected")
for phase in Phase.allCases {
    let steps = best.steps[phase.rawValue]
    let seconds = bestPerPhase[phase.rawValue]
    print("  \(column(phase.name, 8)): \(column(groupedThousands(Double(steps) / seconds), 11)) steps/s  (\(column(String(steps), 7)) steps, \(column(String(Int((1e9 * seconds / Double(steps)).rounded())), 5)) ns/step)")
}
print("  overall:  \(column(groupedThousands(rate), 11)) steps/s  (\(Int((1e9 / rate).rounded())) ns/step)")
// The step alone: the whole replay less the same outcomes applied without steps.
let applySeconds = bestApplyPerPhase.reduce(0, +)
let stepRate = Double(best.totalSteps) / max(best.totalSeconds - applySeconds, 1e-9)
print("  of which applying effects to the in-memory catalog: \(Int((1e9 * applySeconds / Double(best.totalSteps)).rounded())) ns/step; the workflow step alone: \(groupedThousands(stepRate)) steps/s")
print("  log-mode baseline (the same item and location scans, only recorded): \(groupedThousands(baselineRate)) steps/s")
print("  a workflow step costs \(oneDecimal(baselineRate / rate))x a log-mode step")
print(rate >= 500_000 ? "target 500,000 steps/s per core: met" : "target 500,000 steps/s per core: NOT met")
if best.rejected != 0 {
    print("warning: \(best.rejected) scans were rejected; the benchmark script is off")
    exit(1)
}
