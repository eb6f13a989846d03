import Foundation
@testable import Ledger

/// A fresh directory for one test's database files, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ text: String) throws -> String {
        let target = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A scan-log entry as the station would write it.
func scanEntry(_ input: String, station: String = "dock-1", at time: Int64 = 1_790_000_000_000, result: ScanResult = .accepted, operatorBadge: String? = "OP-7") -> ScanLogEntry {
    var generator = UUIDv7Generator()
    return ScanLogEntry(
        scanID: generator.next(milliseconds: UInt64(time)), station: station, source: "stdin", input: Array(input.utf8),
        inputLength: input.utf8.count, symbology: nil, kind: "text", result: result, errorCode: nil, errorMessage: nil,
        prompt: "ok", receivedAt: time, operatorBadge: operatorBadge)
}
