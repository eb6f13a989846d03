import Devices
import Foundation
import GRDB
import Ledger
import Logging
import Station
import Testing

/// The station's executor: a source lending its thread gets its scan handled, committed
/// and answered on that thread, and scans from concurrent sources are still handled one
/// at a time, each source's in its order.
@Suite struct StationExecutorTests {
    /// Sends `count` scans named `name-n` from a thread of its own, then finishes. Paced,
    /// it records after each send how many scans the store held.
    final class ThreadSource: ScanSource, @unchecked Sendable {
        // @unchecked: `committedAfterSend` is written by the source's thread and read only
        // after `run()` returned (the source has finished by then).
        let name: String
        let count: Int
        let lends: Bool
        /// Waits before each send until the session waits for a scan.
        let paced: Bool
        let store: LedgerStore
        var committedAfterSend: [Int] = []

        init(name: String, count: Int, lends: Bool, paced: Bool = false, store: LedgerStore) {
            self.name = name
            self.count = count
            self.lends = lends
            self.paced = paced
            self.store = store
        }

        func start(into channel: ScanChannel) {
            let thread = Thread { [self] in
                for index in 0..<count {
                    if paced {
                        // Hand each scan over to the waiting session rather than buffer it.
                        var polls = 0
                        while !channel.isConsumerWaiting, polls < 10_000 {
                            usleep(1_000)
                            polls += 1
                        }
                    }
                    guard channel.send(RawScan(source: name, bytes: Array("\(name)-\(index)".utf8)), lendingThread: lends) else { break }
                    if paced {
                        let committed = (try? store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scan_log") ?? 0 }) ?? -1
                        committedAfterSend.append(committed)
                    }
                }
                channel.finish()
            }
            thread.start()
        }
    }

    func service(_ sources: [any ScanSource], store: LedgerStore) -> StationService {
        var logger = Logger(label: "test")
        logger.logLevel = .warning // 600 "scan accepted" lines say nothing here
        let session = StationSession(name: "bench-1", mode: .log, language: .en, store: store, logger: logger)
        return StationService(session: session, sources: sources, feedback: FeedbackWriter(format: .none), health: StationHealth(),
                              logger: logger, returnsWhenSourcesEnd: true)
    }

    @Test func aLendingSourceHasItsScanCommittedBeforeItsSendReturns() async throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(path: directory.path("station.db"))
        let source = ThreadSource(name: "stdin", count: 20, lends: true, paced: true, store: store)
        try await service([source], store: store).run()
        // Every scan was handed to the waiting session, which ran on the source's thread:
        // the scan was durable when send returned.
        #expect(source.committedAfterSend == Array(1...20))
        let recorded = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scan_log") }
        #expect(recorded == 20)
    }

    @Test func concurrentSourcesAreHandledOneAtATimeInEachSourcesOrder() async throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(path: directory.path("station.db"))
        let sources = [
            ThreadSource(name: "a", count: 200, lends: true, store: store),
            ThreadSource(name: "b", count: 200, lends: true, store: store),
            ThreadSource(name: "c", count: 200, lends: false, store: store),
        ]
        try await service(sources, store: store).run()
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, source, input FROM scan_log ORDER BY seq")
        }
        #expect(rows.count == 600)
        // Sequence numbers are gapless: no two scans were committed at once.
        #expect(rows.map { $0["seq"] as Int64 } == Array(1...600))
        for source in sources {
            let inputs = rows.filter { ($0["source"] as String) == source.name }.map { String(decoding: $0["input"] as Data, as: UTF8.self) }
            #expect(inputs == (0..<200).map { "\(source.name)-\($0)" })
        }
    }
}
