import Foundation
import ScanCodes
import Testing
import Workflows

@Suite struct PutawayTests {
    /// A station that received pallet A (120 WIDGET-7) and 12 loose WIDGET-7 at DOCK-1, now in put-away.
    func receivedStation() -> TestStation {
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.palletA)
        station.scan(Codes.widgetCase)
        station.scan("CMD-DONE")
        station.scan("CMD-MODE-putaway")
        return station
    }

    @Test func palletGoesWholeToTheScannedLocation() {
        var station = receivedStation()
        let first = station.scan(Codes.palletA)
        #expect(first.feedback == .ok)
        // Zone A, first empty storage location by sequence.
        #expect(station.prompt == "Take it to A-01 and scan the location.")
        let stored = station.scan("LOC-A-01")
        #expect(stored.feedback == .ok)
        #expect(stored.movements.count == 1)
        #expect(stored.movements.first?.kind == .putaway)
        #expect(stored.movements.first?.fromContainer == Codes.palletA)
        #expect(stored.movements.first?.toContainer == Codes.palletA)
        #expect(station.quantity("A-01", "WIDGET-7", container: Codes.palletA) == 120)
        #expect(station.quantity("DOCK-1", "WIDGET-7", container: Codes.palletA) == 0)
        #expect(station.catalog.container(sscc: Codes.palletA)?.location == "A-01")
        #expect(station.state.task == .none)
    }

    @Test func looseGoodsAreFoundAtAnyDockWhenNoneIsConfigured() {
        var station = TestStation(settings: sampleSettings(mode: .putaway))
        station.catalog.setStock(StockKey(location: "DOCK-2", sku: "GADGET-2"), 6)
        station.scan("CMD-QTY-4")
        #expect(station.scan(Codes.gadget).feedback == .ok, "\(station.prompt)")
        let stored = station.scan("LOC-B-01")
        #expect(stored.movements.first?.from == "DOCK-2" && stored.movements.first?.quantity == 4)
        #expect(station.quantity("DOCK-2", "GADGET-2") == 2 && station.quantity("B-01", "GADGET-2") == 4)
        // A station that names its dock takes goods from there only.
        var settings = sampleSettings(mode: .putaway)
        settings.receiveTo = "DOCK-1"
        var named = TestStation(settings: settings)
        named.catalog.setStock(StockKey(location: "DOCK-2", sku: "GADGET-2"), 6)
        #expect(named.scan(Codes.gadget).rejection?.code == "not_enough_stock")
    }

    @Test func suggestionIsWhereTheProductAlreadyIs() {
        var station = receivedStation()
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 3)
        station.scan(Codes.widgetEach)
        #expect(station.prompt == "Take it to A-02 and scan the location.")
        let stored = station.scan("LOC-A-02")
        #expect(stored.movements.first?.quantity == 1)
        #expect(station.quantity("A-02", "WIDGET-7") == 4)
        #expect(station.quantity("DOCK-1", "WIDGET-7") == 11)
    }

    @Test func anotherLocationThanSuggestedIsAccepted() {
        var station = receivedStation()
        station.scan(Codes.palletA)
        #expect(station.scan("LOC-B-01").feedback == .ok)
        #expect(station.quantity("B-01", "WIDGET-7", container: Codes.palletA) == 120)
    }

    @Test func locationOfTheWrongKindIsRefused() {
        var station = receivedStation()
        station.scan(Codes.palletA)
        let refused = station.scan("STAGE-1")
        #expect(refused.feedback == .error)
        #expect(refused.rejection?.code == "wrong_location_kind")
        #expect(refused.movements.isEmpty)
        #expect(station.prompt.hasPrefix("STAGE-1 is a staging location, not storage."))
        // Still waiting for a location.
        #expect(station.scan("LOC-A-01").feedback == .ok)
    }

    @Test func moreThanIsAtTheDockIsRefused() {
        var station = receivedStation()
        station.scan("CMD-QTY-13")
        let refused = station.scan(Codes.widgetEach)
        #expect(refused.rejection?.code == "not_enough_stock")
    }

    @Test func theSameItemScannedAgainGoesWithTheFirst() {
        var station = receivedStation()
        station.scan(Codes.widgetEach)
        let again = station.scan(Codes.widgetEach)
        #expect(again.feedback == .ok)
        #expect(again.movements.isEmpty)
        #expect(station.prompt == "2 WIDGET-7 to put away. Take it to A-01 and scan the location.")
        let stored = station.scan("LOC-A-01")
        #expect(stored.movements.map(\.quantity) == [2])
        #expect(station.quantity("A-01", "WIDGET-7") == 2)
        #expect(station.quantity("DOCK-1", "WIDGET-7") == 10)
    }

    @Test func aQuantityAfterTheItemCountsWhatWasScanned() {
        var station = receivedStation()
        station.scan(Codes.widgetEach)
        let set = station.scan("CMD-QTY-5")
        #expect(set.feedback == .ok)
        #expect(station.prompt == "5 WIDGET-7 to put away. Take it to A-01 and scan the location.")
        #expect(station.state.pendingQuantity == nil)
        // More than the dock holds: refused, the 5 stay.
        #expect(station.scan("CMD-QTY-13").rejection?.code == "not_enough_stock")
        let stored = station.scan("LOC-A-01")
        #expect(stored.movements.map(\.quantity) == [5])
        #expect(station.quantity("DOCK-1", "WIDGET-7") == 7)
        // With nothing pending, the quantity is for the next scan as everywhere.
        station.scan("CMD-QTY-2")
        #expect(station.state.pendingQuantity == 2)
        station.scan(Codes.widgetEach)
        #expect(station.scan("LOC-A-01").movements.map(\.quantity) == [2])
    }

    @Test func aQuantityAfterACaseCountsCases() {
        var station = receivedStation()
        station.catalog.setStock(StockKey(location: "DOCK-1", sku: "WIDGET-7"), 24)
        station.scan(Codes.widgetCase)
        #expect(station.scan("CMD-QTY-2").feedback == .ok)
        #expect(station.scan("LOC-A-01").movements.map(\.quantity) == [24])
    }

    @Test func locationBeforeAUnitIsRefused() {
        var station = receivedStation()
        #expect(station.scan("LOC-A-01").rejection?.code == "unit_first")
        #expect(station.scan(Codes.boxLabel).rejection?.code == "nothing_to_put_away")
    }

    @Test func undoPutsThePalletBack() {
        var station = receivedStation()
        station.scan(Codes.palletA)
        station.scan("LOC-A-01")
        let undone = station.scan("CMD-UNDO")
        #expect(undone.feedback == .ok)
        #expect(undone.movements.first?.kind == .undo)
        #expect(station.quantity("DOCK-1", "WIDGET-7", container: Codes.palletA) == 120)
        #expect(station.catalog.container(sscc: Codes.palletA)?.location == "DOCK-1")
        #expect(station.scan("CMD-UNDO").rejection?.code == "nothing_to_undo")
    }
}
