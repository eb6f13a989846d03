import Foundation

/// Reads of stock and document progress as they will be once this step's own effects are
/// committed, so the next instruction already counts what this scan did.
extension StepEngine {
    func adjusted(_ balances: [StockBalance], including include: (StockKey) -> Bool) -> [StockBalance] {
        guard !movements.isEmpty else { return balances }
        var result = balances
        func add(_ key: StockKey, _ quantity: Quantity) {
            if let index = result.firstIndex(where: { $0.key == key }) {
                result[index].quantity += quantity
            } else {
                result.append(StockBalance(key: key, quantity: quantity))
            }
        }
        for movement in movements {
            if let source = movement.source, include(source) { add(source, -movement.quantity) }
            if let destination = movement.destination, include(destination) { add(destination, movement.quantity) }
        }
        result.removeAll { $0.quantity == 0 }
        return result
    }

    @inline(__always)
    func stock(location: String) -> [StockBalance] {
        adjusted(catalog.balances(location: location)) { $0.location == location }
    }

    @inline(__always)
    func stock(location: String, sku: String) -> [StockBalance] {
        adjusted(catalog.balances(location: location, sku: sku)) { $0.location == location && $0.sku == sku }
    }

    /// Whether `stock(location:sku:)` has a positive balance, asked without building it:
    /// each of its balances is a catalog balance or a key a movement of this step names,
    /// with the catalog's quantity plus this step's movements.
    func hasStock(location: String, sku: String) -> Bool {
        var found = false
        catalog.forEachBalance(location: location, sku: sku) { balance in
            guard !found else { return }
            found = withStepMovements(balance.quantity, at: balance.key) > 0
        }
        if found { return true }
        for movement in movements where movement.sku == sku {
            if movement.from == location, let key = movement.source, stock(at: key) > 0 { return true }
            if movement.to == location, let key = movement.destination, stock(at: key) > 0 { return true }
        }
        return false
    }

    func stock(sku: String) -> [StockBalance] {
        adjusted(catalog.balances(sku: sku)) { $0.sku == sku }
    }

    @inline(__always)
    func stock(container: String) -> [StockBalance] {
        adjusted(catalog.balances(container: container)) { $0.container == container }
    }

    @inline(__always)
    func stock(at key: StockKey) -> Quantity {
        withStepMovements(catalog.quantity(at: key), at: key)
    }

    /// A catalog quantity at `key` plus what this step's movements put there or took away.
    func withStepMovements(_ catalogQuantity: Quantity, at key: StockKey) -> Quantity {
        var quantity = catalogQuantity
        // The product is compared first: most movements of a step are of another one.
        for movement in movements where movement.sku == key.sku {
            if movement.leaves(key) { quantity -= movement.quantity }
            if movement.reaches(key) { quantity += movement.quantity }
        }
        return quantity
    }

    /// The order with this step's picks, packs and shorts applied.
    func currentOrder(_ number: String) -> Order? {
        guard var order = catalog.order(number: number) else { return nil }
        let document = DocumentRef(.order, number)
        for movement in movements where movement.document == document {
            guard let line = movement.line, let index = order.lines.firstIndex(where: { $0.line == line }) else { continue }
            switch movement.progressKind {
            case .pick: order.lines[index].picked += movement.progressSign * movement.quantity
            case .pack: order.lines[index].packed += movement.progressSign * movement.quantity
            default: break
            }
        }
        for update in documents {
            if case .lineShorted(number, let line, let quantity) = update, let index = order.lines.firstIndex(where: { $0.line == line }) {
                order.lines[index].shorted += quantity
            }
        }
        return order
    }

    /// Earliest expiry first (no expiry last), then pick-path sequence, then location code.
    func fefoSorted(_ balances: [StockBalance]) -> [StockBalance] {
        guard balances.count > 1 else { return balances }
        let location = balances[0].key.location
        if balances.allSatisfy({ $0.key.location == location }) {
            // One location (a pick or pack source): its sequence ties every pair, so it is
            // not looked up.
            return balances.sorted { Self.fefoPrecedes($0, 0, $1, 0) }
        }
        let keyed = balances.map { ($0, catalog.location(code: $0.key.location)?.sequence ?? Int.max) }
        return keyed.sorted { Self.fefoPrecedes($0.0, $0.1, $1.0, $1.1) }.map(\.0)
    }

    /// The order of `fefoSorted`, for balances whose locations have the given sequences.
    static func fefoPrecedes(_ lhs: StockBalance, _ lhsSequence: Int, _ rhs: StockBalance, _ rhsSequence: Int) -> Bool {
        fefoPrecedes(lhs.key, lhsSequence, rhs.key, rhsSequence)
    }

    /// The same order on keys alone (the quantity plays no part).
    static func fefoPrecedes(_ lhs: StockKey, _ lhsSequence: Int, _ rhs: StockKey, _ rhsSequence: Int) -> Bool {
        switch (lhs.expiry, rhs.expiry) {
        case let (left?, right?) where left != right: return left < right
        case (_?, nil): return true
        case (nil, _?): return false
        default: break
        }
        if lhsSequence != rhsSequence { return lhsSequence < rhsSequence }
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        // Nil as empty text, compared in place (`?? ""` copies each lot first).
        return Tables.compare(lhs.lot, rhs.lot) < 0
    }
}
