import Foundation

extension StepEngine {
    /// `CMD-UNDO`: the operator's last step in the current document, as compensating
    /// movements; refused when later movements took the goods on.
    func undo() -> StepOutcome {
        if case .counting(var task) = state.task, let last = task.counted.last {
            task.counted.removeLast()
            setTask(.counting(task))
            say(.undone, [PromptField("quantity", Self.format(last.quantity)), PromptField("sku", last.sku)])
            return finish()
        }
        guard let entry = state.undo.last else {
            return reject("nothing_to_undo", Prompt(.nothingToUndo))
        }
        // Only the operator who did the step takes it back.
        if let first = entry.movements.first, first.operatorBadge != state.operatorBadge {
            return reject("undo_other_operator", Prompt(.undoOtherOperator, [PromptField("operator", first.operatorBadge ?? "-")]))
        }
        // Everything the step brought somewhere must still be there.
        var needed: [StockKey: Quantity] = [:]
        for movement in entry.movements {
            if let destination = movement.destination { needed[destination, default: 0] += movement.quantity }
        }
        for (key, quantity) in needed where stock(at: key) < quantity {
            return reject("undo_blocked", Prompt(.undoBlocked))
        }
        var total: Quantity = 0
        var sku = entry.short?.sku ?? ""
        // Per product, in the order the step moved them: a step of several products (a
        // mixed pallet put away, a box shipped) says each, not their sum under one name.
        var perSKU: [(sku: String, quantity: Quantity)] = []
        for original in entry.movements {
            if let index = perSKU.firstIndex(where: { $0.sku == original.sku }) {
                perSKU[index].quantity += original.quantity
            } else {
                perSKU.append((original.sku, original.quantity))
            }
        }
        for original in entry.movements.reversed() {
            movements.append(Movement(
                identifier: newIdentifier(), kind: .undo, sku: original.sku, lot: original.lot, expiry: original.expiry,
                quantity: original.quantity, from: original.to, fromContainer: original.toContainer,
                to: original.from, toContainer: original.fromContainer, document: original.document, line: original.line,
                operatorBadge: state.operatorBadge, reverses: original.id, reversedKind: original.kind, at: context.now))
            total += original.quantity
            sku = original.sku
        }
        if let short = entry.short {
            documents.append(.lineShorted(order: short.order, line: short.line, quantity: -short.quantity))
            total += short.quantity
            if case .picking(var task) = state.task, task.order == short.order {
                task.shorted.removeAll { $0 == short.line }
                setTask(.picking(task))
            }
        }
        containers += entry.onUndo
        setUndo(Array(state.undo.dropLast()))
        if case .picking(var task) = state.task {
            task.verifiedLocation = nil
            setTask(.picking(task))
        }
        if perSKU.count > 1 {
            say(.undoneItems, [PromptField("items", perSKU.map { Self.format($0.quantity) + " " + $0.sku }.joined(separator: ", "))])
        } else {
            say(.undone, [PromptField("quantity", Self.format(total)), PromptField("sku", sku)])
        }
        return finish()
    }
}
