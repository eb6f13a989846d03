import Synchronization

/// Where device sources report scanners coming and going, for /metrics: a USB scanner
/// taken or lost, a serial port opened or gone, a camera opened or gone. Events are rare
/// (plugging, unplugging), so one lock is plenty.
public final class DeviceEvents: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case usb, serial, camera
    }

    public struct Counts: Sendable, Equatable {
        public var connects = 0
        public var disconnects = 0
    }

    private let counts = Mutex<[Kind: Counts]>([:])

    public init() {}

    public func connected(_ kind: Kind) {
        counts.withLock { $0[kind, default: Counts()].connects += 1 }
    }

    public func disconnected(_ kind: Kind) {
        counts.withLock { $0[kind, default: Counts()].disconnects += 1 }
    }

    /// The totals so far, by kind (every kind present, zero when nothing happened).
    public func snapshot() -> [Kind: Counts] {
        counts.withLock { counts in
            Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, counts[$0] ?? Counts()) })
        }
    }
}
