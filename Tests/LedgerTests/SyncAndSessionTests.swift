import Foundation
import GRDB
import Testing
@testable import Ledger

@Suite struct SyncAndSessionTests {
    @Test func pulledMovementsAreStoredOnceAndNeverQueuedForPush() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let pulled = Movement(
            id: "01900000-0000-7000-8000-00000000000a", station: "dock-2", stationSeq: 7, at: 1_790_000_000_000, operatorBadge: "OP-9",
            kind: .receive, sku: "A", lot: "L", expiry: "2027-01-01", quantity: Decimal(string: "2.5")!, fromLocation: nil, toLocation: "DOCK",
            fromContainer: nil, toContainer: nil, document: nil, documentLine: nil, scanID: nil, reverses: nil)
        let first = try store.write(station: "dock-1", time: 0) { try $0.applyRemoteMovement(pulled) }
        let again = try store.write(station: "dock-1", time: 0) { try $0.applyRemoteMovement(pulled) }
        #expect(first && !again)
        #expect(try store.onHand(sku: "A") == Decimal(string: "2.5")!)
        #expect(try store.movement(id: pulled.id) == pulled)
        #expect(try store.pendingOutbox().isEmpty)
        #expect(try store.check().isHealthy)
    }

    @Test func claimsAreQueuedOnceAndTakeTheHubsAnswer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let claim = try store.commit(scan: scanEntry("R-100")) { _ = try $0.claim(.receipt, "R-100") }
        #expect(claim.seq == 1)
        _ = try store.commit(scan: scanEntry("R-100")) { _ = try $0.claim(.receipt, "R-100") }
        #expect(try store.pendingOutbox().map(\.kind) == ["claim"])
        #expect(try store.claims(.receipt, "R-100").map(\.status) == [.pending])
        _ = try store.write(station: "dock-1", time: 5) { transaction in
            try transaction.setClaim(DocumentClaim(documentKind: .receipt, document: "R-100", station: "dock-1", claimedAt: 1, status: .refused))
            try transaction.setClaim(DocumentClaim(documentKind: .receipt, document: "R-100", station: "dock-2", claimedAt: 0, status: .granted))
        }
        #expect(try store.claims(.receipt, "R-100").map { "\($0.station)=\($0.status.rawValue)" } == ["dock-2=granted", "dock-1=refused"])
    }

    @Test func sessionStateSurvivesReopening() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.db")
        let store = try LedgerStore(path: path)
        _ = try store.commit(scan: scanEntry("OP-7")) { try $0.saveSession(mode: "pick", operatorBadge: "OP-7", state: [1, 2, 3]) }
        try store.close()
        let reopened = try LedgerStore(path: path, readOnly: true)
        #expect(try reopened.session(station: "dock-1") == StationSessionState(station: "dock-1", mode: "pick", operatorBadge: "OP-7", state: [1, 2, 3], updatedAt: 1_790_000_000_000))
        #expect(throws: LedgerError.self) { try reopened.record(scanEntry("x")) }
    }

    @Test func outboxPayloadIsTheMovementAsJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let commit = try store.commit(scan: scanEntry("x")) {
            try $0.appendMovement(NewMovement(kind: .pick, sku: "Q\"uote", quantity: Decimal(string: "0.125")!, from: "A", to: "B", document: "O1", documentLine: 2))
        }
        let payload = try #require(try store.pendingOutbox().first?.payload)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        #expect(object["id"] as? String == commit.movements[0].id)
        #expect(object["sku"] as? String == "Q\"uote")
        #expect((object["qty"] as? NSNumber)?.doubleValue == 0.125)
        #expect(object["document_line"] as? Int == 2)
        #expect(object["lot"] is NSNull)
    }
}
