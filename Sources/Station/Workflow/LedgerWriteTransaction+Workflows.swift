import Foundation
import Ledger
import ScanCodes
import Workflows

extension LedgerWriteTransaction {
    /// Writes a step's durable effects: containers, documents, claims, then movements, in
    /// the transaction of the scan. Returns the stored movements, in the step's order.
    func apply(_ outcome: StepOutcome, station: String) throws -> [Ledger.Movement] {
        for change in outcome.containers {
            switch change {
            case .created(let container):
                try upsertContainer(Ledger.Container(
                    sscc: container.sscc, kind: container.kind == .pallet ? .pallet : .box, location: container.location,
                    status: .open, document: container.order, createdAt: time, station: station))
            case .moved(let sscc, let location):
                if var stored = try self.container(sscc: sscc) {
                    stored.location = location
                    try upsertContainer(stored)
                }
            case .closed(let sscc):
                try setContainerStatus(sscc: sscc, .closed)
            case .reopened(let sscc):
                try setContainerStatus(sscc: sscc, .open)
            case .shipped(let sscc, _):
                try setContainerStatus(sscc: sscc, .shipped)
            }
        }
        for update in outcome.documents {
            switch update {
            case .receiptOpened:
                // A blind receipt has no row yet (the store has no API to create one); its
                // movements carry its number.
                break
            case .receiptClosed(let number, _):
                // A blind receipt has no row to close.
                try? setReceiptStatus(number, .done)
            case .orderPicked(let order):
                try setOrderStatus(order, .inProgress)
            case .orderPacked(let order):
                try setOrderStatus(order, .done)
            case .lineShorted, .countRecorded, .palletMismatchConfirmed:
                // Kept in the scan log's prompt; the store has no place for them yet.
                break
            }
        }
        for change in outcome.claims {
            switch change {
            case .claim(let document):
                guard let kind = Self.claimKind(document.kind) else { continue }
                try claim(kind, document.number)
            case .release(let document):
                guard let kind = Self.claimKind(document.kind) else { continue }
                try setClaim(DocumentClaim(documentKind: kind, document: document.number, station: station, claimedAt: time, status: .released))
            }
        }
        var stored: [Ledger.Movement] = []
        for movement in outcome.movements {
            stored.append(try appendMovement(NewMovement(
                kind: Ledger.MovementKind(rawValue: movement.kind.rawValue) ?? .adjust, sku: movement.sku, lot: movement.lot,
                expiry: movement.expiry?.description, quantity: movement.quantity.decimal,
                from: movement.from, to: movement.to, fromContainer: movement.fromContainer, toContainer: movement.toContainer,
                document: movement.document?.number, documentLine: movement.line, operatorBadge: movement.operatorBadge,
                reverses: movement.reverses)))
        }
        return stored
    }

    static func claimKind(_ kind: Workflows.DocumentKind) -> Ledger.DocumentKind? {
        switch kind {
        case .receipt: .receipt
        case .order: .order
        default: nil
        }
    }
}

extension WorkflowState {
    /// The state with the step's movement ids replaced by the ids the store gave them,
    /// so a later `CMD-UNDO` names the stored movements.
    mutating func renameMovements(_ ids: [String: String]) {
        guard !ids.isEmpty else { return }
        for entry in undo.indices {
            for index in undo[entry].movements.indices {
                if let stored = ids[undo[entry].movements[index].id] { undo[entry].movements[index].id = stored }
            }
        }
    }
}
