import Foundation
import ScanCodes

extension StepEngine {
    func countingInstruction() -> PromptMessage {
        guard case .counting(let task) = state.task else { return PromptMessage(.scanCountLocation) }
        if task.askedToConfirmEmpty == true, task.counted.isEmpty, task.containers.isEmpty {
            return PromptMessage(.confirmEmptyCount, [PromptField("location", task.location)])
        }
        return PromptMessage(.countAt, [PromptField("location", task.location)])
    }

    /// A location, everything found there, `CMD-DONE`: differences become adjustments.
    func count(_ scan: DecodedScan) -> StepOutcome {
        guard case .counting(var task) = state.task else {
            guard let location = scannedLocation(scan) else { return rejectUnexpected(scan) }
            let document = DocumentRef(.count, location.code)
            if let claim = claimedElsewhere(document) {
                return reject("claimed_elsewhere", claimedElsewherePrompt(claim))
            }
            claims.append(.claim(document))
            setTask(.counting(CountingTask(location: location.code)))
            setUndo([])
            return finish()
        }
        if scan.kind == .command, scan.command?.name == "done" {
            // Nothing counted would book every balance here away: one slip onto CMD-DONE must
            // not empty a shelf, so that is asked once more.
            if task.counted.isEmpty, task.containers.isEmpty, task.askedToConfirmEmpty != true,
               stock(location: task.location).contains(where: { $0.quantity > 0 }) {
                task.askedToConfirmEmpty = true
                setTask(.counting(task))
                warn("nothing_counted", .nothingCounted, [PromptField("location", task.location)])
                return finish()
            }
            return closeCount(task)
        }
        if let location = scannedLocation(scan) {
            if location.code == task.location { return finish() }
            return reject("document_open", Prompt(.finishFirst, [PromptField("document", task.location)]))
        }
        if let sscc = scan.sscc, scan.gtin == nil {
            let contents = stock(container: sscc)
            guard contents.contains(where: { $0.key.location == task.location }) else {
                return reject("container_elsewhere", Prompt(.containerNotHere, [PromptField("container", sscc), PromptField("location", task.location)]))
            }
            if !task.containers.contains(sscc) { task.containers.append(sscc) }
            setTask(.counting(task))
            say(.containerCounted, [PromptField("container", sscc)])
            return finish()
        }
        guard let gtin = scan.gtin else { return rejectUnexpected(scan) }
        guard let packaging = packagingOrReceivedUnknown(gtin: gtin) else {
            return reject("unknown_product", Prompt(.unknownProduct, [PromptField("gtin", gtin)]))
        }
        let sku = packaging.sku
        if let refused = refuseFractionOfPieces(scan, packaging: packaging, sku: sku) { return refused }
        var lot = scan.batch
        var expiry = scan.expiry ?? scan.bestBefore
        if lot == nil, catalog.product(sku: sku)?.lotTracked == true {
            let lots = Set(stock(location: task.location, sku: sku).filter { $0.key.container == nil }.map { StockKey(location: "", sku: sku, lot: $0.key.lot, expiry: $0.key.expiry) })
            guard lots.count == 1, let only = lots.first else {
                return reject("lot_label_expected", Prompt(.scanLotLabel, [PromptField("sku", sku)]))
            }
            lot = only.lot
            expiry = expiry ?? only.expiry
        } else if let known = lot, expiry == nil {
            expiry = stock(location: task.location, sku: sku).first { $0.key.lot == known }?.key.expiry
        }
        let quantity = scannedUnits(scan, packaging: packaging)
        task.counted.append(CountEntry(sku: sku, lot: lot, expiry: expiry, quantity: quantity))
        setTask(.counting(task))
        setPendingQuantity(nil)
        let total = task.counted.reduce(Quantity(0)) { $1.sku == sku ? $0 + $1.quantity : $0 }
        say(.counted, [PromptField("quantity", Self.format(quantity)), PromptField("sku", sku), PromptField("total", Self.format(total))])
        return finish()
    }

    func closeCount(_ task: CountingTask) -> StepOutcome {
        var recorded: [CountedItem: Quantity] = [:]
        var sources: [CountedItem: [StockBalance]] = [:]
        // Containers counted as they are: no difference, but part of what the count records.
        var whole: [CountedItem: Quantity] = [:]
        for balance in stock(location: task.location) {
            let item = CountedItem(sku: balance.key.sku, lot: balance.key.lot, expiry: balance.key.expiry)
            if let container = balance.key.container, task.containers.contains(container) {
                whole[item, default: 0] += balance.quantity
                continue
            }
            recorded[item, default: 0] += balance.quantity
            sources[item, default: []].append(balance)
        }
        var counted: [CountedItem: Quantity] = [:]
        var order: [CountedItem] = []
        for entry in task.counted {
            let item = CountedItem(sku: entry.sku, lot: entry.lot, expiry: entry.expiry)
            if counted[item] == nil, recorded[item] == nil, whole[item] == nil { order.append(item) }
            counted[item, default: 0] += entry.quantity
        }
        let recordedCountedItems = Set(recorded.keys).union(whole.keys).sorted { ($0.sku, $0.lot ?? "") < ($1.sku, $1.lot ?? "") }
        var differences: [CountDifference] = []
        var items: [CountDifference] = []
        var adjustments: [Movement] = []
        let document = DocumentRef(.count, task.location)
        for item in recordedCountedItems + order {
            let was = recorded[item] ?? 0
            let found = counted[item] ?? 0
            let inContainers = whole[item] ?? 0
            items.append(CountDifference(sku: item.sku, lot: item.lot, recorded: was + inContainers, counted: found + inContainers))
            guard was != found else { continue }
            differences.append(CountDifference(sku: item.sku, lot: item.lot, recorded: was, counted: found))
            if found > was {
                adjustments.append(movement(.adjust, sku: item.sku, lot: item.lot, expiry: item.expiry, quantity: found - was, from: nil, fromContainer: nil, to: task.location, toContainer: nil, document: document, line: nil))
                continue
            }
            // Containers not found (their label was not scanned) first, then loose stock:
            // the items scanned were found loose, and a pallet not there must not keep
            // stock that the shelf holds.
            var missing = was - found
            let balances = (sources[item] ?? []).sorted { lhs, rhs in
                switch (lhs.key.container, rhs.key.container) {
                case let (left?, right?): left < right
                case (_?, nil): true
                default: false
                }
            }
            for balance in balances where missing > 0 && balance.quantity > 0 {
                let take = min(balance.quantity, missing)
                adjustments.append(movement(.adjust, sku: item.sku, lot: item.lot, expiry: item.expiry, quantity: take, from: task.location, fromContainer: balance.key.container, to: nil, toContainer: nil, document: document, line: nil))
                missing -= take
            }
        }
        addMovements(adjustments)
        documents.append(.countRecorded(location: task.location, differences: differences, items: items))
        claims.append(.release(document))
        setTask(.none)
        setUndo([])
        if differences.isEmpty {
            say(.countClosed, [PromptField("location", task.location)])
        } else {
            warn("count_differences", .countClosedWithDifferences, [PromptField("location", task.location), PromptField("differences", String(differences.count))])
        }
        return finish()
    }
}

/// A product and lot as a count compares them, whatever container holds them.
struct CountedItem: Hashable {
    var sku: String
    var lot: String?
    var expiry: CalendarDate?
}
