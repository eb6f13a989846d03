import Foundation
import ScanCodes

extension StepEngine {
    func receivingInstruction() -> PromptMessage {
        switch state.task {
        case .choosingReceipt(let sscc, _):
            return PromptMessage(.chooseReceipt, [PromptField("sscc", sscc)])
        case .receiving(let task):
            if let goods = task.awaitingLot {
                return lotLabelMessage(goods)
            }
            if let pallet = task.awaitingConfirmation {
                return PromptMessage(.confirmPallet, [PromptField("sscc", pallet.sscc)])
            }
            return PromptMessage(.scanNextReceiveItem, [PromptField("receipt", task.receipt)])
        default:
            return PromptMessage(policies.blindReceiving ? .scanReceiptOrGoods : .scanReceipt)
        }
    }

    func receive(_ scan: DecodedScan) -> StepOutcome {
        switch state.task {
        case .choosingReceipt(let sscc, let receipts):
            guard scan.kind == .text, receipts.contains(scan.text) else {
                return reject("choose_receipt", Prompt(.receiptNotForPallet, [PromptField("sscc", sscc), PromptField("receipts", receipts.joined(separator: ", "))]))
            }
            if let refused = startReceipt(scan.text) { return refused }
            guard case .receiving(let task) = state.task else { return finish() }
            return receivePallet(sscc: sscc, scan: nil, task: task)
        case .receiving(let task):
            return continueReceipt(scan, task: task)
        default:
            return startReceiving(scan)
        }
    }

    /// No receipt open: a receipt number, a pallet an open receipt expects, or (blind) goods.
    func startReceiving(_ scan: DecodedScan) -> StepOutcome {
        if let sscc = scan.sscc {
            let receipts = catalog.openReceipts(expectingSSCC: sscc)
            if receipts.count > 1 {
                setTask(.choosingReceipt(sscc: sscc, receipts: receipts))
                say(.palletOnSeveralReceipts, [PromptField("sscc", sscc), PromptField("receipts", receipts.joined(separator: ", "))])
                return finish()
            }
            if let number = receipts.first {
                if let refused = startReceipt(number) { return refused }
            } else if policies.blindReceiving {
                startBlindReceipt()
            } else {
                return reject("pallet_not_expected", Prompt(.palletNotExpected, [PromptField("sscc", sscc)]))
            }
            guard case .receiving(let task) = state.task else { return finish() }
            return receivePallet(sscc: sscc, scan: scan, task: task)
        }
        if scan.gtin != nil || scan.contentGTIN != nil {
            guard policies.blindReceiving else {
                return reject("receipt_first", Prompt(.receiptFirst))
            }
            startBlindReceipt()
            guard case .receiving(let task) = state.task else { return finish() }
            return receiveItem(scan, task: task)
        }
        if scan.kind == .text {
            if let refused = startReceipt(scan.text) { return refused }
            return finish()
        }
        return rejectUnexpected(scan)
    }

    /// Opens and claims an expected receipt; a rejection when it cannot be worked here.
    func startReceipt(_ number: String) -> StepOutcome? {
        guard let receipt = catalog.receipt(number: number) else {
            return reject("unknown_receipt", Prompt(.unknownLabel, [PromptField("label", number)]))
        }
        guard receipt.status == .open else {
            return reject("receipt_closed", Prompt(.receiptAlreadyClosed, [PromptField("receipt", number)]))
        }
        let document = DocumentRef(.receipt, number)
        if let claim = claimedElsewhere(document) {
            return reject("claimed_elsewhere", claimedElsewherePrompt(claim))
        }
        claims.append(.claim(document))
        setTask(.receiving(ReceivingTask(receipt: number, blind: receipt.blind)))
        setUndo([])
        say(.receiptStarted, [PromptField("receipt", number)])
        return nil
    }

    func startBlindReceipt() {
        let number = "BLIND-" + String(newID().suffix(12)).uppercased()
        documents.append(.receiptOpened(number: number, blind: true))
        claims.append(.claim(DocumentRef(.receipt, number)))
        setTask(.receiving(ReceivingTask(receipt: number, blind: true)))
        setUndo([])
        say(.blindReceiptStarted, [PromptField("receipt", number)])
    }

    func continueReceipt(_ scan: DecodedScan, task: ReceivingTask) -> StepOutcome {
        if scan.kind == .command, scan.command?.name == "done" {
            // Goods scanned and waiting for their lot label or the pallet's confirmation
            // are not booked: closing now would drop them without a word.
            if let goods = task.awaitingLot {
                return reject("lot_label_expected", Prompt(.scanLotLabelOrCancel, [PromptField("sku", goods.sku)]))
            }
            if task.awaitingConfirmation != nil {
                return reject("confirm_pallet", Prompt(.confirmOrCancel))
            }
            return closeReceipt(task)
        }
        if let pallet = task.awaitingConfirmation {
            guard scan.sscc == pallet.sscc else {
                return reject("confirm_pallet", Prompt(.confirmOrCancel))
            }
            var next = task
            next.awaitingConfirmation = nil
            setTask(.receiving(next))
            documents.append(.palletMismatchConfirmed(receipt: task.receipt, sscc: pallet.sscc))
            return book(pallet.contents, task: next, pallet: pallet.sscc)
        }
        if let goods = task.awaitingLot {
            return completeLot(goods, scan: scan, task: task)
        }
        if let sscc = scan.sscc {
            return receivePallet(sscc: sscc, scan: scan, task: task)
        }
        if scan.gtin != nil || scan.contentGTIN != nil {
            return receiveItem(scan, task: task)
        }
        if scan.kind == .text, scan.text != task.receipt, catalog.receipt(number: scan.text) != nil {
            return reject("document_open", Prompt(.finishFirst, [PromptField("document", task.receipt)]))
        }
        return rejectUnexpected(scan)
    }

    func receiveItem(_ scan: DecodedScan, task: ReceivingTask) -> StepOutcome {
        // A contents label without an SSCC ((02) with (37) count): its trade items, as a
        // case label counts.
        guard let gtin = scan.gtin ?? scan.contentGTIN else { return rejectUnexpected(scan) }
        let packaging = packaging(gtin: gtin)
        let sku: String
        if let packaging {
            sku = packaging.sku
        } else {
            if let refused = check(policies.unknownProduct, "unknown_product", .unknownProduct, [PromptField("gtin", gtin)]) {
                return refused
            }
            sku = "GTIN-" + gtin
        }
        if let refused = refuseFractionOfPieces(scan, packaging: packaging, sku: sku) { return refused }
        let product = catalog.product(sku: sku)
        let quantity = scannedUnits(scan, packaging: packaging)
        setPendingQuantity(nil)
        let goods = PendingGoods(
            sku: sku, quantity: quantity, lot: scan.batch,
            expiry: scan.expiry ?? (product?.expiryTracked == true ? scan.bestBefore : nil),
            unitsPerScan: packaging?.unitsPerGTIN ?? 1)
        if needsLotLabel(goods, product: product) {
            var next = task
            next.awaitingLot = goods
            setTask(.receiving(next))
            return finish()
        }
        return book([goods], task: task, pallet: nil)
    }

    /// Asks for what the goods still lack: the lot, the expiry or both (a label that gave
    /// one of them is not asked for again).
    func lotLabelMessage(_ goods: PendingGoods) -> PromptMessage {
        let product = catalog.product(sku: goods.sku)
        let needsLot = product?.lotTracked == true && goods.lot == nil
        let needsExpiry = product?.expiryTracked == true && goods.expiry == nil
        let id: MessageID = needsLot == needsExpiry ? .scanLotLabel : (needsLot ? .scanLotOnlyLabel : .scanExpiryLabel)
        return PromptMessage(id, [PromptField("sku", goods.sku)])
    }

    func needsLotLabel(_ goods: PendingGoods, product: Product?) -> Bool {
        guard let product else { return false }
        return (product.lotTracked && goods.lot == nil) || (product.expiryTracked && goods.expiry == nil)
    }

    /// The lot/expiry label for goods waiting for it: a GS1 label (AI 10/17, same GTIN if it
    /// names one) or, for the lot alone, plain text.
    func completeLot(_ goods: PendingGoods, scan: DecodedScan, task: ReceivingTask) -> StepOutcome {
        var completed = goods
        if scan.kind == .gs1 || scan.kind == .gtin {
            if let gtin = scan.gtin, let packaging = packaging(gtin: gtin), packaging.sku != goods.sku {
                return reject("lot_label_expected", Prompt([lotLabelMessage(goods)]))
            }
            completed.lot = completed.lot ?? scan.batch
            completed.expiry = completed.expiry ?? scan.expiry ?? scan.bestBefore
        } else if scan.kind == .text {
            completed.lot = completed.lot ?? scan.text
        } else {
            return reject("lot_label_expected", Prompt([lotLabelMessage(goods)]))
        }
        guard completed != goods else {
            return reject("lot_label_expected", Prompt([lotLabelMessage(goods)]))
        }
        var next = task
        if needsLotLabel(completed, product: catalog.product(sku: goods.sku)) {
            next.awaitingLot = completed
            setTask(.receiving(next))
            return finish()
        }
        if completed.container == nil, let pending = state.pendingQuantity {
            // CMD-QTY-n scanned while the label was awaited counts the goods waiting for it,
            // as its answer said ("for the next scan"): n of what was scanned.
            completed.quantity = pending * (completed.unitsPerScan ?? 1)
            setPendingQuantity(nil)
        }
        next.awaitingLot = nil
        setTask(.receiving(next))
        return book([completed], task: next, pallet: completed.container)
    }

    /// A whole pallet: contents from the receipt's lines for it, else from its label.
    func receivePallet(sscc: String, scan: DecodedScan?, task: ReceivingTask) -> StepOutcome {
        if !catalog.balances(container: sscc).isEmpty || catalog.container(sscc: sscc)?.status == .shipped {
            return reject("pallet_received", Prompt(.palletAlreadyReceived, [PromptField("sscc", sscc)]))
        }
        let lines = catalog.receipt(number: task.receipt)?.lines.filter { $0.sscc == sscc } ?? []
        var fromLabel: PendingGoods?
        if let scan, let gtin = scan.contentGTIN ?? (scan.kind == .gs1 ? scan.gtin : nil) {
            let packaging = packaging(gtin: gtin)
            let sku: String
            if let packaging {
                sku = packaging.sku
            } else {
                if let refused = check(policies.unknownProduct, "unknown_product", .unknownProduct, [PromptField("gtin", gtin)]) {
                    return refused
                }
                sku = "GTIN-" + gtin
            }
            let units = packaging?.unitsPerGTIN ?? 1
            let quantity = measuredQuantity(scan, sku: sku) ?? scan.count.map { Quantity($0) * units } ?? scan.variableCount.map { Quantity($0) }
            if let quantity {
                fromLabel = PendingGoods(sku: sku, quantity: quantity, lot: scan.batch, expiry: scan.expiry ?? scan.bestBefore, container: sscc)
            }
        }
        if !lines.isEmpty {
            var fromReceipt = lines.map {
                PendingGoods(sku: $0.sku, quantity: $0.quantity, lot: $0.lot, expiry: $0.expiry, line: $0.line, container: sscc)
            }
            if var label = fromLabel {
                let only = fromReceipt.count == 1 ? fromReceipt[0] : nil
                let agrees = only.map {
                    $0.sku == label.sku && $0.quantity == label.quantity
                        && ($0.lot == nil || label.lot == nil || $0.lot == label.lot)
                        && ($0.expiry == nil || label.expiry == nil || $0.expiry == label.expiry)
                } ?? false
                if !agrees {
                    label.line = fromReceipt.first { $0.sku == label.sku }?.line
                    var next = task
                    next.awaitingConfirmation = PendingPallet(sscc: sscc, contents: [label])
                    setTask(.receiving(next))
                    // What each says, so the worker can tell which is right before confirming.
                    warn("pallet_mismatch", .palletMismatch, [
                        PromptField("sscc", sscc), PromptField("label", Self.describe([label])),
                        PromptField("receipt", Self.describe(fromReceipt)),
                    ])
                    return finish()
                }
                fromReceipt[0].lot = fromReceipt[0].lot ?? label.lot
                fromReceipt[0].expiry = fromReceipt[0].expiry ?? label.expiry
            }
            // A pallet of one lot-tracked product whose lot (or expiry) neither the receipt
            // nor the label gives: its lot label first, as for items.
            if fromReceipt.count == 1, needsLotLabel(fromReceipt[0], product: catalog.product(sku: fromReceipt[0].sku)) {
                var next = task
                next.awaitingLot = fromReceipt[0]
                setTask(.receiving(next))
                return finish()
            }
            return book(fromReceipt, task: task, pallet: sscc)
        }
        guard let label = fromLabel else {
            return reject("pallet_unknown", Prompt(.palletUnknown, [PromptField("sscc", sscc)]))
        }
        if needsLotLabel(label, product: catalog.product(sku: label.sku)) {
            var next = task
            next.awaitingLot = label
            setTask(.receiving(next))
            return finish()
        }
        return book([label], task: task, pallet: sscc)
    }

    /// Goods as a worker reads them on a label: "18 GEL-2 (LX)", several joined by commas.
    static func describe(_ goods: [PendingGoods]) -> String {
        goods.map { item in
            format(item.quantity) + " " + item.sku + (item.lot.map { " (" + $0 + ")" } ?? "")
        }.joined(separator: ", ")
    }

    /// Books goods into the receive location (inside the pallet when there is one), after
    /// the expiry and over-receipt policies.
    func book(_ goods: [PendingGoods], task: ReceivingTask, pallet: String?) -> StepOutcome {
        guard let location = defaultLocation(settings.receiveTo, kind: .dock) else {
            return missingLocation(settings.receiveTo, kind: .dock)
        }
        let receipt = catalog.receipt(number: task.receipt)
        let document = DocumentRef(.receipt, task.receipt)
        // What this step booked before each item is summed from `booked` (one movement per
        // item, usually one item): no dictionaries to build and hash per step.
        var booked: [Movement] = []
        for item in goods {
            if let expiry = item.expiry, expiry < context.today {
                if let refused = check(policies.expired, "expired", .expired, [PromptField("sku", item.sku), PromptField("expiry", expiry.description)]) {
                    return refused
                }
            }
            let line = item.line ?? receipt.flatMap { matchingLine(in: $0, for: item, alreadyBooked: booked) }
            if !task.blind, let receipt {
                let expected = receipt.expected(sku: item.sku)
                let bookedNow = booked.reduce(Quantity(0)) { $1.sku == item.sku ? $0 + $1.quantity : $0 }
                let total = receipt.received(sku: item.sku) + bookedNow + item.quantity
                if total > expected {
                    if let refused = check(policies.overReceipt, "over_receipt", .overReceipt, [PromptField("sku", item.sku), PromptField("expected", Self.format(expected)), PromptField("received", Self.format(total))], refusesQuantity: true) {
                        return refused
                    }
                }
            }
            booked.append(movement(.receive, sku: item.sku, lot: item.lot, expiry: item.expiry, quantity: item.quantity, from: nil, fromContainer: nil, to: location, toContainer: pallet, document: document, line: line))
            say(.received, [PromptField("quantity", Self.format(item.quantity)), PromptField("sku", item.sku)])
        }
        if let pallet, catalog.container(sscc: pallet) == nil {
            containers.append(.created(Container(sscc: pallet, kind: .pallet, status: .open, location: location)))
        }
        addMovements(booked)
        remember(UndoEntry(movements: booked))
        return finish()
    }

    /// The open line the goods count towards: same sku and lot (when the line names one),
    /// not a pallet line, with quantity still to come; else any line of the sku; else none.
    /// `alreadyBooked`: this step's receive movements so far. Passes over the lines, not a
    /// filtered copy of them.
    func matchingLine(in receipt: Receipt, for goods: PendingGoods, alreadyBooked: [Movement]) -> Int? {
        let lines = receipt.lines
        func isCandidate(_ line: ReceiptLine) -> Bool {
            line.sku == goods.sku && (line.lot == nil || goods.lot == nil || line.lot == goods.lot)
        }
        func bookedNow(_ line: Int) -> Quantity {
            alreadyBooked.reduce(Quantity(0)) { $1.line == line ? $0 + $1.quantity : $0 }
        }
        let found = lines.firstIndex { isCandidate($0) && $0.sscc == nil && $0.received + bookedNow($0.line) < $0.quantity }
            ?? lines.firstIndex { isCandidate($0) && $0.sscc == nil }
            ?? lines.firstIndex(where: isCandidate)
        return found.map { lines[$0].line }
    }

    func closeReceipt(_ task: ReceivingTask) -> StepOutcome {
        let receipt = catalog.receipt(number: task.receipt)
        var discrepancies: [ReceiptDiscrepancy] = []
        if let receipt {
            var skus: [String] = []
            for line in receipt.lines where !skus.contains(line.sku) { skus.append(line.sku) }
            for sku in receipt.unplanned.keys.sorted() where !skus.contains(sku) { skus.append(sku) }
            for sku in skus {
                let expected = receipt.expected(sku: sku)
                let received = receipt.received(sku: sku)
                if expected != received, !(task.blind && expected == 0) {
                    discrepancies.append(ReceiptDiscrepancy(sku: sku, expected: expected, received: received))
                }
            }
        }
        documents.append(.receiptClosed(number: task.receipt, discrepancies: discrepancies))
        claims.append(.release(DocumentRef(.receipt, task.receipt)))
        setTask(.none)
        setUndo([])
        setPendingQuantity(nil)
        if discrepancies.isEmpty {
            say(.receiptClosed, [PromptField("receipt", task.receipt)])
        } else {
            warn("receipt_discrepancies", .receiptClosedWithDifferences, [PromptField("receipt", task.receipt), PromptField("differences", String(discrepancies.count))])
        }
        return finish()
    }

    /// A scan that means nothing in the current state.
    func rejectUnexpected(_ scan: DecodedScan) -> StepOutcome {
        if scan.kind == .command {
            return reject("command_not_here", Prompt(.commandNotHere, [PromptField("command", Self.commandText(scan))]))
        }
        // The document being worked on, scanned again (a worker checking, or a restarted
        // station resuming it): nothing to do but say so.
        if scan.kind == .text, let document = state.task.document, document.kind != .count, document.number == scan.text {
            return StepOutcome(feedback: .ok, prompt: Prompt([PromptMessage(.alreadyOpen, [PromptField("document", document.number)]), instructionMessage()]))
        }
        return reject("unexpected_label", Prompt(.unknownLabel, [PromptField("label", scan.text)]))
    }
}
