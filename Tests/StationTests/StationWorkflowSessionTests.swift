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

    /// A restart in a new starting mode (config or --mode) finds work open in the old one:
    /// the new mode wins at once, as `run --mode putaway` says; the receipt stays open, its
    /// claim is let go (another station may take it up) and scanning it again in receiving
    /// goes on with it. Before, the station stayed in the old mode while the work was open,
    /// and for good once it ended (its put-away scans were received).
    @Test func aNewStartingModeWinsAndSetsOpenWorkAside() async throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(path: directory.path("station.db"))
        let files = [
            (ImportKind.products, "sku,gtin,description,uom,units_per_gtin\nWIDGET-7,04006381333931,Widget,pc,1\n"),
            (.locations, "code,kind,zone,sequence\nDOCK-1,dock,,1\nA-01,storage,A,1\n"),
            (.receipts, "receipt,line,sku,qty\nRCV-1,1,WIDGET-7,10\n"),
        ]
        for (kind, text) in files {
            let file = directory.path("\(kind).csv")
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            _ = try store.importCSV(kind, file: file)
        }
        let logger = Logger(label: "test")
        func scan(_ session: StationSession, _ text: String) async -> ScanAnswer {
            await session.handle(RawScan(source: "test", bytes: Array(text.utf8)))
        }
        let receiving = StationSession(name: "dock-1", mode: .receive, language: .en, store: store, logger: logger)
        #expect(await scan(receiving, "RCV-1").result == .accepted)
        #expect(await scan(receiving, "4006381333931").prompt == "Received 1 WIDGET-7. Scan the next pallet or item, or CMD-DONE.")
        // Held by dock-1, the receipt is refused at dock-2.
        let otherDock = StationSession(name: "dock-2", mode: .receive, language: .en, store: store, logger: logger)
        #expect(await scan(otherDock, "RCV-1").result == .rejected)

        // Restarted for put-away with the receipt open: put-away, and a restart in it stays.
        let putaway = StationSession(name: "dock-1", mode: .putaway, language: .en, store: store, logger: logger)
        #expect(await scan(putaway, "4006381333931").prompt == "Take it to A-01 and scan the location.")
        let again = StationSession(name: "dock-1", mode: .putaway, language: .en, store: store, logger: logger)
        #expect(await scan(again, "A-01").prompt == "Stored at A-01. Scan a pallet or item at the dock.")
        #expect(try store.stock().map { "\($0.location) \($0.quantity)" } == ["A-01 1"])

        // The claim was let go: dock-2 may take the receipt up, and books onto it.
        #expect(await scan(otherDock, "RCV-1").prompt == "Receipt RCV-1 started. Scan the next pallet or item, or CMD-DONE.")
        #expect(await scan(otherDock, "4006381333931").result == .accepted)
        let closed = await scan(otherDock, "CMD-DONE")
        #expect(closed.prompt == "Receipt RCV-1 closed with 1 difference. Scan a receipt number or pallet.")
        #expect(try store.stock().map { "\($0.location) \($0.quantity)" }.sorted() == ["A-01 1", "DOCK-1 1"])
    }
}
