import Foundation
import ScanCodes
import Testing
import Workflows

/// The catalog's stock reads against a plain sum of the same movements: after many keys are
/// created, emptied, released and created again, every read gives the balances a
/// straightforward recomputation gives, in the catalog's stable order.
@Suite struct InMemoryCatalogTests {
    static let locations = ["A-01", "A-02", "B-01", "DOCK-1", "STAGE-1", "PACK-1", "X-9"]
    static let skus = ["SKU-1", "SKU-2", "SKU-3", "A-LONGER-PRODUCT-CODE-4"]
    static let lots: [String?] = [nil, "", "L1", "L2"]
    static let expiries: [CalendarDate?] = [nil, CalendarDate(year: 2027, month: 3, day: 31), CalendarDate(year: 2027, month: 1, day: 31)]
    /// SSCCs are longer than a small string, as in the warehouse.
    static let containers: [String?] = [nil, nil, "340123450000000011", "340123450000000028", "340123450000000035", "C"]

    /// The documented order of balances: location, sku, lot, container (nil as empty text).
    /// Keys that differ only in expiry are equal in it.
    static func precedes(_ lhs: StockKey, _ rhs: StockKey) -> Bool {
        (lhs.location, lhs.sku, lhs.lot ?? "", lhs.container ?? "") < (rhs.location, rhs.sku, rhs.lot ?? "", rhs.container ?? "")
    }

    static func isOrdered(_ balances: [StockBalance]) -> Bool {
        zip(balances, balances.dropFirst()).allSatisfy { !precedes($1.key, $0.key) }
    }

    static func check(_ catalog: InMemoryCatalog, against expected: [StockKey: Quantity], sourceLocation: SourceLocation = #_sourceLocation) {
        let nonZero = expected.filter { $0.value != 0 }
        #expect(catalog.stock == nonZero, sourceLocation: sourceLocation)
        let all = catalog.allBalances
        #expect(isOrdered(all), sourceLocation: sourceLocation)
        #expect(Set(all) == Set(nonZero.map { StockBalance(key: $0.key, quantity: $0.value) }), sourceLocation: sourceLocation)
        for (key, quantity) in expected {
            #expect(catalog.quantity(at: key) == quantity, "\(key)", sourceLocation: sourceLocation)
        }
        for location in locations {
            let balances = catalog.balances(location: location)
            #expect(isOrdered(balances), "\(location)", sourceLocation: sourceLocation)
            #expect(Set(balances) == Set(all.filter { $0.key.location == location }), "\(location)", sourceLocation: sourceLocation)
            for sku in skus {
                // Documented: in the order of the location's balances.
                #expect(catalog.balances(location: location, sku: sku) == balances.filter { $0.key.sku == sku }, "\(location) \(sku)", sourceLocation: sourceLocation)
            }
        }
        for sku in skus {
            let balances = catalog.balances(sku: sku)
            #expect(isOrdered(balances), "\(sku)", sourceLocation: sourceLocation)
            #expect(Set(balances) == Set(all.filter { $0.key.sku == sku }), "\(sku)", sourceLocation: sourceLocation)
            for location in locations {
                #expect(balances.filter { $0.key.location == location } == catalog.balances(location: location, sku: sku), sourceLocation: sourceLocation)
            }
            var stocked: [StockBalance] = []
            catalog.forEachStockedBalance(sku: sku) { balance, sequence in
                stocked.append(balance)
                #expect(catalog.location(code: balance.key.location)?.sequence == sequence, sourceLocation: sourceLocation)
            }
            #expect(stocked == balances.filter { catalog.location(code: $0.key.location)?.kind.holdsStock ?? false }, "\(sku)", sourceLocation: sourceLocation)
            // The choice made in place is the protocol's own from those balances, ties included
            // (by sequence alone, a location's lots tie: the first given wins).
            let bySequence: (StockKey, Int, StockKey, Int) -> Bool = { _, sequence, _, otherSequence in sequence < otherSequence }
            let byLocationDescending: (StockKey, Int, StockKey, Int) -> Bool = { key, _, other, _ in key.location > other.location }
            let allEqual: (StockKey, Int, StockKey, Int) -> Bool = { _, _, _, _ in false }
            let orders = [bySequence, byLocationDescending, allEqual]
            for isBefore in orders {
                let first = catalog.firstPositiveStockedBalance(sku: sku, by: isBefore)
                let reference = CatalogWithoutShorts(base: catalog).firstPositiveStockedBalance(sku: sku, by: isBefore)
                #expect(first?.balance == reference?.balance && first?.sequence == reference?.sequence, "\(sku)", sourceLocation: sourceLocation)
                // The place alone is that choice's, here and by the protocol's default.
                let place = catalog.firstPositiveStockedPlace(sku: sku, by: isBefore)
                let referencePlace = CatalogWithoutShorts(base: catalog).firstPositiveStockedPlace(sku: sku, by: isBefore)
                #expect(place?.sequence == first?.sequence && place?.expiry == first?.balance.key.expiry && (place == nil) == (first == nil), "\(sku)", sourceLocation: sourceLocation)
                #expect(referencePlace?.sequence == place?.sequence && referencePlace?.expiry == place?.expiry, "\(sku)", sourceLocation: sourceLocation)
            }
        }
        for case let container? in containers {
            let balances = catalog.balances(container: container)
            #expect(isOrdered(balances), sourceLocation: sourceLocation)
            #expect(Set(balances) == Set(all.filter { $0.key.container == container }), sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func readsMatchARecomputationAfterManyCreatesAndReleases(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var catalog = InMemoryCatalog(keepsHistory: false)
        var expected: [StockKey: Quantity] = [:]
        // Some locations exist before any stock, others only later (their balances must take
        // up the sequence then), and one changes between holding stock and not.
        catalog.add(Location(code: "A-01", kind: .storage, sequence: 10))
        catalog.add(Location(code: "DOCK-1", kind: .dock))
        catalog.add(Location(code: "STAGE-1", kind: .staging, sequence: 900))
        // Copies taken along the way keep their balances while the original goes on changing.
        var snapshots: [(catalog: InMemoryCatalog, expected: [StockKey: Quantity])] = []
        for step in 0..<3_000 {
            if step % 500 == 250 { snapshots.append((catalog, expected)) }
            let sku = random.pick(Self.skus), lot = random.pick(Self.lots), expiry = random.pick(Self.expiries)
            let from = random.next(4) == 0 ? nil : random.pick(Self.locations)
            let to = random.next(4) == 0 ? nil : random.pick(Self.locations)
            let quantity = Quantity(1 + random.next(4))
            switch random.next(20) {
            case 0:
                // Opening stock straight onto a key, zero included.
                let key = StockKey(location: random.pick(Self.locations), sku: sku, lot: lot, expiry: expiry, container: random.pick(Self.containers))
                let value = Quantity(random.next(3))
                catalog.setStock(key, value)
                expected[key] = value
            case 1:
                let code = random.pick(["A-02", "B-01", "X-9"])
                catalog.add(Location(code: code, kind: random.pick([.storage, .pick, .dock, .pack]), sequence: random.next(1_000)))
            default:
                let movement = Movement(
                    id: "M\(step)", kind: .adjust, sku: sku, lot: lot, expiry: expiry, quantity: quantity,
                    from: from, fromContainer: random.pick(Self.containers), to: to, toContainer: random.pick(Self.containers), at: Int64(step))
                catalog.apply(movement)
                if let source = movement.source { expected[source, default: 0] -= quantity }
                if let destination = movement.destination { expected[destination, default: 0] += quantity }
                // Empty containers are emptied on purpose, so their balances leave and come back.
                if let source = movement.source, source.container != nil, let left = expected[source], left > 0, random.next(2) == 0 {
                    catalog.apply(Movement(id: "E\(step)", kind: .adjust, sku: sku, lot: lot, expiry: expiry, quantity: left, from: source.location, fromContainer: source.container, at: Int64(step)))
                    expected[source] = 0
                }
            }
            if step % 250 == 0 { Self.check(catalog, against: expected) }
        }
        Self.check(catalog, against: expected)
        #expect(catalog.stock.count > 50, "the walk should leave a busy warehouse")
        for snapshot in snapshots { Self.check(snapshot.catalog, against: snapshot.expected) }
    }

    /// The tables remember the location and the container a new key last went to: new keys
    /// at other places, and in other containers, in between (with new products and released
    /// balances) must not send a later key to another place's or container's list.
    @Test func changesAfterOtherProductsAndPlacesReachTheirOwnBalances() {
        var catalog = InMemoryCatalog(keepsHistory: false)
        var expected: [StockKey: Quantity] = [:]
        let tote = "340123450000000011", carton = "340123450000000028"
        for index in 0..<300 {
            // A first balance of a new product between two changes of the same old one.
            let old = StockKey(location: "A-01", sku: "OLD", container: index % 2 == 0 ? nil : tote)
            catalog.apply(Movement(id: "O\(index)", kind: .adjust, sku: "OLD", quantity: 1, to: "A-01", toContainer: old.container, at: 0))
            expected[old, default: 0] += 1
            let new = StockKey(location: index % 3 == 0 ? "STAGE-1" : "PACK-1", sku: "NEW-\(index)", container: index % 3 == 1 ? carton : tote)
            catalog.apply(Movement(id: "N\(index)", kind: .adjust, sku: new.sku, quantity: 2, to: new.location, toContainer: new.container, at: 0))
            expected[new, default: 0] += 2
            catalog.apply(Movement(id: "P\(index)", kind: .adjust, sku: "OLD", quantity: 1, from: "A-01", fromContainer: old.container, to: "B-01", at: 0))
            expected[old, default: 0] -= 1
            expected[StockKey(location: "B-01", sku: "OLD"), default: 0] += 1
        }
        #expect(catalog.stock == expected.filter { $0.value != 0 })
        for (key, quantity) in expected { #expect(catalog.quantity(at: key) == quantity, "\(key)") }
        for location in ["A-01", "B-01", "STAGE-1", "PACK-1"] {
            #expect(Set(catalog.balances(location: location)) == Set(expected.filter { $0.key.location == location && $0.value != 0 }.map { StockBalance(key: $0.key, quantity: $0.value) }), "\(location)")
        }
        for container in [tote, carton] {
            #expect(Set(catalog.balances(container: container)) == Set(expected.filter { $0.key.container == container && $0.value != 0 }.map { StockBalance(key: $0.key, quantity: $0.value) }), "\(container)")
        }
    }
}

/// Draws for the random walk; the fixed sequence (`SplitMix`) replays a failure.
extension SplitMix {
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ values: [T]) -> T { values[next(values.count)] }
}
