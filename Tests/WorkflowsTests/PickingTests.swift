import Foundation
import ScanCodes
import Testing
import Workflows

@Suite struct PickingTests {
    /// WIDGET-7 at A-02 (seq 20) and P-01 (seq 5, lot with later expiry), GADGET-2 at A-01 (seq 10).
    func stockedStation(settings: StationSettings = sampleSettings(mode: .pick)) -> TestStation {
        var station = TestStation(settings: settings)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7", lot: "EARLY", expiry: day("2027-01-01")), 10)
        station.catalog.setStock(StockKey(location: "P-01", sku: "WIDGET-7", lot: "LATE", expiry: day("2027-06-01")), 10)
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        station.catalog.setStock(StockKey(location: "DOCK-1", sku: "GADGET-2"), 50)
        return station
    }

    @Test func linesComeInPickPathOrderWithEarliestExpiryFirst() {
        var station = stockedStation()
        #expect(station.scan("O-1").claims == [.claim(DocumentRef(.order, "O-1"))])
        // GADGET-2 at A-01 (10) comes before WIDGET-7 whose FEFO stock is at A-02 (20), not P-01.
        #expect(station.prompt == "Order O-1 started. Go to A-01 for 2 GADGET-2. Scan the location.")
        #expect(station.scan("LOC-A-01").feedback == .ok)
        #expect(station.prompt == "Pick 2 GADGET-2 at A-01. Scan the item.")
        let picked = station.scan(Codes.gadget)
        #expect(picked.movements.first?.from == "A-01")
        #expect(picked.movements.first?.to == "STAGE-1")
        #expect(picked.movements.first?.kind == .pick)
        #expect(station.prompt == "Picked 1 GADGET-2. Pick 1 GADGET-2 at A-01. Scan the item.")
        station.scan(Codes.gadget)
        #expect(station.prompt.hasSuffix("Go to A-02 for 5 WIDGET-7 lot EARLY. Scan the location."))
        #expect(station.catalog.order(number: "O-1")?.lines[1].picked == 2)
    }

    @Test func aConfiguredStagingLocationOutsideTheCatalogTakesNothing() {
        var settings = sampleSettings(mode: .pick)
        settings.stageTo = "STAGE-9"
        var station = stockedStation(settings: settings)
        station.scan("O-1")
        station.scan("LOC-A-01")
        let refused = station.scan(Codes.gadget)
        #expect(refused.rejection?.code == "no_location" && refused.movements.isEmpty)
        #expect(station.prompt.hasPrefix("The station's staging location STAGE-9 is not in the catalog."), "\(station.prompt)")
        #expect(station.quantity("A-01", "GADGET-2") == 5)
        settings.stageTo = "STAGE-1"
        station = stockedStation(settings: settings)
        station.scan("O-1")
        station.scan("LOC-A-01")
        #expect(station.scan(Codes.gadget).movements.first?.to == "STAGE-1")
    }

    @Test func goodsStillAtTheDockAreNamedWhenStorageHasNone() {
        /// O-1 with its WIDGET-7 line picked, so GADGET-2 (none in storage) is next.
        func widgetsPicked(gadgetsAtDock: Quantity?) -> TestStation {
            var station = TestStation(settings: sampleSettings(mode: .pick))
            station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 10)
            if let gadgetsAtDock { station.catalog.setStock(StockKey(location: "DOCK-1", sku: "GADGET-2"), gadgetsAtDock) }
            station.scan("O-1")
            station.scan("LOC-A-02")
            station.scan("CMD-QTY-5")
            station.scan(Codes.widgetEach)
            return station
        }
        var station = widgetsPicked(gadgetsAtDock: 50)
        #expect(station.prompt.hasSuffix("No stock of GADGET-2 in storage; 50 at DOCK-1, not put away yet. Pick it there, or CMD-SHORT or CMD-SKIP."), "\(station.prompt)")
        // The worker may pick it there.
        #expect(station.scan("DOCK-1").feedback == .ok)
        let picked = station.scan(Codes.gadget)
        #expect(picked.movements.first?.from == "DOCK-1")
        // Nothing anywhere: the plain message.
        let empty = widgetsPicked(gadgetsAtDock: nil)
        #expect(empty.prompt.hasSuffix("No stock of GADGET-2. CMD-SHORT or CMD-SKIP."), "\(empty.prompt)")
    }

    @Test func wrongLocationItemAndLotAreRefused() {
        var station = stockedStation()
        station.scan("O-1")
        #expect(station.scan(Codes.gadget).rejection?.code == "location_first")
        #expect(station.scan("LOC-B-01").rejection?.code == "wrong_location")
        #expect(station.prompt.hasPrefix("Wrong location. Go to A-01."))
        station.scan("LOC-A-01")
        #expect(station.scan(Codes.widgetEach).rejection?.code == "wrong_item")
        station.scan(Codes.gadget)
        station.scan(Codes.gadget)
        station.scan("LOC-A-02")
        let wrongLot = station.scan(gs1(gtin: Codes.widgetEach, batch: "LATE"))
        #expect(wrongLot.rejection?.code == "wrong_lot")
        #expect(station.prompt.hasPrefix("Wrong lot. Pick lot EARLY."))
        let rightLot = station.scan(gs1(gtin: Codes.widgetEach, batch: "EARLY"))
        #expect(rightLot.movements.first?.lot == "EARLY")
        #expect(rightLot.movements.first?.expiry == day("2027-01-01"))
        #expect(station.total("GADGET-2") == 55)
    }

    @Test func quantitiesByCommandAndTooManyRefused() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-3")
        let tooMany = station.scan(Codes.gadget)
        #expect(tooMany.rejection?.code == "over_pick")
        #expect(station.prompt.hasPrefix("Too many: only 2 GADGET-2 left."))
        // The refused quantity is dropped: the next scan counts one, not three again.
        #expect(station.state.pendingQuantity == nil)
        #expect(station.scan(Codes.gadget).movements.first?.quantity == 1)
        station.scan("CMD-QTY-1")
        #expect(station.scan(Codes.gadget).movements.first?.quantity == 1)
        #expect(station.catalog.order(number: "O-1")?.lines[1].picked == 2)
        // Other refusals (here: the next line's location is not scanned yet) keep it.
        station.scan("CMD-QTY-2")
        #expect(station.scan(Codes.widgetEach).rejection?.code == "location_first")
        #expect(station.state.pendingQuantity == 2)
    }

    @Test func aQuantityCountsWhatIsScannedForTheCurrentLine() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-2")
        let picked = station.scan(Codes.gadget)
        #expect(picked.movements.map(\.quantity) == [2])
        #expect(station.state.pendingQuantity == nil)
        // n of a case GTIN is n cases: 2 × 12 is more than the 5 left.
        station.scan("LOC-A-02")
        station.scan("CMD-QTY-2")
        let cases = station.scan(Codes.widgetCase)
        #expect(cases.rejection?.code == "over_pick" && cases.movements.isEmpty)
        #expect(station.prompt == "Too many: only 5 WIDGET-7 left. Pick 5 WIDGET-7 lot EARLY at A-02. Scan the item.", "\(station.prompt)")
    }

    @Test(arguments: [PolicyAction.warn, .allow])
    func aQuantityOverTheLinePicksWhenThePolicyAllowsIt(_ policy: PolicyAction) {
        var settings = sampleSettings(mode: .pick)
        settings.policies.overPick = policy
        var station = stockedStation(settings: settings)
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-3")
        let over = station.scan(Codes.gadget)
        #expect(over.movements.map(\.quantity) == [3])
        #expect(over.feedback == (policy == .warn ? .warning : .ok))
        #expect(station.prompt.hasPrefix(policy == .warn ? "Too many: only 2 GADGET-2 left. Picked 3 GADGET-2." : "Picked 3 GADGET-2."), "\(station.prompt)")
        #expect(station.state.pendingQuantity == nil)
    }

    @Test func aQuantityStaysForTheLineThroughRefusalsAndCancelDropsIt() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("CMD-QTY-2")
        // Refused scans on the same line keep it: the location first, a wrong item.
        #expect(station.scan(Codes.gadget).rejection?.code == "location_first")
        station.scan("LOC-A-01")
        #expect(station.state.pendingQuantity == 2)
        #expect(station.scan(Codes.widgetEach).rejection?.code == "wrong_item")
        #expect(station.state.pendingQuantity == 2)
        // CMD-CANCEL drops the quantity only; the verified location stays.
        let cancelled = station.scan("CMD-CANCEL")
        #expect(cancelled.feedback == .ok && cancelled.claims.isEmpty)
        #expect(station.prompt == "Cancelled. Pick 2 GADGET-2 at A-01. Scan the item.")
        #expect(station.state.pendingQuantity == nil)
        #expect(station.scan(Codes.gadget).movements.map(\.quantity) == [1])
    }

    @Test func skipShortAndDoneDropTheQuantityOfTheLineTheyLeave() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-2")
        let skipped = station.scan("CMD-SKIP")
        #expect(skipped.feedback == .ok)
        #expect(station.prompt == "GADGET-2 moved to the end. Quantity 2 dropped. Go to A-02 for 5 WIDGET-7 lot EARLY. Scan the location.", "\(station.prompt)")
        #expect(station.state.pendingQuantity == nil)
        station.scan("LOC-A-02")
        #expect(station.scan(Codes.widgetEach).movements.map(\.quantity) == [1])

        station.scan("CMD-QTY-3")
        let short = station.scan("CMD-SHORT")
        #expect(short.feedback == .warning)
        #expect(short.documents == [.lineShorted(order: "O-1", line: 1, quantity: 4)])
        #expect(station.prompt.hasPrefix("Short 4 WIDGET-7 recorded. Quantity 3 dropped. Go to A-01"), "\(station.prompt)")
        #expect(station.state.pendingQuantity == nil)

        station.scan("CMD-QTY-2")
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .warning)
        #expect(station.prompt == "Order O-1 left with 1 line open. Quantity 2 dropped. Scan an order number.", "\(station.prompt)")
        #expect(station.state.pendingQuantity == nil)
    }

    @Test func undoDropsTheQuantityOnlyWhenTheLineChanges() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan(Codes.gadget)
        // The undone pick leaves the same line current: the quantity stays for it.
        station.scan("CMD-QTY-2")
        #expect(station.scan("CMD-UNDO").feedback == .ok)
        #expect(station.state.pendingQuantity == 2)
        #expect(!station.prompt.contains("dropped"), "\(station.prompt)")
        // The line done, the next one is current; undoing brings GADGET-2 back.
        station.scan("LOC-A-01")
        #expect(station.state.pendingQuantity == 2)
        #expect(station.scan(Codes.gadget).movements.map(\.quantity) == [2])
        #expect(station.prompt.hasSuffix("Go to A-02 for 5 WIDGET-7 lot EARLY. Scan the location."), "\(station.prompt)")
        station.scan("CMD-QTY-5")
        #expect(station.scan("CMD-UNDO").feedback == .ok)
        #expect(station.state.pendingQuantity == nil)
        #expect(station.prompt.contains("Quantity 5 dropped."), "\(station.prompt)")
    }

    @Test func theOpenOrderScannedAgainIsNoError() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("LOC-A-01")
        let again = station.scan("O-1")
        #expect(again.feedback == .ok)
        #expect(again.movements.isEmpty && again.claims.isEmpty)
        #expect(station.prompt.hasPrefix("O-1 is open already. Pick "), "\(station.prompt)")
        #expect(station.state.task == .picking(PickingTask(order: "O-1", verifiedLocation: "A-01")))
        #expect(station.scan("O-2").rejection?.code == "unexpected_label")
    }

    @Test func alternativeLocationHoldingTheProductIsAccepted() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("CMD-SKIP")
        #expect(station.scan("LOC-P-01").feedback == .ok)
        let picked = station.scan(Codes.widgetEach)
        #expect(picked.movements.first?.from == "P-01")
        #expect(picked.movements.first?.lot == "LATE")
    }

    @Test func skipDefersTheLineAndShortRecordsIt() {
        var station = stockedStation()
        station.scan("O-1")
        let skipped = station.scan("CMD-SKIP")
        #expect(skipped.feedback == .ok)
        #expect(station.prompt == "GADGET-2 moved to the end. Go to A-02 for 5 WIDGET-7 lot EARLY. Scan the location.")
        let short = station.scan("CMD-SHORT")
        #expect(short.feedback == .warning)
        #expect(short.documents == [.lineShorted(order: "O-1", line: 1, quantity: 5)])
        #expect(station.catalog.order(number: "O-1")?.lines[0].shorted == 5)
        #expect(station.prompt.hasSuffix("Go to A-01 for 2 GADGET-2. Scan the location."))
        // Undo brings the short line back.
        #expect(station.scan("CMD-UNDO").documents == [.lineShorted(order: "O-1", line: 1, quantity: -5)])
        #expect(station.catalog.order(number: "O-1")?.lines[0].shorted == 0)
    }

    @Test func completedOrderIsPickedAndReleased() {
        var station = stockedStation()
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-2")
        station.scan(Codes.gadget)
        station.scan("LOC-A-02")
        station.scan("CMD-QTY-5")
        let last = station.scan(Codes.widgetEach)
        #expect(last.documents == [.orderPicked(order: "O-1")])
        #expect(last.claims == [.release(DocumentRef(.order, "O-1"))])
        #expect(station.prompt == "Picked 5 WIDGET-7. Order O-1 picked. Take it to STAGE-1. Scan an order number.")
        #expect(station.quantity("STAGE-1", "WIDGET-7", lot: "EARLY", expiry: day("2027-01-01")) == 5)
        #expect(station.quantity("STAGE-1", "GADGET-2") == 2)
        #expect(station.scan("O-1").rejection?.code == "nothing_to_pick")
    }

    @Test func pickedGoodsGoIntoTheScannedTote() {
        var station = stockedStation()
        station.scan("O-1")
        let tote = station.scan(Codes.tote)
        #expect(tote.feedback == .ok)
        #expect(station.catalog.container(sscc: Codes.tote)?.kind == .tote)
        station.scan("LOC-A-01")
        let picked = station.scan(Codes.gadget)
        #expect(picked.movements.first?.toContainer == Codes.tote)
        #expect(station.quantity("STAGE-1", "GADGET-2", container: Codes.tote) == 1)
        // The order done, the worker is told to take the tote (at the staging location).
        station.scan(Codes.gadget)
        station.scan("LOC-A-02")
        station.scan("CMD-QTY-5")
        station.scan(Codes.widgetEach)
        #expect(station.prompt == "Picked 5 WIDGET-7. Order O-1 picked. Take tote \(Codes.tote) to STAGE-1. Scan an order number.", "\(station.prompt)")
    }

    @Test func notEnoughStockIsRefusedUnlessNegativeStockIsAllowed() {
        var station = stockedStation()
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 1)
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-2")
        #expect(station.scan(Codes.gadget).rejection?.code == "not_enough_stock")

        var settings = sampleSettings(mode: .pick)
        settings.policies.allowNegativeStock = true
        var lenient = stockedStation(settings: settings)
        lenient.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 1)
        lenient.scan("O-1")
        lenient.scan("LOC-A-01")
        lenient.scan("CMD-QTY-2")
        #expect(lenient.scan(Codes.gadget).feedback == .ok)
        #expect(lenient.quantity("A-01", "GADGET-2") == -1)
    }

    @Test func doneWithOpenLinesLeavesTheOrderWithAWarning() {
        var station = stockedStation()
        station.scan("O-1")
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .warning)
        #expect(done.claims == [.release(DocumentRef(.order, "O-1"))])
        #expect(station.catalog.claim(on: DocumentRef(.order, "O-1")) == nil)
    }
}

/// A catalog that keeps no short quantities (as the Ledger's orders do not yet).
struct CatalogWithoutShorts: Catalog {
    var base: InMemoryCatalog
    func product(sku: String) -> Product? { base.product(sku: sku) }
    func packaging(gtin: String) -> ProductGTIN? { base.packaging(gtin: gtin) }
    func packagings(sku: String) -> [ProductGTIN] { base.packagings(sku: sku) }
    func location(code: String) -> Location? { base.location(code: code) }
    func location(barcode: String) -> Location? { base.location(barcode: barcode) }
    func locations(kind: LocationKind) -> [Location] { base.locations(kind: kind) }
    func balances(location: String) -> [StockBalance] { base.balances(location: location) }
    func balances(sku: String) -> [StockBalance] { base.balances(sku: sku) }
    func balances(container: String) -> [StockBalance] { base.balances(container: container) }
    func quantity(at key: StockKey) -> Quantity { base.quantity(at: key) }
    func container(sscc: String) -> Container? { base.container(sscc: sscc) }
    func receipt(number: String) -> Receipt? { base.receipt(number: number) }
    func openReceipts(expectingSSCC sscc: String) -> [String] { base.openReceipts(expectingSSCC: sscc) }
    func order(number: String) -> Order? {
        guard var order = base.order(number: number) else { return nil }
        for index in order.lines.indices { order.lines[index].shorted = 0 }
        return order
    }
    func claim(on document: DocumentRef) -> Claim? { base.claim(on: document) }
    func operatorRecord(badge: String) -> Operator? { base.operatorRecord(badge: badge) }
}

@Suite struct ShortPickWithoutStoredShortsTests {
    @Test func shortedLineIsNotOfferedAgainAndTheOrderCompletes() {
        var catalog = sampleCatalog()
        catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        let settings = sampleSettings(mode: .pick)
        var state = WorkflowState(settings: settings)
        var counter: UInt64 = 0
        func step(_ text: String) -> StepOutcome {
            counter += 1
            let context = StepContext(now: 1_795_000_000_000 + Int64(counter) * 1000, today: day("2026-11-24"), ids: .sequential(milliseconds: 1_795_000_000_000, counter: counter), settings: settings)
            let scan = ScanClassifier().classify(Array(text.utf8), referenceDate: day("2026-11-24"))
            let (next, outcome) = Workflow.step(state, scan: scan, catalog: CatalogWithoutShorts(base: catalog), context: context)
            state = next
            catalog.apply(outcome, station: settings.name)
            return outcome
        }
        _ = step("O-1")
        // WIDGET-7 has no stock and comes last; skip GADGET-2 to reach it, then short it.
        _ = step("CMD-SKIP")
        let short = step("CMD-SHORT")
        #expect(short.documents.contains(.lineShorted(order: "O-1", line: 1, quantity: 5)))
        #expect(short.prompt.text(in: .en).hasSuffix("Go to A-01 for 2 GADGET-2. Scan the location."))
        _ = step("LOC-A-01")
        _ = step("CMD-QTY-2")
        let last = step(Codes.gadget)
        #expect(last.documents == [.orderPicked(order: "O-1")])
    }
}
