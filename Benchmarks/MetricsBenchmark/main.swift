import Devices
import Foundation
import Ledger
import Station
import Synchronization

// What /metrics costs: recording one answered scan on the scan path (one lock, a bucket
// search, no allocation), beside a bare relaxed atomic increment measured in the same run,
// and rendering a scrape for four stations.
// `--smoke` runs briefly (CI); real figures: swift build -c release --product MetricsBenchmark.

let smoke = CommandLine.arguments.contains("--smoke")
let iterations = smoke ? 200_000 : 20_000_000

func seconds(_ body: () -> Void) -> Double {
    let start = MonotonicClock.nanoseconds()
    body()
    return Double(MonotonicClock.nanoseconds() - start) / 1e9
}

func best(of runs: Int, _ body: () -> Void) -> Double {
    (0..<runs).map { _ in seconds(body) }.min() ?? 0
}

let station = StationMetrics(station: "dock-1")
// Latencies spread over the buckets (0.1 ms .. 6.5 s), as a real mix would be.
let latencies: [UInt64] = (0..<1024).map { UInt64(100_000) << UInt64($0 % 17) }
let record = best(of: smoke ? 1 : 5) {
    for index in 0..<iterations {
        station.record(result: index % 7 == 0 ? .rejected : .accepted, latencyNanoseconds: latencies[index & 1023])
    }
}
let counter = Atomic<Int>(0)
let atomic = best(of: smoke ? 1 : 5) {
    for _ in 0..<iterations { counter.wrappingAdd(1, ordering: .relaxed) }
}
let metrics = DaemonMetrics(stations: ["dock-1", "dock-2", "pick-1", "pack-1"], devices: DeviceEvents(), version: "bench", outboxBacklog: { OutboxBacklog(events: 0, oldestCreatedAt: nil) })
for (index, metricsStation) in metrics.stations.enumerated() {
    for scan in 0..<1000 { metricsStation.record(result: .accepted, latencyNanoseconds: UInt64(scan * 10_000 + index)) }
}
let renders = smoke ? 100 : 10_000
var bytes = 0
let render = best(of: smoke ? 1 : 3) {
    for _ in 0..<renders { bytes = metrics.render().utf8.count }
}

print("metrics: record one scan      \(String(format: "%.1f", record / Double(iterations) * 1e9)) ns (\(iterations) scans, best of runs)")
print("metrics: relaxed atomic add   \(String(format: "%.1f", atomic / Double(iterations) * 1e9)) ns (baseline, same run); ratio \(String(format: "%.1f", record / max(atomic, 1e-12)))x")
print("metrics: render, 4 stations   \(String(format: "%.1f", render / Double(renders) * 1e6)) µs per scrape, \(bytes) bytes")
print("metrics: recorded \(station.snapshot().latencyCount) scans, atomic \(counter.load(ordering: .relaxed))")
