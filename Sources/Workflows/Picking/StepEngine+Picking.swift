import Foundation
import ScanCodes

/// An open order line with where to pick it from.
struct PlannedPick {
    var line: OrderLine
    /// The suggested stock (FEFO, then pick path), nil when there is none to pick.
    var source: StockBalance?
    var sequence: Int
}

/// Marks on a step's movement ends (see `pickSource`): bits of one word while they fit,
/// as a step's few movements always do, with no array made per ranking; an array past that.
struct MovementEndMarks {
    private var bits: UInt64 = 0
    private var overflow: [Bool]

    init(count: Int) {
        overflow = count > UInt64.bitWidth ? [Bool](repeating: false, count: count) : []
    }

    mutating func mark(_ end: Int) {
        if overflow.isEmpty { bits |= 1 << UInt64(end) } else { overflow[end] = true }
    }

    func isMarked(_ end: Int) -> Bool {
        overflow.isEmpty ? bits & (1 << UInt64(end)) != 0 : overflow[end]
    }
}

/// One line of an order.
struct PickLineRef: Equatable {
    var order: String
    var line: Int
}

extension StepEngine {
    /// The line to pick next: open lines in pick-path order (sequence of the suggested
    /// location), deferred lines last. Only the first line of that order is ever shown, so it
    /// is found in one pass, ranked by sequence alone, and only its source is copied out.
    func nextPick(_ order: Order, task: PickingTask) -> PlannedPick? {
        var best: Int?
        var bestRank = (0, 0, 0)
        // The best line's source when the step moved its product: found in full to rank the
        // line (through the step's movements, a dear reading), so kept rather than found again.
        var bestMovedSource: StockBalance?
        for index in order.lines.indices {
            let line = order.lines[index]
            guard line.open > 0, !task.shorted.contains(line.line) else { continue }
            let deferred = task.deferred.firstIndex(of: line.line).map { $0 + 1 } ?? 0
            if movements.contains(where: { $0.sku == line.sku }) {
                let (source, sequence) = pickSource(sku: line.sku)
                let rank = (deferred, sequence, line.line)
                if best == nil || rank < bestRank {
                    (best, bestRank, bestMovedSource) = (index, rank, source)
                }
            } else {
                let rank = (deferred, catalogPickSequence(sku: line.sku), line.line)
                if best == nil || rank < bestRank {
                    (best, bestRank, bestMovedSource) = (index, rank, nil)
                }
            }
        }
        guard let best else { return nil }
        let line = order.lines[best]
        if movements.contains(where: { $0.sku == line.sku }) {
            return PlannedPick(line: line, source: bestMovedSource, sequence: bestRank.1)
        }
        let (source, sequence) = pickSource(sku: line.sku)
        return PlannedPick(line: line, source: source, sequence: sequence)
    }

    /// The sequence of `pickSource(sku:)` for a product no movement of the step touches:
    /// all that ranks a line, read without copying out the balance.
    func catalogPickSequence(sku: String) -> Int {
        let expiredBefore = expiredLotsLast
        guard let first = catalog.firstPositiveStockedPlace(sku: sku, by: { Self.pickPrecedes($0, $1, $2, $3, expiredBefore: expiredBefore) }),
              isPickable(expiry: first.expiry) else { return Int.max }
        return first.sequence
    }

    /// The stock to suggest for a product, with its location's sequence (Int.max when there
    /// is none): the first of `fefoSorted` over the positive balances in stock-holding locations.
    func pickSource(sku: String) -> (StockBalance?, Int) {
        // The expiry cut-off is read once, not per comparison.
        let expiredBefore = expiredLotsLast
        if !movements.contains(where: { $0.sku == sku }) {
            // No movement of this step touches the product: the catalog's stock is current.
            guard let first = catalog.firstPositiveStockedBalance(sku: sku, by: { Self.pickPrecedes($0, $1, $2, $3, expiredBefore: expiredBefore) }),
                  isPickable(first.balance.key) else { return (nil, Int.max) }
            return (first.balance, first.sequence)
        }
        var best: StockBalance?
        var bestSequence = Int.max
        // `stock(sku:)` in stock-holding locations without building it or looking each
        // location up: the catalog's stocked balances with this step's movements added, in
        // the catalog's order, then the keys only this step's movements make, in the order
        // they are first named (as `adjusted` appends them).
        // Which movement ends (2i: movement i's source, 2i + 1: its destination) are balances
        // the catalog lists in stock-holding locations; the others there are new keys.
        var listed = MovementEndMarks(count: 2 * movements.count)
        catalog.forEachStockedBalance(sku: sku) { balance, sequence in
            var quantity = balance.quantity
            for index in movements.indices where movements[index].sku == sku {
                if movements[index].leaves(balance.key) {
                    quantity -= movements[index].quantity
                    listed.mark(2 * index)
                }
                if movements[index].reaches(balance.key) {
                    quantity += movements[index].quantity
                    listed.mark(2 * index + 1)
                }
            }
            guard quantity > 0 else { return }
            let adjusted = StockBalance(key: balance.key, quantity: quantity)
            if let current = best, !Self.pickPrecedes(adjusted.key, sequence, current.key, bestSequence, expiredBefore: expiredBefore) { return }
            best = adjusted
            bestSequence = sequence
        }
        for end in 0..<2 * movements.count where !listed.isMarked(end) && movements[end / 2].sku == sku {
            let movement = movements[end / 2]
            guard let key = end % 2 == 0 ? movement.source : movement.destination,
                  !isNamedEarlier(key, than: end), let location = catalog.location(code: key.location), location.kind.holdsStock
            else { continue }
            let balance = StockBalance(key: key, quantity: withStepMovements(0, at: key))
            guard balance.quantity > 0 else { continue }
            if let current = best, !Self.pickPrecedes(balance.key, location.sequence, current.key, bestSequence, expiredBefore: expiredBefore) { continue }
            best = balance
            bestSequence = location.sequence
        }
        guard let best, isPickable(best.key) else { return (nil, Int.max) }
        return (best, bestSequence)
    }

    /// Whether stock's lot expired before today.
    func isExpired(_ key: StockKey) -> Bool {
        isExpired(key.expiry)
    }

    func isExpired(_ expiry: CalendarDate?) -> Bool {
        guard let expiry else { return false }
        return expiry < context.today
    }

    /// Whether picking may take the stock: an expired lot only when the station's `expired`
    /// policy is warn or allow.
    func isPickable(_ key: StockKey) -> Bool {
        isPickable(expiry: key.expiry)
    }

    func isPickable(expiry: CalendarDate?) -> Bool {
        policies.expired != .reject || !isExpired(expiry)
    }

    /// Today, when the `expired` policy puts expired lots after the good ones (reject,
    /// warn); nil when it allows them (plain FEFO).
    var expiredLotsLast: CalendarDate? {
        policies.expired == .allow ? nil : context.today
    }

    /// FEFO for picking: lots that expired before `expiredBefore` (when given) come after
    /// every lot still good.
    static func pickPrecedes(_ lhs: StockKey, _ lhsSequence: Int, _ rhs: StockKey, _ rhsSequence: Int, expiredBefore: CalendarDate?) -> Bool {
        if let today = expiredBefore {
            let lhsExpired = lhs.expiry.map { $0 < today } ?? false
            let rhsExpired = rhs.expiry.map { $0 < today } ?? false
            if lhsExpired != rhsExpired { return !lhsExpired }
        }
        return Self.fefoPrecedes(lhs, lhsSequence, rhs, rhsSequence)
    }

    /// Whether a movement end before `end` (numbered as in `pickSource`) names `key`.
    func isNamedEarlier(_ key: StockKey, than end: Int) -> Bool {
        for earlier in 0..<end {
            let movement = movements[earlier / 2]
            if earlier % 2 == 0 ? movement.leaves(key) : movement.reaches(key) { return true }
        }
        return false
    }

    /// The order line picking shows now, nil when the station is not picking one.
    func currentPickLine() -> PickLineRef? {
        guard state.mode == .pick, case .picking(let task) = state.task, let order = currentOrder(task.order),
              let current = nextPick(order, task: task) else { return nil }
        return PickLineRef(order: order.number, line: current.line.line)
    }

    /// `currentPickLine()` once the step's outcome is decided: `finish()` moved the step's
    /// movements and document updates into it, and the order's progress counts them.
    func currentPickLine(after outcome: inout StepOutcome) -> PickLineRef? {
        swap(&movements, &outcome.movements)
        swap(&documents, &outcome.documents)
        defer {
            swap(&movements, &outcome.movements)
            swap(&documents, &outcome.documents)
        }
        return currentPickLine()
    }

    func pickingInstruction() -> PromptMessage {
        guard case .picking(let task) = state.task, let order = currentOrder(task.order) else { return PromptMessage(.scanOrder) }
        return pickingInstruction(task: task, current: nextPick(order, task: task))
    }

    func pickingInstruction(task: PickingTask, current: PlannedPick?) -> PromptMessage {
        guard let current else { return PromptMessage(.scanOrder) }
        // Fields added in their final order to an array with room for all four: a literal
        // of two grown by the lot and the location made a second array.
        var fields: [PromptField] = []
        fields.reserveCapacity(4)
        if let location = task.verifiedLocation {
            fields.append(PromptField("quantity", Self.format(current.line.open)))
            fields.append(PromptField("sku", current.line.sku))
            // The lot is named only where the suggestion is (another location holding the
            // product may hold other lots).
            let lot = current.source?.key.location == location ? current.source?.key.lot : nil
            if let lot { fields.append(PromptField("lot", lot)) }
            fields.append(PromptField("location", location))
            return PromptMessage(lot == nil ? .pickItem : .pickItemLot, fields)
        }
        guard let source = current.source else {
            // Goods received but not put away count for nothing in the plan; say where they
            // are, as the worker may pick them there (a location that holds the product is accepted).
            if let waiting = stock(sku: current.line.sku).first(where: { $0.quantity > 0 && catalog.location(code: $0.key.location)?.kind == .dock }) {
                return PromptMessage(.noStockToPickButAt, [PromptField("sku", current.line.sku), PromptField("quantity", Self.format(waiting.quantity)), PromptField("location", waiting.key.location)])
            }
            return PromptMessage(.noStockToPick, [PromptField("sku", current.line.sku)])
        }
        fields.append(PromptField("location", source.key.location))
        fields.append(PromptField("quantity", Self.format(current.line.open)))
        fields.append(PromptField("sku", current.line.sku))
        if let lot = source.key.lot { fields.append(PromptField("lot", lot)) }
        // FEFO: the worker is told which lot to take, not only where.
        return PromptMessage(source.key.lot == nil ? .goToLocation : .goToLocationLot, fields)
    }

    func pick(_ scan: DecodedScan) -> StepOutcome {
        guard case .picking(let task) = state.task else {
            return startPicking(scan)
        }
        guard let order = currentOrder(task.order), let current = nextPick(order, task: task) else {
            // Nothing left to pick (done meanwhile, e.g. by another station): start afresh.
            claims.append(.release(DocumentRef(.order, task.order)))
            setTask(.none)
            setUndo([])
            return startPicking(scan)
        }
        if scan.kind == .command, let command = scan.command {
            switch command.name {
            case "short": return short(current, task: task)
            case "skip":
                var next = task
                next.deferred.removeAll { $0 == current.line.line }
                next.deferred.append(current.line.line)
                next.verifiedLocation = nil
                setTask(.picking(next))
                say(.skipped, [PromptField("sku", current.line.sku)])
                return finish()
            case "done":
                claims.append(.release(DocumentRef(.order, task.order)))
                setTask(.none)
                setUndo([])
                warn("lines_open", .linesOpen, [PromptField("order", task.order), PromptField("count", String(order.lines.filter { $0.open > 0 }.count))])
                return finish()
            default: return rejectUnexpected(scan)
            }
        }
        if let location = scannedLocation(scan) {
            // The suggested location is taken as it is; only another one is asked for stock.
            guard location.code == current.source?.key.location || hasStock(location: location.code, sku: current.line.sku) else {
                return reject("wrong_location", Prompt(.wrongLocation, [PromptField("location", current.source?.key.location ?? "-")]))
            }
            var next = task
            next.verifiedLocation = location.code
            setTask(.picking(next))
            // Nothing moved: the plan, and so the current line, is as computed above.
            return finish(instruction: settings.requireLogin && state.operatorBadge == nil ? nil : pickingInstruction(task: next, current: current))
        }
        if let sscc = scan.sscc, scan.gtin == nil {
            return useTote(sscc, task: task)
        }
        if let gtin = scan.gtin {
            return pickItem(gtin: gtin, scan: scan, current: current, order: order, task: task)
        }
        if scan.kind == .text, scan.text != task.order, catalog.order(number: scan.text) != nil {
            // Another order while this one is open: finish or leave this one first (as
            // receiving and packing say), not "not known here".
            return reject("document_open", Prompt(.finishFirst, [PromptField("document", task.order)]))
        }
        return rejectUnexpected(scan)
    }

    func startPicking(_ scan: DecodedScan) -> StepOutcome {
        guard scan.kind == .text else { return rejectUnexpected(scan) }
        guard let order = catalog.order(number: scan.text) else {
            return reject("unknown_order", Prompt(.unknownLabel, [PromptField("label", scan.text)]))
        }
        guard order.status == .open, !order.fullyPicked else {
            return reject("nothing_to_pick", Prompt(.nothingToPick, [PromptField("order", order.number)]))
        }
        let document = DocumentRef(.order, order.number)
        if let claim = claimedElsewhere(document) {
            return reject("claimed_elsewhere", claimedElsewherePrompt(claim))
        }
        claims.append(.claim(document))
        setTask(.picking(PickingTask(order: order.number)))
        setUndo([])
        say(.orderStarted, [PromptField("order", order.number)])
        return finish()
    }

    func useTote(_ sscc: String, task: PickingTask) -> StepOutcome {
        if let container = catalog.container(sscc: sscc) {
            guard container.kind == .tote, container.status == .open, container.order == nil || container.order == task.order else {
                return reject("tote_in_use", Prompt(.toteInUse, [PromptField("tote", sscc)]))
            }
        } else {
            guard let stage = defaultLocation(settings.stageTo, kind: .staging) else {
                return missingLocation(settings.stageTo, kind: .staging)
            }
            containers.append(.created(Container(sscc: sscc, kind: .tote, status: .open, location: stage, order: task.order)))
        }
        var next = task
        next.tote = sscc
        setTask(.picking(next))
        say(.toteSet, [PromptField("tote", sscc)])
        return finish()
    }

    func pickItem(gtin: String, scan: DecodedScan, current: PlannedPick, order: Order, task: PickingTask) -> StepOutcome {
        guard let location = task.verifiedLocation else {
            return reject("location_first", Prompt(.locationFirst))
        }
        guard let packaging = packaging(gtin: gtin), packaging.sku == current.line.sku else {
            return reject("wrong_item", Prompt(.wrongItem, [PromptField("sku", current.line.sku)]))
        }
        if let refused = refuseFractionOfPieces(scan, packaging: packaging, sku: packaging.sku) { return refused }
        let quantity = scannedUnits(scan, packaging: packaging)
        if quantity > current.line.open {
            if let refused = check(policies.overPick, "over_pick", .tooMany, [PromptField("quantity", Self.format(current.line.open)), PromptField("sku", current.line.sku)], refusesQuantity: true) {
                return refused
            }
        }
        // Filtered in place: the balances are a new array of this step's own.
        var candidates = stock(location: location, sku: current.line.sku)
        candidates.removeAll { $0.quantity <= 0 }
        candidates = fefoSorted(candidates)
        if policies.expired != .allow, candidates.contains(where: { isExpired($0.key) }) {
            // Expired lots last (warn) or not taken at all (reject): FEFO among the good ones.
            let good = candidates.filter { !isExpired($0.key) }
            let expired = candidates.filter { isExpired($0.key) }
            if policies.expired == .reject, let batch = scan.batch, !good.contains(where: { $0.key.lot == batch }),
               let lapsed = expired.first(where: { $0.key.lot == batch }), let expiry = lapsed.key.expiry {
                var reason = [PromptMessage(.expired, [PromptField("sku", current.line.sku), PromptField("expiry", expiry.description)])]
                if let lot = current.source?.key.lot { reason.append(PromptMessage(.wrongLot, [PromptField("lot", lot)])) }
                return reject("expired", Prompt(reason))
            }
            candidates = policies.expired == .reject ? good : good + expired
        }
        if let batch = scan.batch {
            // FEFO at the location: a lot that expires later than another lot here is the
            // wrong one (the first of `candidates` expires first).
            let earliest = candidates.first
            candidates.removeAll { $0.key.lot != batch }
            guard !candidates.isEmpty else {
                return reject("wrong_lot", Prompt(.wrongLot, [PromptField("lot", current.source?.key.lot ?? "-")]))
            }
            if let earliest, let first = earliest.key.expiry, let scanned = candidates.first?.key.expiry, scanned > first {
                return reject("wrong_lot", Prompt(.wrongLot, [PromptField("lot", earliest.key.lot ?? "-")]))
            }
        }
        guard let stage = defaultLocation(settings.stageTo, kind: .staging) else {
            return missingLocation(settings.stageTo, kind: .staging)
        }
        let available = candidates.reduce(Quantity(0)) { $0 + $1.quantity }
        if available < quantity, !policies.allowNegativeStock {
            return refuseQuantity("not_enough_stock", Prompt(.notEnoughStock, [PromptField("sku", current.line.sku), PromptField("location", location)]))
        }
        let document = DocumentRef(.order, order.number)
        var remaining = quantity
        var picked: [Movement] = []
        for balance in candidates where remaining > 0 {
            let take = min(balance.quantity, remaining)
            picked.append(movement(.pick, sku: balance.key.sku, lot: balance.key.lot, expiry: balance.key.expiry, quantity: take, from: location, fromContainer: balance.key.container, to: stage, toContainer: task.tote, document: document, line: current.line.line))
            remaining -= take
        }
        if remaining > 0 {
            // Only with negative stock allowed: the rest leaves the first (or a loose) balance.
            let key = candidates.first?.key ?? StockKey(location: location, sku: current.line.sku, lot: scan.batch, expiry: scan.expiry)
            picked.append(movement(.pick, sku: key.sku, lot: key.lot, expiry: key.expiry, quantity: remaining, from: location, fromContainer: key.container, to: stage, toContainer: task.tote, document: document, line: current.line.line))
        }
        if policies.expired == .warn, let lapsed = picked.first(where: { isExpired($0.expiry) }),
           let expiry = lapsed.expiry {
            warn("expired", .expired, [PromptField("sku", current.line.sku), PromptField("expiry", expiry.description)])
        }
        addMovements(picked)
        setPendingQuantity(nil)
        remember(UndoEntry(movements: picked))
        say(.picked, [PromptField("quantity", Self.format(quantity)), PromptField("sku", current.line.sku)])
        return afterPickProgress(task: task)
    }

    func short(_ current: PlannedPick, task: PickingTask) -> StepOutcome {
        let quantity = current.line.open
        documents.append(.lineShorted(order: task.order, line: current.line.line, quantity: quantity))
        remember(UndoEntry(movements: [], short: ShortRecord(order: task.order, line: current.line.line, sku: current.line.sku, quantity: quantity)))
        warn("short_pick", .shorted, [PromptField("quantity", Self.format(quantity)), PromptField("sku", current.line.sku)])
        var next = task
        next.shorted.append(current.line.line)
        next.verifiedLocation = nil
        setTask(.picking(next))
        return afterPickProgress(task: next)
    }

    /// Moves on to the next line, or finishes the order when nothing is left to pick.
    func afterPickProgress(task: PickingTask) -> StepOutcome {
        guard let order = currentOrder(task.order) else { return finish() }
        var next = task
        let current = nextPick(order, task: task)
        if current == nil || current?.line.open == 0 {
            documents.append(.orderPicked(order: order.number))
            claims.append(.release(DocumentRef(.order, order.number)))
            setTask(.none)
            setUndo([])
            // The goods are at the staging location, in the tote when there is one.
            let stage = defaultLocation(settings.stageTo, kind: .staging) ?? "-"
            if let tote = next.tote {
                say(.orderPickedInTote, [PromptField("order", order.number), PromptField("tote", tote), PromptField("location", stage)])
            } else {
                say(.orderPicked, [PromptField("order", order.number), PromptField("location", stage)])
            }
            return finish()
        }
        // Another line than the step's own needs its location scanned; the same line needs
        // it again only when the verified place has none left (asked only then).
        if let previous = state.undo.last?.movements.last?.line ?? state.undo.last?.short?.line, previous != current?.line.line {
            next.verifiedLocation = nil
        } else if let verified = next.verifiedLocation, let current,
                  !hasStock(location: verified, sku: current.line.sku) {
            next.verifiedLocation = nil
        }
        setTask(.picking(next))
        // The plan is computed already: build the instruction from it.
        return finish(instruction: settings.requireLogin && state.operatorBadge == nil ? nil : pickingInstruction(task: next, current: current))
    }
}
