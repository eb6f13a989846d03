import Foundation
import Ledger
import ScanCodes
import Workflows

extension LedgerWriteTransaction {
    /// Writes a step's durable effects: the SSCC serial, containers, documents, claims,
    /// then movements, in the transaction of the scan. Returns the stored movements, in the
    /// step's order.
    func apply(_ outcome: StepOutcome, station: String) throws -> [Ledger.Movement] {
        if let serial = outcome.mintedSSCCSerial {
            guard let stored = Int64(exactly: serial) else {
                throw LedgerError(.invalidChange, path: "", "SSCC serial \(serial) is too large to store.")
            }
            try useSSCCSerial(stored)
        }
        for change in outcome.containers {
            switch change {
            case .created(let container):
                try upsertContainer(Ledger.Container(
                    sscc: container.sscc, kind: Self.containerKind(container.kind), location: container.location,
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
            case .receiptOpened(let number, let blind):
                // An expected receipt has its row from the import already.
                if blind { try openBlindReceipt(number) }
            case .receiptClosed(let number, _):
                // A no-op for a receipt with a row; a blind one a session opened before the
                // store kept them has none yet.
                try openBlindReceipt(number)
                // Expected vs received stays readable from the lines (`report receipts`).
                try setReceiptStatus(number, .done)
            case .orderPicked(let order):
                try setOrderStatus(order, .inProgress)
            case .orderPacked(let order):
                try setOrderStatus(order, .done)
            case .lineShorted(let order, let line, let quantity):
                try recordShortPick(order: order, line: line, quantity: quantity.decimal)
            case .countRecorded(let location, _, let items):
                try recordStockCount(location: location, lines: items.map {
                    StockCountLine(sku: $0.sku, lot: $0.lot, expected: $0.recorded.decimal, counted: $0.counted.decimal)
                })
            case .palletMismatchConfirmed(let receipt, let sscc):
                try recordPalletMismatch(receipt: receipt, sscc: sscc)
            }
        }
        for change in outcome.claims {
            switch change {
            case .claim(let document):
                guard let kind = Self.claimKind(document.kind) else { continue }
                try claim(kind, document.number)
                // Started: `report receipts` and `report orders` say so while it is worked.
                try markStarted(kind, document.number)
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
                document: movement.document?.number, documentLine: try documentLine(of: movement), operatorBadge: movement.operatorBadge,
                reverses: movement.reverses)))
        }
        return stored
    }

    /// The document line a movement counts on. Goods received blind go on the blind
    /// receipt's line for their product, lot, expiry and pallet (made on first use); an
    /// undo counts on the line of the movement it takes back, as the store recorded it.
    func documentLine(of movement: Workflows.Movement) throws -> Int? {
        if let reversed = movement.reverses {
            return try view.movement(id: reversed)?.documentLine ?? movement.line
        }
        if movement.kind == .receive, let document = movement.document, document.kind == .receipt {
            // A no-op for a receipt with a row; a blind one a session opened before the store
            // kept them has none yet.
            try openBlindReceipt(document.number)
            if let line = try blindReceiptLine(receipt: document.number, sku: movement.sku, lot: movement.lot,
                                               expiry: movement.expiry?.description, sscc: movement.toContainer) {
                return line
            }
        }
        return movement.line
    }

    static func containerKind(_ kind: Workflows.ContainerKind) -> Ledger.ContainerKind {
        switch kind {
        case .pallet: .pallet
        case .box: .box
        case .tote: .tote
        }
    }

    static func claimKind(_ kind: Workflows.DocumentKind) -> Ledger.DocumentKind? {
        switch kind {
        case .receipt: .receipt
        case .order: .order
        case .count: .count
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
