import Foundation
import ScanCodes
import Testing
import Workflows

/// Divergences found walking whole shifts through the CLI, each pinned at the workflow.
@Suite struct ShiftScenarioTests {
    @Test func anotherOrderWhilePickingSaysToFinishTheOpenOne() {
        var station = TestStation(settings: sampleSettings(mode: .pick))
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        station.catalog.add(Order(number: "O-2", lines: [OrderLine(line: 1, sku: "GADGET-2", quantity: 1)]))
        station.scan("O-1")
        let other = station.scan("O-2")
        #expect(other.rejection?.code == "document_open")
        #expect(station.prompt.hasPrefix("Finish or cancel O-1 first."), "\(station.prompt)")
        #expect(other.claims.isEmpty)
        #expect(station.state.task.document == DocumentRef(.order, "O-1"))
    }

    @Test func helpRightAfterAnIdleLogoutSaysSoOnce() {
        var settings = sampleSettings()
        settings.requireLogin = true
        settings.idleLogoutSeconds = 60
        var station = TestStation(settings: settings)
        station.scan("OP-ANNA")
        station.now += 61_000
        #expect(station.scan("CMD-HELP").feedback == .ok)
        #expect(station.prompt == "Logged out after idle time. Scan your badge.")
        #expect(station.state.operatorBadge == nil)
    }

    @Test func doneWhileALotLabelIsAwaitedKeepsTheGoodsAndTheReceipt() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.milkCase)
        #expect(station.prompt == "Scan the lot and expiry label of MILK-1.")
        let done = station.scan("CMD-DONE")
        #expect(done.rejection?.code == "lot_label_expected")
        #expect(done.documents.isEmpty)
        #expect(station.prompt.hasPrefix("MILK-1 is not booked yet: scan its lot and expiry label, or CMD-CANCEL."), "\(station.prompt)")
        let booked = station.scan(gs1(batch: "L7", expiry: day("2027-01-31")))
        #expect(booked.movements.first?.quantity == 6)
        #expect(booked.movements.first?.lot == "L7")
        // Nothing awaited: CMD-DONE closes it (with the receipt's differences).
        #expect(station.scan("CMD-DONE").documents.count == 1)
        #expect(station.state.task == .none)
    }

    @Test func doneWhileAPalletAwaitsConfirmationIsRefused() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(gs1(sscc: Codes.palletA, contentGTIN: Codes.widgetEach, count: 100))
        let done = station.scan("CMD-DONE")
        #expect(done.rejection?.code == "confirm_pallet")
        #expect(done.documents.isEmpty)
        #expect(station.state.task.document == DocumentRef(.receipt, "R-100"))
    }

    @Test func undoingAMixedBoxShippedNamesEachProduct() {
        var settings = sampleSettings(mode: .pick)
        settings.modes = WorkflowMode.allCases
        var station = TestStation(settings: settings)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 10)
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        for scan in ["O-1", "LOC-A-01", "CMD-QTY-2", Codes.gadget, "LOC-A-02", "CMD-QTY-5", Codes.widgetEach,
                     "CMD-MODE-pack", "O-1", Codes.boxLabel, "CMD-QTY-5", Codes.widgetEach, "CMD-QTY-2", Codes.gadget, "CMD-DONE",
                     "CMD-MODE-ship", Codes.boxLabel] {
            station.scan(scan)
        }
        #expect(station.prompt.hasPrefix("Box \(Codes.boxLabel) shipped."), "\(station.prompt)")
        let undone = station.scan("CMD-UNDO")
        #expect(undone.movements.count == 2)
        #expect(station.prompt.hasPrefix("Undone: 2 GADGET-2, 5 WIDGET-7."), "\(station.prompt)")
        // One product: as before.
        station.scan("CMD-MODE-receive")
        station.scan("R-100")
        station.scan(Codes.widgetCase)
        station.scan("CMD-UNDO")
        #expect(station.prompt.hasPrefix("Undone: 12 WIDGET-7."), "\(station.prompt)")
    }

    /// Two lots of one product at one location: the prompt names the lot to take first,
    /// and the later lot is refused there (FEFO).
    @Test func pickingNamesTheLotAndRefusesALaterOneAtTheSameLocation() {
        var station = TestStation(settings: sampleSettings(mode: .pick))
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7", lot: "LATE", expiry: day("2027-06-01")), 10)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7", lot: "EARLY", expiry: day("2027-01-01")), 10)
        station.scan("O-1")
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-2")
        station.scan(Codes.gadget)
        #expect(station.prompt.hasSuffix("Go to A-02 for 5 WIDGET-7 lot EARLY. Scan the location."), "\(station.prompt)")
        station.scan("LOC-A-02")
        #expect(station.prompt == "Pick 5 WIDGET-7 lot EARLY at A-02. Scan the item.")
        let late = station.scan(gs1(gtin: Codes.widgetEach, batch: "LATE"))
        #expect(late.rejection?.code == "wrong_lot")
        #expect(station.prompt.hasPrefix("Wrong lot. Pick lot EARLY."), "\(station.prompt)")
        let early = station.scan(gs1(gtin: Codes.widgetEach, batch: "EARLY"))
        #expect(early.movements.first?.lot == "EARLY")
        // German names the lot too.
        #expect(MessageCatalog.render(PromptMessage(.goToLocationLot, [PromptField("location", "A-02"), PromptField("quantity", "4"), PromptField("sku", "WIDGET-7"), PromptField("lot", "EARLY")]), in: .de)
            == "Zu A-02 für 4 WIDGET-7 Charge EARLY. Platz scannen.")
    }
}

extension ShiftScenarioTests {
    /// A contents label without an SSCC, (02) GTIN and (37) count, is that many of the
    /// contained trade item (it was 'not known here').
    @Test func aContentsLabelWithoutAnSSCCCountsItsTradeItems() {
        var station = TestStation()
        station.scan("R-100")
        let received = station.scan(gs1(contentGTIN: Codes.widgetCase, count: 2))
        #expect(received.feedback == .ok)
        #expect(received.movements.map(\.quantity) == [24])
        #expect(received.movements.first?.sku == "WIDGET-7")
        #expect(received.movements.first?.toContainer == nil)
        #expect(station.prompt.hasPrefix("Received 24 WIDGET-7."), "\(station.prompt)")
    }
}

extension ShiftScenarioTests {
    /// A pallet whose label disagrees with the receipt says what each says, so the worker
    /// can judge before confirming (it said only that they differ).
    @Test func aPalletMismatchSaysWhatTheLabelAndTheReceiptSay() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(gs1(sscc: Codes.palletA, batch: "L5", contentGTIN: Codes.widgetCase, count: 9))
        #expect(station.prompt.hasPrefix("Pallet \(Codes.palletA): label and receipt differ (label 108 WIDGET-7 (L5), receipt 120 WIDGET-7). Scan pallet \(Codes.palletA) again"), "\(station.prompt)")
    }
}

extension ShiftScenarioTests {
    /// Goods of a GTIN the catalog lacks, received under a warn or allow policy, can be put
    /// away and counted (they were stuck at the dock: 'Product … is not known').
    @Test func goodsReceivedAsUnknownProductsLeaveTheDock() {
        var settings = sampleSettings()
        settings.policies.unknownProduct = .allow
        settings.policies.blindReceiving = true
        var station = TestStation(settings: settings)
        station.scan("R-100")
        station.scan("CMD-QTY-3")
        #expect(station.scan(Codes.unknown).movements.first?.sku == "GTIN-" + Codes.unknown)
        station.scan("CMD-DONE")
        station.scan("CMD-MODE-putaway")
        let started = station.scan(Codes.unknown)
        #expect(started.feedback == .ok, "\(station.prompt)")
        station.scan("CMD-QTY-3")
        let stored = station.scan("LOC-B-01")
        #expect(stored.movements.map(\.quantity) == [3])
        #expect(station.quantity("B-01", "GTIN-" + Codes.unknown) == 3)
        station.scan("CMD-MODE-count")
        station.scan("LOC-B-01")
        #expect(station.scan(Codes.unknown).feedback == .ok, "\(station.prompt)")
        // A GTIN nobody received is still unknown.
        #expect(station.scan(gtin("0999999999998")).rejection?.code == "unknown_product")
    }
}

extension ShiftScenarioTests {
    /// A lot-tracked product received in two lots is put away together: no one lot holds
    /// the quantity, the dock's lots do, and they leave earliest expiry first (it was
    /// 'Not enough MILK-1 at DOCK-1' with 12 there).
    @Test func looseGoodsOfSeveralLotsArePutAwayTogether() {
        func docked() -> TestStation {
            var station = TestStation(settings: sampleSettings(mode: .putaway))
            station.catalog.setStock(StockKey(location: "DOCK-1", sku: "MILK-1", lot: "LATE", expiry: day("2027-06-01")), 6)
            station.catalog.setStock(StockKey(location: "DOCK-1", sku: "MILK-1", lot: "EARLY", expiry: day("2027-01-01")), 6)
            return station
        }
        // The quantity first.
        var station = docked()
        station.scan("CMD-QTY-2")
        #expect(station.scan(Codes.milkCase).feedback == .ok, "\(station.prompt)")
        let stored = station.scan("LOC-A-01")
        #expect(stored.movements.map { "\($0.lot ?? "-"):\($0.quantity)" } == ["EARLY:6", "LATE:6"])
        #expect(station.quantity("A-01", "MILK-1", lot: "EARLY", expiry: day("2027-01-01")) == 6)
        #expect(station.quantity("A-01", "MILK-1", lot: "LATE", expiry: day("2027-06-01")) == 6)
        #expect(station.scan("CMD-UNDO").movements.count == 2)
        #expect(station.quantity("DOCK-1", "MILK-1", lot: "EARLY", expiry: day("2027-01-01")) == 6)
        // The quantity after the scan widens the FEFO lot to both.
        station = docked()
        station.scan(Codes.milkCase)
        #expect(station.scan("CMD-QTY-2").feedback == .ok, "\(station.prompt)")
        #expect(station.scan("LOC-A-01").movements.map { "\($0.lot ?? "-"):\($0.quantity)" } == ["EARLY:6", "LATE:6"])
        // One lot, one movement, as before; a scanned lot stays that lot.
        station = docked()
        station.scan(Codes.milkCase)
        #expect(station.scan("LOC-A-01").movements.map { "\($0.lot ?? "-"):\($0.quantity)" } == ["EARLY:6"])
        station.scan(gs1(gtin: Codes.milkCase, batch: "LATE"))
        #expect(station.scan("CMD-QTY-2").rejection?.code == "not_enough_stock")
        // More than all lots together: refused.
        station = docked()
        station.scan("CMD-QTY-3")
        #expect(station.scan(Codes.milkCase).rejection?.code == "not_enough_stock")
    }
}
