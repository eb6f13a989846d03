import Devices
import Foundation
import Ledger
import Logging
import Station
import Testing

/// The station actor over a real store: the control socket's logout and status reach the
/// workflow session, and the logout survives a restart.
@Suite struct StationWorkflowSessionTests {
    @Test func logoutFromOutsideEndsTheOperatorsSession() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("station.db")
        let operators = directory.path("operators.csv")
        try Data("badge,name\nANNA,Anna\n".utf8).write(to: URL(fileURLWithPath: operators))
        let store = try LedgerStore(path: path)
        _ = try store.importCSV(.operators, file: operators)
        let logger = Logger(label: "test")
        let session = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, logger: logger)
        let login = await session.handle(RawScan(source: "test", bytes: Array("OP-ANNA".utf8)))
        #expect(login.result == .accepted)
        #expect(await session.status(sources: []).operator == "ANNA")
        #expect(await session.logout() == "logged out ANNA at dock-1")
        #expect(await session.status(sources: []).operator == nil)
        #expect(await session.logout() == "no operator is logged in at dock-1")

        // A new session on the same store (a restart) finds nobody logged in.
        let restarted = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, logger: logger)
        #expect(await restarted.status(sources: []).operator == nil)
        let again = await restarted.handle(RawScan(source: "test", bytes: Array("OP-ANNA".utf8)))
        #expect(again.prompt == "Hello Anna. Scan a receipt number or pallet.")
        let restartedAgain = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, logger: logger)
        #expect(await restartedAgain.status(sources: []).operator == "ANNA")
    }
}
