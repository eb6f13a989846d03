public import Foundation

/// What the Ledger stores per station, in the transaction of every step, so a restarted
/// daemon resumes the session where it was: the open receipt, the current pick line and
/// tote, the open box, the counted items, the undo history of the current document.
/// Progress (received, picked, packed) is not in it: that is rebuilt from the movements.
public struct SessionSnapshot: Sendable, Hashable, Codable {
    /// Bumped when the state's shape changes incompatibly; an unknown version restarts the session.
    public static let currentVersion = 1

    public var version: Int
    public var station: String
    public var state: WorkflowState

    public init(station: String, state: WorkflowState) {
        self.version = Self.currentVersion
        self.station = station
        self.state = state
    }

    public func encoded() throws -> Data {
        do {
            return Data(try StreamingJSONEncoder().encode(self))
        } catch is StreamingJSONEncoder.Unsupported {
            return try foundationEncoded()
        }
    }

    /// `encoded()`, reusing the JSON of the undo entries the station's previous snapshot
    /// wrote (kept in `cache`): a step adds one entry, and writing the other nine again,
    /// each with its movements, was about a sixth of a receiving scan's CPU in the daemon.
    public func encoded(reusing cache: inout SnapshotEncodingCache) throws -> Data {
        do {
            return Data(try StreamingJSONEncoder().encode(self, reusing: &cache))
        } catch is StreamingJSONEncoder.Unsupported {
            cache = SnapshotEncodingCache()
            return try foundationEncoded()
        }
    }

    /// For a state type that encodes in a way streaming cannot follow: the slow way.
    private func foundationEncoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// The state to resume, checked against the catalog as it is now: a document closed or
    /// claimed elsewhere meanwhile, or a snapshot of another version, starts the station afresh.
    public static func restore<C: Catalog>(_ data: Data, settings: StationSettings, catalog: C) -> WorkflowState {
        guard let snapshot = try? JSONDecoder().decode(SessionSnapshot.self, from: data),
              snapshot.version == currentVersion, snapshot.station == settings.name,
              settings.allows(snapshot.state.mode)
        else { return WorkflowState(settings: settings) }
        var state = snapshot.state
        var stillOpen = true
        switch state.task {
        case .receiving(let task):
            stillOpen = catalog.receipt(number: task.receipt)?.status == .open || task.blind
        case .picking(let task):
            stillOpen = catalog.order(number: task.order).map { !$0.fullyPicked } ?? false
        case .packing(let task):
            stillOpen = catalog.order(number: task.order) != nil
            if let box = task.box, catalog.container(sscc: box)?.status != .open {
                var next = task
                next.box = nil
                state.task = .packing(next)
            }
        case .choosingReceipt(_, let receipts):
            stillOpen = receipts.contains { catalog.receipt(number: $0)?.status == .open }
        default:
            break
        }
        if let document = state.task.document, let claim = catalog.claim(on: document), claim.station != settings.name {
            stillOpen = false
        }
        if !stillOpen {
            state.task = .none
            state.undo = []
        }
        return state
    }
}

/// The JSON of the undo entries a station's last snapshot wrote, for the next one.
public struct SnapshotEncodingCache: Sendable {
    struct Entry: Sendable {
        var entry: UndoEntry
        var json: [UInt8]
    }

    var undo: [Entry] = []

    public init() {}

    /// How many entries it holds.
    public var count: Int { undo.count }
    /// How many entries the last snapshot copied from the one before.
    public internal(set) var reused = 0
}
