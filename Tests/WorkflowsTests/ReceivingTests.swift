import Foundation
import ScanCodes
import Testing
import Workflows

@Suite struct ReceivingTests {
    @Test func receiptNumberClaimsTheReceipt() {
        var station = TestStation()
        let outcome = station.scan("R-100")
        #expect(outcome.feedback == .ok)
        #expect(outcome.claims == [.claim(DocumentRef(.receipt, "R-100"))])
        #expect(station.catalog.claim(on: DocumentRef(.receipt, "R-100"))?.station == "dock-1")
        #expect(station.prompt.hasPrefix("Receipt R-100 started."))
    }

    @Test func theOpenReceiptScannedAgainIsNoError() {
        // A worker re-scanning the receipt on the paperwork (or after a restart) is told it
        // is open, not to "finish or cancel" the very receipt scanned.
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.widgetCase)
        let again = station.scan("R-100")
        #expect(again.feedback == .ok)
        #expect(again.movements.isEmpty && again.claims.isEmpty)
        #expect(station.prompt.hasPrefix("R-100 is open already. Scan "), "\(station.prompt)")
        #expect(station.catalog.receipt(number: "R-100")?.lines[1].received == 12)
        #expect(station.scan("R-200").rejection?.code == "document_open")
        #expect(station.prompt.hasPrefix("Finish or cancel R-100 first."))
    }

    @Test func caseScanCountsUnitsPerGTINOnTheLooseLine() {
        var station = TestStation()
        station.scan("R-100")
        let outcome = station.scan(Codes.widgetCase)
        #expect(outcome.feedback == .ok)
        #expect(outcome.movements.count == 1)
        let movement = outcome.movements[0]
        #expect(movement.kind == .receive)
        #expect(movement.quantity == 12)
        #expect(movement.to == "DOCK-1")
        #expect(movement.from == nil)
        #expect(movement.line == 2)
        #expect(movement.document == DocumentRef(.receipt, "R-100"))
        #expect(station.quantity("DOCK-1", "WIDGET-7") == 12)
        #expect(station.catalog.receipt(number: "R-100")?.lines[1].received == 12)
    }

    @Test func configuredReceiveLocationMustBeInTheCatalog() {
        // receive_to by code or by label; a name the catalog lacks books nothing anywhere.
        var settings = sampleSettings()
        settings.receiveTo = "DOCK-2"
        var station = TestStation(settings: settings)
        station.scan("R-100")
        #expect(station.scan(Codes.widgetCase).movements.first?.to == "DOCK-2")
        settings.receiveTo = "LOC-A-01"
        station = TestStation(settings: settings)
        station.scan("R-100")
        #expect(station.scan(Codes.widgetCase).movements.first?.to == "A-01")
        settings.receiveTo = "DOCK-3"
        station = TestStation(settings: settings)
        station.scan("R-100")
        let refused = station.scan(Codes.widgetCase)
        #expect(refused.rejection?.code == "no_location" && refused.movements.isEmpty)
        #expect(station.prompt.hasPrefix("The station's dock location DOCK-3 is not in the catalog."))
        #expect(station.quantity("DOCK-3", "WIDGET-7") == 0)
        // Put-away takes goods from the same place, and refuses the same way.
        settings.mode = .putaway
        station = TestStation(settings: settings)
        #expect(station.scan(Codes.widgetEach).rejection?.code == "no_location")
    }

    @Test func aPalletOfALotTrackedProductAsksForTheLotTheReceiptLacks() {
        var catalog = sampleCatalog()
        let pallet = sscc("03400638100000007")
        catalog.add(Receipt(number: "R-300", lines: [ReceiptLine(line: 1, sscc: pallet, sku: "MILK-1", quantity: 24)]))
        var station = TestStation(catalog: catalog)
        station.scan("R-300")
        let scanned = station.scan(pallet)
        #expect(scanned.feedback == .ok && scanned.movements.isEmpty)
        #expect(station.prompt == "Scan the lot and expiry label of MILK-1.", "\(station.prompt)")
        let booked = station.scan(gs1(gtin: Codes.milkCase, batch: "M7", expiry: day("2027-03-31")))
        #expect(booked.movements.count == 1)
        #expect(booked.movements.first?.quantity == 24 && booked.movements.first?.line == 1)
        #expect(station.quantity("DOCK-1", "MILK-1", lot: "M7", expiry: day("2027-03-31"), container: pallet) == 24)
        // A receipt that names the lot and expiry books the pallet at once.
        var named = sampleCatalog()
        named.add(Receipt(number: "R-301", lines: [ReceiptLine(line: 1, sscc: pallet, sku: "MILK-1", quantity: 24, lot: "M8", expiry: day("2027-04-30"))]))
        var other = TestStation(catalog: named)
        other.scan("R-301")
        #expect(other.scan(pallet).movements.first?.lot == "M8")
    }

    @Test func quantityCommandMultipliesTheNextScanOnly() {
        var station = TestStation()
        station.scan("R-100")
        #expect(station.scan("CMD-QTY-2").feedback == .ok)
        #expect(station.scan(Codes.widgetCase).movements.first?.quantity == 24)
        #expect(station.scan(Codes.widgetEach).movements.first?.quantity == 1)
    }

    @Test func undoReachesTheLastTenStepsOfALongReceipt() {
        var station = TestStation()
        station.scan("R-100")
        for _ in 0..<25 { #expect(station.scan(Codes.widgetEach).feedback == .ok) }
        #expect(station.state.undo.count == UndoEntry.depth)
        for _ in 0..<UndoEntry.depth { #expect(station.scan("CMD-UNDO").feedback == .ok) }
        #expect(station.scan("CMD-UNDO").rejection?.code == "nothing_to_undo")
        #expect(station.quantity("DOCK-1", "WIDGET-7") == 15)
    }

    @Test func variableCountSetsTheUnits() {
        var station = TestStation()
        station.scan("R-100")
        let outcome = station.scan(gs1(gtin: Codes.widgetEach, variableCount: 7))
        #expect(outcome.movements.first?.quantity == 7)
    }

    @Test func badQuantityIsRefused() {
        var station = TestStation()
        station.scan("R-100")
        #expect(station.scan("CMD-QTY-abc").feedback == .error)
        #expect(station.scan("CMD-QTY-0").feedback == .error)
        #expect(station.state.pendingQuantity == nil)
    }

    @Test func palletOnTheReceiptIsReceivedWholeIntoItsContainer() {
        var station = TestStation()
        station.scan("R-100")
        let outcome = station.scan(Codes.palletA)
        #expect(outcome.feedback == .ok)
        #expect(outcome.movements.map(\.quantity) == [120])
        #expect(outcome.movements.first?.toContainer == Codes.palletA)
        #expect(outcome.movements.first?.line == 1)
        #expect(station.quantity("DOCK-1", "WIDGET-7", container: Codes.palletA) == 120)
        #expect(station.catalog.container(sscc: Codes.palletA)?.location == "DOCK-1")
        // The same pallet twice is refused.
        let again = station.scan(Codes.palletA)
        #expect(again.feedback == .error)
        #expect(again.rejection?.code == "pallet_received")
        #expect(station.quantity("DOCK-1", "WIDGET-7", container: Codes.palletA) == 120)
    }

    @Test func palletSSCCPicksTheReceiptWhenOnlyOneExpectsIt() {
        var station = TestStation()
        let outcome = station.scan(Codes.palletA)
        #expect(outcome.feedback == .ok)
        #expect(outcome.claims == [.claim(DocumentRef(.receipt, "R-100"))])
        #expect(outcome.movements.first?.quantity == 120)
    }

    @Test func palletOnTwoReceiptsAsksWhichOne() {
        var station = TestStation()
        let first = station.scan(Codes.palletShared)
        #expect(first.feedback == .ok)
        #expect(first.movements.isEmpty)
        #expect(station.prompt.contains("R-200, R-201"))
        #expect(station.scan("R-100").feedback == .error)
        let chosen = station.scan("R-201")
        #expect(chosen.feedback == .ok)
        #expect(chosen.movements.first?.document == DocumentRef(.receipt, "R-201"))
        #expect(chosen.movements.first?.quantity == 40)
        #expect(station.catalog.receipt(number: "R-201")?.lines[0].received == 40)
        #expect(station.catalog.receipt(number: "R-200")?.lines[0].received == 0)
    }

    @Test func palletWithoutReceiptLineTakesItsLabelContents() {
        var station = TestStation()
        station.scan("R-100")
        let label = gs1(sscc: Codes.palletLabelOnly, batch: "L1", expiry: day("2027-03-31"), contentGTIN: Codes.milkCase, count: 2)
        let outcome = station.scan(label)
        #expect(outcome.feedback == .ok)
        #expect(outcome.movements.count == 1)
        #expect(outcome.movements.first?.quantity == 12)
        #expect(outcome.movements.first?.lot == "L1")
        #expect(outcome.movements.first?.expiry == day("2027-03-31"))
        #expect(outcome.movements.first?.line == 3)
        #expect(station.quantity("DOCK-1", "MILK-1", lot: "L1", expiry: day("2027-03-31"), container: Codes.palletLabelOnly) == 12)
    }

    @Test func palletLabelDisagreeingWithReceiptIsAWarningToConfirm() {
        var station = TestStation()
        station.scan("R-100")
        let label = gs1(sscc: Codes.palletA, contentGTIN: Codes.widgetCase, count: 9)
        let warning = station.scan(label)
        #expect(warning.feedback == .warning)
        #expect(warning.rejection?.code == "pallet_mismatch")
        #expect(warning.movements.isEmpty)
        #expect(station.total("WIDGET-7") == 0)
        // Something else than the pallet is refused until confirmed or cancelled.
        #expect(station.scan(Codes.widgetEach).feedback == .error)
        let confirmed = station.scan(Codes.palletA)
        #expect(confirmed.feedback == .ok)
        #expect(confirmed.movements.map(\.quantity) == [108])
        #expect(confirmed.documents.contains(.palletMismatchConfirmed(receipt: "R-100", sscc: Codes.palletA)))
    }

    @Test func palletMismatchCanBeCancelled() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(gs1(sscc: Codes.palletA, contentGTIN: Codes.widgetCase, count: 9))
        #expect(station.scan("CMD-CANCEL").feedback == .ok)
        #expect(station.scan(Codes.palletA).movements.map(\.quantity) == [120])
    }

    @Test func lotTrackedGoodsWithoutLotAskForTheLotLabel() {
        var station = TestStation()
        station.scan("R-100")
        let first = station.scan(Codes.milkCase)
        #expect(first.feedback == .ok)
        #expect(first.movements.isEmpty)
        #expect(station.prompt.contains("Scan the lot and expiry label of MILK-1"))
        let completed = station.scan(gs1(gtin: Codes.milkCase, batch: "B7", expiry: day("2027-01-31")))
        #expect(completed.feedback == .ok)
        #expect(completed.movements.first?.lot == "B7")
        #expect(completed.movements.first?.expiry == day("2027-01-31"))
        #expect(completed.movements.first?.quantity == 6)
    }

    /// The lot label is asked for by what is still missing: a label that gave the lot (or
    /// the expiry) alone leaves only the other to scan.
    @Test func theLotLabelPromptNamesWhatIsStillMissing() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.milkCase)
        let lotOnly = station.scan("B9")
        #expect(lotOnly.feedback == .ok && lotOnly.movements.isEmpty)
        #expect(station.prompt == "Scan the expiry label of MILK-1.", "\(station.prompt)")
        let booked = station.scan(gs1(gtin: Codes.milkCase, expiry: day("2027-03-31")))
        #expect(booked.movements.first?.lot == "B9")
        #expect(booked.movements.first?.expiry == day("2027-03-31"))

        station.scan(gs1(gtin: Codes.milkCase, expiry: day("2027-04-30")))
        #expect(station.prompt == "Scan the lot label of MILK-1.", "\(station.prompt)")
        var german = TestStation(settings: { var settings = sampleSettings(); settings.language = .de; return settings }())
        german.scan("R-100")
        german.scan(gs1(gtin: Codes.milkCase, expiry: day("2027-04-30")))
        #expect(german.prompt == "Chargenetikett von MILK-1 scannen.", "\(german.prompt)")
    }

    @Test func lotFromTheLabelNeedsNoSecondScan() {
        var station = TestStation()
        station.scan("R-100")
        let outcome = station.scan(gs1(gtin: Codes.milkCase, batch: "B8", expiry: day("2027-02-28")))
        #expect(outcome.movements.first?.lot == "B8")
    }

    @Test(arguments: [PolicyAction.reject, .warn, .allow])
    func unknownProductFollowsThePolicy(_ policy: PolicyAction) {
        var settings = sampleSettings()
        settings.policies.unknownProduct = policy
        var station = TestStation(settings: settings)
        station.scan("R-100")
        let outcome = station.scan(Codes.unknown)
        switch policy {
        case .reject:
            #expect(outcome.feedback == .error)
            #expect(outcome.movements.isEmpty)
        case .warn:
            #expect(outcome.feedback == .warning)
            #expect(outcome.movements.first?.sku == "GTIN-" + Codes.unknown)
        case .allow:
            #expect(outcome.feedback == .ok || outcome.feedback == .warning)
            #expect(outcome.movements.first?.sku == "GTIN-" + Codes.unknown)
        }
    }

    @Test(arguments: [PolicyAction.reject, .warn, .allow])
    func overReceiptFollowsThePolicy(_ policy: PolicyAction) {
        var settings = sampleSettings()
        settings.policies.overReceipt = policy
        var station = TestStation(settings: settings)
        station.scan("R-100")
        station.scan(Codes.palletA)
        station.scan("CMD-QTY-2")
        #expect(station.scan(Codes.widgetCase).feedback == .ok)
        // 144 expected, 144 received: one more is over.
        let over = station.scan(Codes.widgetEach)
        switch policy {
        case .reject:
            #expect(over.feedback == .error)
            #expect(over.rejection?.code == "over_receipt")
            #expect(station.total("WIDGET-7") == 144)
        case .warn:
            #expect(over.feedback == .warning)
            #expect(station.total("WIDGET-7") == 145)
        case .allow:
            #expect(over.feedback == .ok)
            #expect(station.total("WIDGET-7") == 145)
        }
    }

    @Test(arguments: [PolicyAction.reject, .warn, .allow])
    func expiredGoodsFollowThePolicy(_ policy: PolicyAction) {
        var settings = sampleSettings()
        settings.policies.expired = policy
        var station = TestStation(settings: settings)
        station.scan("R-100")
        let outcome = station.scan(gs1(gtin: Codes.milkCase, batch: "OLD", expiry: day("2026-11-23")))
        switch policy {
        case .reject:
            #expect(outcome.feedback == .error)
            #expect(outcome.rejection?.code == "expired")
            #expect(station.total("MILK-1") == 0)
        case .warn:
            #expect(outcome.feedback == .warning)
            #expect(station.total("MILK-1") == 6)
        case .allow:
            #expect(outcome.feedback == .ok)
            #expect(station.total("MILK-1") == 6)
        }
        // Expiring today is not expired.
        #expect(station.scan(gs1(gtin: Codes.milkCase, batch: "NEW", expiry: day("2026-11-24"))).feedback == .ok)
    }

    @Test func doneClosesTheReceiptWithItsDiscrepancies() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.palletA)
        station.scan(Codes.widgetCase)
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .warning)
        #expect(done.documents == [.receiptClosed(number: "R-100", discrepancies: [
            ReceiptDiscrepancy(sku: "WIDGET-7", expected: 144, received: 132),
            ReceiptDiscrepancy(sku: "MILK-1", expected: 12, received: 0),
        ])])
        #expect(done.claims == [.release(DocumentRef(.receipt, "R-100"))])
        #expect(station.catalog.receipt(number: "R-100")?.status == .closed)
        #expect(station.state.task == .none)
        #expect(station.scan("R-100").rejection?.code == "receipt_closed")
    }

    @Test func completeReceiptClosesWithoutWarning() {
        var station = TestStation()
        station.scan("R-200")
        station.scan(Codes.palletShared)
        let done = station.scan("CMD-DONE")
        #expect(done.feedback == .ok)
        #expect(done.documents == [.receiptClosed(number: "R-200", discrepancies: [])])
    }

    @Test func goodsWithoutReceiptNeedBlindReceiving() {
        var station = TestStation()
        #expect(station.scan(Codes.gadget).rejection?.code == "receipt_first")
        var settings = sampleSettings()
        settings.policies.blindReceiving = true
        var blind = TestStation(settings: settings)
        let outcome = blind.scan(Codes.gadget)
        #expect(outcome.feedback == .ok)
        guard case .receiptOpened(let number, true)? = outcome.documents.first else {
            Issue.record("no blind receipt opened: \(outcome.documents)")
            return
        }
        #expect(outcome.movements.first?.document == DocumentRef(.receipt, number))
        #expect(blind.scan(Codes.gadget).feedback == .ok)
        #expect(blind.catalog.receipt(number: number)?.unplanned["GADGET-2"] == 2)
        let done = blind.scan("CMD-DONE")
        #expect(done.documents == [.receiptClosed(number: number, discrepancies: [])])
    }

    @Test func receiptClaimedByAnotherStationIsRefused() {
        var catalog = sampleCatalog()
        catalog.apply(StepOutcome(feedback: .ok, prompt: Prompt(.recorded), claims: [.claim(DocumentRef(.receipt, "R-100"))]), station: "dock-2")
        var station = TestStation(catalog: catalog)
        let outcome = station.scan("R-100")
        #expect(outcome.feedback == .error)
        #expect(outcome.rejection?.code == "claimed_elsewhere")
        #expect(station.prompt.contains("dock-2"))
    }

    @Test func unknownReceiptNumberIsRefused() {
        var station = TestStation()
        #expect(station.scan("R-999").rejection?.code == "unknown_receipt")
        #expect(station.state.task == .none)
    }
}
