import Foundation

/// A catalog held in dictionaries that applies the workflows' own effects: what tests,
/// the benchmark and replays walk whole workflows against.
public struct InMemoryCatalog: Catalog, Sendable {
    /// Every table, behind one reference: a step's engine holds the catalog by value, and
    /// copying one reference is cheaper than retaining two dozen dictionaries each step.
    /// Copy on write: mutations first make the tables unique (`makeUnique()`).
    var box = TablesBox(Tables())
    /// Every movement applied, in order, when `keepsHistory` is set.
    public private(set) var history: [Movement] = []
    public var keepsHistory: Bool

    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&box) { box = TablesBox(box.tables) }
    }

    public init(keepsHistory: Bool = true) {
        self.keepsHistory = keepsHistory
    }

    // MARK: Master data and documents

    public mutating func add(_ product: Product, gtins: [ProductGTIN] = []) {
        makeUnique()
        box.tables.products[product.sku] = product
        for gtin in gtins {
            box.tables.packagingByGTIN[gtin.gtin] = gtin
            box.tables.packagingBySKU[product.sku, default: []].append(gtin)
            box.tables.packagingBySKU[product.sku]?.sort { $0.unitsPerGTIN < $1.unitsPerGTIN }
        }
    }

    public mutating func add(_ location: Location) {
        makeUnique()
        box.tables.locationsByCode[location.code] = location
        box.tables.locationCodeByBarcode[location.barcode] = location.code
        box.tables.locationsByKind[location.kind, default: []].removeAll { $0.code == location.code }
        box.tables.locationsByKind[location.kind, default: []].append(location)
        box.tables.locationsByKind[location.kind]?.sort { $0.code < $1.code }
        for slot in box.tables.slotsByLocation[location.code] ?? [] {
            box.tables.slotStockedSequences[slot] = Self.stockedSequence(location)
        }
    }

    static func stockedSequence(_ location: Location?) -> Int? {
        guard let location, location.kind.holdsStock else { return nil }
        return location.sequence
    }

    public mutating func add(_ receipt: Receipt) {
        makeUnique()
        box.tables.receipts[receipt.number] = receipt
        for line in receipt.lines {
            if let sscc = line.sscc, !(box.tables.receiptsBySSCC[sscc]?.contains(receipt.number) ?? false) {
                box.tables.receiptsBySSCC[sscc, default: []].append(receipt.number)
            }
        }
    }

    public mutating func add(_ order: Order) {
        makeUnique()
        box.tables.orders[order.number] = order
    }

    public mutating func add(_ person: Operator) {
        makeUnique()
        box.tables.operators[person.badge] = person
    }

    public mutating func add(_ container: Container) {
        makeUnique()
        box.tables.containers[container.sscc] = container
    }

    /// Sets a balance directly (opening stock for tests), without a movement.
    public mutating func setStock(_ key: StockKey, _ quantity: Quantity) {
        makeUnique()
        change(key, by: quantity - self.quantity(at: key))
    }

    // MARK: Catalog

    public func product(sku: String) -> Product? { box.tables.products[sku] }
    public func packaging(gtin: String) -> ProductGTIN? { box.tables.packagingByGTIN[gtin] }
    public func packagings(sku: String) -> [ProductGTIN] { box.tables.packagingBySKU[sku] ?? [] }
    public func location(code: String) -> Location? { box.tables.locationsByCode[code] }
    public func location(barcode: String) -> Location? { box.tables.locationCodeByBarcode[barcode].flatMap { box.tables.locationsByCode[$0] } }
    public func locations(kind: LocationKind) -> [Location] { box.tables.locationsByKind[kind] ?? [] }

    public func balances(location: String) -> [StockBalance] { balances(box.tables.slotsByLocation[location]) }
    public func balances(sku: String) -> [StockBalance] { balances(box.tables.slotsBySKU[sku]) }
    public func balances(location: String, sku: String) -> [StockBalance] { balances(box.tables.slotsByPlace[Place(location: location, sku: sku)]) }
    public func balances(container: String) -> [StockBalance] { balances(box.tables.slotsByContainer[container]) }
    public func quantity(at key: StockKey) -> Quantity { box.tables.slotByKey[key].map { box.tables.slotQuantities[$0] } ?? 0 }

    public func forEachStockedBalance(sku: String, _ body: (StockBalance, _ sequence: Int) -> Void) {
        guard let slots = box.tables.slotsBySKU[sku] else { return }
        for slot in slots where box.tables.slotQuantities[slot] != 0 {
            guard let sequence = box.tables.slotStockedSequences[slot] else { continue }
            body(StockBalance(key: box.tables.slotKeys[slot], quantity: box.tables.slotQuantities[slot]), sequence)
        }
    }

    /// The non-zero balances of an index's slots, already in `order`.
    func balances(_ slots: [Int]?) -> [StockBalance] {
        guard let slots, !slots.isEmpty else { return [] }
        var result: [StockBalance] = []
        result.reserveCapacity(slots.count)
        for slot in slots where box.tables.slotQuantities[slot] != 0 {
            result.append(StockBalance(key: box.tables.slotKeys[slot], quantity: box.tables.slotQuantities[slot]))
        }
        return result
    }

    /// Non-zero balances by key, as a ledger's stock table holds them.
    public var stock: [StockKey: Quantity] {
        var result: [StockKey: Quantity] = [:]
        for (slot, quantity) in box.tables.slotQuantities.enumerated() where quantity != 0 { result[box.tables.slotKeys[slot]] = quantity }
        return result
    }

    /// A stable order for balances: location, sku, lot, container (nil as empty text).
    /// Field by field rather than as a tuple, which would copy every string first.
    static func order(_ lhs: StockKey, _ rhs: StockKey) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.sku != rhs.sku { return lhs.sku < rhs.sku }
        let leftLot = lhs.lot ?? "", rightLot = rhs.lot ?? ""
        if leftLot != rightLot { return leftLot < rightLot }
        return (lhs.container ?? "") < (rhs.container ?? "")
    }

    public func container(sscc: String) -> Container? { box.tables.containers[sscc] }
    public func receipt(number: String) -> Receipt? { box.tables.receipts[number] }

    public func openReceipts(expectingSSCC sscc: String) -> [String] {
        (box.tables.receiptsBySSCC[sscc] ?? []).filter { box.tables.receipts[$0]?.status == .open }
    }

    public func order(number: String) -> Order? { box.tables.orders[number] }
    public func claim(on document: DocumentRef) -> Claim? { box.tables.claims[document] }
    public func operatorRecord(badge: String) -> Operator? { box.tables.operators[badge] }

    public func lastSSCCSerial(station: String) -> UInt64? { box.tables.lastSSCCSerials[station] }

    /// Sets a station's SSCC serial counter (a store that minted before, or was restored).
    public mutating func setLastSSCCSerial(_ serial: UInt64, station: String) {
        makeUnique()
        box.tables.lastSSCCSerials[station] = serial
    }

    /// Non-zero balances, in a stable order.
    public var allBalances: [StockBalance] {
        box.tables.slotQuantities.indices.compactMap { box.tables.slotQuantities[$0] == 0 ? nil : StockBalance(key: box.tables.slotKeys[$0], quantity: box.tables.slotQuantities[$0]) }
            .sorted { Self.order($0.key, $1.key) }
    }

    // MARK: Applying effects

    /// Applies a step's effects as the Ledger would commit them.
    public mutating func apply(_ outcome: StepOutcome, station: String, operatorBadge: String? = nil) {
        makeUnique()
        // Documents first: a blind receipt opens in the step of its first movement.
        for change in outcome.containers { apply(change) }
        if let serial = outcome.mintedSSCCSerial { box.tables.lastSSCCSerials[station] = max(serial, box.tables.lastSSCCSerials[station] ?? 0) }
        for update in outcome.documents { apply(update) }
        for movement in outcome.movements { apply(movement) }
        for change in outcome.claims {
            switch change {
            case .claim(let document):
                box.tables.claims[document] = Claim(document: document, station: station, operatorBadge: operatorBadge)
            case .release(let document):
                if box.tables.claims[document]?.station == station { box.tables.claims[document] = nil }
            }
        }
    }

    public mutating func apply(_ movement: Movement) {
        makeUnique()
        if let source = movement.source { change(source, by: -movement.quantity) }
        if let destination = movement.destination { change(destination, by: movement.quantity) }
        if keepsHistory { history.append(movement) }
        guard let document = movement.document, let line = movement.line else {
            if let document = movement.document, document.kind == .receipt, movement.progressKind == .receive {
                box.tables.receipts[document.number]?.unplanned[movement.sku, default: 0] += movement.progressSign * movement.quantity
            }
            return
        }
        let delta = movement.progressSign * movement.quantity
        switch (document.kind, movement.progressKind) {
        case (.receipt, .receive):
            if let index = box.tables.receipts[document.number]?.lines.firstIndex(where: { $0.line == line }) {
                box.tables.receipts[document.number]?.lines[index].received += delta
            }
        case (.order, .pick):
            if let index = box.tables.orders[document.number]?.lines.firstIndex(where: { $0.line == line }) {
                box.tables.orders[document.number]?.lines[index].picked += delta
            }
        case (.order, .pack):
            if let index = box.tables.orders[document.number]?.lines.firstIndex(where: { $0.line == line }) {
                box.tables.orders[document.number]?.lines[index].packed += delta
            }
        default:
            break
        }
    }

    mutating func apply(_ update: DocumentUpdate) {
        makeUnique()
        switch update {
        case .receiptOpened(let number, let blind):
            if box.tables.receipts[number] == nil { box.tables.receipts[number] = Receipt(number: number, lines: [], blind: blind) }
        case .receiptClosed(let number, _):
            box.tables.receipts[number]?.status = .closed
        case .lineShorted(let order, let line, let quantity):
            if let index = box.tables.orders[order]?.lines.firstIndex(where: { $0.line == line }) {
                box.tables.orders[order]?.lines[index].shorted += quantity
            }
        case .orderPicked, .orderPacked, .countRecorded, .palletMismatchConfirmed:
            break
        }
    }

    mutating func apply(_ change: ContainerChange) {
        makeUnique()
        switch change {
        case .created(let container):
            if box.tables.containers[container.sscc] == nil { box.tables.containers[container.sscc] = container }
        case .moved(let sscc, let location):
            box.tables.containers[sscc]?.location = location
        case .closed(let sscc):
            box.tables.containers[sscc]?.status = .closed
        case .reopened(let sscc):
            box.tables.containers[sscc]?.status = .open
        case .shipped(let sscc, _):
            box.tables.containers[sscc]?.status = .shipped
        }
    }

    mutating func change(_ key: StockKey, by quantity: Quantity) {
        makeUnique()
        if let slot = box.tables.slotByKey[key] {
            let new = box.tables.slotQuantities[slot] + quantity
            box.tables.slotQuantities[slot] = new
            if new == 0, key.container != nil { release(slot) }
            return
        }
        guard quantity != 0 else { return }
        let slot: Int
        if let free = box.tables.freeSlots.popLast() {
            slot = free
            box.tables.slotKeys[slot] = key
            box.tables.slotQuantities[slot] = quantity
            let sequence = Self.stockedSequence(location(code: key.location))
            box.tables.slotStockedSequences[slot] = sequence
        } else {
            slot = box.tables.slotKeys.count
            box.tables.slotKeys.append(key)
            box.tables.slotQuantities.append(quantity)
            let sequence = Self.stockedSequence(location(code: key.location))
            box.tables.slotStockedSequences.append(sequence)
        }
        box.tables.slotByKey[key] = slot
        // The keys as a value of their own: reading them from the box while an index in it
        // is being changed would overlap two accesses to the box.
        let keys = box.tables.slotKeys
        Self.insert(slot, keys: keys, into: &box.tables.slotsByLocation[key.location, default: []])
        Self.insert(slot, keys: keys, into: &box.tables.slotsByPlace[Place(location: key.location, sku: key.sku), default: []])
        Self.insert(slot, keys: keys, into: &box.tables.slotsBySKU[key.sku, default: []])
        if let container = key.container { Self.insert(slot, keys: keys, into: &box.tables.slotsByContainer[container, default: []]) }
    }

    /// A container's balance gone to zero leaves the indexes, and its slot is free for the next new key.
    mutating func release(_ slot: Int) {
        makeUnique()
        let key = box.tables.slotKeys[slot]
        box.tables.slotByKey[key] = nil
        let keys = box.tables.slotKeys
        Self.remove(slot, keys: keys, from: &box.tables.slotsByLocation[key.location, default: []])
        Self.remove(slot, keys: keys, from: &box.tables.slotsByPlace[Place(location: key.location, sku: key.sku), default: []])
        Self.remove(slot, keys: keys, from: &box.tables.slotsBySKU[key.sku, default: []])
        if let container = key.container { Self.remove(slot, keys: keys, from: &box.tables.slotsByContainer[container, default: []]) }
        box.tables.freeSlots.append(slot)
    }

    /// Where `order` puts a key among an index's slots: the first position not before it.
    static func position(of key: StockKey, keys slotKeys: [StockKey], in slots: [Int]) -> Int {
        // Through the buffer, so each probe compares the key in place instead of copying it
        // (and retaining its four strings) out of the array.
        slotKeys.withUnsafeBufferPointer { keys in
            var low = 0
            var high = slots.count
            while low < high {
                let middle = (low + high) / 2
                if order(keys[slots[middle]], key) { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Inserts a new slot where `order` puts its key, keeping the index sorted. Static, so
    /// that changing an index in place does not also hold the catalog (which would copy it).
    static func insert(_ slot: Int, keys slotKeys: [StockKey], into slots: inout [Int]) {
        slots.insert(slot, at: position(of: slotKeys[slot], keys: slotKeys, in: slots))
    }

    /// Removes a slot from a sorted index (keys that differ only in expiry sort together).
    static func remove(_ slot: Int, keys slotKeys: [StockKey], from slots: inout [Int]) {
        var index = position(of: slotKeys[slot], keys: slotKeys, in: slots)
        while index < slots.count, slots[index] != slot { index += 1 }
        if index < slots.count { slots.remove(at: index) }
    }

    /// The balances a list of movements adds up to, from nothing: to check that applying all
    /// movements reproduces the balances.
    public static func balances(replaying movements: [Movement]) -> [StockKey: Quantity] {
        var result: [StockKey: Quantity] = [:]
        for movement in movements {
            if let source = movement.source { result[source, default: 0] -= movement.quantity }
            if let destination = movement.destination { result[destination, default: 0] += movement.quantity }
        }
        return result.filter { $0.value != 0 }
    }
}

/// A product at a location: the key of the catalog's narrowest stock index.
struct Place: Hashable {
    var location: String
    var sku: String
}

/// The catalog's tables (see `InMemoryCatalog.box`).
struct Tables {
    var products: [String: Product] = [:]
    var packagingByGTIN: [String: ProductGTIN] = [:]
    var packagingBySKU: [String: [ProductGTIN]] = [:]
    var locationsByCode: [String: Location] = [:]
    var locationCodeByBarcode: [String: String] = [:]
    var locationsByKind: [LocationKind: [Location]] = [:]
    /// The balances, by slot: applying a movement to a balance that exists changes a number;
    /// only a new key touches the indexes below, which list their slots in `order`, so reads
    /// need no sort. Reads skip slots at zero. Loose stock that goes to zero keeps its slot
    /// and index entries, as docks and staging areas empty and refill the same keys all day;
    /// a container's balances leave the indexes at zero (a shipped box never comes back),
    /// and their slot (quantity 0, in no index) is reused by the next new key.
    var slotByKey: [StockKey: Int] = [:]
    var slotKeys: [StockKey] = []
    var slotQuantities: [Quantity] = []
    var freeSlots: [Int] = []
    /// Per slot, its location's pick-path sequence when the location holds stock, else nil
    /// (kept current by `add(_: Location)`), so picking needs no location lookup per balance.
    var slotStockedSequences: [Int?] = []
    var slotsByLocation: [String: [Int]] = [:]
    /// A busy location (a dock, a staging area) holds many products; a step asks for one.
    var slotsByPlace: [Place: [Int]] = [:]
    var slotsBySKU: [String: [Int]] = [:]
    var slotsByContainer: [String: [Int]] = [:]
    var containers: [String: Container] = [:]
    var receipts: [String: Receipt] = [:]
    var receiptsBySSCC: [String: [String]] = [:]
    var orders: [String: Order] = [:]
    var claims: [DocumentRef: Claim] = [:]
    var operators: [String: Operator] = [:]
    var lastSSCCSerials: [String: UInt64] = [:]
}

/// A reference to the tables. Unchecked Sendable: the catalog only mutates a box it holds
/// uniquely (copy on write), so a box shared between values or threads is never written.
final class TablesBox: @unchecked Sendable {
    var tables: Tables

    init(_ tables: Tables) {
        self.tables = tables
    }
}
