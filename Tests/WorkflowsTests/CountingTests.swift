import Foundation
import ScanCodes
import Testing
import Workflows

@Suite struct CountingTests {
    func countStation() -> TestStation {
        var station = TestStation(settings: sampleSettings(mode: .count))
        station.catalog.setStock(StockKey(location: "A-01", sku: "WIDGET-7"), 10)
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 4)
        station.catalog.setStock(StockKey(location: "A-01", sku: "MILK-1", lot: "M1", expiry: day("2027-05-31")), 12)
        return station
    }

    @Test func differencesBecomeAdjustments() {
        var station = countStation()
        #expect(station.scan("LOC-A-01").feedback == .ok)
        station.scan(Codes.widgetCase)
        #expect(station.prompt.hasPrefix("Counted 12 WIDGET-7, 12 in all."))
        // The lot of MILK-1 is the only one there: no lot label needed.
        station.scan(Codes.milkCase)
        station.scan(Codes.milkCase)
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .warning)
        #expect(done.documents == [.countRecorded(location: "A-01", differences: [
            CountDifference(sku: "GADGET-2", lot: nil, recorded: 4, counted: 0),
            CountDifference(sku: "WIDGET-7", lot: nil, recorded: 10, counted: 12),
        ], items: [
            CountDifference(sku: "GADGET-2", lot: nil, recorded: 4, counted: 0),
            CountDifference(sku: "MILK-1", lot: "M1", recorded: 12, counted: 12),
            CountDifference(sku: "WIDGET-7", lot: nil, recorded: 10, counted: 12),
        ])])
        #expect(done.movements.allSatisfy { $0.kind == .adjust })
        #expect(station.quantity("A-01", "WIDGET-7") == 12)
        #expect(station.quantity("A-01", "GADGET-2") == 0)
        #expect(station.quantity("A-01", "MILK-1", lot: "M1", expiry: day("2027-05-31")) == 12)
        #expect(station.state.task == .none)
    }

    @Test func containersCountedAsTheyAreAreInTheCountsRecord() {
        var station = TestStation(settings: sampleSettings(mode: .count))
        station.catalog.setStock(StockKey(location: "A-01", sku: "WIDGET-7", container: Codes.palletA), 36)
        station.catalog.setStock(StockKey(location: "A-01", sku: "WIDGET-7"), 2)
        station.scan("LOC-A-01")
        station.scan(Codes.palletA)
        station.scan(Codes.widgetEach)
        let done = station.scan("CMD-DONE")
        // The pallet's 36 are expected and counted; the loose 2 were found as 1.
        #expect(done.documents == [.countRecorded(location: "A-01", differences: [
            CountDifference(sku: "WIDGET-7", lot: nil, recorded: 2, counted: 1),
        ], items: [
            CountDifference(sku: "WIDGET-7", lot: nil, recorded: 38, counted: 37),
        ])])
        #expect(station.quantity("A-01", "WIDGET-7", container: Codes.palletA) == 36)
        #expect(station.quantity("A-01", "WIDGET-7") == 1)
        // Only the pallet there: the count still has its line.
        station.catalog.setStock(StockKey(location: "A-02", sku: "GADGET-2", container: Codes.palletShared), 40)
        station.scan("LOC-A-02")
        station.scan(Codes.palletShared)
        let matched = station.scan("CMD-DONE")
        #expect(matched.feedback == .ok && matched.movements.isEmpty)
        #expect(matched.documents == [.countRecorded(location: "A-02", differences: [], items: [
            CountDifference(sku: "GADGET-2", lot: nil, recorded: 40, counted: 40),
        ])])
    }

    /// CMD-DONE with nothing counted where stock is booked asks once more before booking
    /// the location empty: a slip onto CMD-DONE must not empty a shelf. Scanning what is
    /// there instead counts as usual; an empty location needs no second CMD-DONE.
    @Test func nothingCountedIsConfirmedBeforeTheLocationIsBookedEmpty() {
        var station = countStation()
        station.scan("LOC-A-01")
        let first = station.scan("CMD-DONE")
        #expect(first.feedback == .warning)
        #expect(first.rejection?.code == "nothing_counted")
        #expect(first.movements.isEmpty && first.documents.isEmpty && first.claims.isEmpty)
        #expect(station.prompt == "Nothing was counted at A-01, where stock is booked. Scan what is there, or CMD-DONE again to book A-01 empty.", "\(station.prompt)")
        #expect(station.quantity("A-01", "WIDGET-7") == 10)
        let second = station.scan("CMD-DONE")
        #expect(second.movements.count == 3)
        #expect(station.quantity("A-01", "WIDGET-7") == 0)
        #expect(station.state.task == .none)

        // Scanning after the question counts as usual.
        var other = countStation()
        other.scan("LOC-A-01")
        other.scan("CMD-DONE")
        other.scan("CMD-QTY-10")
        other.scan(Codes.widgetEach)
        #expect(other.prompt.hasPrefix("Counted 10 WIDGET-7, 10 in all. Count A-01"), "\(other.prompt)")
        let done = other.scan("CMD-DONE")
        #expect(done.movements.count == 2)

        // A location with nothing booked is counted empty at once.
        var empty = countStation()
        empty.scan("LOC-A-02")
        let matched = empty.scan("CMD-DONE")
        #expect(matched.feedback == .ok && matched.movements.isEmpty)
        #expect(empty.state.task == .none)
    }

    @Test func matchingCountBooksNothing() {
        var station = countStation()
        station.scan("LOC-A-01")
        station.scan("CMD-QTY-10")
        station.scan(Codes.widgetEach)
        station.scan("CMD-QTY-4")
        station.scan(Codes.gadget)
        station.scan(gs1(gtin: Codes.milkCase, batch: "M1", count: nil))
        station.scan(gs1(gtin: Codes.milkCase, batch: "M1"))
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .ok)
        #expect(done.movements.isEmpty)
        #expect(station.prompt.hasPrefix("Count of A-01 matches."))
    }

    @Test func undoRemovesTheLastCountedScan() {
        var station = countStation()
        station.scan("LOC-A-01")
        station.scan(Codes.widgetCase)
        station.scan(Codes.widgetEach)
        #expect(station.scan("CMD-UNDO").feedback == .ok)
        guard case .counting(let task) = station.state.task else {
            Issue.record("not counting")
            return
        }
        #expect(task.counted.map(\.quantity) == [12])
    }

    @Test func otherLocationWhileCountingIsRefused() {
        var station = countStation()
        station.scan("LOC-A-01")
        #expect(station.scan("LOC-A-02").rejection?.code == "document_open")
        #expect(station.scan(Codes.unknown).rejection?.code == "unknown_product")
    }
}
