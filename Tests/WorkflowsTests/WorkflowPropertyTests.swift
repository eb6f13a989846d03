import Foundation
import PropertyBased
import ScanCodes
import Testing
import Workflows

/// Random scan sequences over every mode: the invariants of the issue hold after every step.
@Suite struct WorkflowPropertyTests {
    /// Single scans, and short phrases a worker would scan, so walks reach packing and shipping.
    static let scans: [[DecodedScan]] = {
        let classifier = ScanClassifier()
        let texts = [
            "OP-ANNA", "CMD-LOGOUT", "CMD-HELP", "CMD-CANCEL", "CMD-UNDO", "CMD-UNDO", "CMD-DONE", "CMD-SHORT",
            "CMD-SKIP", "CMD-NEWBOX", "CMD-QTY-2", "CMD-QTY-5", "CMD-QTY-1.5",
            "CMD-MODE-receive", "CMD-MODE-putaway", "CMD-MODE-pick", "CMD-MODE-pack", "CMD-MODE-ship", "CMD-MODE-count",
            "R-100", "R-200", "R-201", "O-1", "O-2", "XYZ",
            Codes.palletA, Codes.palletShared, Codes.boxLabel, Codes.tote,
            sscc("04012345001000000"), sscc("04012345001000001"),
            Codes.widgetEach, Codes.widgetEach, Codes.widgetCase, Codes.gadget, Codes.gadget, Codes.milkCase, Codes.unknown,
            "LOC-A-01", "LOC-A-02", "LOC-B-01", "LOC-P-01", "STAGE-1", "PACK-1", "SHIP-1", "DOCK-1",
        ]
        var scans = texts.map { classifier.classify(Array($0.utf8), referenceDate: day("2026-11-24")) }
        scans.append(gs1(sscc: Codes.palletLabelOnly, batch: "L1", expiry: day("2027-03-31"), contentGTIN: Codes.milkCase, count: 2))
        scans.append(gs1(sscc: Codes.palletA, contentGTIN: Codes.widgetCase, count: 9))
        scans.append(gs1(gtin: Codes.milkCase, batch: "M1", expiry: day("2027-05-31")))
        scans.append(gs1(gtin: Codes.milkCase, batch: "OLD", expiry: day("2026-01-31")))
        scans.append(gs1(gtin: Codes.widgetEach, variableCount: 3))
        func phrase(_ parts: [String]) -> [DecodedScan] {
            parts.map { classifier.classify(Array($0.utf8), referenceDate: day("2026-11-24")) }
        }
        let leave = ["CMD-DONE", "CMD-CANCEL", "CMD-CANCEL"]
        let phrases = [
            phrase(leave + ["CMD-MODE-pick", "O-1", "LOC-A-01", Codes.gadget, Codes.gadget]),
            phrase(leave + ["CMD-MODE-pick", "O-2", "LOC-A-02", "CMD-QTY-5", Codes.widgetEach]),
            phrase(leave + ["CMD-MODE-pack", "O-1", "CMD-NEWBOX", Codes.gadget, "CMD-DONE"]),
            phrase(leave + ["CMD-MODE-pack", "O-2", "CMD-NEWBOX", Codes.widgetEach, Codes.widgetEach, "CMD-DONE"]),
            phrase(leave + ["CMD-MODE-ship", "SHIP-1", sscc("04012345001000000"), sscc("04012345001000001")]),
            phrase(leave + ["CMD-MODE-count", "LOC-A-01", Codes.gadget, "CMD-DONE"]),
            phrase(leave + ["CMD-MODE-receive", "R-100", Codes.widgetCase]),
            phrase(leave + ["CMD-MODE-putaway", Codes.palletA, "LOC-A-01"]),
        ]
        return scans.map { [$0] } + phrases
    }()

    static func station(lenient: Bool) -> TestStation {
        var catalog = sampleCatalog()
        catalog.add(Order(number: "O-2", lines: [
            OrderLine(line: 1, sku: "MILK-1", quantity: 12),
            OrderLine(line: 2, sku: "WIDGET-7", quantity: 30),
            OrderLine(line: 3, sku: "GADGET-2", quantity: 1),
        ]))
        catalog.setStock(StockKey(location: "A-01", sku: "GADGET-2"), 3)
        catalog.setStock(StockKey(location: "A-02", sku: "WIDGET-7"), 20)
        catalog.setStock(StockKey(location: "P-01", sku: "MILK-1", lot: "M1", expiry: day("2027-05-31")), 6)
        var settings = sampleSettings(mode: .receive)
        if lenient {
            settings.policies = WorkflowPolicies(unknownProduct: .warn, overReceipt: .allow, expired: .warn, overPick: .reject, overPack: .reject, allowNegativeStock: false, blindReceiving: true)
        }
        return TestStation(catalog: catalog, settings: settings)
    }

    static func walk(_ indices: [Int], lenient: Bool) {
        var station = station(lenient: lenient)
        let opening = station.catalog.stock
        var beforeUndoable: [[StockKey: Quantity]]? = []
        for scan in indices.flatMap({ scans[$0 % scans.count] }) {
            let stateBefore = station.state
            let stockBefore = station.catalog.stock
            let outcome = station.scan(scan)
            let input = String(decoding: scan.input, as: UTF8.self)

            if outcome.feedback == .error {
                #expect(outcome.movements.isEmpty, "rejected \(input) moved stock")
                #expect(!outcome.changesState && outcome.labels.isEmpty, "rejected \(input) changed documents")
                #expect(station.catalog.stock == stockBefore)
                #expect(station.state.task == stateBefore.task && station.state.undo == stateBefore.undo)
            }
            for (key, quantity) in station.catalog.stock {
                #expect(quantity >= 0, "negative stock \(key) \(quantity) after \(input)")
            }
            for number in ["O-1", "O-2"] {
                for line in station.catalog.order(number: number)?.lines ?? [] {
                    #expect(line.picked + line.shorted <= line.quantity, "\(number)/\(line.line) over-picked after \(input)")
                    #expect(line.packed <= line.picked, "\(number)/\(line.line) packed more than picked after \(input)")
                    #expect(line.picked >= 0 && line.packed >= 0 && line.shorted >= 0)
                }
            }

            // Undo returns balances to what they were before the undone step.
            let old = stateBefore.undo
            let new = station.state.undo
            if outcome.feedback == .error || new == old {
                if new != old { beforeUndoable = nil }
            } else if new.count == old.count + 1, Array(new.dropLast()) == old {
                beforeUndoable?.append(stockBefore)
            } else if new.count + 1 == old.count, new == Array(old.dropLast()), scan.command?.name == "undo" {
                #expect(outcome.movements.allSatisfy { $0.kind == .undo })
                if let expected = beforeUndoable?.popLast() {
                    #expect(station.catalog.stock == expected, "undo did not restore balances")
                }
            } else if new.isEmpty {
                beforeUndoable = []
            } else if new.count == 1 {
                beforeUndoable = [stockBefore]
            } else {
                beforeUndoable = nil
            }
        }
        // Applying all movements to the opening stock reproduces the balances.
        var replayed = opening
        for (key, quantity) in InMemoryCatalog.balances(replaying: station.catalog.history) {
            replayed[key, default: 0] += quantity
        }
        #expect(replayed.filter { $0.value != 0 } == station.catalog.stock)
    }

    @Test func invariantsHoldWithStrictPolicies() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1000).array(of: 1...150)) { indices in
            Self.walk(indices, lenient: false)
        }
    }

    @Test func invariantsHoldWithLenientPolicies() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1000).array(of: 1...150)) { indices in
            Self.walk(indices, lenient: true)
        }
    }

    /// Random walks reach the interesting states: a sanity check that the walks are not all refused.
    @Test func randomWalksMoveStock() {
        var generator = SplitMix(seed: 42)
        var kinds: Set<MovementKind> = []
        for _ in 0..<200 {
            var station = Self.station(lenient: true)
            for _ in 0..<100 {
                for scan in Self.scans[Int(generator.next() % UInt64(Self.scans.count))] { station.scan(scan) }
            }
            kinds.formUnion(station.catalog.history.map(\.kind))
        }
        #expect(kinds.isSuperset(of: [.receive, .putaway, .pick, .pack, .ship, .undo, .adjust]), "\(kinds)")
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
