import Foundation
import Ledger

// Ledger benchmark (issue 5). Prints, for the same writes in the same run:
// - one scan + one movement + balances + outbox entry per durable transaction, through
//   LedgerStore and through the raw SQLite C API: median, p99, throughput, ratio;
// - the same with a store that already holds N movements (1,000,000; --smoke: 2,000);
// - stock on hand of one product at that size;
// - importing 100,000 product rows (--smoke: 1,000).
// Measure in release: swift build -c release --product LedgerBenchmark

let smoke = CommandLine.arguments.contains("--smoke")
/// Only the import figure (for profiling it).
let importOnly = CommandLine.arguments.contains("--import-only")
let directoryArgument = CommandLine.arguments.firstIndex(of: "--dir").flatMap { index in
    CommandLine.arguments.indices.contains(index + 1) ? CommandLine.arguments[index + 1] : nil
}
let commitsPerRun = smoke ? 40 : 2_000
let storedMovements = smoke ? 2_000 : 1_000_000
let importRows = smoke ? 1_000 : 100_000
/// Catalog shape of the generated movements.
enum Shape {
    static let products = 1_000
    static let locations = 200
}
let baseTime: Int64 = 1_790_000_000_000

let root = URL(fileURLWithPath: directoryArgument ?? NSTemporaryDirectory()).appendingPathComponent("ledger-benchmark-\(getpid())")
try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: root) }
func file(_ name: String) -> String { root.appendingPathComponent(name).path }

struct Figures {
    var median: Duration
    var p99: Duration
    var throughput: Double

    init(_ samples: [Duration], total: Duration) {
        let sorted = samples.sorted()
        median = sorted[sorted.count / 2]
        p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        throughput = Double(samples.count) / (Double(total.components.attoseconds) / 1e18 + Double(total.components.seconds))
    }
}

extension Duration {
    var microseconds: Double { Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12 }
}

func format(_ label: String, _ figures: Figures) -> String {
    String(format: "%@ median %8.1f µs   p99 %8.1f µs   %7.0f commits/s", label, figures.median.microseconds, figures.p99.microseconds, figures.throughput)
}

var ids = UUIDv7Generator()
var clockTime = baseTime
@MainActor func nextTime() -> Int64 { clockTime += 1; return clockTime }

@MainActor func scan(_ time: Int64) -> ScanLogEntry {
    ScanLogEntry(scanID: ids.next(milliseconds: UInt64(time)), station: "bench-1", source: "stdin", input: Array("B-001".utf8), inputLength: 5,
                 symbology: nil, kind: "text", result: .accepted, errorCode: nil, errorMessage: nil, prompt: "ok", receivedAt: time, operatorBadge: "OP-1")
}

nonisolated func sku(_ index: Int) -> String { "SKU-\(index % Shape.products)" }
nonisolated func location(_ index: Int) -> String { "L-\(index % Shape.locations)" }

/// Fills a store with `count` movements in large transactions (setup, not measured).
@MainActor func populate(_ path: String, count: Int) throws {
    let store = try LedgerStore(path: path)
    var index = 0
    while index < count {
        let batch = min(10_000, count - index)
        try store.write(station: "bench-0", time: nextTime()) { transaction in
            for offset in 0..<batch {
                let n = index + offset
                try transaction.appendMovement(NewMovement(kind: n % 3 == 0 ? .receive : .putaway, sku: sku(n * 7), quantity: 1,
                                                           from: n % 3 == 0 ? nil : location(n), to: location(n * 13)))
            }
        }
        index += batch
    }
    // The first commit of the measured run registers the station.
    _ = try store.record(scan(nextTime()))
    try store.close()
}

@MainActor func measureLedger(_ path: String) throws -> Figures {
    let store = try LedgerStore(path: path)
    defer { try? store.close() }
    var samples: [Duration] = []
    samples.reserveCapacity(commitsPerRun)
    let clock = ContinuousClock()
    let start = clock.now
    for n in 0..<commitsPerRun {
        let time = nextTime()
        let entry = scan(time)
        let began = clock.now
        _ = try store.commit(scan: entry) { transaction in
            try transaction.appendMovement(NewMovement(kind: .putaway, sku: sku(n * 31), quantity: 1, from: location(n), to: location(n + 1)))
        }
        samples.append(clock.now - began)
    }
    return Figures(samples, total: clock.now - start)
}

@MainActor func measureRaw(_ path: String) throws -> Figures {
    let raw = try RawBaseline(path: path)
    try raw.execute("INSERT OR IGNORE INTO station(name) VALUES ('bench-1')")
    var samples: [Duration] = []
    samples.reserveCapacity(commitsPerRun)
    let clock = ContinuousClock()
    let start = clock.now
    for n in 0..<commitsPerRun {
        let time = nextTime()
        let scanID = ids.next(milliseconds: UInt64(time))
        let began = clock.now
        let movementID = ids.next(milliseconds: UInt64(time))
        try raw.commit(scanID: scanID, movementID: movementID, station: "bench-1", time: time, sku: sku(n * 31),
                       from: location(n), to: location(n + 1), quantity: 1_000_000)
        samples.append(clock.now - began)
    }
    return Figures(samples, total: clock.now - start)
}

@MainActor func compare(_ title: String, ledgerPath: String, rawPath: String) throws -> (ledger: Figures, raw: Figures) {
    print(title)
    // Alternate, so both see the same machine state; the second pair is reported.
    _ = try measureRaw(rawPath)
    _ = try measureLedger(ledgerPath)
    let raw = try measureRaw(rawPath)
    let ledger = try measureLedger(ledgerPath)
    print(format("  raw SQLite C API ", raw))
    print(format("  LedgerStore      ", ledger))
    print(String(format: "  ratio (median)      %.2fx   (throughput) %.2fx", ledger.median.microseconds / raw.median.microseconds, raw.throughput / ledger.throughput))
    return (ledger, raw)
}

print("LedgerBenchmark\(smoke ? " --smoke" : ""): \(commitsPerRun) durable commits per run, WAL, synchronous=FULL, in \(root.path)")

// 1. Empty store.
if !importOnly {
try populate(file("empty-ledger.db"), count: 0)
try FileManager.default.copyItem(atPath: file("empty-ledger.db"), toPath: file("empty-raw.db"))
let empty = try compare("one scan + movement + 2 balances + outbox, empty store:", ledgerPath: file("empty-ledger.db"), rawPath: file("empty-raw.db"))

// 2. A store that already holds many movements.
let populateStart = ContinuousClock.now
try populate(file("big-ledger.db"), count: storedMovements)
print("(setup: \(storedMovements) movements stored in \(String(format: "%.1f", (ContinuousClock.now - populateStart).microseconds / 1e6)) s)")
try FileManager.default.copyItem(atPath: file("big-ledger.db"), toPath: file("big-raw.db"))
let big = try compare("the same with \(storedMovements) movements stored:", ledgerPath: file("big-ledger.db"), rawPath: file("big-raw.db"))
print(String(format: "  LedgerStore at %d vs empty (median) %.2fx; raw baseline %.2fx", storedMovements,
             big.ledger.median.microseconds / empty.ledger.median.microseconds, big.raw.median.microseconds / empty.raw.median.microseconds))

// 3. Stock on hand of one product at that size.
do {
    let store = try LedgerStore(path: file("big-ledger.db"), readOnly: true)
    let raw = try RawBaseline(path: file("big-raw.db"))
    let queries = smoke ? 200 : 20_000
    var ledgerSamples: [Duration] = []
    var rawSamples: [Duration] = []
    let clock = ContinuousClock()
    let ledgerStart = clock.now
    for n in 0..<queries {
        let began = clock.now
        _ = try store.onHand(sku: sku(n))
        ledgerSamples.append(clock.now - began)
    }
    let ledgerTotal = clock.now - ledgerStart
    let rawStart = clock.now
    for n in 0..<queries {
        let began = clock.now
        _ = try raw.onHand(sku: sku(n))
        rawSamples.append(clock.now - began)
    }
    let rawTotal = clock.now - rawStart
    let ledger = Figures(ledgerSamples, total: ledgerTotal)
    let rawFigures = Figures(rawSamples, total: rawTotal)
    print("stock on hand of one product, \(storedMovements) movements stored (\(try store.stock().count) balances):")
    print(String(format: "  raw SQLite C API  median %8.1f µs   p99 %8.1f µs", rawFigures.median.microseconds, rawFigures.p99.microseconds))
    print(String(format: "  LedgerStore       median %8.1f µs   p99 %8.1f µs", ledger.median.microseconds, ledger.p99.microseconds))
    try store.close()
}

}

// 4. Importing product rows.
do {
    var csv = "sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked\n"
    for n in 0..<importRows {
        let body = "0950600" + String(repeating: "0", count: 6 - String(n % 1_000_000).count) + String(n % 1_000_000)
        var sum = 0
        for (offset, digit) in body.reversed().enumerated() { sum += Int(String(digit))! * (offset % 2 == 0 ? 3 : 1) }
        csv += "P-\(n),\(body)\((10 - sum % 10) % 10),\"Product \(n), boxed\",ea,\(n % 5 + 1),\(n % 2 == 0 ? "yes" : "no"),0\n"
    }
    try csv.write(toFile: file("products.csv"), atomically: true, encoding: .utf8)
    let store = try LedgerStore(path: file("import.db"))
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    let began = ContinuousClock.now
    let cpuBefore = cpuSeconds()
    let summary = try store.importCSV(.products, file: file("products.csv"))
    let elapsed = ContinuousClock.now - began
    // CPU time too: on a machine shared with other work, wall time includes waiting for a core.
    print(String(format: "import of %d product rows: %.2f s wall, %.2f s CPU (%d new)", summary.rows, elapsed.microseconds / 1e6, cpuSeconds() - cpuBefore, summary.inserted))
    try store.close()
}
