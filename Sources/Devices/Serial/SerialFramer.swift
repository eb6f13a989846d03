/// Splits a serial scanner's byte stream into scans at CR, LF or CRLF (counted once), so a
/// scanner set to any of the three terminators works without configuration.
public struct SerialFramer: Sendable {
    public let limit: Int
    private var current: [UInt8] = []
    private var currentLength = 0
    private var lastWasCarriageReturn = false

    public init(limit: Int) {
        self.limit = limit
    }

    /// Feeds bytes; returns the completed frames (terminator removed, empty ones skipped) as
    /// the kept prefix and the full length.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [(bytes: [UInt8], totalLength: Int)] {
        var frames: [(bytes: [UInt8], totalLength: Int)] = []
        for byte in chunk {
            switch byte {
            case 0x0D, 0x0A:
                // LF right after CR closes nothing: CRLF is one terminator.
                let secondHalf = byte == 0x0A && lastWasCarriageReturn
                lastWasCarriageReturn = byte == 0x0D
                if !secondHalf && currentLength > 0 {
                    frames.append((current, currentLength))
                }
                current.removeAll(keepingCapacity: true)
                currentLength = 0
            default:
                lastWasCarriageReturn = false
                if current.count < limit { current.append(byte) }
                currentLength += 1
            }
        }
        return frames
    }

    /// Drops a partial frame (the port went away mid-scan).
    public mutating func reset() {
        current.removeAll()
        currentLength = 0
        lastWasCarriageReturn = false
    }
}
