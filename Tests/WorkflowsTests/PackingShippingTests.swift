import Foundation
import ScanCodes
import Testing
import Workflows

@Suite struct PackingShippingTests {
    /// Order O-1 fully picked to STAGE-1 (5 WIDGET-7, 2 GADGET-2), station now in pack mode.
    func pickedStation(settings: StationSettings = sampleSettings(mode: .pick)) -> TestStation {
        var station = TestStation(settings: settings)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 10)
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        for scan in ["O-1", "LOC-A-01", "CMD-QTY-2", Codes.gadget, "LOC-A-02", "CMD-QTY-5", Codes.widgetEach, "CMD-MODE-pack"] {
            station.scan(scan)
        }
        return station
    }

    @Test func newBoxMintsTheNextSSCCOfTheRangeAndAsksForItsLabel() {
        var station = pickedStation()
        #expect(station.scan("O-1").feedback == .ok)
        #expect(station.prompt == "Order O-1 started. Order O-1: scan a box label or CMD-NEWBOX.")
        let box = station.scan("CMD-NEWBOX")
        #expect(box.feedback == .ok)
        let expected = sscc("04012345001000000")
        #expect(box.containers == [.created(Container(sscc: expected, kind: .box, status: .open, location: "PACK-1", order: "O-1"))])
        #expect(box.labels == [LabelRequest(kind: .sscc, data: "(00)" + expected, lines: ["O-1", expected])])
        #expect(CheckDigit.isValidGS1(Array(expected.utf8)))
        #expect(station.prompt.contains("Attach label \(expected)"))
        #expect(station.prompt.hasSuffix("Scan items into box \(expected): WIDGET-7 5, GADGET-2 2. CMD-DONE closes it."))
    }

    @Test func theOpenOrderScannedAgainWhilePackingIsNoError() {
        var station = pickedStation()
        station.scan("O-1")
        station.scan("CMD-NEWBOX")
        let again = station.scan("O-1")
        #expect(again.feedback == .ok)
        #expect(again.movements.isEmpty && again.containers.isEmpty)
        #expect(station.prompt.hasPrefix("O-1 is open already. Scan items into box "), "\(station.prompt)")
    }

    /// A `CMD-QTY-n` is for the document it was scanned in: the order left with lines open,
    /// it is dropped (and the worker told), not applied to the next order's first item.
    @Test func leavingTheOrderDropsItsQuantity() {
        var station = pickedStation()
        station.scan("O-1")
        station.scan("CMD-QTY-3")
        #expect(station.scan(Codes.widgetEach).rejection?.code == "box_first")
        #expect(station.state.pendingQuantity == 3)
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .warning)
        #expect(station.prompt == "Order O-1 left with 2 lines open. Quantity 3 dropped. Scan an order or tote.", "\(station.prompt)")
        #expect(station.state.pendingQuantity == nil)
        station.scan("O-1")
        station.scan(Codes.boxLabel)
        #expect(station.scan(Codes.widgetEach).movements.map(\.quantity) == [1])
    }

    @Test func packingValidatesAgainstWhatIsPicked() {
        var station = pickedStation()
        station.scan("O-1")
        #expect(station.scan(Codes.widgetEach).rejection?.code == "box_first")
        station.scan(Codes.boxLabel)
        #expect(station.catalog.container(sscc: Codes.boxLabel)?.kind == .box)
        let wrong = station.scan(Codes.milkCase)
        #expect(wrong.rejection?.code == "not_expected")
        #expect(station.prompt.hasPrefix("MILK-1 is not expected. Expected: WIDGET-7 5, GADGET-2 2."))
        station.scan("CMD-QTY-3")
        let over = station.scan(Codes.gadget)
        #expect(over.rejection?.code == "over_pack")
        #expect(station.prompt.hasPrefix("Too many GADGET-2: 2 left to pack."))
        station.scan("CMD-QTY-2")
        let packed = station.scan(Codes.gadget)
        #expect(packed.movements.first?.kind == .pack)
        #expect(packed.movements.first?.from == "STAGE-1")
        #expect(packed.movements.first?.to == "PACK-1")
        #expect(packed.movements.first?.toContainer == Codes.boxLabel)
        #expect(station.catalog.order(number: "O-1")?.lines[1].packed == 2)
        #expect(station.scan(Codes.gadget).rejection?.code == "over_pack")
    }

    @Test func doneClosesTheBoxAndTheOrderIsPackedWhenEveryLineIs() {
        var station = pickedStation()
        station.scan("O-1")
        station.scan("CMD-NEWBOX")
        #expect(station.scan("CMD-DONE").rejection?.code == "box_empty")
        station.scan("CMD-QTY-2")
        station.scan(Codes.gadget)
        let firstBox = station.scan("CMD-DONE")
        #expect(firstBox.documents.isEmpty)
        let firstSSCC = sscc("04012345001000000")
        #expect(firstBox.containers == [.closed(sscc: firstSSCC)])
        let second = station.scan("CMD-NEWBOX")
        let secondSSCC = sscc("04012345001000001")
        #expect(second.labels.first?.data == "(00)" + secondSSCC)
        station.scan("CMD-QTY-5")
        station.scan(Codes.widgetEach)
        // Nothing picked is left outside the box: the prompt says to close it.
        #expect(station.prompt == "Packed 5 WIDGET-7. Everything picked is in box \(secondSSCC). Scan CMD-DONE to close it.")
        let done = station.scan("CMD-DONE")
        #expect(done.documents == [.orderPacked(order: "O-1")])
        #expect(done.claims == [.release(DocumentRef(.order, "O-1"))])
        #expect(station.quantity("PACK-1", "WIDGET-7", container: secondSSCC) == 5)
        #expect(station.quantity("STAGE-1", "WIDGET-7") == 0)

        // Shipping: the goods leave stock.
        station.scan("CMD-MODE-ship")
        #expect(station.scan("SHIP-1").feedback == .ok)
        let shipped = station.scan(firstSSCC)
        #expect(shipped.feedback == .ok)
        #expect(shipped.movements.map(\.kind) == [.ship])
        #expect(shipped.movements.first?.to == nil)
        #expect(shipped.containers == [.shipped(sscc: firstSSCC, door: "SHIP-1")])
        #expect(station.total("GADGET-2") == 3)
        #expect(station.scan(firstSSCC).rejection?.code == "box_shipped")
        #expect(station.scan(secondSSCC).feedback == .ok)
        #expect(station.total("WIDGET-7") == 5)
    }

    @Test func rangeExhaustedIsRefused() {
        var settings = sampleSettings(mode: .pick)
        settings.ssccSerialRange = 7...7
        var station = pickedStation(settings: settings)
        station.scan("O-1")
        #expect(station.scan("CMD-NEWBOX").feedback == .ok)
        station.scan(Codes.gadget)
        station.scan("CMD-DONE")
        #expect(station.scan("CMD-NEWBOX").rejection?.code == "sscc_range_exhausted")
    }

    @Test func mintingSkipsSSCCsAlreadyKnown() {
        var station = pickedStation()
        station.catalog.add(Container(sscc: sscc("04012345001000000"), kind: .box, status: .shipped))
        station.scan("O-1")
        #expect(station.scan("CMD-NEWBOX").labels.first?.data == "(00)" + sscc("04012345001000001"))
    }

    @Test func mintingContinuesAfterTheCatalogsCounterEvenInAFreshSession() {
        var station = pickedStation()
        station.scan("O-1")
        let first = station.scan("CMD-NEWBOX")
        #expect(first.mintedSSCCSerial == 1_000_000)
        station.scan(Codes.gadget)
        station.scan("CMD-DONE")
        // A new session (a restart, or a session restored from an older backup) knows no
        // serial; the catalog's counter alone decides, even past SSCCs no container has yet.
        station.state = WorkflowState(mode: station.state.mode)
        station.catalog.setLastSSCCSerial(1_000_001, station: "dock-1")
        station.scan("O-1")
        let second = station.scan("CMD-NEWBOX")
        #expect(second.mintedSSCCSerial == 1_000_002)
        #expect(second.labels.first?.data == "(00)" + sscc("04012345001000002"))
    }

    @Test func aRefusedNewBoxMintsNothing() {
        var station = pickedStation()
        station.scan("O-1")
        station.scan("CMD-NEWBOX")
        let refused = station.scan("CMD-NEWBOX")
        #expect(refused.rejection?.code == "box_open")
        #expect(refused.mintedSSCCSerial == nil)
        #expect(!refused.changesState)
    }

    @Test func openBoxCannotBeShipped() {
        var station = pickedStation()
        station.scan("O-1")
        station.scan(Codes.boxLabel)
        station.scan(Codes.gadget)
        station.scan("CMD-CANCEL")
        station.scan("CMD-CANCEL")
        station.scan("CMD-MODE-ship")
        let refused = station.scan(Codes.boxLabel)
        #expect(refused.rejection?.code == "box_not_closed")
        #expect(refused.movements.isEmpty)
        #expect(station.scan(Codes.palletA).rejection?.code == "unknown_box")
        #expect(station.scan("LOC-A-01").rejection?.code == "wrong_location_kind")
    }

    @Test func packingFromATote() {
        var station = TestStation(settings: sampleSettings(mode: .pick))
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 5)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 10)
        for scan in ["O-1", Codes.tote, "LOC-A-01", Codes.gadget, "CMD-MODE-pack"] { station.scan(scan) }
        // Picking is still open: the mode cannot change.
        #expect(station.last?.rejection?.code == "document_open")
        station.scan("CMD-DONE")
        station.scan("CMD-MODE-pack")
        #expect(station.scan(Codes.tote).feedback == .ok)
        station.scan(Codes.boxLabel)
        let packed = station.scan(Codes.gadget)
        #expect(packed.movements.first?.fromContainer == Codes.tote)
        #expect(station.quantity("STAGE-1", "GADGET-2", container: Codes.tote) == 0)
    }

    @Test func minterMakesValidSSCCs() {
        #expect(SSCCMinter.sscc(extensionDigit: 3, companyPrefix: "4012345", serial: 42) == sscc("34012345000000042"))
        #expect(SSCCMinter.sscc(extensionDigit: 0, companyPrefix: "4012345", serial: 1_000_000_000) == nil)
        #expect(SSCCMinter.sscc(extensionDigit: 0, companyPrefix: "40A2345", serial: 1) == nil)
        for serial in [UInt64(0), 1, 999_999_999] {
            let value = SSCCMinter.sscc(extensionDigit: 1, companyPrefix: "4012345", serial: serial) ?? ""
            #expect(value.count == 18)
            #expect(CheckDigit.isValidGS1(Array(value.utf8)))
        }
    }
}
