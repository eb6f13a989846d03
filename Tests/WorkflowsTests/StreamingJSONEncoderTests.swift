import Foundation
import Testing
import Workflows

/// The session snapshot is written by the streaming encoder with every scan: it must read
/// back as the same state, and say the same as Foundation's JSONEncoder.
@Suite struct StreamingJSONEncoderTests {
    /// The JSON of `data` as Foundation objects, for comparing documents whatever their key order.
    func parsed(_ data: Data) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? NSObject)
    }

    func foundationJSON<T: Encodable>(_ value: T) throws -> Data {
        try JSONEncoder().encode(value)
    }

    @Test func snapshotsOfRandomWalksReadBackAndMatchJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for walk in 0..<40 {
            var station = WorkflowPropertyTests.station(lenient: walk % 2 == 0)
            for _ in 0..<60 {
                let phrase = WorkflowPropertyTests.scans[Int.random(in: 0..<WorkflowPropertyTests.scans.count, using: &generator)]
                for scan in phrase { station.scan(scan) }
                let snapshot = SessionSnapshot(station: "dock-1", state: station.state)
                let streamed = Data(try StreamingJSONEncoder().encode(snapshot))
                #expect(try JSONDecoder().decode(SessionSnapshot.self, from: streamed) == snapshot)
                #expect(try parsed(streamed) == parsed(foundationJSON(snapshot)), "\(String(decoding: streamed, as: UTF8.self))")
                checked += 1
            }
        }
        #expect(checked == 2400)
    }

    /// A station's snapshots written one after the other with the undo entries' JSON
    /// reused are byte for byte those written afresh.
    @Test func snapshotsReusingTheirUndoEntriesAreTheSameBytes() throws {
        var generator = SystemRandomNumberGenerator()
        var reusedEntries = 0
        for walk in 0..<20 {
            var station = WorkflowPropertyTests.station(lenient: walk % 2 == 0)
            var cache = SnapshotEncodingCache()
            for _ in 0..<60 {
                let phrase = WorkflowPropertyTests.scans[Int.random(in: 0..<WorkflowPropertyTests.scans.count, using: &generator)]
                for scan in phrase { station.scan(scan) }
                let snapshot = SessionSnapshot(station: "dock-1", state: station.state)
                let reusing = try snapshot.encoded(reusing: &cache)
                let afresh = try snapshot.encoded()
                #expect(reusing == afresh, "\(String(decoding: reusing, as: UTF8.self))\n\(String(decoding: afresh, as: UTF8.self))")
                #expect(cache.count == station.state.undo.count)
                reusedEntries += cache.reused
            }
        }
        #expect(reusedEntries > 100, "the walks kept undo entries from one snapshot to the next")
    }

    struct Mixed: Codable, Equatable {
        enum Kind: Codable, Equatable { case plain, tagged(String, count: Int), nested(inner: [Int: Double]) }
        var text = "quote \" backslash \\ newline \n tab \t control \u{1D} é 📦 /"
        var numbers: [Int64] = [0, -1, Int64.max, Int64.min]
        var flags: [Bool?] = [true, false, nil]
        var decimal = Decimal(string: "-12.345") ?? 0
        var doubles: [Double] = [1, 2.5, -0.001, 1e21]
        var kinds: [Kind] = [.plain, .tagged("a", count: 2), .nested(inner: [3: 0.5, -1: 2])]
        var empty: [String: String] = [:]
        var absent: String?
        var nothing: [[Int]] = [[], [1], []]
    }

    @Test func everyKindOfValueMatchesJSONEncoder() throws {
        let value = Mixed()
        let streamed = Data(try StreamingJSONEncoder().encode(value))
        #expect(try JSONDecoder().decode(Mixed.self, from: streamed) == value)
        #expect(try parsed(streamed) == parsed(foundationJSON(value)), "\(String(decoding: streamed, as: UTF8.self))")
        #expect(String(decoding: streamed, as: UTF8.self).hasPrefix(#"{"text":"quote \" backslash \\ newline \n tab \t control \u001d é 📦 /","#))
    }

    struct WithSuper: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(1, forKey: .a)
            let parent = container.superEncoder()
            var single = parent.singleValueContainer()
            try single.encode("lost")
        }
        enum CodingKeys: CodingKey { case a }
    }

    struct Revisiting: Encodable {
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: CodingKeys.self)
            var inner = outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .a)
            try inner.encode(1, forKey: .a)
            try outer.encode(2, forKey: .b)
            try inner.encode(3, forKey: .b) // back in a container already closed
        }
        enum CodingKeys: CodingKey { case a, b }
    }

    /// What streaming cannot follow is refused, never written wrong: the snapshot then
    /// falls back to JSONEncoder.
    @Test func whatStreamingCannotFollowIsRefused() {
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode(WithSuper()) }
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode(Revisiting()) }
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode([Date(timeIntervalSince1970: 0)]) }
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder().encode([Double.nan]) }
    }
}
