import Foundation
import ScanCodes
import Testing
import Workflows

/// A fractional `CMD-QTY-n` ("1.5") meets a product kept in whole pieces: refused where it
/// meets it, with nothing booked; products kept in a unit of measure take decimals.
@Suite struct WholePiecesTests {
    static let flour = gtin("0400638100010")
    static let rope = gtin("0400638100011")
    static let oneAndAHalf = Quantity(micros: 1_500_000)

    /// The sample warehouse plus FLOUR-1 kept in kg and ROPE-1 in m, a receipt and an order
    /// for them, and stock to pick, put away and count.
    static func catalog() -> InMemoryCatalog {
        var catalog = sampleCatalog()
        catalog.add(Product(sku: "FLOUR-1", unit: "kg", zone: "A"), gtins: [ProductGTIN(gtin: flour, sku: "FLOUR-1")])
        catalog.add(Product(sku: "ROPE-1", unit: "M", zone: "A"), gtins: [ProductGTIN(gtin: rope, sku: "ROPE-1")])
        catalog.add(Receipt(number: "R-400", lines: [
            ReceiptLine(line: 1, sku: "GADGET-2", quantity: 10),
            ReceiptLine(line: 2, sku: "FLOUR-1", quantity: 10),
        ]))
        catalog.add(Order(number: "O-4", lines: [
            OrderLine(line: 1, sku: "GADGET-2", quantity: 4),
            OrderLine(line: 2, sku: "ROPE-1", quantity: 3),
        ]))
        catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 10)
        catalog.setStock(StockKey(location: "A-02", sku: "ROPE-1"), 10)
        return catalog
    }

    static func station(_ mode: WorkflowMode, language: PromptLanguage = .en) -> TestStation {
        var settings = sampleSettings(mode: mode)
        settings.language = language
        return TestStation(catalog: catalog(), settings: settings)
    }

    /// The refusal: error feedback, nothing booked, the task as it was, the prompt saying why.
    static func expectRefused(_ outcome: StepOutcome, _ station: TestStation, taskBefore: WorkflowTask, sku: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.feedback == .error, sourceLocation: sourceLocation)
        #expect(outcome.signal == .error, sourceLocation: sourceLocation)
        #expect(outcome.rejection?.code == "whole_pieces", sourceLocation: sourceLocation)
        #expect(outcome.movements.isEmpty && !outcome.changesState, sourceLocation: sourceLocation)
        #expect(station.state.task == taskBefore, sourceLocation: sourceLocation)
        #expect(station.prompt.hasPrefix("\(sku) is counted in whole pieces: 1.5 is not a whole number."), "\(station.prompt)", sourceLocation: sourceLocation)
        // Like any refused quantity, it goes with the scan: the next scan counts one.
        #expect(station.state.pendingQuantity == nil, sourceLocation: sourceLocation)
    }

    @Test func receivingRefusesAFractionOfPiecesAndTakesOneOfAMeasure() {
        var station = Self.station(.receive)
        station.scan("R-400")
        #expect(station.scan("CMD-QTY-1.5").feedback == .ok)
        let task = station.state.task
        let refused = station.scan(Codes.gadget)
        Self.expectRefused(refused, station, taskBefore: task, sku: "GADGET-2")
        #expect(station.total("GADGET-2") == 10)
        #expect(station.scan(Codes.gadget).movements.map(\.quantity) == [1])
        // A product kept in kg takes 1.5 of it.
        station.scan("CMD-QTY-1.5")
        let flour = station.scan(Self.flour)
        #expect(flour.feedback == .ok)
        #expect(flour.movements.map(\.quantity) == [Self.oneAndAHalf])
        // Whole numbers written with a point are whole.
        station.scan("CMD-QTY-2.0")
        #expect(station.scan(Codes.gadget).movements.map(\.quantity) == [2])
    }

    @Test func theLabelsOwnCountIsNotHeldToThePendingFraction() {
        var station = Self.station(.receive)
        station.scan("R-400")
        station.scan("CMD-QTY-1.5")
        // AI 30 gives the units itself: the pending quantity plays no part.
        let counted = station.scan(gs1(gtin: Codes.gadget, variableCount: 3))
        #expect(counted.feedback == .ok)
        #expect(counted.movements.map(\.quantity) == [3])
    }

    @Test func goodsWaitingForTheirLotLabelRefuseTheFractionAtOnce() {
        var station = Self.station(.receive)
        station.scan("R-100")
        station.scan(Codes.milkCase)
        #expect(station.prompt.hasPrefix("Scan the lot and expiry label of MILK-1."), "\(station.prompt)")
        let task = station.state.task
        let refused = station.scan("CMD-QTY-1.5")
        #expect(refused.feedback == .error && refused.rejection?.code == "whole_pieces")
        #expect(station.state.task == task && station.state.pendingQuantity == nil)
        #expect(station.prompt.hasPrefix("MILK-1 is counted in whole pieces: 1.5 is not a whole number. Scan the lot and expiry label of MILK-1."), "\(station.prompt)")
        #expect(station.scan("CMD-QTY-2").feedback == .ok)
        let booked = station.scan(gs1(gtin: Codes.milkCase, batch: "M1", expiry: day("2027-05-31")))
        #expect(booked.movements.map(\.quantity) == [12])
    }

    @Test func pickingRefusesTheFractionForTheCurrentLineAtOnceAndAtTheItem() {
        var station = Self.station(.pick)
        // Scanned before the order: no product known yet, so it waits for the item.
        #expect(station.scan("CMD-QTY-1.5").feedback == .ok)
        station.scan("O-4")
        station.scan("LOC-A-01")
        let task = station.state.task
        Self.expectRefused(station.scan(Codes.gadget), station, taskBefore: task, sku: "GADGET-2")
        #expect(station.prompt.hasSuffix("Pick 4 GADGET-2 at A-01. Scan the item."), "\(station.prompt)")
        #expect(station.quantity("A-01", "GADGET-2") == 10)
        // With the line shown, CMD-QTY-1.5 is refused as it is scanned.
        let refused = station.scan("CMD-QTY-1.5")
        #expect(refused.rejection?.code == "whole_pieces")
        #expect(station.prompt == "GADGET-2 is counted in whole pieces: 1.5 is not a whole number. Pick 4 GADGET-2 at A-01. Scan the item.")
        #expect(station.state.pendingQuantity == nil)
        station.scan("CMD-QTY-4")
        #expect(station.scan(Codes.gadget).movements.map(\.quantity) == [4])
        // ROPE-1 is kept in metres: 1.5 m is picked.
        station.scan("LOC-A-02")
        #expect(station.scan("CMD-QTY-1.5").feedback == .ok)
        let rope = station.scan(Self.rope)
        #expect(rope.feedback == .ok)
        #expect(rope.movements.map(\.quantity) == [Self.oneAndAHalf])
        #expect(station.prompt.hasSuffix("Pick 1.5 ROPE-1 at A-02. Scan the item."), "\(station.prompt)")
    }

    @Test func packingRefusesAFractionOfPieces() {
        var station = Self.station(.pick)
        for scan in ["O-4", "LOC-A-01", "CMD-QTY-4", Codes.gadget, "LOC-A-02", "CMD-QTY-3", Self.rope, "CMD-MODE-pack", "O-4", Codes.boxLabel] {
            #expect(station.scan(scan).feedback == .ok, "\(scan): \(station.prompt)")
        }
        station.scan("CMD-QTY-1.5")
        let task = station.state.task
        Self.expectRefused(station.scan(Codes.gadget), station, taskBefore: task, sku: "GADGET-2")
        #expect(station.catalog.order(number: "O-4")?.lines[0].packed == 0)
        station.scan("CMD-QTY-1.5")
        #expect(station.scan(Self.rope).movements.map(\.quantity) == [Self.oneAndAHalf])
    }

    @Test func countingRefusesAFractionOfPieces() {
        var station = Self.station(.count)
        station.scan("LOC-A-02")
        station.scan("CMD-QTY-1.5")
        let task = station.state.task
        Self.expectRefused(station.scan(Codes.gadget), station, taskBefore: task, sku: "GADGET-2")
        station.scan("CMD-QTY-9.5")
        #expect(station.scan(Self.rope).feedback == .ok)
        #expect(station.prompt.hasPrefix("Counted 9.5 ROPE-1, 9.5 in all."), "\(station.prompt)")
    }

    @Test func putawayRefusesAFractionOfPiecesBeforeAndAfterTheItem() {
        var station = Self.station(.putaway)
        station.catalog.setStock(StockKey(location: "DOCK-1", sku: "GADGET-2"), 6)
        station.scan("CMD-QTY-1.5")
        Self.expectRefused(station.scan(Codes.gadget), station, taskBefore: .none, sku: "GADGET-2")
        #expect(station.scan(Codes.gadget).feedback == .ok)
        let task = station.state.task
        // After the item, CMD-QTY-n counts it at once: refused there.
        let refused = station.scan("CMD-QTY-1.5")
        #expect(refused.rejection?.code == "whole_pieces")
        #expect(station.state.task == task)
        #expect(station.prompt.hasPrefix("GADGET-2 is counted in whole pieces: 1.5 is not a whole number."), "\(station.prompt)")
        #expect(station.scan("CMD-QTY-2").feedback == .ok)
        #expect(station.scan("LOC-B-01").movements.map(\.quantity) == [2])
    }

    @Test func theRefusalIsSaidInGerman() {
        var station = Self.station(.receive, language: .de)
        station.scan("R-400")
        station.scan("CMD-QTY-1.5")
        #expect(station.scan(Codes.gadget).rejection?.code == "whole_pieces")
        #expect(station.prompt.hasPrefix("GADGET-2 wird in ganzen Stück gezählt: 1.5 ist keine ganze Zahl."), "\(station.prompt)")
    }

    @Test func everyMessageHasBothLanguages() {
        for id in [MessageID.wholePiecesOnly, .quantityDropped] {
            #expect(!MessageCatalog.template(id, in: .en).isEmpty)
            #expect(MessageCatalog.template(id, in: .en) != MessageCatalog.template(id, in: .de))
        }
    }
}
