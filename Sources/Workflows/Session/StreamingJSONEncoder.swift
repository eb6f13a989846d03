import Foundation
import ScanCodes

/// Writes an `Encodable` value as compact JSON straight into bytes, keys in the order the
/// value encodes them. A station stores its session snapshot with every scan, and
/// Foundation's `JSONEncoder` (a tree of boxed values, sorted keys) was a third of a
/// receiving scan's CPU. The output reads back with `JSONDecoder` as the same value.
///
/// Streaming works for values that fill their containers one after the other, as
/// synthesized `Codable` and the usual hand-written conformances do: a container is
/// closed when its value's `encode(to:)` returns, or when an outer container is written
/// to again. A value that goes back to a container it left, asks for a super encoder or
/// encodes a `Date`, `Data` or `URL` (which `JSONEncoder` writes its own ways) throws
/// `StreamingJSONEncoder.Unsupported`; the caller then uses `JSONEncoder`. Coding paths
/// stay empty (building one per value cost an allocation each; errors name the type).
public struct StreamingJSONEncoder {
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = Writer()
        try writer.writeValue(value, codingPath: [])
        if let failure = writer.failure { throw failure }
        return writer.bytes
    }

    /// `encode(value)`, copying the JSON of undo entries `cache` holds instead of writing
    /// them again, and leaving in `cache` the undo entries this value wrote. The same
    /// bytes as `encode(value)`: an entry's JSON does not depend on where it stands.
    public func encode<T: Encodable>(_ value: T, reusing cache: inout SnapshotEncodingCache) throws -> [UInt8] {
        let writer = Writer()
        writer.previousUndo = cache.undo
        writer.currentUndo = []
        try writer.writeValue(value, codingPath: [])
        if let failure = writer.failure { throw failure }
        cache.undo = writer.currentUndo ?? []
        cache.reused = writer.reusedUndo
        return writer.bytes
    }

    /// The output and the stack of open containers.
    final class Writer {
        var bytes: [UInt8] = []
        /// Open containers, innermost last: their closing byte and whether they hold an element yet.
        var open: [(closer: UInt8, hasElements: Bool)] = []
        /// Set where the protocol gives no way to throw (nested containers, super
        /// encoders); `encode` throws it at the end.
        var failure: Unsupported?
        /// Undo entries written before, with their JSON (`encode(_:reusing:)`).
        var previousUndo: [SnapshotEncodingCache.Entry] = []
        /// The undo entries written now, nil when not reusing.
        var currentUndo: [SnapshotEncodingCache.Entry]?
        /// How many undo entries were copied.
        var reusedUndo = 0

        init() {
            bytes.reserveCapacity(4096)
        }

        /// Writes `value` at the current position: whatever containers it opens are closed
        /// once its `encode(to:)` returns.
        func writeValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
            // Type comparisons, not casts: a cast per value cost more than writing it.
            // Strings and numbers need no case: they reach the single-value container.
            if T.self == Decimal.self, let decimal = value as? Decimal {
                // Decimal's own encoding is a keyed container of its fields; JSON has numbers.
                writeNumber(decimal.description)
                return
            }
            if T.self == Date.self || T.self == Data.self || T.self == URL.self {
                throw Unsupported(description: "\(T.self) at \(codingPath.map(\.stringValue).joined(separator: "."))")
            }
            if T.self == UndoEntry.self, currentUndo != nil, let entry = value as? UndoEntry {
                try writeUndoEntry(entry, codingPath: codingPath)
                return
            }
            try writeEncoded(value, codingPath: codingPath)
        }

        private func writeEncoded<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
            let depth = open.count
            let start = bytes.count
            try value.encode(to: ValueEncoder(writer: self, depth: depth, codingPath: codingPath))
            close(downTo: depth)
            // A value that encoded nothing is an empty object, as JSONEncoder writes it.
            if bytes.count == start { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        }

        /// An undo entry of the previous snapshot is copied (the history keeps its entries
        /// from step to step, so usually the same values: comparing is cheap, the arrays
        /// are shared); a new one is written and kept for the next snapshot.
        private func writeUndoEntry(_ entry: UndoEntry, codingPath: [any CodingKey]) throws {
            if let known = previousUndo.first(where: { $0.entry == entry }) {
                bytes.append(contentsOf: known.json)
                currentUndo?.append(known)
                reusedUndo += 1
                return
            }
            let start = bytes.count
            try writeEncoded(entry, codingPath: codingPath)
            currentUndo?.append(SnapshotEncodingCache.Entry(entry: entry, json: Array(bytes[start...])))
        }

        /// Closes the containers opened deeper than `depth`.
        func close(downTo depth: Int) {
            while open.count > depth, let last = open.popLast() {
                bytes.append(last.closer)
            }
        }

        /// Prepares writing an element of the container at `level` (its index in `open`):
        /// deeper containers are finished; a container already closed cannot take more.
        func beginElement(level: Int, codingPath: [any CodingKey]) throws {
            guard level < open.count else {
                throw Unsupported(description: "a container written to after it was left, at \(codingPath.map(\.stringValue).joined(separator: "."))")
            }
            close(downTo: level + 1)
            if open[level].hasElements { bytes.append(UInt8(ascii: ",")) }
            open[level].hasElements = true
        }

        func openContainer(_ opener: UInt8, _ closer: UInt8) -> Int {
            bytes.append(opener)
            open.append((closer, false))
            return open.count - 1
        }

        func writeKey(_ key: String) {
            writeString(key)
            bytes.append(UInt8(ascii: ":"))
        }

        func writeNumber(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        func writeFloatingPoint(_ value: Double, codingPath: [any CodingKey]) throws {
            guard value.isFinite else {
                throw Unsupported(description: "a non-finite number at \(codingPath.map(\.stringValue).joined(separator: "."))")
            }
            var text = "\(value)"
            if text.hasSuffix(".0") { text.removeLast(2) }
            writeNumber(text)
        }

        func writeString(_ string: String) {
            JSONLiteral.append(string, to: &bytes)
        }
    }

    /// The encoder a value's `encode(to:)` receives; its containers write into the writer.
    struct ValueEncoder: Encoder {
        let writer: Writer
        /// The open-container count when the value started: its own container goes there.
        let depth: Int
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(KeyedContainer<Key>(writer: writer, level: ownContainer(UInt8(ascii: "{"), UInt8(ascii: "}")), codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            UnkeyedContainer(writer: writer, level: ownContainer(UInt8(ascii: "["), UInt8(ascii: "]")), codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleValueContainer(writer: writer, codingPath: codingPath)
        }

        /// The value's container, opened once (asking again returns the same one, as
        /// JSONEncoder does).
        private func ownContainer(_ opener: UInt8, _ closer: UInt8) -> Int {
            if writer.open.count > depth { return depth }
            return writer.openContainer(opener, closer)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: Writer
        let level: Int
        let codingPath: [any CodingKey]

        private func begin(_ key: Key) throws {
            try writer.beginElement(level: level, codingPath: codingPath)
            writer.writeKey(key.stringValue)
        }

        mutating func encodeNil(forKey key: Key) throws {
            try begin(key)
            writer.writeNumber("null")
        }

        mutating func encode(_ value: Bool, forKey key: Key) throws {
            try begin(key)
            writer.writeNumber(value ? "true" : "false")
        }

        mutating func encode(_ value: String, forKey key: Key) throws {
            try begin(key)
            writer.writeString(value)
        }

        mutating func encode(_ value: Double, forKey key: Key) throws {
            try begin(key)
            try writer.writeFloatingPoint(value, codingPath: codingPath)
        }

        mutating func encode(_ value: Float, forKey key: Key) throws {
            try begin(key)
            try writer.writeFloatingPoint(Double(value), codingPath: codingPath)
        }

        mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); writer.writeNumber(String(value)) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try begin(key)
            try writer.writeValue(value, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            // This cannot throw: a failure is kept and thrown when the value is done.
            do { try begin(key) } catch { writer.failure = writer.failure ?? (error as? Unsupported) }
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(writer: writer, level: writer.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}")), codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            do { try begin(key) } catch { writer.failure = writer.failure ?? (error as? Unsupported) }
            return UnkeyedContainer(writer: writer, level: writer.openContainer(UInt8(ascii: "["), UInt8(ascii: "]")), codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder { writer.unsupported("a super encoder", codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { writer.unsupported("a super encoder", codingPath) }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let writer: Writer
        let level: Int
        let codingPath: [any CodingKey]
        var count = 0

        init(writer: Writer, level: Int, codingPath: [any CodingKey]) {
            self.writer = writer
            self.level = level
            self.codingPath = codingPath
        }

        private mutating func begin() throws {
            try writer.beginElement(level: level, codingPath: codingPath)
            count += 1
        }

        mutating func encodeNil() throws { try begin(); writer.writeNumber("null") }
        mutating func encode(_ value: Bool) throws { try begin(); writer.writeNumber(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { try begin(); writer.writeString(value) }
        mutating func encode(_ value: Double) throws { try begin(); try writer.writeFloatingPoint(value, codingPath: codingPath) }
        mutating func encode(_ value: Float) throws { try begin(); try writer.writeFloatingPoint(Double(value), codingPath: codingPath) }
        mutating func encode(_ value: Int) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int8) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int16) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int32) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int64) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt8) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt16) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt32) throws { try begin(); writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt64) throws { try begin(); writer.writeNumber(String(value)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try begin()
            try writer.writeValue(value, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            do { try begin() } catch { writer.failure = writer.failure ?? (error as? Unsupported) }
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(writer: writer, level: writer.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}")), codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            do { try begin() } catch { writer.failure = writer.failure ?? (error as? Unsupported) }
            return UnkeyedContainer(writer: writer, level: writer.openContainer(UInt8(ascii: "["), UInt8(ascii: "]")), codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder { writer.unsupported("a super encoder", codingPath) }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let writer: Writer
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { writer.writeNumber("null") }
        mutating func encode(_ value: Bool) throws { writer.writeNumber(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { writer.writeString(value) }
        mutating func encode(_ value: Double) throws { try writer.writeFloatingPoint(value, codingPath: codingPath) }
        mutating func encode(_ value: Float) throws { try writer.writeFloatingPoint(Double(value), codingPath: codingPath) }
        mutating func encode(_ value: Int) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int8) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int16) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int32) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: Int64) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt8) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt16) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt32) throws { writer.writeNumber(String(value)) }
        mutating func encode(_ value: UInt64) throws { writer.writeNumber(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try writer.writeValue(value, codingPath: codingPath) }
    }
}

extension StreamingJSONEncoder.Writer {
    /// Marks the output unusable and gives an encoder whose writes go nowhere.
    func unsupported(_ what: String, _ codingPath: [any CodingKey]) -> any Encoder {
        failure = failure ?? StreamingJSONEncoder.Unsupported(description: "\(what) at \(codingPath.map(\.stringValue).joined(separator: "."))")
        return StreamingJSONEncoder.ValueEncoder(writer: StreamingJSONEncoder.Writer(), depth: 0, codingPath: codingPath)
    }
}
