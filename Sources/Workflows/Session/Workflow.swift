import Foundation
public import ScanCodes

/// The station's state machine: `step(state, scan, catalog, context) -> (state', outcome)`.
/// Pure: no IO, no clock; the caller commits the outcome's effects, then shows its prompt.
public enum Workflow {
    public static func step<C: Catalog>(_ state: WorkflowState, scan: DecodedScan, catalog: C, context: StepContext) -> (WorkflowState, StepOutcome) {
        var next = state
        let outcome = step(&next, scan: scan, catalog: catalog, context: context)
        return (next, outcome)
    }

    /// The step in place: `state` becomes the state after the scan. The engine takes the
    /// state for the step rather than copying it in and out.
    public static func step<C: Catalog>(_ state: inout WorkflowState, scan: DecodedScan, catalog: C, context: consuming StepContext) -> StepOutcome {
        stepInPlace(&state, scan: scan, catalog: catalog, context: context)
    }

    /// The same step over the in-memory catalog. A caller in another module would run the
    /// generic step unspecialized (metadata lookups, every catalog read through a witness
    /// table); this overload is compiled for the concrete catalog here.
    /// The context is taken (`consuming`): a caller that has no use for it after the step
    /// hands it over, and the engine keeps it without copying (retaining) its settings.
    public static func step(_ state: inout WorkflowState, scan: DecodedScan, catalog: InMemoryCatalog, context: consuming StepContext) -> StepOutcome {
        stepInPlace(&state, scan: scan, catalog: catalog, context: context)
    }

    @inline(__always)
    static func stepInPlace<C: Catalog>(_ state: inout WorkflowState, scan: DecodedScan, catalog: C, context: consuming StepContext) -> StepOutcome {
        // The state is swapped into the engine and back: moves, where passing it would copy
        // (and retain) every field twice.
        let engine = StepEngine(catalog: catalog, context: context)
        swap(&engine.state, &state)
        let outcome = engine.run(scan)
        swap(&engine.state, &state)
        return outcome
    }

    /// The idle check a daemon's timer runs between scans: logs the operator out when the
    /// station's idle time has passed. Nil when nothing changes.
    public static func idleCheck(_ state: WorkflowState, context: StepContext) -> (WorkflowState, StepOutcome)? {
        guard let idle = context.settings.idleLogoutSeconds, state.operatorBadge != nil,
              let last = state.lastActivity, context.now - last >= Int64(idle) * 1000
        else { return nil }
        var next = state
        next.operatorBadge = nil
        let prompt = Prompt(.idleLoggedOut).then(Prompt(.scanBadge))
        next.lastPrompt = prompt
        return (next, StepOutcome(feedback: .ok, prompt: prompt))
    }

    /// The prompt a fresh or restored session shows before its first scan.
    public static func currentPrompt<C: Catalog>(_ state: WorkflowState, catalog: C, context: StepContext) -> Prompt {
        let engine = StepEngine(state: state, catalog: catalog, context: context)
        return engine.instruction()
    }
}

/// A session that owns its state: what the Station actor keeps per station.
public struct WorkflowSession: Sendable {
    public private(set) var state: WorkflowState

    public init(state: WorkflowState) {
        self.state = state
    }

    public mutating func handle<C: Catalog>(_ scan: DecodedScan, catalog: C, context: StepContext) -> StepOutcome {
        Workflow.step(&state, scan: scan, catalog: catalog, context: context)
    }
}

/// What a rejected scan leaves, as of the common prelude (idle logout, activity time). Not
/// a copy of the whole state taken each step: that copy cost its retains and releases, and
/// made the first change of each shared array copy it. The small fields are kept as they
/// were; the task and the undo history are kept as the step changes them. Not nested in the
/// generic engine, so it is destroyed with code for its own fields rather than through
/// generic value witnesses.
struct StepBase {
    var mode: WorkflowMode = .log
    var operatorBadge: String?
    var pendingQuantity: Quantity?
    /// Whether the step replaced the task; `replacedTask` is then the one it had.
    var taskReplaced = false
    var replacedTask: WorkflowTask = .none
    var undo: UndoRollback = .unchanged
}

/// What a rejection must restore of the undo history.
enum UndoRollback {
    case unchanged
    /// The step replaced the history: the one it had.
    case replaced([UndoEntry])
    /// The step appended `count` entries (`remember`); the oldest are dropped only once the
    /// step is accepted (`trimUndo`), so a rejection has none to put back.
    case appended(count: Int)
}

/// One step in progress: the state being changed, the inputs, and the ids used so far.
///
/// A reference, made once per step: as a struct (about 700 bytes) it was copied, every
/// array and text in it retained and released again, wherever a closure or a call needed
/// the engine as a value, dozens of times a step.
/// Unchecked exclusivity: the engine is local to one step on one thread, and the runtime
/// check of each access to a property cost more than most of the accesses themselves.
final class StepEngine<C: Catalog> {
    /// Set only in this file: elsewhere the task, undo history and pending quantity change
    /// through `setTask`, `setUndo`, `remember` and `setPendingQuantity`, which keep what a
    /// rejection must restore (see `rollBack()`).
    @exclusivity(unchecked) fileprivate(set) var state: WorkflowState
    /// What a rejected scan leaves (see `StepBase`).
    @exclusivity(unchecked) var base = StepBase()
    let catalog: C
    let context: StepContext
    @exclusivity(unchecked) var idsUsed = 0
    /// Sentences to put before the step's own prompt (an idle logout).
    @exclusivity(unchecked) var preamble: [PromptMessage] = []
    /// What the step has decided so far; `finish()` turns it into the outcome.
    @exclusivity(unchecked) var movements: [Movement] = []
    @exclusivity(unchecked) var documents: [DocumentUpdate] = []
    @exclusivity(unchecked) var claims: [ClaimChange] = []
    @exclusivity(unchecked) var containers: [ContainerChange] = []
    @exclusivity(unchecked) var labels: [LabelRequest] = []
    @exclusivity(unchecked) var mintedSSCCSerial: UInt64?
    /// The first warning's code; any warning makes the step's feedback `.warning`.
    @exclusivity(unchecked) var warning: String?
    /// What happened, said before the next instruction.
    @exclusivity(unchecked) var said: [PromptMessage] = []
    /// The packaging of the scanned GTIN, as `dispatch` found it in the catalog.
    @exclusivity(unchecked) var scannedPackaging: ProductGTIN?

    init(state: WorkflowState, catalog: C, context: StepContext) {
        self.state = state
        self.catalog = catalog
        self.context = context
        saveBase()
    }

    /// An engine with an empty state, for the caller to swap its own into (no allocation:
    /// empty arrays and nil fields).
    init(catalog: C, context: StepContext) {
        self.state = WorkflowState(mode: .log)
        self.catalog = catalog
        self.context = context
    }

    /// Another engine with this one's state, inputs and effects so far (every stored
    /// property), to change apart from it.
    func copy() -> StepEngine {
        let copy = StepEngine(catalog: catalog, context: context)
        copy.state = state
        copy.base = base
        copy.idsUsed = idsUsed
        copy.preamble = preamble
        copy.movements = movements
        copy.documents = documents
        copy.claims = claims
        copy.containers = containers
        copy.labels = labels
        copy.mintedSSCCSerial = mintedSSCCSerial
        copy.warning = warning
        copy.said = said
        copy.scannedPackaging = scannedPackaging
        return copy
    }

    /// Takes the current state as what a rejection leaves. Called before the step changes
    /// anything (the task and history are as the base found them), so only the small fields
    /// are set: a whole new base would destroy the old one's task and history first.
    func saveBase() {
        assert(!base.taskReplaced, "the base is taken before the step changes anything")
        base.mode = state.mode
        base.operatorBadge = state.operatorBadge
        base.pendingQuantity = state.pendingQuantity
    }

    /// Puts the state back as `saveBase()` found it (the prelude's changes stay).
    func rollBack() {
        state.mode = base.mode
        state.operatorBadge = base.operatorBadge
        state.pendingQuantity = base.pendingQuantity
        if base.taskReplaced {
            swap(&state.task, &base.replacedTask)
        }
        switch base.undo {
        case .unchanged: break
        case .replaced(let history): state.undo = history
        case .appended(let count):
            state.undo.removeLast(count)
        }
        base = StepBase(mode: base.mode, operatorBadge: base.operatorBadge, pendingQuantity: base.pendingQuantity)
    }

    /// Replaces the task, keeping the one it had before the step for a rejection (moved
    /// out, not copied).
    func setTask(_ task: WorkflowTask) {
        guard !base.taskReplaced else {
            state.task = task
            return
        }
        base.replacedTask = task
        swap(&base.replacedTask, &state.task)
        base.taskReplaced = true
    }

    /// Replaces the undo history, keeping the one it had before the step for a rejection.
    func setUndo(_ history: [UndoEntry]) {
        var old = history
        swap(&old, &state.undo)
        switch base.undo {
        case .unchanged:
            base.undo = .replaced(old)
        case .appended(let count):
            base.undo = .replaced(Array(old.dropLast(count)))
        case .replaced:
            break
        }
    }

    /// Records an undoable step. Appends in place (the history is not copied for a
    /// rejection: `base.undo` notes the change instead); `trimUndo` drops the oldest entries
    /// when the step is accepted.
    func remember(_ entry: UndoEntry) {
        // Room at once for a full history and the entry `trimUndo` drops: grown an entry at
        // a time from empty (each document starts one), it was copied into new storage four times.
        if state.undo.isEmpty { state.undo.reserveCapacity(UndoEntry.depth + 1) }
        state.undo.append(entry)
        switch base.undo {
        case .unchanged: base.undo = .appended(count: 1)
        case .appended(let count): base.undo = .appended(count: count + 1)
        case .replaced: break
        }
    }

    /// Keeps the newest `UndoEntry.depth` entries of an accepted step's history. The history
    /// is copied with the state each step and stored in every session snapshot, so an
    /// unbounded one would make each scan of a long receipt slower than the one before.
    /// Dropped here rather than in `remember`: there, a rejection would need them kept
    /// (in an array made for them each step) to put back.
    func trimUndo() {
        if state.undo.count > UndoEntry.depth {
            state.undo.removeFirst(state.undo.count - UndoEntry.depth)
        }
    }

    func setPendingQuantity(_ quantity: Quantity?) {
        state.pendingQuantity = quantity
    }

    var settings: StationSettings { context.settings }
    var policies: WorkflowPolicies { context.settings.policies }

    func newID() -> String {
        newIdentifier().text
    }

    /// The step's next id, kept as bytes (a movement's id is text only once it is read).
    func newIdentifier() -> MovementIdentifier {
        defer { idsUsed += 1 }
        return context.ids.identifier(idsUsed)
    }

    func run(_ scan: DecodedScan) -> StepOutcome {
        // Checked here first: most stations have no idle logout, and the call would copy the state.
        if context.settings.idleLogoutSeconds != nil, state.operatorBadge != nil,
           let (next, outcome) = Workflow.idleCheck(state, context: context) {
            state = next
            preamble = outcome.prompt.messages.dropLast()
        }
        state.lastActivity = context.now
        saveBase()
        // A pending `CMD-QTY-n` while picking is for the line it was scanned at (checked
        // only when there is one: the lookup costs a plan of the order).
        let quantityLine = state.pendingQuantity == nil ? nil : currentPickLine()
        // And in every mode for the document it was scanned in.
        let quantityDocument = state.pendingQuantity == nil ? nil : state.task.document
        let decided = dispatch(scan)
        if preamble.isEmpty, decided.feedback != .error, quantityLine == nil, quantityDocument == nil {
            // The usual step, returned as it is: a local changed and then returned is copied
            // into the result (retaining every array in it) and destroyed.
            trimUndo()
            state.lastPrompt = decided.prompt
            return decided
        }
        var outcome = decided
        if outcome.feedback != .error, let pending = state.pendingQuantity,
           movedAway(from: quantityDocument, line: quantityLine, outcome: &outcome) {
            // The quantity does not carry over to the next document or line; the worker is told.
            state.pendingQuantity = nil
            var messages = outcome.prompt.messages
            messages.insert(PromptMessage(.quantityDropped, [PromptField("quantity", Self.format(pending))]), at: max(0, messages.count - 1))
            outcome.prompt = Prompt(messages)
        }
        if !preamble.isEmpty {
            outcome.prompt = Prompt(preamble + outcome.prompt.messages)
        }
        if outcome.feedback == .error {
            // A refused scan changes nothing but the activity time (and a refused quantity:
            // see `refuseQuantity`).
            rollBack()
            outcome.movements = []
            outcome.documents = []
            outcome.claims = []
            outcome.containers = []
            outcome.labels = []
            outcome.mintedSSCCSerial = nil
        } else {
            trimUndo()
        }
        state.lastPrompt = outcome.prompt
        return outcome
    }

    /// Whether the step left what a pending quantity was scanned for: its document
    /// (CMD-DONE with lines open, CMD-CANCEL) or, picking, its line (CMD-SKIP, CMD-SHORT,
    /// CMD-UNDO).
    func movedAway(from document: DocumentRef?, line: PickLineRef?, outcome: inout StepOutcome) -> Bool {
        if let document, document != state.task.document { return true }
        if let line { return currentPickLine(after: &outcome) != line }
        return false
    }

    func dispatch(_ scan: DecodedScan) -> StepOutcome {
        if scan.kind == .gtin {
            // A GTIN the catalog knows is no site number; its packaging is kept for the step
            // (`packaging(gtin:)`), which would look it up again.
            if let gtin = scan.gtin, let known = catalog.packaging(gtin: gtin) {
                scannedPackaging = known
            } else if let named = siteNumber(scan) {
                return dispatch(named)
            }
        }
        guard scan.ok else {
            return reject("invalid_label", Prompt(.invalidLabel))
        }
        if scan.kind == .operator {
            return login(badge: scan.badge ?? "", label: scan.text)
        }
        if let command = scan.command, scan.kind == .command {
            switch command.name {
            case "help":
                // Just logged out for idle time: the preamble says so, then what to do now
                // (the last prompt, set by that logout, would say it twice).
                if !preamble.isEmpty { return StepOutcome(feedback: .ok, prompt: instruction()) }
                return StepOutcome(feedback: .ok, prompt: state.lastPrompt ?? instruction())
            case "logout":
                return logout()
            default:
                break
            }
        }
        if settings.requireLogin, state.operatorBadge == nil {
            return reject("login_required", Prompt(.loginRequired))
        }
        if let command = scan.command, scan.kind == .command {
            switch command.name {
            case "mode": return changeMode(command.argument ?? "")
            case "cancel": return cancel()
            case "undo": return undo()
            case "qty": return setQuantity(command.argument ?? "")
            default: break
            }
        }
        switch state.mode {
        case .log:
            if scan.kind == .command {
                return reject("command_not_here", Prompt(.commandNotHere, [PromptField("command", Self.commandText(scan))]))
            }
            return StepOutcome(feedback: .ok, prompt: Prompt(.recorded))
        case .receive: return receive(scan)
        case .putaway: return putaway(scan)
        case .pick: return pick(scan)
        case .pack: return pack(scan)
        case .ship: return ship(scan)
        case .count: return count(scan)
        }
    }

    // MARK: Outcomes

    /// The accepted step: what happened, what to do next, and the collected effects.
    /// The step ends here: its effects are moved into the outcome, not copied.
    func finish(instruction known: PromptMessage? = nil) -> StepOutcome {
        let next = known ?? instructionMessage()
        let prompt: Prompt
        if said.isEmpty {
            prompt = Prompt([next])
        } else {
            // What was said goes first; its array (reserved for two sentences) usually has
            // room for the instruction, so no new array is made.
            said.append(next)
            prompt = Prompt(Self.take(&said))
        }
        // Built in the return: a local outcome filled in and returned is copied into the result.
        return StepOutcome(
            feedback: warning == nil ? .ok : .warning, prompt: prompt, movements: Self.take(&movements),
            documents: Self.take(&documents), claims: Self.take(&claims), containers: Self.take(&containers),
            labels: Self.take(&labels), mintedSSCCSerial: mintedSSCCSerial, rejection: warning.map { StepRejection(code: $0) })
    }

    /// The array, moved out (an empty one left in its place).
    static func take<Element>(_ array: inout [Element]) -> [Element] {
        var taken: [Element] = []
        swap(&taken, &array)
        return taken
    }

    func say(_ id: MessageID, _ fields: [PromptField] = []) {
        if said.isEmpty { said.reserveCapacity(2) }
        said.append(PromptMessage(id, fields))
    }

    /// Adds movements this step decided (adopting the array when it is the first).
    func addMovements(_ decided: [Movement]) {
        if movements.isEmpty { movements = decided } else { movements += decided }
    }

    func warn(_ code: String, _ id: MessageID, _ fields: [PromptField] = []) {
        if warning == nil { warning = code }
        say(id, fields)
    }

    /// Applies a station policy to a broken rule: a rejection to return, or nil to go on
    /// (with a warning when the policy says warn).
    func check(_ policy: PolicyAction, _ code: String, _ id: MessageID, _ fields: [PromptField], refusesQuantity: Bool = false) -> StepOutcome? {
        switch policy {
        case .reject: return refusesQuantity ? refuseQuantity(code, Prompt(id, fields)) : reject(code, Prompt(id, fields))
        case .warn: warn(code, id, fields)
        case .allow: break
        }
        return nil
    }

    /// A refusal of the quantity itself (too many for the line, the box, the receipt or the
    /// stock): the pending `CMD-QTY-n` goes with the scan, or it would refuse every scan
    /// after it the same way.
    func refuseQuantity(_ code: String, _ reason: Prompt) -> StepOutcome {
        base.pendingQuantity = nil
        return reject(code, reason)
    }

    /// A refused scan: the reason, then what to do instead. No effects.
    func reject(_ code: String, _ reason: Prompt) -> StepOutcome {
        var outcome = StepOutcome(feedback: .error, prompt: reason.then(instructionFromBase()), rejection: StepRejection(code: code))
        outcome.signal = .error
        return outcome
    }

    func instructionFromBase() -> Prompt {
        let copy = copy()
        copy.rollBack()
        return copy.instruction()
    }

    /// What to scan next, from the current state.
    func instruction() -> Prompt {
        Prompt([instructionMessage()])
    }

    /// The instruction as one sentence: the prompts that end with it put it in their own
    /// array, rather than joining a one-sentence prompt made for it.
    func instructionMessage() -> PromptMessage {
        if settings.requireLogin, state.operatorBadge == nil {
            return PromptMessage(.scanBadge)
        }
        switch state.mode {
        case .log: return PromptMessage(.scanAnything)
        case .receive: return receivingInstruction()
        case .putaway: return putawayInstruction()
        case .pick: return pickingInstruction()
        case .pack: return packingInstruction()
        case .ship: return shippingInstruction()
        case .count: return countingInstruction()
        }
    }

    static func commandText(_ scan: DecodedScan) -> String {
        guard let command = scan.command else { return scan.text }
        let name = "CMD-" + command.name.uppercased()
        return command.argument.map { name + "-" + $0 } ?? name
    }

    // MARK: Operator

    /// Logs in the operator whose badge is the number after the prefix (`OP-17` → `17`),
    /// or, as a site may import it, the whole label (`OP-17`).
    func login(badge: String, label: String) -> StepOutcome {
        guard let record = catalog.operatorRecord(badge: badge) ?? (label == badge ? nil : catalog.operatorRecord(badge: label)) else {
            return reject("unknown_badge", Prompt(.unknownBadge, [PromptField("badge", badge)]))
        }
        state.operatorBadge = record.badge
        return StepOutcome(feedback: .ok, prompt: Prompt([PromptMessage(.loggedIn, [PromptField("operator", record.name)]), instructionMessage()]))
    }

    func logout() -> StepOutcome {
        guard state.operatorBadge != nil else {
            return reject("not_logged_in", Prompt(.notLoggedIn))
        }
        state.operatorBadge = nil
        state.pendingQuantity = nil
        return StepOutcome(feedback: .ok, prompt: Prompt(.loggedOut).then(Prompt(.scanBadge)))
    }

    // MARK: Commands valid everywhere

    func changeMode(_ argument: String) -> StepOutcome {
        guard let mode = WorkflowMode(rawValue: argument.lowercased()), settings.allows(mode) else {
            return reject("mode_not_allowed", Prompt(.modeNotAllowed, [PromptField("mode", argument)]))
        }
        if let document = state.task.document, mode != state.mode {
            return reject("document_open", Prompt(.finishFirst, [PromptField("document", document.number)]))
        }
        if mode != state.mode {
            state.mode = mode
            setTask(.none)
            setUndo([])
            state.pendingQuantity = nil
        }
        return StepOutcome(feedback: .ok, prompt: Prompt([PromptMessage(.modeChanged, [PromptField("mode", mode.rawValue)]), instructionMessage()]))
    }

    func setQuantity(_ argument: String) -> StepOutcome {
        guard state.mode != .log, state.mode != .ship else {
            return reject("command_not_here", Prompt(.commandNotHere, [PromptField("command", "CMD-QTY-" + argument)]))
        }
        guard let quantity = Quantity(argument), quantity > 0, quantity <= Quantity.maximumInput else {
            return reject("bad_quantity", Prompt(.badQuantity, [PromptField("quantity", argument)]))
        }
        if !quantity.isWhole, let sku = productTheQuantityCounts(), countsWholePieces(sku: sku) {
            return reject("whole_pieces", Prompt(.wholePiecesOnly, [PromptField("sku", sku), PromptField("quantity", Self.format(quantity))]))
        }
        if state.mode == .putaway, let outcome = setPutawayQuantity(quantity) {
            return outcome
        }
        state.pendingQuantity = quantity
        return StepOutcome(feedback: .ok, prompt: Prompt([PromptMessage(.quantitySet, [PromptField("quantity", Self.format(quantity))]), instructionMessage()]))
    }

    /// The product a `CMD-QTY-n` scanned now will count, when the step can tell before the
    /// item: goods waiting for their lot label (receiving) or being put away, which it
    /// applies to at once, and the current pick line, the only item picking takes next.
    /// Nil elsewhere: the next item scan names the product, and `refuseFractionOfPieces`
    /// checks it there.
    func productTheQuantityCounts() -> String? {
        switch state.task {
        case .receiving(let task):
            guard let goods = task.awaitingLot, goods.container == nil else { return nil }
            return goods.sku
        case .puttingAway(let task):
            return state.pendingQuantity == nil ? task.goods?.sku : nil
        case .picking(let task):
            guard let order = currentOrder(task.order) else { return nil }
            return nextPick(order, task: task)?.line.sku
        default:
            return nil
        }
    }

    /// Drops the pending sub-step if there is one, else leaves the document (releasing its claim).
    func cancel() -> StepOutcome {
        if state.pendingQuantity != nil {
            state.pendingQuantity = nil
            return StepOutcome(feedback: .ok, prompt: Prompt([PromptMessage(.cancelled), instructionMessage()]))
        }
        var claims: [ClaimChange] = []
        switch state.task {
        case .none:
            return reject("nothing_to_cancel", Prompt(.nothingToCancel))
        case .receiving(var task) where task.awaitingLot != nil || task.awaitingConfirmation != nil:
            task.awaitingLot = nil
            task.awaitingConfirmation = nil
            setTask(.receiving(task))
        case .picking(var task) where task.verifiedLocation != nil:
            task.verifiedLocation = nil
            setTask(.picking(task))
        case .packing(var task) where task.box != nil:
            // The open box stays open; the packer may scan it again to go on.
            task.box = nil
            setTask(.packing(task))
        default:
            if let document = state.task.document {
                claims.append(.release(document))
            }
            setTask(.none)
            setUndo([])
        }
        return StepOutcome(feedback: .ok, prompt: Prompt([PromptMessage(.cancelled), instructionMessage()]), claims: claims)
    }

    // MARK: Shared lookups

    /// Digits that read as a GTIN (with a valid check digit or not) but name a receipt, an
    /// order or a location label of the site, and no product: that plain text. Numeric
    /// document numbers and location labels of 8, 12, 13 or 14 digits are common, and the
    /// classifier, reading syntax alone, cannot know them. A GTIN the catalog knows, or one
    /// a retail symbology (EAN/UPC, ITF-14) carried, stays a GTIN.
    func siteNumber(_ scan: DecodedScan) -> DecodedScan? {
        switch scan.symbology {
        case .ean13?, .ean8?, .upcA?, .upcE?, .itf14?: return nil
        default: break
        }
        if let gtin = scan.gtin, catalog.packaging(gtin: gtin) != nil { return nil }
        let text = scan.text
        guard catalog.receipt(number: text) != nil || catalog.order(number: text) != nil
            || catalog.location(barcode: text) != nil || catalog.location(code: text) != nil else { return nil }
        return DecodedScan(input: scan.input, aimIdentifier: scan.aimIdentifier, symbology: scan.symbology, kind: .text, text: text)
    }

    /// The catalog's packaging of a GTIN: the scanned one's is looked up once per step.
    @inline(__always)
    func packaging(gtin: String) -> ProductGTIN? {
        if let scannedPackaging, scannedPackaging.gtin == gtin { return scannedPackaging }
        return catalog.packaging(gtin: gtin)
    }

    /// The location a text scan names, by label or by code.
    @inline(__always)
    func scannedLocation(_ scan: DecodedScan) -> Location? {
        guard scan.kind == .text else { return nil }
        return catalog.location(barcode: scan.text) ?? catalog.location(code: scan.text)
    }

    /// The configured location (by code, or by its label) when the catalog has it, else the
    /// first catalog location of the kind by code. A configured name the catalog lacks (a
    /// typo, a location not imported yet) gives nil: stock never goes to a place that does
    /// not exist.
    @inline(__always)
    func defaultLocation(_ configured: String?, kind: LocationKind) -> String? {
        if let configured {
            return catalog.location(code: configured)?.code ?? catalog.location(barcode: configured)?.code
        }
        return catalog.firstLocationCode(kind: kind)
    }

    /// The refusal when `defaultLocation` has none: the configured name the catalog lacks,
    /// or that no location of the kind is set up.
    func missingLocation(_ configured: String?, kind: LocationKind) -> StepOutcome {
        if let configured {
            return reject("no_location", Prompt(.configuredLocationUnknown, [PromptField("kind", kind.rawValue), PromptField("location", configured)]))
        }
        return reject("no_location", Prompt(.noLocation, [PromptField("kind", kind.rawValue)]))
    }

    /// Units one item scan counts: the label's trade measure when it is in the product's
    /// unit of measure (AI 310n, net weight, for a product kept in kg); AI 30 as is; AI 37 or
    /// `CMD-QTY-n` times the GTIN's units.
    @inline(__always)
    func scannedUnits(_ scan: DecodedScan, packaging: ProductGTIN?) -> Quantity {
        labelUnits(scan, packaging: packaging) ?? (state.pendingQuantity ?? 1) * (packaging?.unitsPerGTIN ?? 1)
    }

    /// The units the label itself gives (trade measure, AI 30, AI 37), nil when it gives
    /// none and a pending `CMD-QTY-n` (or one) counts.
    @inline(__always)
    func labelUnits(_ scan: DecodedScan, packaging: ProductGTIN?) -> Quantity? {
        if let packaging, let measured = measuredQuantity(scan, sku: packaging.sku) { return measured }
        if let variable = scan.variableCount { return Quantity(variable) }
        if let count = scan.count, scan.sscc == nil { return Quantity(count) * (packaging?.unitsPerGTIN ?? 1) }
        return nil
    }

    /// Whether the catalog keeps the product in whole pieces: its unit of measure is no
    /// weight, length, area or volume. A product the catalog lacks (an unknown GTIN
    /// accepted by policy) is not known to be counted, and is not held to it.
    func countsWholePieces(sku: String) -> Bool {
        guard let product = catalog.product(sku: sku) else { return false }
        return !TradeMeasure.isDivisible(product.unit)
    }

    /// The refusal when a pending `CMD-QTY-n` with a fraction ("1.5") would count a product
    /// kept in whole pieces; nil when there is none, or the label gives the units itself.
    /// Where `CMD-QTY-n` could not know the product yet (`productTheQuantityCounts`), the
    /// fraction is refused here, where it meets one. The quantity goes with the refused
    /// scan, as other refused quantities do (`refuseQuantity`): the next scan counts one.
    func refuseFractionOfPieces(_ scan: DecodedScan, packaging: ProductGTIN?, sku: String) -> StepOutcome? {
        guard let pending = state.pendingQuantity, !pending.isWhole else { return nil }
        if labelUnits(scan, packaging: packaging) != nil { return nil }
        guard countsWholePieces(sku: sku) else { return nil }
        return refuseQuantity("whole_pieces", Prompt(.wholePiecesOnly, [PromptField("sku", sku), PromptField("quantity", Self.format(pending))]))
    }

    /// The trade measure (310n-369n, not the logistic unit's) a label gives in the unit the
    /// product is kept in ("kg", "l", "m", ...), as a quantity of it; nil when there is none.
    func measuredQuantity(_ scan: DecodedScan, sku: String) -> Quantity? {
        guard scan.elements.contains(where: { TradeMeasure.isTradeMeasure(ai: $0.ai) }),
              let unit = catalog.product(sku: sku)?.unit, let wanted = TradeMeasure.unit(unit)
        else { return nil }
        for element in scan.elements where TradeMeasure.isTradeMeasure(ai: element.ai) {
            if case .measure(let value, let measured)? = element.typed, measured == wanted, value > 0 {
                return Quantity(value)
            }
        }
        return nil
    }

    /// A movement stamped with the step's time, operator and a fresh id.
    func movement(_ kind: MovementKind, sku: String, lot: String?, expiry: CalendarDate?, quantity: Quantity, from: String?, fromContainer: String?, to: String?, toContainer: String?, document: DocumentRef?, line: Int?) -> Movement {
        Movement(
            identifier: newIdentifier(), kind: kind, sku: sku, lot: lot, expiry: expiry, quantity: quantity, from: from,
            fromContainer: fromContainer, to: to, toContainer: toContainer, document: document, line: line,
            operatorBadge: state.operatorBadge, reverses: nil, reversedKind: nil, at: context.now)
    }

    /// Quantities as a worker reads them: "12", "2.5".
    static func format(_ quantity: Quantity) -> String {
        quantity.description
    }

    /// Whether another station holds the claim on a document.
    @inline(__always)
    func claimedElsewhere(_ document: DocumentRef) -> Claim? {
        guard let claim = catalog.claim(on: document), claim.station != settings.name else { return nil }
        return claim
    }

    func claimedElsewherePrompt(_ claim: Claim) -> Prompt {
        Prompt(.claimedElsewhere, [PromptField("document", claim.document.number), PromptField("station", claim.station)])
    }
}
