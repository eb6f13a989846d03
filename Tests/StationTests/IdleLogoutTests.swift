import Devices
import Foundation
import Ledger
import Logging
@testable import Station
import Testing

/// `idle_logout_minutes` between scans: the daemon's timer logs the operator out when the
/// time passes and stores it, so `status` and a restarted station agree (before, only the
/// next scan noticed, and the operator stayed logged in meanwhile).
@Suite struct IdleLogoutTests {
    static let operators = "badge,name\nANNA,Anna\n"

    /// A store in `directory` that knows the operator ANNA.
    func storeWithAnna(_ directory: TemporaryDirectory) throws -> LedgerStore {
        let store = try LedgerStore(path: directory.path("station.db"))
        _ = try store.importCSV(.operators, file: try directory.write("operators.csv", Self.operators))
        return store
    }

    @Test func theTimerLogsAnIdleOperatorOutAndStoresIt() async throws {
        let store = try storeWithAnna(try TemporaryDirectory())
        var configuration = StationConfiguration(name: "dock-1")
        configuration.mode = .receive
        configuration.idleLogoutMinutes = 1
        let session = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, configuration: configuration, logger: Logger(label: "test"))
        let start = WallClock.now()
        #expect(await session.handle(RawScan(source: "test", bytes: Array("OP-ANNA".utf8))).result == .accepted)
        // The times below are given, not read: a loaded test machine may take a minute
        // between two awaits.
        var workflow = try #require(await session.workflow)
        #expect(workflow.operatorBadge == "ANNA")
        // 59 seconds later: still there.
        #expect(try workflow.logoutIfIdle(now: WallClock(milliseconds: start.milliseconds + 59_000, date: start.date)) == nil)
        #expect(workflow.operatorBadge == "ANNA")
        // A minute on: logged out, and a restarted station finds nobody logged in.
        #expect(try workflow.logoutIfIdle(now: WallClock(milliseconds: start.milliseconds + 61_000, date: start.date)) == "ANNA")
        #expect(workflow.operatorBadge == nil)
        let restarted = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, configuration: configuration, logger: Logger(label: "test"))
        #expect(await restarted.status(sources: []).operator == nil)
        #expect(await restarted.handle(RawScan(source: "test", bytes: Array("CMD-HELP".utf8))).prompt == "Logged out after idle time. Scan your badge.")
        // Nobody logged in: nothing to do.
        #expect(try workflow.logoutIfIdle(now: WallClock(milliseconds: start.milliseconds + 200_000, date: start.date)) == nil)
    }

    /// The running daemon's timer, end to end: a minute and a few seconds after the last
    /// scan, `scanstation status` shows nobody logged in (a slow test: idle times are
    /// whole minutes).
    @Test func theDaemonLogsAnIdleOperatorOutBetweenScans() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("s.db")
        let operators = try directory.write("operators.csv", Self.operators)
        #expect(try ScanStationProcess.run(["import", "operators", operators, "--db", database]).status == 0)
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "receive"
            sources = ["stdin"]
            idle_logout_minutes = 1
            """)
        defer { daemon.stop() }
        #expect((try daemon.scan("OP-ANNA")["prompt"] as? String)?.contains("Hello Anna.") == true)
        let socket = daemon.socket
        func loggedIn() throws -> String? {
            let status = try ScanStationProcess.run(["status", "--socket", socket, "--format", "json"])
            let object = try jsonObject(String(decoding: status.stdout, as: UTF8.self))
            let stations = try #require(object["stations"] as? [[String: Any]])
            return stations.first?["operator"] as? String
        }
        #expect(try loggedIn() == "ANNA")
        // Suspends, not blocks: a blocked test thread starves the other tests' tasks.
        try await Task.sleep(for: .seconds(67))
        #expect(try loggedIn() == nil)
    }

    @Test func aStationWithoutIdleTimeNeverLogsOutByTimer() async throws {
        let store = try storeWithAnna(try TemporaryDirectory())
        let session = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, logger: Logger(label: "test"))
        _ = await session.handle(RawScan(source: "test", bytes: Array("OP-ANNA".utf8)))
        var workflow = try #require(await session.workflow)
        let later = WallClock.now()
        #expect(try workflow.logoutIfIdle(now: WallClock(milliseconds: later.milliseconds + 86_400_000, date: later.date)) == nil)
        #expect(await session.logoutIfIdle() == nil)
        #expect(await session.status(sources: []).operator == "ANNA")
    }
}
