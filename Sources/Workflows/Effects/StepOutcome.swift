import Foundation

/// How the scanner and display signal a step: the feedback JSONL's accepted/warning/rejected.
public enum FeedbackClass: String, Sendable, Hashable, Codable {
    case ok, warning, error
}

/// What the scanner does to tell the worker (beep patterns, LED).
public enum ScannerSignal: String, Sendable, Hashable, Codable {
    case goodRead, warning, error, none
}

/// A difference between what a receipt expected and what arrived.
public struct ReceiptDiscrepancy: Sendable, Hashable, Codable {
    public var sku: String
    public var expected: Quantity
    public var received: Quantity

    public init(sku: String, expected: Quantity, received: Quantity) {
        self.sku = sku
        self.expected = expected
        self.received = received
    }
}

/// A difference a cycle count found at a location.
public struct CountDifference: Sendable, Hashable, Codable {
    public var sku: String
    public var lot: String?
    public var recorded: Quantity
    public var counted: Quantity

    public init(sku: String, lot: String?, recorded: Quantity, counted: Quantity) {
        self.sku = sku
        self.lot = lot
        self.recorded = recorded
        self.counted = counted
    }
}

/// Changes to documents beyond what movements imply (progress follows from movements).
public enum DocumentUpdate: Sendable, Hashable, Codable {
    /// A blind receipt was started: a receipt with no expected lines.
    case receiptOpened(number: String, blind: Bool)
    /// `CMD-DONE`: expected vs received, and the lines that differ.
    case receiptClosed(number: String, discrepancies: [ReceiptDiscrepancy])
    /// `CMD-SHORT` (a negative quantity when undone).
    case lineShorted(order: String, line: Int, quantity: Quantity)
    case orderPicked(order: String)
    case orderPacked(order: String)
    /// `CMD-DONE` of a count: `differences` are the items booked as adjustments; `items`
    /// is every product and lot expected or found, matching or not (the count's record).
    case countRecorded(location: String, differences: [CountDifference], items: [CountDifference] = [])
    /// The worker confirmed a pallet whose label disagrees with the receipt.
    case palletMismatchConfirmed(receipt: String, sscc: String)
}

public enum ClaimChange: Sendable, Hashable, Codable {
    case claim(DocumentRef)
    case release(DocumentRef)
}

public enum ContainerChange: Sendable, Hashable, Codable {
    case created(Container)
    case moved(sscc: String, to: String)
    case closed(sscc: String)
    case reopened(sscc: String)
    case shipped(sscc: String, door: String?)
}

/// A label the station asks to print.
public struct LabelRequest: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A shipping box's SSCC label.
        case sscc
    }

    public var kind: Kind
    /// The barcode data, as a GS1 element string in human-readable form ("(00)…").
    public var data: String
    public var lines: [String]

    public init(kind: Kind, data: String, lines: [String]) {
        self.kind = kind
        self.data = data
        self.lines = lines
    }
}

/// Why a scan was refused: a stable code for the feedback's `error.code`.
public struct StepRejection: Sendable, Hashable, Codable {
    public var code: String

    public init(code: String) {
        self.code = code
    }
}

/// Everything one step decided, as values: the caller commits the durable parts in one
/// transaction, then shows the prompt and signals the scanner.
public struct StepOutcome: Sendable, Hashable {
    public var feedback: FeedbackClass
    public var prompt: Prompt
    public var movements: [Movement]
    public var documents: [DocumentUpdate]
    public var claims: [ClaimChange]
    public var containers: [ContainerChange]
    public var labels: [LabelRequest]
    /// The SSCC serial a new box used (`CMD-NEWBOX`): the store's per-station counter must
    /// advance to it in the step's transaction, so no serial is minted twice.
    public var mintedSSCCSerial: UInt64?
    public var signal: ScannerSignal
    /// Set when `feedback` is `.error`; also set for a warning, naming what to look at.
    public var rejection: StepRejection?

    /// Whether the step changes anything durable besides the scan log.
    public var changesState: Bool {
        !movements.isEmpty || !documents.isEmpty || !claims.isEmpty || !containers.isEmpty || mintedSSCCSerial != nil
    }
}

// The initializers sit in an extension so the struct keeps its implicit memberwise
// initializer: built with it, an outcome is made in place; one of these, inlined, built the
// outcome twice and copied one into the other (every array retained and released again).
extension StepOutcome {
    public init(feedback: FeedbackClass, prompt: Prompt, movements: [Movement] = [], documents: [DocumentUpdate] = [], claims: [ClaimChange] = [], containers: [ContainerChange] = [], labels: [LabelRequest] = [], rejection: StepRejection? = nil) {
        self.init(
            feedback: feedback, prompt: prompt, movements: movements, documents: documents, claims: claims,
            containers: containers, labels: labels, mintedSSCCSerial: nil, signal: Self.signal(for: feedback), rejection: rejection)
    }

    /// Every effect at once, with the serial: what `StepEngine.finish` builds.
    init(feedback: FeedbackClass, prompt: Prompt, movements: [Movement], documents: [DocumentUpdate], claims: [ClaimChange], containers: [ContainerChange], labels: [LabelRequest], mintedSSCCSerial: UInt64?, rejection: StepRejection?) {
        self.init(
            feedback: feedback, prompt: prompt, movements: movements, documents: documents, claims: claims,
            containers: containers, labels: labels, mintedSSCCSerial: mintedSSCCSerial, signal: Self.signal(for: feedback),
            rejection: rejection)
    }

    /// The scanner's signal for a feedback class.
    static func signal(for feedback: FeedbackClass) -> ScannerSignal {
        switch feedback {
        case .ok: .goodRead
        case .warning: .warning
        case .error: .error
        }
    }
}
