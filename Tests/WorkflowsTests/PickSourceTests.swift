import ScanCodes
import Testing
@testable import Workflows

/// Picking chooses a product's source without building its stock: from the catalog's buffers
/// when the step has not moved the product, else from the catalog's stocked balances with the
/// step's movements added and the keys only those movements make. Both must choose what the
/// plain reading chooses: the first in FEFO order of `stock(sku:)`'s positive balances in
/// stock-holding locations.
@Suite struct PickSourceTests {
    /// The plain reading, as picking first computed it.
    static func reference(_ engine: StepEngine<InMemoryCatalog>, sku: String) -> (StockBalance?, Int) {
        var best: StockBalance?
        var bestSequence = Int.max
        for balance in engine.stock(sku: sku) where balance.quantity > 0 {
            guard let location = engine.catalog.location(code: balance.key.location), location.kind.holdsStock else { continue }
            if let current = best, !StepEngine<InMemoryCatalog>.fefoPrecedes(balance, location.sequence, current, bestSequence) { continue }
            best = balance
            bestSequence = location.sequence
        }
        return (best, bestSequence)
    }

    @Test(arguments: 1...40)
    func choosesAsThePlainReadingDoes(seed: UInt64) {
        Self.check(seed: seed, manyMovements: false)
    }

    /// More movement ends than `MovementEndMarks` holds in one word: its array takes over.
    @Test(arguments: 1...8)
    func choosesAsThePlainReadingDoesPastOneWordOfMovementEnds(seed: UInt64) {
        Self.check(seed: seed, manyMovements: true)
    }

    static func check(seed: UInt64, manyMovements: Bool) {
        var random = SplitMix(seed: seed)
        var catalog = InMemoryCatalog(keepsHistory: false)
        // Few places and lots, so balances, ties and movements meet often.
        let places: [(String, LocationKind, Int)] = [
            ("A-1", .storage, 30), ("A-2", .storage, 10), ("B-1", .pick, 10), ("DOCK-1", .dock, 0), ("STAGE-1", .staging, 900),
        ]
        for (code, kind, sequence) in places { catalog.add(Location(code: code, kind: kind, sequence: sequence)) }
        let lots: [String?] = [nil, "L1", "L2"]
        let expiries: [CalendarDate?] = [nil, CalendarDate(year: 2027, month: 1, day: 1), CalendarDate(year: 2027, month: 6, day: 1)]
        let containers: [String?] = [nil, nil, "TOTE-1"]
        func key() -> StockKey {
            StockKey(
                location: places[Int(random.next() % UInt64(places.count))].0, sku: "SKU-1",
                lot: lots[Int(random.next() % 3)], expiry: expiries[Int(random.next() % 3)], container: containers[Int(random.next() % 3)])
        }
        for _ in 0..<Int(random.next() % 8) {
            catalog.setStock(key(), Quantity(Int(random.next() % 5)))
        }
        let context = StepContext(now: 1, today: CalendarDate(year: 2026, month: 11, day: 24), ids: .sequential(milliseconds: 1, counter: 1), settings: sampleSettings(mode: .pick))
        let engine = StepEngine(state: WorkflowState(mode: .pick), catalog: catalog, context: context)
        #expect(engine.pickSource(sku: "SKU-1") == Self.reference(engine, sku: "SKU-1"))
        // Movements out of, into and within the same places (some balances go to zero or
        // below, some keys are new), of this product and another.
        for _ in 0..<(manyMovements ? 40 : 1 + Int(random.next() % 4)) {
            let from = random.next() % 4 == 0 ? nil : key()
            let to = random.next() % 4 == 0 ? nil : (random.next() % 5 == 0 ? from : key())
            let sku = random.next() % 5 == 0 ? "SKU-2" : "SKU-1"
            let source = from ?? to ?? key()
            engine.movements.append(engine.movement(
                .adjust, sku: sku, lot: source.lot, expiry: source.expiry, quantity: Quantity(1 + Int(random.next() % 4)),
                from: from?.location, fromContainer: from?.container, to: to?.location, toContainer: to?.container, document: nil, line: nil))
            #expect(engine.pickSource(sku: "SKU-1") == Self.reference(engine, sku: "SKU-1"), "seed \(seed)")
        }
    }
}
