import Foundation
import ScanCodes

extension StepEngine {
    func putawayInstruction() -> PromptMessage {
        guard case .puttingAway(let task) = state.task else { return PromptMessage(.scanPutawayUnit) }
        if let suggestion = task.suggestion {
            return PromptMessage(.putawayTo, [PromptField("location", suggestion)])
        }
        return PromptMessage(.scanStorageLocation)
    }

    func putaway(_ scan: DecodedScan) -> StepOutcome {
        if case .puttingAway(let task) = state.task, let location = scannedLocation(scan) {
            return store(task, at: location)
        }
        if case .puttingAway(let task) = state.task, let goods = task.goods, let gtin = scan.gtin, scan.sscc == nil,
           let packaging = packagingOrReceivedUnknown(gtin: gtin), packaging.sku == goods.sku, scan.batch == nil || scan.batch == goods.lot {
            // The same goods again: more of them go to the same place, as repeated scans count elsewhere.
            if let refused = refuseFractionOfPieces(scan, packaging: packaging, sku: goods.sku) { return refused }
            setPendingQuantity(nil)
            return putAway(task, goods: goods, quantity: goods.quantity + scannedUnits(scan, packaging: packaging))
        }
        return startPutaway(scan)
    }

    /// `CMD-QTY-n` after loose goods were scanned: n of what was scanned go, not one.
    func setPutawayQuantity(_ quantity: Quantity) -> StepOutcome? {
        guard case .puttingAway(let task) = state.task, let goods = task.goods, state.pendingQuantity == nil else { return nil }
        return putAway(task, goods: goods, quantity: quantity * (goods.unitsPerScan ?? 1))
    }

    /// The pending loose goods, `quantity` of them now, if the dock holds that many.
    func putAway(_ task: PutawayTask, goods: PendingGoods, quantity: Quantity) -> StepOutcome {
        var changed = goods
        changed.quantity = quantity
        if goods.severalLots == false, stock(at: StockKey(location: task.from, sku: goods.sku, lot: goods.lot, expiry: goods.expiry)) < quantity,
           looseBalances(at: task.from, sku: goods.sku).reduce(Quantity(0), { $0 + $1.quantity }) >= quantity {
            // More than the FEFO lot holds, no lot scanned: from the dock's lots together.
            changed.lot = nil
            changed.expiry = nil
            changed.severalLots = true
        }
        if let refusal = refuseUnlessTheDockHolds(changed, task: task) { return refusal }
        var next = task
        next.goods = changed
        setTask(.puttingAway(next))
        say(.putawayQuantity, [PromptField("quantity", Self.format(quantity)), PromptField("sku", goods.sku)])
        return finish()
    }

    /// The refusal when the place the loose goods come from holds fewer (negative stock not allowed).
    func refuseUnlessTheDockHolds(_ goods: PendingGoods, task: PutawayTask) -> StepOutcome? {
        let held: Quantity
        if goods.severalLots == true {
            held = looseBalances(at: task.from, sku: goods.sku).reduce(Quantity(0)) { $0 + $1.quantity }
        } else {
            held = stock(at: StockKey(location: task.from, sku: goods.sku, lot: goods.lot, expiry: goods.expiry))
        }
        guard held < goods.quantity, !policies.allowNegativeStock else { return nil }
        return refuseQuantity("not_enough_stock", Prompt(.notEnoughStock, [PromptField("sku", goods.sku), PromptField("location", task.from)]))
    }

    /// A pallet (its whole container) or loose items at the receive location.
    func startPutaway(_ scan: DecodedScan) -> StepOutcome {
        if let sscc = scan.sscc {
            let contents = stock(container: sscc)
            guard let first = contents.first else {
                return reject("nothing_to_put_away", Prompt(.nothingToPutAway, [PromptField("label", sscc)]))
            }
            setUndo([])
            setTask(.puttingAway(PutawayTask(container: sscc, goods: nil, from: first.key.location, suggestion: suggestLocation(sku: first.key.sku, excluding: first.key.location))))
            return finish()
        }
        if let gtin = scan.gtin {
            guard let packaging = packagingOrReceivedUnknown(gtin: gtin) else {
                return reject("unknown_product", Prompt(.unknownProduct, [PromptField("gtin", gtin)]))
            }
            guard var from = defaultLocation(settings.receiveTo, kind: .dock) else {
                return missingLocation(settings.receiveTo, kind: .dock)
            }
            if let refused = refuseFractionOfPieces(scan, packaging: packaging, sku: packaging.sku) { return refused }
            let quantity = scannedUnits(scan, packaging: packaging)
            func source(at dock: String) -> StockBalance? {
                var balances = stock(location: dock, sku: packaging.sku)
                balances.removeAll { !($0.key.container == nil && (scan.batch == nil || $0.key.lot == scan.batch)) }
                return fefoSorted(balances).first(where: { $0.quantity >= quantity })
            }
            var found = source(at: from)
            if found == nil, settings.receiveTo == nil {
                // No dock configured: the goods may wait at another dock (a station that
                // receives there has its receive_to).
                for dock in catalog.locations(kind: .dock) where dock.code != from {
                    if let other = source(at: dock.code) {
                        found = other
                        from = dock.code
                        break
                    }
                }
            }
            var severalLots = false
            if found == nil, scan.batch == nil {
                // No one lot holds them all, but the dock's lots together do (a lot-tracked
                // product received in several lots, shelved together).
                let docks = [from] + (settings.receiveTo == nil ? catalog.locations(kind: .dock).map(\.code).filter { $0 != from } : [])
                if let dock = docks.first(where: { looseBalances(at: $0, sku: packaging.sku).reduce(Quantity(0)) { $0 + $1.quantity } >= quantity }) {
                    from = dock
                    severalLots = true
                }
            }
            guard found != nil || severalLots else {
                return refuseQuantity("not_enough_stock", Prompt(.notEnoughStock, [PromptField("sku", packaging.sku), PromptField("location", from)]))
            }
            setPendingQuantity(nil)
            setUndo([])
            let goods = PendingGoods(sku: packaging.sku, quantity: quantity, lot: found?.key.lot, expiry: found?.key.expiry, unitsPerScan: packaging.unitsPerGTIN, severalLots: severalLots ? true : (scan.batch == nil ? false : nil))
            setTask(.puttingAway(PutawayTask(container: nil, goods: goods, from: from, suggestion: suggestLocation(sku: packaging.sku, excluding: from))))
            return finish()
        }
        if let location = scannedLocation(scan) {
            return reject("unit_first", Prompt(.unitFirst, [PromptField("location", location.code)]))
        }
        return rejectUnexpected(scan)
    }

    /// The positive loose (not in a container) balances of a product at a location.
    func looseBalances(at location: String, sku: String) -> [StockBalance] {
        var balances = stock(location: location, sku: sku)
        balances.removeAll { $0.key.container != nil || $0.quantity <= 0 }
        return balances
    }

    /// The packaging of a GTIN; for one the catalog lacks, the goods a station's
    /// unknown-product policy (warn, allow) received under `GTIN-<gtin>`, one unit a scan,
    /// when there are any: booked, they must be able to leave the dock.
    func packagingOrReceivedUnknown(gtin: String) -> ProductGTIN? {
        if let packaging = packaging(gtin: gtin) { return packaging }
        let sku = "GTIN-" + gtin
        guard stock(sku: sku).contains(where: { $0.quantity > 0 }) else { return nil }
        return ProductGTIN(gtin: gtin, sku: sku, unitsPerGTIN: 1)
    }

    /// Where the product already is (storage or pick, by path sequence), else the first empty
    /// storage location of the product's zone by sequence.
    func suggestLocation(sku: String, excluding: String) -> String? {
        var best: (sequence: Int, code: String)?
        if !movements.contains(where: { $0.sku == sku }) {
            // No movement of this step touches the product: the catalog's balances in
            // stock-holding locations, with their sequences, are read without building an
            // array or looking each location up.
            catalog.forEachStockedBalance(sku: sku) { balance, sequence in
                guard balance.key.location != excluding else { return }
                if best.map({ (sequence, balance.key.location) < ($0.sequence, $0.code) }) ?? true { best = (sequence, balance.key.location) }
            }
        } else {
            for balance in stock(sku: sku) where balance.key.location != excluding {
                guard let location = catalog.location(code: balance.key.location), location.kind.holdsStock else { continue }
                if best.map({ (location.sequence, location.code) < ($0.sequence, $0.code) }) ?? true { best = (location.sequence, location.code) }
            }
        }
        if let best { return best.code }
        let zone = catalog.product(sku: sku)?.zone
        let empty = catalog.locations(kind: .storage)
            .filter { zone == nil || $0.zone == zone }
            .sorted { ($0.sequence, $0.code) < ($1.sequence, $1.code) }
            .first { stock(location: $0.code).isEmpty }
        return empty?.code
    }

    func store(_ task: PutawayTask, at location: Location) -> StepOutcome {
        guard location.kind.holdsStock else {
            return reject("wrong_location_kind", Prompt(.wrongLocationKind, [PromptField("location", location.code), PromptField("kind", location.kind.rawValue)]))
        }
        var moved: [Movement] = []
        var onUndo: [ContainerChange] = []
        if let sscc = task.container {
            let contents = stock(container: sscc)
            guard !contents.isEmpty else {
                return reject("nothing_to_put_away", Prompt(.nothingToPutAway, [PromptField("label", sscc)]))
            }
            for balance in contents where balance.quantity > 0 {
                moved.append(movement(.putaway, sku: balance.key.sku, lot: balance.key.lot, expiry: balance.key.expiry, quantity: balance.quantity, from: balance.key.location, fromContainer: sscc, to: location.code, toContainer: sscc, document: nil, line: nil))
            }
            containers.append(.moved(sscc: sscc, to: location.code))
            onUndo.append(.moved(sscc: sscc, to: task.from))
        } else if let goods = task.goods {
            if let refusal = refuseUnlessTheDockHolds(goods, task: task) { return refusal }
            if goods.severalLots == true {
                // Earliest expiry first, one movement per lot.
                var remaining = goods.quantity
                for balance in fefoSorted(looseBalances(at: task.from, sku: goods.sku)) where remaining > 0 {
                    let take = min(balance.quantity, remaining)
                    moved.append(movement(.putaway, sku: goods.sku, lot: balance.key.lot, expiry: balance.key.expiry, quantity: take, from: task.from, fromContainer: nil, to: location.code, toContainer: nil, document: nil, line: nil))
                    remaining -= take
                }
                if remaining > 0 {
                    // Only with negative stock allowed.
                    moved.append(movement(.putaway, sku: goods.sku, lot: nil, expiry: nil, quantity: remaining, from: task.from, fromContainer: nil, to: location.code, toContainer: nil, document: nil, line: nil))
                }
            } else {
                moved.append(movement(.putaway, sku: goods.sku, lot: goods.lot, expiry: goods.expiry, quantity: goods.quantity, from: task.from, fromContainer: nil, to: location.code, toContainer: nil, document: nil, line: nil))
            }
        }
        addMovements(moved)
        setUndo([UndoEntry(movements: moved, onUndo: onUndo)])
        setTask(.none)
        say(.storedAt, [PromptField("location", location.code)])
        return finish()
    }
}
