import Foundation
public import ScanCodes

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
        box.tables.products[TextKey(product.sku)] = product
        for gtin in gtins {
            box.tables.packagingByGTIN[TextKey(gtin.gtin)] = gtin
            box.tables.packagingBySKU[TextKey(product.sku), default: []].append(gtin)
            box.tables.packagingBySKU[TextKey(product.sku)]?.sort { $0.unitsPerGTIN < $1.unitsPerGTIN }
        }
    }

    public mutating func add(_ location: Location) {
        makeUnique()
        box.tables.add(location)
    }

    static func stockedSequence(_ location: Location?) -> Int? {
        guard let location, location.kind.holdsStock else { return nil }
        return location.sequence
    }

    public mutating func add(_ receipt: Receipt) {
        makeUnique()
        box.tables.receipts[TextKey(receipt.number)] = receipt
        box.tables.lastReceipt = nil
        for line in receipt.lines {
            if let sscc = line.sscc, !(box.tables.receiptsBySSCC[TextKey(sscc)]?.contains(receipt.number) ?? false) {
                box.tables.receiptsBySSCC[TextKey(sscc), default: []].append(receipt.number)
            }
        }
    }

    public mutating func add(_ order: Order) {
        makeUnique()
        box.tables.orders[TextKey(order.number)] = order
        box.tables.lastOrder = nil
    }

    public mutating func add(_ person: Operator) {
        makeUnique()
        box.tables.operators[TextKey(person.badge)] = person
    }

    public mutating func add(_ container: Container) {
        makeUnique()
        box.tables.containers[TextKey(container.sscc)] = container
    }

    /// Sets a balance directly (opening stock for tests), without a movement.
    public mutating func setStock(_ key: StockKey, _ quantity: Quantity) {
        makeUnique()
        let change = quantity - self.quantity(at: key)
        box.tables.change(key, by: change)
    }

    // MARK: Catalog

    public func product(sku: String) -> Product? { box.tables.products[TextKey(sku)] }
    public func packaging(gtin: String) -> ProductGTIN? { box.tables.packagingByGTIN[TextKey(gtin)] }
    public func packagings(sku: String) -> [ProductGTIN] { box.tables.packagingBySKU[TextKey(sku)] ?? [] }
    public func location(code: String) -> Location? { box.tables.locationsByCode[TextKey(code)] }
    public func location(barcode: String) -> Location? { box.tables.locationsByBarcode[TextKey(barcode)] }
    public func locations(kind: LocationKind) -> [Location] { box.tables.locationsByKind[kind] ?? [] }
    public func firstLocationCode(kind: LocationKind) -> String? { box.tables.firstLocationCodes.first { $0.kind == kind }?.code }

    // Reads take the few tables they need one by one: a method of the tables themselves
    // would copy the whole struct out of the box first (retaining every table).
    /// A location's list is in no order (see `Tables.slotsByLocation`): its non-zero
    /// balances are put in `order` here, keys tied in it as their product's list has them.
    public func balances(location: String) -> [StockBalance] {
        guard let list = box.tables.slotsByLocation[TextKey(location)] else { return [] }
        let slots = box.tables.locationLists[list].slots
        guard !slots.isEmpty else { return [] }
        let keys = box.tables.slotKeys, states = box.tables.slotStates
        let held = slots.filter { states[$0].quantity != 0 }.sorted { lhs, rhs in
            if Self.order(keys[lhs], keys[rhs]) { return true }
            if Self.order(keys[rhs], keys[lhs]) { return false }
            let list = box.tables.slotsBySKU[TextKey(keys[lhs].sku)] ?? []
            return (list.firstIndex(of: lhs) ?? 0) < (list.firstIndex(of: rhs) ?? 0)
        }
        return held.map { StockBalance(key: keys[$0], quantity: states[$0].quantity) }
    }

    public func balances(sku: String) -> [StockBalance] {
        Tables.balances(box.tables.slotsBySKU[TextKey(sku)]?[...], keys: box.tables.slotKeys, states: box.tables.slotStates)
    }

    /// The product's run of slots at the location: its list is in `order`, location first.
    public func balances(location: String, sku: String) -> [StockBalance] {
        guard let slots = box.tables.slotsBySKU[TextKey(sku)] else { return [] }
        let keys = box.tables.slotKeys
        return Tables.balances(slots[Tables.run(of: location, keys: keys, in: slots)], keys: keys, states: box.tables.slotStates)
    }

    public func forEachBalance(location: String, sku: String, _ body: (StockBalance) -> Void) {
        guard let slots = box.tables.slotsBySKU[TextKey(sku)] else { return }
        let keys = box.tables.slotKeys, states = box.tables.slotStates
        for slot in slots[Tables.run(of: location, keys: keys, in: slots)] where states[slot].quantity != 0 {
            body(StockBalance(key: keys[slot], quantity: states[slot].quantity))
        }
    }

    public func balances(container: String) -> [StockBalance] {
        Tables.balances(box.tables.slotsByContainer[TextKey(container)].map { box.tables.containerLists[$0][...] }, keys: box.tables.slotKeys, states: box.tables.slotStates)
    }

    public func quantity(at key: StockKey) -> Quantity {
        guard let slots = box.tables.slotsBySKU[TextKey(key.sku)],
              let slot = Tables.find(location: key.location, lot: key.lot, expiry: key.expiry, container: key.container, keys: box.tables.slotKeys, in: slots).slot
        else { return 0 }
        return box.tables.slotStates[slot].quantity
    }

    public func forEachStockedBalance(sku: String, _ body: (StockBalance, _ sequence: Int) -> Void) {
        guard let slots = box.tables.slotsBySKU[TextKey(sku)] else { return }
        let keys = box.tables.slotKeys, states = box.tables.slotStates
        for slot in slots where states[slot].quantity != 0 {
            guard let sequence = states[slot].stockedSequence else { continue }
            body(StockBalance(key: keys[slot], quantity: states[slot].quantity), sequence)
        }
    }

    /// Compares the keys in place, in the tables' buffers: only the winner is copied out.
    public func firstPositiveStockedBalance(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (balance: StockBalance, sequence: Int)? {
        firstPositiveStockedSlot(sku: sku, by: isBefore).map { (StockBalance(key: box.tables.slotKeys[$0.slot], quantity: box.tables.slotStates[$0.slot].quantity), $0.sequence) }
    }

    public func firstPositiveStockedPlace(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (sequence: Int, expiry: CalendarDate?)? {
        firstPositiveStockedSlot(sku: sku, by: isBefore).map { ($0.sequence, box.tables.slotKeys[$0.slot].expiry) }
    }

    @inline(__always)
    func firstPositiveStockedSlot(sku: String, by isBefore: (StockKey, _ sequence: Int, StockKey, _ sequence: Int) -> Bool) -> (slot: Int, sequence: Int)? {
        guard let slots = box.tables.slotsBySKU[TextKey(sku)] else { return nil }
        return box.tables.slotKeys.withUnsafeBufferPointer { keys in
            box.tables.slotStates.withUnsafeBufferPointer { states -> (slot: Int, sequence: Int)? in
                var first: Int?
                var firstSequence = 0
                for slot in slots where states[slot].quantity > 0 {
                    guard let sequence = states[slot].stockedSequence else { continue }
                    if let current = first, !isBefore(keys[slot], sequence, keys[current], firstSequence) { continue }
                    first = slot
                    firstSequence = sequence
                }
                return first.map { ($0, firstSequence) }
            }
        }
    }

    /// Non-zero balances by key, as a ledger's stock table holds them.
    public var stock: [StockKey: Quantity] {
        var result: [StockKey: Quantity] = [:]
        for (slot, state) in box.tables.slotStates.enumerated() where state.quantity != 0 { result[box.tables.slotKeys[slot]] = state.quantity }
        return result
    }

    /// A stable order for balances: location, sku, lot, container (nil as empty text).
    /// Field by field rather than as a tuple, which would copy every string first.
    static func order(_ lhs: StockKey, _ rhs: StockKey) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.sku != rhs.sku { return lhs.sku < rhs.sku }
        let lots = Tables.compare(lhs.lot, rhs.lot)
        if lots != 0 { return lots < 0 }
        return Tables.compare(lhs.container, rhs.container) < 0
    }

    public func container(sscc: String) -> Container? { box.tables.containers[TextKey(sscc)] }
    public func receipt(number: String) -> Receipt? { box.tables.receipts[TextKey(number)] }

    public func openReceipts(expectingSSCC sscc: String) -> [String] {
        (box.tables.receiptsBySSCC[TextKey(sscc)] ?? []).filter { box.tables.receipts[TextKey($0)]?.status == .open }
    }

    public func order(number: String) -> Order? { box.tables.orders[TextKey(number)] }
    public func claim(on document: DocumentRef) -> Claim? { box.tables.claims[DocumentKey(document)] }
    public func operatorRecord(badge: String) -> Operator? { box.tables.operators[TextKey(badge)] }

    public func lastSSCCSerial(station: String) -> UInt64? { box.tables.lastSSCCSerials[TextKey(station)] }

    /// Sets a station's SSCC serial counter (a store that minted before, or was restored).
    public mutating func setLastSSCCSerial(_ serial: UInt64, station: String) {
        makeUnique()
        box.tables.lastSSCCSerials[TextKey(station)] = serial
    }

    /// Non-zero balances, in a stable order.
    public var allBalances: [StockBalance] {
        box.tables.slotStates.indices.compactMap { box.tables.slotStates[$0].quantity == 0 ? nil : StockBalance(key: box.tables.slotKeys[$0], quantity: box.tables.slotStates[$0].quantity) }
            .sorted { Self.order($0.key, $1.key) }
    }

    // MARK: Applying effects

    /// Applies a step's effects as the Ledger would commit them.
    public mutating func apply(_ outcome: StepOutcome, station: String, operatorBadge: String? = nil) {
        makeUnique()
        // The tables change in one access to the box, not one (checked) access per table.
        box.tables.apply(outcome, station: station, operatorBadge: operatorBadge)
        if keepsHistory { history.append(contentsOf: outcome.movements) }
    }

    public mutating func apply(_ movement: Movement) {
        makeUnique()
        box.tables.apply(movement)
        if keepsHistory { history.append(movement) }
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

/// The catalog's tables (see `InMemoryCatalog.box`).
struct Tables {
    var products: [TextKey: Product] = [:]
    var packagingByGTIN: [TextKey: ProductGTIN] = [:]
    var packagingBySKU: [TextKey: [ProductGTIN]] = [:]
    var locationsByCode: [TextKey: Location] = [:]
    /// Each label's location as it is now: one lookup per location scan, not a code first.
    var locationsByBarcode: [TextKey: Location] = [:]
    var locationsByKind: [LocationKind: [Location]] = [:]
    /// The first code of each kind's list above: steps ask for it several times each, and a
    /// look through six kinds compares enum cases where the dictionary hashes the kind's name.
    var firstLocationCodes: [(kind: LocationKind, code: String)] = []
    /// The balances, by slot: applying a movement to a balance that exists changes a number;
    /// only a new key touches the indexes below, which list their slots in `order` (but for
    /// locations'), so reads need no sort. Reads skip slots at zero. Loose stock that goes to zero keeps its slot
    /// and index entries, as docks and staging areas empty and refill the same keys all day;
    /// a container's balances leave the indexes at zero (a shipped box never comes back),
    /// and their slot (quantity 0, in no index) is reused by the next new key.
    var slotKeys: [StockKey] = []
    /// Per slot, its quantity and its location's pick-path sequence, side by side: ranking
    /// a product's places reads both for each of its slots, one cache line rather than two.
    var slotStates: [SlotState] = []
    var freeSlots: [Int] = []
    /// Per slot in an index, its location's list and where it is in it: a balance leaves
    /// that list by a swap with its last slot, with no lookup of the location nor search.
    var slotLocationLists: [Int] = []
    var slotLocationPositions: [Int] = []
    /// A product's slots, in `order`: also how a key finds its slot. A movement's two ends
    /// share one product, so one lookup of a short text finds both, and a key's place in
    /// the list (by location, lot, container) is a binary search; a location's balances of
    /// the product are one run of the list.
    var slotsBySKU: [TextKey: [Int]] = [:]
    /// A location's slots in no order: a new key is appended and a released one swapped
    /// out, where keeping `order` cost a search comparing texts and a shift of the list
    /// each time, for docks and staging areas that list thousands of keys. Only
    /// `balances(location:)`, a rare read, sorts. By location, the number of its list in
    /// `locationLists` (a list, once made, stays in its place).
    var slotsByLocation: [TextKey: Int] = [:]
    var locationLists: [LocationSlots] = []
    /// The location a new key was last made at, with its list's number: a step's new keys
    /// go mostly to one staging or packing place, which each lookup hashed again. A code's
    /// list never changes once made, so this can only miss, never be wrong.
    var lastLocationList: (code: String, list: Int)?
    /// By container, the number of its list (in `order`) in `containerLists`, and per slot
    /// of a container's balance its list's number: a balance gone to zero leaves its list
    /// with no lookup by SSCC, a text too long to hash quickly.
    var slotsByContainer: [TextKey: Int] = [:]
    var containerLists: [[Int]] = []
    /// The container a new key was last made in, with its list's number (as
    /// `lastLocationList`: a tote or carton takes several new keys one after another).
    var lastContainerList: (sscc: String, list: Int)?
    var slotContainerLists: [Int] = []
    var containers: [TextKey: Container] = [:]
    var receipts: [TextKey: Receipt] = [:]
    var receiptsBySSCC: [TextKey: [String]] = [:]
    var orders: [TextKey: Order] = [:]
    /// The receipt and the order a movement's progress last changed, with their entries:
    /// a step's movements, and the steps after it, count towards the same document, where
    /// each lookup hashes its number. An index stays valid while no key is added (none is
    /// ever removed), so adding a document clears its table's.
    var lastReceipt: (number: String, index: Dictionary<TextKey, Receipt>.Index)?
    var lastOrder: (number: String, index: Dictionary<TextKey, Order>.Index)?
    var claims: [DocumentKey: Claim] = [:]
    var operators: [TextKey: Operator] = [:]
    var lastSSCCSerials: [TextKey: UInt64] = [:]
}

/// A claims table's key: the document's number hashed as `TextKey` hashes a text, where
/// `DocumentRef`'s own hash runs the standard hasher over its kind and number. Equal numbers
/// of two kinds share a hash and are told apart by equality.
struct DocumentKey: Hashable {
    var document: DocumentRef

    init(_ document: DocumentRef) {
        self.document = document
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(TextKey.hash(document.number, seed: 0))
    }

    /// What `Dictionary` hashes with (see `TextKey._rawHashValue(seed:)`).
    func _rawHashValue(seed: Int) -> Int {
        TextKey.hash(document.number, seed: seed)
    }
}

/// A slot's balance and, when its location holds stock, that location's pick-path sequence
/// (else nil; kept current by `add(_: Location)`), so picking needs no location lookup per balance.
struct SlotState {
    var quantity: Quantity
    var stockedSequence: Int?
}

/// A location's slots, in no order, with the sequence its new balances take (always
/// `InMemoryCatalog.stockedSequence` of the location as last added), so a new key needs
/// no lookup of its location.
struct LocationSlots {
    var slots: [Int]
    var stockedSequence: Int?
}

// MARK: Reading stock

extension Tables {
    /// Where a key of a product goes among that product's slots (`order` with the product
    /// left out): the first position not before it, and the slot holding exactly that key
    /// if there is one (keys that differ only in expiry sort together, so it is in that run).
    static func find(location: String, lot: String?, expiry: CalendarDate?, container: String?, keys slotKeys: [StockKey], in slots: [Int]) -> (position: Int, slot: Int?) {
        // Through the buffers, so each probe compares a key in place instead of copying it
        // (and retaining its strings) out of the array.
        slotKeys.withUnsafeBufferPointer { keys in
            slots.withUnsafeBufferPointer { slots in
                let low = firstNotBefore(in: slots, keys: keys) { precedes($0, location: location, lot: lot, container: container) }
                var index = low
                while index < slots.count, keys[slots[index]].location == location, isTied(keys[slots[index]], lot: lot, container: container) {
                    if matches(keys[slots[index]], lot: lot, expiry: expiry, container: container) { return (low, slots[index]) }
                    index += 1
                }
                return (low, nil)
            }
        }
    }

    /// `order` between a key and a probe of the same product.
    static func precedes(_ key: StockKey, location: String, lot: String?, container: String?) -> Bool {
        if key.location != location { return key.location < location }
        let lots = compare(key.lot, lot)
        if lots != 0 { return lots < 0 }
        return compare(key.container, container) < 0
    }

    /// Whether a key of the same product at the same location is in the probe's run of `order`.
    static func isTied(_ key: StockKey, lot: String?, container: String?) -> Bool {
        compare(key.lot, lot) == 0 && compare(key.container, container) == 0
    }

    /// Two optional texts in `order`, nil as empty text: -1, 0 or 1. Bound one by one, as
    /// `?? ""` copies the whole key holding them first.
    static func compare(_ lhs: String?, _ rhs: String?) -> Int {
        if let lhs {
            if let rhs { return lhs == rhs ? 0 : (lhs < rhs ? -1 : 1) }
            return lhs.isEmpty ? 0 : 1
        }
        if let rhs { return rhs.isEmpty ? 0 : -1 }
        return 0
    }

    /// Equality with a key of the same product at the same location.
    static func matches(_ key: StockKey, lot: String?, expiry: CalendarDate?, container: String?) -> Bool {
        key.lot == lot && key.expiry == expiry && key.container == container
    }

    /// The run of a product's slots at a location.
    static func run(of location: String, keys slotKeys: [StockKey], in slots: [Int]) -> Range<Int> {
        slotKeys.withUnsafeBufferPointer { keys in
            slots.withUnsafeBufferPointer { slots in
                let low = firstNotBefore(in: slots, keys: keys) { $0.location < location }
                var end = low
                while end < slots.count, keys[slots[end]].location == location { end += 1 }
                return low..<end
            }
        }
    }

    /// The non-zero balances of some of an index's slots, already in `order`.
    static func balances(_ slots: ArraySlice<Int>?, keys: [StockKey], states: [SlotState]) -> [StockBalance] {
        guard let slots, !slots.isEmpty else { return [] }
        var result: [StockBalance] = []
        result.reserveCapacity(slots.count)
        for slot in slots where states[slot].quantity != 0 {
            result.append(StockBalance(key: keys[slot], quantity: states[slot].quantity))
        }
        return result
    }
}

// MARK: Changing stock and documents

extension Tables {
    mutating func add(_ location: Location) {
        if locationsByCode.updateValue(location, forKey: TextKey(location.code)) != nil {
            // Added again: the labels that named it name it as it is now.
            for (barcode, named) in locationsByBarcode where named.code == location.code {
                locationsByBarcode[barcode] = location
            }
        }
        locationsByBarcode[TextKey(location.barcode)] = location
        locationsByKind[location.kind, default: []].removeAll { $0.code == location.code }
        locationsByKind[location.kind, default: []].append(location)
        locationsByKind[location.kind]?.sort { $0.code < $1.code }
        let first = locationsByKind[location.kind]?.first?.code ?? location.code
        if let index = firstLocationCodes.firstIndex(where: { $0.kind == location.kind }) {
            firstLocationCodes[index].code = first
        } else {
            firstLocationCodes.append((location.kind, first))
        }
        guard let list = slotsByLocation[TextKey(location.code)] else { return }
        let sequence = InMemoryCatalog.stockedSequence(location)
        locationLists[list].stockedSequence = sequence
        for slot in locationLists[list].slots { slotStates[slot].stockedSequence = sequence }
    }

    mutating func apply(_ outcome: StepOutcome, station: String, operatorBadge: String?) {
        // Documents first: a blind receipt opens in the step of its first movement.
        for change in outcome.containers { apply(change) }
        if let serial = outcome.mintedSSCCSerial { Self.raise(&lastSSCCSerials[TextKey(station)], to: serial) }
        for update in outcome.documents { apply(update) }
        // Through the buffer: `for in` would copy (and retain) each movement first.
        outcome.movements.withUnsafeBufferPointer { movements in
            for index in movements.indices { apply(movements[index]) }
        }
        for change in outcome.claims {
            switch change {
            case .claim(let document):
                claims[DocumentKey(document)] = Claim(document: document, station: station, operatorBadge: operatorBadge)
            case .release(let document):
                if let index = claims.index(forKey: DocumentKey(document)), claims.values[index].station == station { claims.remove(at: index) }
            }
        }
    }

    /// One lookup for a read and write of the same entry (through `inout`, not two subscripts).
    static func raise(_ serial: inout UInt64?, to minted: UInt64) {
        serial = max(minted, serial ?? 0)
    }

    static func insertIfAbsent<Value>(_ entry: inout Value?, _ value: Value) {
        if entry == nil { entry = value }
    }

    mutating func apply(_ movement: Movement) {
        if movement.from != nil || movement.to != nil {
            var index = slotsBySKU.index(forKey: TextKey(movement.sku))
            if let from = movement.from {
                change(sku: movement.sku, location: from, lot: movement.lot, expiry: movement.expiry, container: movement.fromContainer, by: -movement.quantity, index: &index)
            }
            if let to = movement.to {
                change(sku: movement.sku, location: to, lot: movement.lot, expiry: movement.expiry, container: movement.toContainer, by: movement.quantity, index: &index)
            }
        }
        guard let document = movement.document, let line = movement.line else {
            if let document = movement.document, document.kind == .receipt, movement.progressKind == .receive {
                receipts[TextKey(document.number)]?.unplanned[movement.sku, default: 0] += movement.progressSign * movement.quantity
            }
            return
        }
        let delta = movement.progressSign * movement.quantity
        switch (document.kind, movement.progressKind) {
        case (.receipt, .receive):
            if let index = receiptIndex(document.number) {
                receipts.values[index].lines.updateFirst { $0.line == line } with: { $0.received += delta }
            }
        case (.order, .pick):
            if let index = orderIndex(document.number) {
                orders.values[index].lines.updateFirst { $0.line == line } with: { $0.picked += delta }
            }
        case (.order, .pack):
            if let index = orderIndex(document.number) {
                orders.values[index].lines.updateFirst { $0.line == line } with: { $0.packed += delta }
            }
        default:
            break
        }
    }

    /// A receipt's entry, found again without a lookup when it is the last one's (`lastReceipt`).
    mutating func receiptIndex(_ number: String) -> Dictionary<TextKey, Receipt>.Index? {
        if let last = lastReceipt, last.number == number { return last.index }
        let index = receipts.index(forKey: TextKey(number))
        lastReceipt = index.map { (number, $0) }
        return index
    }

    /// An order's entry, found again without a lookup when it is the last one's (`lastOrder`).
    mutating func orderIndex(_ number: String) -> Dictionary<TextKey, Order>.Index? {
        if let last = lastOrder, last.number == number { return last.index }
        let index = orders.index(forKey: TextKey(number))
        lastOrder = index.map { (number, $0) }
        return index
    }

    mutating func apply(_ update: DocumentUpdate) {
        switch update {
        case .receiptOpened(let number, let blind):
            lastReceipt = nil
            Self.insertIfAbsent(&receipts[TextKey(number)], Receipt(number: number, lines: [], blind: blind))
        case .receiptClosed(let number, _):
            receipts[TextKey(number)]?.status = .closed
        case .lineShorted(let order, let line, let quantity):
            orders[TextKey(order)]?.lines.updateFirst { $0.line == line } with: { $0.shorted += quantity }
        case .orderPicked, .orderPacked, .countRecorded, .palletMismatchConfirmed:
            break
        }
    }

    mutating func apply(_ change: ContainerChange) {
        switch change {
        case .created(let container):
            Self.insertIfAbsent(&containers[TextKey(container.sscc)], container)
        case .moved(let sscc, let location):
            if let index = containers.index(forKey: TextKey(sscc)) { containers.values[index].location = location }
        case .closed(let sscc):
            if let index = containers.index(forKey: TextKey(sscc)) { containers.values[index].status = .closed }
        case .reopened(let sscc):
            if let index = containers.index(forKey: TextKey(sscc)) { containers.values[index].status = .open }
        case .shipped(let sscc, _):
            if let index = containers.index(forKey: TextKey(sscc)) { containers.values[index].status = .shipped }
        }
    }

    mutating func change(_ key: StockKey, by quantity: Quantity) {
        var index = slotsBySKU.index(forKey: TextKey(key.sku))
        change(sku: key.sku, location: key.location, lot: key.lot, expiry: key.expiry, container: key.container, by: quantity, index: &index)
    }

    /// Adds `quantity` to a balance. `index` is where the product's slots are in `slotsBySKU`
    /// (nil while it has none), kept valid for the caller's next change of the same product.
    mutating func change(sku: String, location: String, lot: String?, expiry: CalendarDate?, container: String?, by quantity: Quantity, index: inout Dictionary<TextKey, [Int]>.Index?) {
        let position: Int
        if let index {
            let found = Self.find(location: location, lot: lot, expiry: expiry, container: container, keys: slotKeys, in: slotsBySKU.values[index])
            if let slot = found.slot {
                let new = slotStates[slot].quantity + quantity
                slotStates[slot].quantity = new
                if new == 0, container != nil { release(slot, at: found.position, in: index) }
                return
            }
            position = found.position
        } else {
            position = 0
        }
        guard quantity != 0 else { return }
        // The key is built into its slot and read there after: a local kept for the indexes
        // below would be one more copy (and release) of its texts.
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slotKeys[slot] = StockKey(location: location, sku: sku, lot: lot, expiry: expiry, container: container)
            slotStates[slot].quantity = quantity
        } else {
            slot = slotKeys.count
            slotKeys.append(StockKey(location: location, sku: sku, lot: lot, expiry: expiry, container: container))
            slotStates.append(SlotState(quantity: quantity, stockedSequence: nil))
            slotLocationLists.append(0)
            slotLocationPositions.append(0)
            slotContainerLists.append(0)
        }
        if let index {
            Self.insert(slot, at: position, into: &slotsBySKU.values[index])
        } else {
            slotsBySKU[TextKey(sku)] = [slot]
            index = slotsBySKU.index(forKey: TextKey(sku))
        }
        if let list = locationList(location) {
            slotStates[slot].stockedSequence = locationLists[list].stockedSequence
            slotLocationLists[slot] = list
            slotLocationPositions[slot] = locationLists[list].slots.count
            locationLists[list].slots.append(slot)
        } else {
            let sequence = InMemoryCatalog.stockedSequence(locationsByCode[TextKey(location)])
            slotStates[slot].stockedSequence = sequence
            slotLocationLists[slot] = locationLists.count
            slotLocationPositions[slot] = 0
            slotsByLocation[TextKey(location)] = locationLists.count
            lastLocationList = (location, locationLists.count)
            locationLists.append(LocationSlots(slots: [slot], stockedSequence: sequence))
        }
        if let container {
            if let list = containerList(container) {
                let at = Self.position(ofKeyAt: slot, keys: slotKeys, in: containerLists[list])
                Self.insert(slot, at: at, into: &containerLists[list])
                slotContainerLists[slot] = list
            } else {
                slotsByContainer[TextKey(container)] = containerLists.count
                lastContainerList = (container, containerLists.count)
                slotContainerLists[slot] = containerLists.count
                containerLists.append([slot])
            }
        }
    }

    /// `insert(_:at:)` for an index's short lists: an append and a shift in the buffer, where
    /// the generic insert went through `replaceSubrange`, several times the cost at this size.
    static func insert(_ slot: Int, at position: Int, into slots: inout [Int]) {
        slots.append(slot)
        slots.withUnsafeMutableBufferPointer { buffer in
            var index = buffer.count - 1
            while index > position {
                buffer[index] = buffer[index - 1]
                index -= 1
            }
            buffer[position] = slot
        }
    }

    /// A location's list (see `lastLocationList`), nil while it has none.
    mutating func locationList(_ code: String) -> Int? {
        if let last = lastLocationList, last.code == code { return last.list }
        let list = slotsByLocation[TextKey(code)]
        if let list { lastLocationList = (code, list) }
        return list
    }

    /// A container's list (see `lastContainerList`), nil while it has none.
    mutating func containerList(_ sscc: String) -> Int? {
        if let last = lastContainerList, last.sscc == sscc { return last.list }
        let list = slotsByContainer[TextKey(sscc)]
        if let list { lastContainerList = (sscc, list) }
        return list
    }

    /// A container's balance gone to zero leaves the indexes, and its slot is free for the
    /// next new key. `position` is where its key's run starts in its product's slots.
    mutating func release(_ slot: Int, at position: Int, in index: Dictionary<TextKey, [Int]>.Index) {
        if let at = slotsBySKU.values[index][position...].firstIndex(of: slot) { slotsBySKU.values[index].remove(at: at) }
        let list = slotLocationLists[slot], at = slotLocationPositions[slot]
        let last = locationLists[list].slots.removeLast()
        if last != slot {
            locationLists[list].slots[at] = last
            slotLocationPositions[last] = at
        }
        // A container holds a few balances: its list is scanned, not searched by key (which
        // compares texts at each probe).
        let container = slotContainerLists[slot]
        if let at = containerLists[container].firstIndex(of: slot) {
            containerLists[container].remove(at: at)
        }
        freeSlots.append(slot)
    }

    /// Where `order` puts the key in `slot` among an index's slots: the first position not
    /// before it.
    static func position(ofKeyAt slot: Int, keys slotKeys: [StockKey], in slots: [Int]) -> Int {
        slotKeys.withUnsafeBufferPointer { keys in
            slots.withUnsafeBufferPointer { slots in
                firstNotBefore(in: slots, keys: keys) { InMemoryCatalog.order($0, keys[slot]) }
            }
        }
    }

    /// The binary search of every sorted index: the first of `slots` whose key is not
    /// before the probe. Keys are compared in place through the buffers, not copied (with
    /// their strings retained) out of the array.
    @inline(__always)
    static func firstNotBefore(in slots: UnsafeBufferPointer<Int>, keys: UnsafeBufferPointer<StockKey>, _ isBefore: (StockKey) -> Bool) -> Int {
        var low = 0
        var high = slots.count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(keys[slots[middle]]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Array {
    /// Changes the first element that matches in place: the array's owner (a dictionary's
    /// entry, by index) is looked up once, for the search and the change together.
    fileprivate mutating func updateFirst(where predicate: (Element) -> Bool, with update: (inout Element) -> Void) {
        if let index = firstIndex(where: predicate) { update(&self[index]) }
    }
}

/// A reference to the tables. Unchecked Sendable: the catalog only mutates a box it holds
/// uniquely (copy on write), so a box shared between values or threads is never written.
final class TablesBox: @unchecked Sendable {
    /// Unchecked exclusivity: every step reads a dozen tables and applies its effects through
    /// this property, and the runtime check of each access costs more than the lookup it
    /// guards. Accesses cannot overlap: only `InMemoryCatalog` touches the box, its writes
    /// are its mutating methods on a box it holds uniquely, and no read calls out while a
    /// write is under way.
    @exclusivity(unchecked) var tables: Tables

    init(_ tables: Tables) {
        self.tables = tables
    }
}
