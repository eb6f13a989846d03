/// Splits a byte stream into scans at LF, keeping at most `limit` bytes of each scan so a
/// runaway source (a stuck key, a binary file) cannot exhaust memory.
public struct LineFramer: Sendable {
    public let limit: Int
    private var current: [UInt8] = []
    private var currentLength = 0

    public init(limit: Int) {
        self.limit = limit
    }

    /// A framed line: the kept prefix and the full length.
    public struct Line: Sendable, Hashable {
        public var bytes: [UInt8]
        public var totalLength: Int
    }

    /// Feeds bytes; calls `emit` for each completed line (LF removed, CR kept for hygiene).
    public mutating func feed(_ chunk: some Sequence<UInt8>, emit: (Line) -> Void) {
        for byte in chunk {
            if byte == 0x0A {
                emit(Line(bytes: current, totalLength: currentLength))
                current.removeAll(keepingCapacity: true)
                currentLength = 0
            } else {
                if current.count < limit { current.append(byte) }
                currentLength += 1
            }
        }
    }

    /// The unterminated last line at end of input, if any.
    public mutating func finish() -> Line? {
        defer {
            current.removeAll()
            currentLength = 0
        }
        return currentLength > 0 ? Line(bytes: current, totalLength: currentLength) : nil
    }
}
