import Foundation
import ScanCodes
import Testing
import Workflows

@Suite struct SessionTests {
    @Test func badgeLogsInAndMovementsRecordTheOperator() {
        var station = TestStation()
        let login = station.scan("OP-ANNA")
        #expect(login.feedback == .ok)
        #expect(station.prompt == "Hello Anna. Scan a receipt number or pallet.")
        station.scan("R-100")
        #expect(station.scan(Codes.widgetEach).movements.first?.operatorBadge == "ANNA")
        #expect(station.scan("OP-NOBODY").rejection?.code == "unknown_badge")
        #expect(station.state.operatorBadge == "ANNA")
        #expect(station.scan("CMD-LOGOUT").feedback == .ok)
        #expect(station.state.operatorBadge == nil)
        #expect(station.scan(Codes.widgetEach).movements.first?.operatorBadge == nil)
    }

    @Test func numericDocumentNumbersAndLocationLabelsAreTheSitesNotGTINs() {
        // 8 digits with a valid GS1 check digit, 8 digits with a wrong one, and a location
        // label of 8 digits: the classifier reads GTINs; the catalog knows better.
        var catalog = sampleCatalog()
        catalog.add(Receipt(number: "10000007", lines: [ReceiptLine(line: 1, sku: "WIDGET-7", quantity: 2)]))
        catalog.add(Order(number: "40000001", lines: [OrderLine(line: 1, sku: "WIDGET-7", quantity: 1)]))
        catalog.add(Location(code: "C-01", barcode: "40000006", kind: .storage, zone: "C", sequence: 40))
        var station = TestStation(catalog: catalog)
        #expect(station.scan("10000007").feedback == .ok)
        #expect(station.prompt.hasPrefix("Receipt 10000007 started."), "\(station.prompt)")
        #expect(station.scan(Codes.widgetEach).movements.first?.document == DocumentRef(.receipt, "10000007"))
        station.scan("CMD-QTY-1")
        station.scan(Codes.widgetEach)
        station.scan("CMD-DONE")
        station.scan("CMD-MODE-putaway")
        station.scan("CMD-QTY-2")
        #expect(station.scan(Codes.widgetEach).feedback == .ok)
        #expect(station.scan("40000006").movements.first?.to == "C-01", "\(station.prompt)")
        station.scan("CMD-MODE-pick")
        #expect(station.scan("40000001").feedback == .ok)
        #expect(station.prompt.hasPrefix("Order 40000001 started. Go to C-01"), "\(station.prompt)")
        // A number nobody knows keeps its reading: a GTIN with a wrong check digit.
        #expect(station.scan("40000002").rejection?.code == "invalid_label")
    }

    @Test func aBadgeImportedAsItsWholeLabelLogsIn() {
        var station = TestStation()
        station.catalog.add(Operator(badge: "OP-17", name: "Alex"))
        #expect(station.scan("OP-17").feedback == .ok)
        #expect(station.state.operatorBadge == "OP-17")
        #expect(station.prompt.hasPrefix("Hello Alex."))
        // The number after the prefix still comes first.
        station.catalog.add(Operator(badge: "17", name: "Sam"))
        #expect(station.scan("OP-17").feedback == .ok)
        #expect(station.state.operatorBadge == "17")
        #expect(station.scan("OP-18").rejection?.code == "unknown_badge")
    }

    @Test func stationRequiringLoginRefusesWorkBeforeIt() {
        var settings = sampleSettings()
        settings.requireLogin = true
        var station = TestStation(settings: settings)
        let refused = station.scan("R-100")
        #expect(refused.rejection?.code == "login_required")
        #expect(station.prompt == "Log in first. Scan your badge.")
        #expect(station.state.task == .none)
        #expect(station.scan("CMD-HELP").feedback == .ok)
        station.scan("OP-BEN")
        #expect(station.scan("R-100").feedback == .ok)
    }

    @Test func idleTimeLogsOut() {
        var settings = sampleSettings()
        settings.requireLogin = true
        settings.idleLogoutSeconds = 60
        var station = TestStation(settings: settings)
        station.scan("OP-ANNA")
        station.scan("R-100")
        station.now += 58_000
        #expect(station.scan(Codes.widgetEach).feedback == .ok)
        #expect(Workflow.idleCheck(station.state, context: station.context) == nil)
        station.now += 61_000
        let late = station.scan(Codes.widgetEach)
        #expect(late.rejection?.code == "login_required")
        #expect(station.prompt.hasPrefix("Logged out after idle time. Log in first."))
        #expect(station.state.operatorBadge == nil)
        // The receipt stays open for the next login.
        station.scan("OP-BEN")
        #expect(station.scan(Codes.widgetEach).movements.first?.operatorBadge == "BEN")
    }

    @Test func timerIdleCheckLogsOutBetweenScans() {
        var settings = sampleSettings()
        settings.idleLogoutSeconds = 30
        var station = TestStation(settings: settings)
        station.scan("OP-ANNA")
        station.now += 31_000
        let result = Workflow.idleCheck(station.state, context: station.context)
        #expect(result?.0.operatorBadge == nil)
        #expect(result?.1.prompt.text(in: .en) == "Logged out after idle time. Scan your badge.")
    }

    @Test func invalidLabelIsRefusedWithTheCurrentInstruction() {
        var station = TestStation()
        station.scan("R-100")
        var bad = DecodedScan(input: Array("12345678901234".utf8), aimIdentifier: nil, symbology: nil, kind: .gtin, text: "12345678901234")
        bad.error = ScanCodeError(.gtinCheckDigit, "check digit", offset: 13)
        let refused = station.scan(bad)
        #expect(refused.feedback == .error)
        #expect(refused.signal == .error)
        #expect(station.prompt == "Not a valid label. Scan the next pallet or item, or CMD-DONE.")
    }

    @Test func helpRepeatsThePrompt() {
        var station = TestStation()
        station.scan("R-100")
        let before = station.last?.prompt
        let help = station.scan("CMD-HELP")
        #expect(help.prompt == before)
        #expect(help.movements.isEmpty)
    }

    @Test func modeChangesOnlyToAllowedModesAndNotWithADocumentOpen() {
        var settings = sampleSettings()
        settings.modes = [.receive, .putaway]
        var station = TestStation(settings: settings)
        #expect(station.scan("CMD-MODE-pick").rejection?.code == "mode_not_allowed")
        #expect(station.scan("CMD-MODE-putaway").feedback == .ok)
        #expect(station.state.mode == .putaway)
        station.scan("CMD-MODE-receive")
        station.scan("R-100")
        #expect(station.scan("CMD-MODE-putaway").rejection?.code == "document_open")
        #expect(station.scan("CMD-CANCEL").claims == [.release(DocumentRef(.receipt, "R-100"))])
        #expect(station.scan("CMD-MODE-putaway").feedback == .ok)
        #expect(station.scan("CMD-CANCEL").rejection?.code == "nothing_to_cancel")
    }

    @Test func undoRestoresBalancesAndProgress() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.widgetCase)
        station.scan(Codes.palletA)
        let undone = station.scan("CMD-UNDO")
        #expect(undone.movements.map(\.kind) == [.undo])
        #expect(undone.movements.first?.reversedKind == .receive)
        #expect(station.quantity("DOCK-1", "WIDGET-7", container: Codes.palletA) == 0)
        #expect(station.catalog.receipt(number: "R-100")?.lines[0].received == 0)
        station.scan("CMD-UNDO")
        #expect(station.total("WIDGET-7") == 0)
        #expect(station.catalog.receipt(number: "R-100")?.lines[1].received == 0)
        #expect(station.scan("CMD-UNDO").rejection?.code == "nothing_to_undo")
        // The pallet can be received again after its receipt was undone.
        #expect(station.scan(Codes.palletA).movements.first?.quantity == 120)
    }

    @Test func undoIsTheOperatorsOwnStep() {
        var station = TestStation()
        station.scan("OP-ANNA")
        station.scan("R-100")
        station.scan(Codes.widgetCase)
        station.scan("OP-BEN")
        let refused = station.scan("CMD-UNDO")
        #expect(refused.rejection?.code == "undo_other_operator")
        #expect(station.prompt.hasPrefix("Only ANNA can undo that step."))
        station.scan("OP-ANNA")
        #expect(station.scan("CMD-UNDO").movements.first?.operatorBadge == "ANNA")
        #expect(station.total("WIDGET-7") == 0)
    }

    @Test func undoIsRefusedWhenLaterMovementsTookTheGoods() {
        var station = TestStation()
        station.scan("R-100")
        station.scan(Codes.palletA)
        // Another station puts the pallet away meanwhile.
        var other = TestStation(catalog: station.catalog, settings: StationSettings(name: "dock-2", mode: .putaway))
        other.scan(Codes.palletA)
        other.scan("LOC-A-01")
        station.catalog = other.catalog
        let refused = station.scan("CMD-UNDO")
        #expect(refused.rejection?.code == "undo_blocked")
        #expect(refused.movements.isEmpty)
        #expect(station.quantity("A-01", "WIDGET-7", container: Codes.palletA) == 120)
    }

    @Test func snapshotRestoresTheSessionAfterARestart() throws {
        var station = TestStation(settings: sampleSettings(mode: .pick))
        station.catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2", lot: "G1", expiry: day("2027-01-01")), 5)
        station.catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 10)
        station.scan("OP-ANNA")
        station.scan("O-1")
        station.scan("CMD-SKIP")
        station.scan("LOC-A-02")
        station.scan(Codes.widgetEach)
        let data = try SessionSnapshot(station: "dock-1", state: station.state).encoded()
        let restored = SessionSnapshot.restore(data, settings: station.settings, catalog: station.catalog)
        #expect(restored == station.state)
        // The restored session goes on where it was, undo included.
        var resumed = station
        resumed.state = restored
        #expect(Workflow.currentPrompt(restored, catalog: station.catalog, context: station.context).text(in: .en) == "Pick 4 WIDGET-7 at A-02. Scan the item.")
        #expect(resumed.scan("CMD-UNDO").feedback == .ok)
        #expect(resumed.quantity("A-02", "WIDGET-7") == 10)
    }

    @Test func snapshotOfAClosedOrForeignDocumentStartsAfresh() throws {
        var station = TestStation()
        station.scan("R-100")
        let data = try SessionSnapshot(station: "dock-1", state: station.state).encoded()
        var catalog = station.catalog
        catalog.apply(StepOutcome(feedback: .ok, prompt: Prompt(.recorded), documents: [.receiptClosed(number: "R-100", discrepancies: [])]), station: "hub")
        #expect(SessionSnapshot.restore(data, settings: station.settings, catalog: catalog).task == .none)
        #expect(SessionSnapshot.restore(Data("garbage".utf8), settings: station.settings, catalog: catalog) == WorkflowState(settings: station.settings))
        var otherStation = station.settings
        otherStation.name = "dock-9"
        #expect(SessionSnapshot.restore(data, settings: otherStation, catalog: station.catalog).task == .none)
    }

    @Test func promptsInGerman() {
        var settings = sampleSettings()
        settings.language = .de
        var station = TestStation(settings: settings)
        station.scan("R-100")
        station.scan(Codes.widgetCase)
        #expect(station.prompt == "12 WIDGET-7 eingegangen. Nächste Palette oder Artikel scannen, oder CMD-DONE.")
        #expect(station.last?.prompt.messages.first?.id == .received)
        #expect(station.last?.prompt.messages.first?.value("quantity") == "12")
    }

    @Test func countsTakeTheNounInTheRightNumber() {
        let one = PromptMessage(.countClosedWithDifferences, [PromptField("location", "A-01"), PromptField("differences", "1")])
        let two = PromptMessage(.countClosedWithDifferences, [PromptField("location", "A-01"), PromptField("differences", "2")])
        #expect(one.text(in: .en) == "Count of A-01 booked, 1 difference.")
        #expect(two.text(in: .en) == "Count of A-01 booked, 2 differences.")
        #expect(one.text(in: .de) == "Zählung A-01 gebucht, 1 Abweichung.")
        #expect(two.text(in: .de) == "Zählung A-01 gebucht, 2 Abweichungen.")
        let lines = PromptMessage(.linesOpen, [PromptField("order", "O-1"), PromptField("count", "1")])
        #expect(lines.text(in: .en) == "Order O-1 left with 1 line open.")
        #expect(lines.text(in: .de) == "Auftrag O-1 mit 1 offener Position verlassen.")
    }

    @Test func everyMessageHasBothLanguagesAndFillsItsFields() {
        for id in MessageID.allCases {
            let english = MessageCatalog.template(id, in: .en)
            let german = MessageCatalog.template(id, in: .de)
            #expect(!english.isEmpty && !german.isEmpty)
            #expect(english != german || english.allSatisfy { !$0.isLetter || $0.isUppercase }, "\(id) is not translated")
            // The same placeholders in both languages.
            func names(_ text: String) -> Set<String> {
                var found: Set<String> = []
                var rest = Substring(text)
                while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                    // "{name|one|other}" names the field before the bar.
                    found.insert(String(rest[rest.index(after: open)..<close].prefix { $0 != "|" }))
                    rest = rest[rest.index(after: close)...]
                }
                return found
            }
            #expect(names(english) == names(german), "\(id)")
            let fields = names(english).map { PromptField($0, "X") }
            #expect(!PromptMessage(id, fields).text(in: .en).contains("{"))
        }
    }

    @Test func stepIDsAreDistinctUUIDv7s() {
        let seed = IdentifierSeed.sequential(milliseconds: 1_795_000_000_000, counter: 7)
        let ids = (0..<300).map { seed.id($0) }
        #expect(Set(ids).count == 300)
        for id in ids {
            #expect(id.count == 36)
            #expect(Array(id)[14] == "7")
        }
        let parsed = IdentifierSeed(uuid: "01890a5d-ac96-774b-bcce-b302099a8057")
        #expect(parsed?.id(0) == "01890a5d-ac96-774b-bcce-b302099a8057")
        #expect(parsed?.id(1) == "01890a5d-ac96-774b-bcce-b302099a8058")
        #expect(IdentifierSeed(uuid: "not-a-uuid") == nil)
    }

    /// A step keeps its movements' ids as bytes until read: the text, equality and JSON are
    /// those of the id as text, and any other text stays as it was given.
    @Test func movementIDsReadAndCodeAsText() throws {
        let uuid = "01890a5d-ac96-774b-bcce-b302099a8057"
        for id in [uuid, uuid.uppercased(), "m-1", "", uuid.replacingOccurrences(of: "-", with: "")] {
            let movement = Movement(id: id, kind: .adjust, sku: "SKU-1", quantity: 1, to: "A-1", at: 0)
            #expect(movement.id == id)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = try encoder.encode(movement)
            #expect(String(decoding: json, as: UTF8.self) == "{\"at\":0,\"expiry\":null,\"id\":\"\(id)\",\"kind\":\"adjust\",\"quantity\":1,\"sku\":\"SKU-1\",\"to\":\"A-1\"}")
            let decoded = try JSONDecoder().decode(Movement.self, from: json)
            #expect(decoded == movement)
            #expect(decoded.id == id)
        }
        var station = TestStation()
        station.scan("OP-ANNA")
        station.scan("R-100")
        let received = station.scan(Codes.palletA).movements
        #expect(!received.isEmpty)
        for movement in received {
            #expect(Movement(id: movement.id, kind: movement.kind, sku: movement.sku, lot: movement.lot, expiry: movement.expiry,
                             quantity: movement.quantity, from: movement.from, fromContainer: movement.fromContainer, to: movement.to,
                             toContainer: movement.toContainer, document: movement.document, line: movement.line,
                             operatorBadge: movement.operatorBadge, at: movement.at) == movement)
            #expect(try JSONDecoder().decode(Movement.self, from: JSONEncoder().encode(movement)) == movement)
        }
    }

    @Test func logModeRecordsAndChangesNothing() {
        var station = TestStation(settings: sampleSettings(mode: .log))
        let outcome = station.scan(Codes.palletA)
        #expect(outcome.feedback == .ok)
        #expect(!outcome.changesState)
        #expect(station.scan("CMD-DONE").rejection?.code == "command_not_here")
    }
}
