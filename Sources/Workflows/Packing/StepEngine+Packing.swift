import Foundation
import ScanCodes

extension StepEngine {
    func packingInstruction() -> PromptMessage {
        guard case .packing(let task) = state.task else { return PromptMessage(.scanOrderOrTote) }
        guard let box = task.box else { return PromptMessage(.openBox, [PromptField("order", task.order)]) }
        let expected = currentOrder(task.order).map { expectedList($0) } ?? ""
        guard !expected.isEmpty else { return PromptMessage(.boxComplete, [PromptField("box", box)]) }
        return PromptMessage(.scanPackItem, [PromptField("box", box), PromptField("expected", expected)])
    }

    /// "WIDGET-7 3, GADGET-2 1": what is picked and not yet packed, by sku. Built only for
    /// a prompt that shows it.
    func expectedList(_ order: Order) -> String {
        // Written as bytes straight into the string's storage, sized for the longest text the
        // lines can give: appending to a String four times per product cost more than the rest
        // of the packing instruction, and a byte array first cost a second allocation.
        let lines = order.lines
        var capacity = 0
        for index in lines.indices where lines[index].packable > 0 {
            capacity += lines[index].sku.utf8.count + 3 + Quantity.longestText
        }
        guard capacity > 0 else { return "" }
        return String(unsafeUninitializedCapacity: capacity) { text in
            // The lines are read in place through their buffer (not copied out one by one)
            // and each sku's bytes copied at once (not a byte at a time through its view).
            lines.withUnsafeBufferPointer { lines in
                var count = 0
                for index in lines.indices where lines[index].packable > 0 {
                    // Each sku once, at its first packable line, with the sum of its lines.
                    if lines[..<index].contains(where: { $0.packable > 0 && $0.sku == lines[index].sku }) { continue }
                    var quantity = lines[index].packable
                    for later in (index + 1)..<lines.count where lines[later].sku == lines[index].sku {
                        quantity += lines[later].packable
                    }
                    if count > 0 {
                        text[count] = UInt8(ascii: ",")
                        text[count + 1] = UInt8(ascii: " ")
                        count += 2
                    }
                    count += Self.copyUTF8(of: lines[index].sku, into: text, at: count)
                    text[count] = UInt8(ascii: " ")
                    count += 1
                    count += quantity.writeText(into: text, at: count)
                }
                return count
            }
        }
    }

    /// Copies a text's UTF-8 bytes into `buffer` from `start` (room for them there is
    /// enough); returns how many.
    static func copyUTF8(of text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + bytes.count)]).initialize(fromContentsOf: bytes)
        }
    }

    func pack(_ scan: DecodedScan) -> StepOutcome {
        guard case .packing(let task) = state.task else {
            return startPacking(scan)
        }
        if scan.kind == .command, let command = scan.command {
            switch command.name {
            case "newbox": return newBox(task: task)
            case "done": return closeBoxOrLeave(task: task)
            default: return rejectUnexpected(scan)
            }
        }
        if let sscc = scan.sscc, scan.gtin == nil {
            return openBox(sscc, task: task)
        }
        if let gtin = scan.gtin {
            return packItem(gtin: gtin, scan: scan, task: task)
        }
        if scan.kind == .text, scan.text != task.order, catalog.order(number: scan.text) != nil {
            return reject("document_open", Prompt(.finishFirst, [PromptField("document", task.order)]))
        }
        return rejectUnexpected(scan)
    }

    /// An order number, a tote with an order's picked goods, or an open box to go on with.
    func startPacking(_ scan: DecodedScan) -> StepOutcome {
        var number: String?
        var tote: String?
        var box: String?
        if scan.kind == .text {
            number = scan.text
        } else if let sscc = scan.sscc, let container = catalog.container(sscc: sscc), let order = container.order {
            switch (container.kind, container.status) {
            case (.tote, _): tote = sscc
            case (.box, .open): box = sscc
            default: return reject("box_in_use", Prompt(.boxInUse, [PromptField("box", sscc)]))
            }
            number = order
        }
        guard let number else { return rejectUnexpected(scan) }
        guard let order = catalog.order(number: number) else {
            return reject("unknown_order", Prompt(.unknownLabel, [PromptField("label", number)]))
        }
        guard order.lines.contains(where: { $0.packable > 0 }) || box != nil else {
            return reject("nothing_to_pack", Prompt(.nothingToPack, [PromptField("order", number)]))
        }
        let document = DocumentRef(.order, number)
        if let claim = claimedElsewhere(document) {
            return reject("claimed_elsewhere", claimedElsewherePrompt(claim))
        }
        claims.append(.claim(document))
        setTask(.packing(PackingTask(order: number, tote: tote, box: box)))
        setUndo([])
        say(.orderStarted, [PromptField("order", number)])
        return finish()
    }

    func openBox(_ sscc: String, task: PackingTask) -> StepOutcome {
        if task.box == sscc { return finish() }
        guard task.box == nil else {
            return reject("box_open", Prompt(.closeBoxFirst, [PromptField("box", task.box ?? "")]))
        }
        if let container = catalog.container(sscc: sscc) {
            guard container.kind == .box, container.status == .open, container.order == task.order else {
                return reject("box_in_use", Prompt(.boxInUse, [PromptField("box", sscc)]))
            }
        } else {
            guard let packAt = defaultLocation(settings.packAt, kind: .pack) else {
                return missingLocation(settings.packAt, kind: .pack)
            }
            containers.append(.created(Container(sscc: sscc, kind: .box, status: .open, location: packAt, order: task.order)))
        }
        var next = task
        next.box = sscc
        setTask(.packing(next))
        setUndo([])
        say(.boxOpened, [PromptField("box", sscc)])
        return finish()
    }

    /// `CMD-NEWBOX`: the next free SSCC of the station's range, and its label. The serial
    /// counter is the catalog's (persistent, per station), never the session's.
    func newBox(task: PackingTask) -> StepOutcome {
        guard task.box == nil else {
            return reject("box_open", Prompt(.closeBoxFirst, [PromptField("box", task.box ?? "")]))
        }
        guard let prefix = settings.ssccCompanyPrefix, let range = settings.ssccSerialRange,
              let packAt = defaultLocation(settings.packAt, kind: .pack)
        else {
            return reject("no_sscc_range", Prompt(.noSSCCRange))
        }
        let last = catalog.lastSSCCSerial(station: settings.name)
        var serial = max(last.map { $0 &+ 1 } ?? range.lowerBound, range.lowerBound)
        var minted: (sscc: String, serial: UInt64)?
        var tries = 0
        // A counter at UInt64.max has nothing after it (`&+ 1` would wrap to the range's start).
        while serial <= range.upperBound, tries < 1000, last != UInt64.max {
            guard let candidate = SSCCMinter.sscc(extensionDigit: settings.ssccExtensionDigit, companyPrefix: prefix, serial: serial) else { break }
            tries += 1
            if catalog.container(sscc: candidate) == nil {
                minted = (candidate, serial)
                break
            }
            guard serial < range.upperBound else { break }
            serial += 1
        }
        guard let minted else {
            return reject("sscc_range_exhausted", Prompt(.ssccRangeExhausted))
        }
        let sscc = minted.sscc
        mintedSSCCSerial = minted.serial
        containers.append(.created(Container(sscc: sscc, kind: .box, status: .open, location: packAt, order: task.order)))
        labels.append(LabelRequest(kind: .sscc, data: "(00)" + sscc, lines: [task.order, sscc]))
        var next = task
        next.box = sscc
        setTask(.packing(next))
        setUndo([])
        say(.boxOpened, [PromptField("box", sscc)])
        say(.printLabel, [PromptField("box", sscc)])
        return finish()
    }

    func packItem(gtin: String, scan: DecodedScan, task: PackingTask) -> StepOutcome {
        guard let box = task.box else {
            return reject("box_first", Prompt(.openBoxFirst))
        }
        guard let order = currentOrder(task.order) else { return rejectUnexpected(scan) }
        guard let packaging = packaging(gtin: gtin) else {
            return reject("not_expected", Prompt(.notExpected, [PromptField("sku", gtin), PromptField("expected", expectedList(order))]))
        }
        let sku = packaging.sku
        // The product's lines are read where they are in the order (not gathered into an
        // array of their own): what they have packable, and the last one's number.
        var packable = Quantity(0)
        var lastLine: Int?
        for line in order.lines where line.sku == sku {
            packable += line.packable
            lastLine = line.line
        }
        guard lastLine != nil, packable > 0 || policies.overPack != .reject else {
            return reject(lastLine == nil ? "not_expected" : "over_pack", lastLine == nil
                ? Prompt(.notExpected, [PromptField("sku", sku), PromptField("expected", expectedList(order))])
                : Prompt(.overPack, [PromptField("sku", sku), PromptField("quantity", "0"), PromptField("expected", expectedList(order))]))
        }
        if let refused = refuseFractionOfPieces(scan, packaging: packaging, sku: sku) { return refused }
        let quantity = scannedUnits(scan, packaging: packaging)
        if quantity > packable {
            if let refused = check(policies.overPack, "over_pack", .overPack, [PromptField("sku", sku), PromptField("quantity", Self.format(packable)), PromptField("expected", expectedList(order))], refusesQuantity: true) {
                return refused
            }
        }
        guard let stage = defaultLocation(settings.stageTo, kind: .staging) else {
            return missingLocation(settings.stageTo, kind: .staging)
        }
        guard let packAt = defaultLocation(settings.packAt, kind: .pack) else {
            return missingLocation(settings.packAt, kind: .pack)
        }
        var sourceLocation = task.tote.flatMap { catalog.container(sscc: $0)?.location } ?? stage
        func picked(at location: String) -> (balances: [StockBalance], available: Quantity) {
            // Filtered in place: the balances are a new array of this step's own.
            var atSource = stock(location: location, sku: sku)
            atSource.removeAll { !($0.quantity > 0 && $0.key.container == task.tote && (scan.batch == nil || $0.key.lot == scan.batch)) }
            let sorted = fefoSorted(atSource)
            return (sorted, sorted.reduce(Quantity(0)) { $0 + $1.quantity })
        }
        var (candidates, available) = picked(at: sourceLocation)
        if available < quantity, task.tote == nil, settings.stageTo == nil {
            // No staging location configured here: the picked goods may wait at another one
            // (the picking station's stage_to), the first by code that holds them.
            for other in catalog.locations(kind: .staging) where other.code != sourceLocation {
                let there = picked(at: other.code)
                if there.available >= quantity {
                    sourceLocation = other.code
                    (candidates, available) = there
                    break
                }
            }
        }
        if available < quantity, !policies.allowNegativeStock {
            return refuseQuantity("not_enough_stock", Prompt(.notEnoughStock, [PromptField("sku", sku), PromptField("location", task.tote ?? sourceLocation)]))
        }
        let document = DocumentRef(.order, order.number)
        var packed: [Movement] = []
        var balances = candidates
        // Packs a line's share from the candidates, in FEFO order.
        func pack(_ share: (line: Int, quantity: Quantity)) {
            var remaining = share.quantity
            while remaining > 0 {
                guard let index = balances.firstIndex(where: { $0.quantity > 0 }) else {
                    let key = StockKey(location: sourceLocation, sku: sku, lot: scan.batch, expiry: scan.expiry, container: task.tote)
                    packed.append(movement(.pack, sku: sku, lot: key.lot, expiry: key.expiry, quantity: remaining, from: sourceLocation, fromContainer: task.tote, to: packAt, toContainer: box, document: document, line: share.line))
                    break
                }
                let take = min(balances[index].quantity, remaining)
                let key = balances[index].key
                packed.append(movement(.pack, sku: sku, lot: key.lot, expiry: key.expiry, quantity: take, from: sourceLocation, fromContainer: key.container, to: packAt, toContainer: box, document: document, line: share.line))
                balances[index].quantity -= take
                remaining -= take
            }
        }
        // Spread over the order's lines of the sku, as far as each is picked; what is left
        // goes to the last of them.
        var left = quantity
        for line in order.lines where line.sku == sku && left > 0 && line.packable > 0 {
            let share = min(line.packable, left)
            pack((line.line, share))
            left -= share
        }
        if left > 0, let lastLine { pack((lastLine, left)) }
        addMovements(packed)
        setPendingQuantity(nil)
        remember(UndoEntry(movements: packed))
        say(.packed, [PromptField("quantity", Self.format(quantity)), PromptField("sku", sku)])
        return finish()
    }

    /// `CMD-DONE`: closes the open box; the order is packed when every line is. Without a
    /// box open it leaves the order.
    func closeBoxOrLeave(task: PackingTask) -> StepOutcome {
        let document = DocumentRef(.order, task.order)
        guard let box = task.box else {
            claims.append(.release(document))
            setTask(.none)
            setUndo([])
            if let order = currentOrder(task.order), !order.fullyPacked {
                warn("lines_open", .linesOpen, [PromptField("order", task.order), PromptField("count", String(order.lines.filter { $0.packable > 0 || $0.open > 0 }.count))])
            }
            return finish()
        }
        guard !stock(container: box).isEmpty else {
            return reject("box_empty", Prompt(.boxEmpty, [PromptField("box", box)]))
        }
        containers.append(.closed(sscc: box))
        say(.boxClosed, [PromptField("box", box)])
        setUndo([])
        var next = task
        next.box = nil
        if let order = currentOrder(task.order), order.fullyPacked {
            documents.append(.orderPacked(order: task.order))
            claims.append(.release(document))
            setTask(.none)
            say(.orderPacked, [PromptField("order", task.order)])
        } else {
            setTask(.packing(next))
        }
        return finish()
    }
}

/// Mints SSCCs from a station's range: extension digit, company prefix, serial reference,
/// GS1 check digit; 18 digits in all.
public enum SSCCMinter {
    public static func sscc(extensionDigit: UInt8, companyPrefix: String, serial: UInt64) -> String? {
        // Built as bytes: the checks on Characters (count, isNumber) and the joined strings
        // cost thousands of instructions per box. A prefix of ASCII digits only has as many
        // Characters as bytes, and any other prefix is refused either way.
        let prefix = companyPrefix.utf8
        guard extensionDigit <= 9, (6...12).contains(prefix.count), prefix.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let width = 16 - prefix.count
        var serialDigits: [UInt8] = []
        var rest = serial
        repeat {
            serialDigits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        guard serialDigits.count <= width else { return nil }
        var body: [UInt8] = []
        body.reserveCapacity(18)
        body.append(UInt8(ascii: "0") + extensionDigit)
        body.append(contentsOf: prefix)
        body.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - serialDigits.count))
        body.append(contentsOf: serialDigits.reversed())
        guard let check = CheckDigit.gs1Mod10(for: body) else { return nil }
        body.append(UInt8(ascii: "0") + check)
        return String(decoding: body, as: UTF8.self)
    }
}
