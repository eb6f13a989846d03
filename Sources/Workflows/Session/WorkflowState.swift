import Foundation
public import ScanCodes

/// Everything a station session remembers between scans. Small and `Codable`, so the
/// Ledger can store it as a `SessionSnapshot` in the transaction of each step and the
/// session survives a restart; progress itself lives in the catalog, not here.
public struct WorkflowState: Sendable, Hashable, Codable {
    public var mode: WorkflowMode
    /// The logged-in operator's badge; every movement records it.
    public var operatorBadge: String?
    /// When the last scan arrived (milliseconds), for the idle logout.
    public var lastActivity: Int64?
    /// Set by `CMD-QTY-n`: how many of the next scanned item (in units of what is scanned).
    public var pendingQuantity: Quantity?
    public var task: WorkflowTask
    /// The operator's steps in the current document, newest last, for `CMD-UNDO`.
    public var undo: [UndoEntry]
    /// The last prompt shown, repeated by `CMD-HELP`.
    public var lastPrompt: Prompt?
    /// The mode the station was set to start in (config `mode` or `--mode`) when this session
    /// began: a restart with the same one goes on in the mode `CMD-MODE-x` chose. Nil in
    /// sessions stored before it was kept.
    public var startMode: WorkflowMode?
}

// The initializers sit in an extension so the struct keeps its implicit memberwise
// initializer, which builds a state in place (see `StepOutcome`).
extension WorkflowState {
    public init(mode: WorkflowMode, operatorBadge: String? = nil) {
        self.init(mode: mode, operatorBadge: operatorBadge, lastActivity: nil, pendingQuantity: nil, task: .none, undo: [], lastPrompt: nil, startMode: nil)
    }

    /// A new session for a station.
    public init(settings: StationSettings) {
        self.init(mode: settings.mode)
        self.startMode = settings.mode
    }
}

/// What the worker is in the middle of.
public enum WorkflowTask: Sendable, Hashable, Codable {
    /// Nothing open: the mode's first scan starts something.
    case none
    /// A pallet SSCC is on several open receipts: waiting for the receipt number.
    case choosingReceipt(sscc: String, receipts: [String])
    /// Receiving and put-away hold pending goods (about 150 bytes each) and are boxed: the
    /// task is copied, swapped and destroyed with the state several times a step, and
    /// unboxed it would make every task, and every state, that big. Boxing changes neither
    /// equality nor the coded form.
    indirect case receiving(ReceivingTask)
    indirect case puttingAway(PutawayTask)
    case picking(PickingTask)
    case packing(PackingTask)
    /// Shipping, optionally through a door scanned first.
    case shipping(door: String?)
    case counting(CountingTask)

    /// The document the task works on, for claims, undo and `CMD-MODE`.
    public var document: DocumentRef? {
        switch self {
        case .none, .choosingReceipt, .puttingAway, .shipping: nil
        case .receiving(let task): DocumentRef(.receipt, task.receipt)
        case .picking(let task): DocumentRef(.order, task.order)
        case .packing(let task): DocumentRef(.order, task.order)
        case .counting(let task): DocumentRef(.count, task.location)
        }
    }
}

/// Goods of one receive scan, with what is known of them so far.
public struct PendingGoods: Sendable, Hashable, Codable {
    public var sku: String
    public var quantity: Quantity
    public var lot: String?
    @ISODateCoded public var expiry: CalendarDate?
    /// The receipt line it counts towards, if it is known already (pallet lines).
    public var line: Int?
    /// The pallet it arrives on, if any.
    public var container: String?
    /// Units one scan of the goods counts (the scanned GTIN's), for a `CMD-QTY-n` given after
    /// the scan; nil where it was not recorded (sessions stored before it was).
    public var unitsPerScan: Quantity?
    /// Loose goods put away from several lots at once (no lot scanned and no one lot at
    /// the dock holding them all): true, they leave the dock earliest expiry first. False:
    /// one lot, chosen FEFO (no lot scanned), which more of them may widen to several. Nil:
    /// the lot scanned (or a session stored before this was).
    public var severalLots: Bool?

    public init(sku: String, quantity: Quantity, lot: String? = nil, expiry: CalendarDate? = nil, line: Int? = nil, container: String? = nil, unitsPerScan: Quantity? = nil, severalLots: Bool? = nil) {
        self.sku = sku
        self.quantity = quantity
        self.lot = lot
        self.expiry = expiry
        self.line = line
        self.container = container
        self.unitsPerScan = unitsPerScan
        self.severalLots = severalLots
    }
}

public struct ReceivingTask: Sendable, Hashable, Codable {
    public var receipt: String
    public var blind: Bool
    /// Goods scanned whose product tracks lot/expiry and whose label had none: waiting for
    /// the lot/expiry label.
    public var awaitingLot: PendingGoods?
    /// A pallet whose label disagrees with the receipt: scanning it again confirms the label's contents.
    public var awaitingConfirmation: PendingPallet?

    public init(receipt: String, blind: Bool, awaitingLot: PendingGoods? = nil, awaitingConfirmation: PendingPallet? = nil) {
        self.receipt = receipt
        self.blind = blind
        self.awaitingLot = awaitingLot
        self.awaitingConfirmation = awaitingConfirmation
    }
}

public struct PendingPallet: Sendable, Hashable, Codable {
    public var sscc: String
    public var contents: [PendingGoods]

    public init(sscc: String, contents: [PendingGoods]) {
        self.sscc = sscc
        self.contents = contents
    }
}

public struct PutawayTask: Sendable, Hashable, Codable {
    /// The container being moved, or nil when loose goods are.
    public var container: String?
    /// Loose goods being moved, with the location they come from.
    public var goods: PendingGoods?
    public var from: String
    /// The suggested location, if one was found.
    public var suggestion: String?

    public init(container: String?, goods: PendingGoods?, from: String, suggestion: String?) {
        self.container = container
        self.goods = goods
        self.from = from
        self.suggestion = suggestion
    }
}

public struct PickingTask: Sendable, Hashable, Codable {
    public var order: String
    /// Lines put back with `CMD-SKIP`, in the order they were skipped; they come last.
    public var deferred: [Int]
    /// The location scanned (and verified) for the current line.
    public var verifiedLocation: String?
    /// The tote the goods go into, when one was scanned.
    public var tote: String?
    /// Lines recorded short (`CMD-SHORT`) in this pass: not offered again, whether or not
    /// the catalog keeps short quantities.
    public var shorted: [Int]

    public init(order: String, deferred: [Int] = [], verifiedLocation: String? = nil, tote: String? = nil, shorted: [Int] = []) {
        self.order = order
        self.deferred = deferred
        self.verifiedLocation = verifiedLocation
        self.tote = tote
        self.shorted = shorted
    }
}

public struct PackingTask: Sendable, Hashable, Codable {
    public var order: String
    /// The tote the picked goods are in, when one was scanned.
    public var tote: String?
    /// The open box, if any.
    public var box: String?

    public init(order: String, tote: String? = nil, box: String? = nil) {
        self.order = order
        self.tote = tote
        self.box = box
    }
}

public struct CountEntry: Sendable, Hashable, Codable {
    public var sku: String
    public var lot: String?
    @ISODateCoded public var expiry: CalendarDate?
    public var quantity: Quantity

    public init(sku: String, lot: String?, expiry: CalendarDate?, quantity: Quantity) {
        self.sku = sku
        self.lot = lot
        self.expiry = expiry
        self.quantity = quantity
    }
}

public struct CountingTask: Sendable, Hashable, Codable {
    public var location: String
    public var counted: [CountEntry]
    /// Containers found at the location, counted as they are.
    public var containers: [String]
    /// Whether a `CMD-DONE` with nothing counted, at a location where stock is booked, was
    /// answered with a request to confirm (optional: sessions stored before have none).
    public var askedToConfirmEmpty: Bool?

    public init(location: String, counted: [CountEntry] = [], containers: [String] = [], askedToConfirmEmpty: Bool? = nil) {
        self.location = location
        self.counted = counted
        self.containers = containers
        self.askedToConfirmEmpty = askedToConfirmEmpty
    }
}

/// One undoable step: its movements, and a short pick when the step was `CMD-SHORT`.
public struct UndoEntry: Sendable, Hashable, Codable {
    /// How many steps back `CMD-UNDO` reaches in a document.
    public static let depth = 10

    public var movements: [Movement]
    public var short: ShortRecord?
    /// Container changes that put containers back as they were (a shipped box is closed again).
    public var onUndo: [ContainerChange]

    public init(movements: [Movement], short: ShortRecord? = nil, onUndo: [ContainerChange] = []) {
        self.movements = movements
        self.short = short
        self.onUndo = onUndo
    }
}

public struct ShortRecord: Sendable, Hashable, Codable {
    public var order: String
    public var line: Int
    public var sku: String
    public var quantity: Quantity

    public init(order: String, line: Int, sku: String, quantity: Quantity) {
        self.order = order
        self.line = line
        self.sku = sku
        self.quantity = quantity
    }
}
