import Foundation
import ScanCodes

extension StepEngine {
    func shippingInstruction() -> PromptMessage {
        if case .shipping(let door?) = state.task {
            return PromptMessage(.scanBoxAtDoor, [PromptField("door", door)])
        }
        return PromptMessage(.scanBox)
    }

    /// A ship door (optional), then closed boxes: their goods leave stock.
    func ship(_ scan: DecodedScan) -> StepOutcome {
        if let location = scannedLocation(scan) {
            guard location.kind == .ship || location.kind == .dock else {
                return reject("wrong_location_kind", Prompt(.notADoor, [PromptField("location", location.code), PromptField("kind", location.kind.rawValue)]))
            }
            setTask(.shipping(door: location.code))
            say(.doorSet, [PromptField("door", location.code)])
            return finish()
        }
        guard let sscc = scan.sscc, scan.gtin == nil else {
            return rejectUnexpected(scan)
        }
        guard let container = catalog.container(sscc: sscc) else {
            return reject("unknown_box", Prompt(.unknownLabel, [PromptField("label", sscc)]))
        }
        switch container.status {
        case .open:
            return reject("box_not_closed", Prompt(.boxNotClosed, [PromptField("box", sscc)]))
        case .shipped:
            return reject("box_shipped", Prompt(.boxAlreadyShipped, [PromptField("box", sscc)]))
        case .closed:
            break
        }
        let contents = stock(container: sscc)
        guard !contents.isEmpty else {
            return reject("box_empty", Prompt(.boxEmpty, [PromptField("box", sscc)]))
        }
        var door: String?
        if case .shipping(let scanned) = state.task { door = scanned }
        let document = container.order.map { DocumentRef(.order, $0) }
        var shipped: [Movement] = []
        for balance in contents where balance.quantity > 0 {
            shipped.append(movement(.ship, sku: balance.key.sku, lot: balance.key.lot, expiry: balance.key.expiry, quantity: balance.quantity, from: balance.key.location, fromContainer: sscc, to: nil, toContainer: nil, document: document, line: nil))
        }
        addMovements(shipped)
        containers.append(.shipped(sscc: sscc, door: door))
        setUndo([UndoEntry(movements: shipped, onUndo: [.closed(sscc: sscc)])])
        say(.shipped, [PromptField("box", sscc)])
        return finish()
    }
}
