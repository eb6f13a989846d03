import Foundation
import Testing
@testable import HIDDecoding

/// `hid_reports.jsonl`: boot-keyboard streams whose expected text comes from the kernel's
/// hid_keyboard[] table and libxkbcommon 1.5.0 (see Corpus/README in the shared corpus).
struct CorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var layout: KeyboardLayout
        var reports: [[UInt8]]
        var expected: [UInt8]
        var testDescription: String { id }
    }

    static func cases() throws -> [Case] {
        guard let url = corpusURL("hid_reports.jsonl") else { return [] }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let reports = (object["reports_hex"] as? [String] ?? []).compactMap { bytes(hex: $0) }
            return Case(
                id: object["id"] as? String ?? "?",
                layout: KeyboardLayout(rawValue: object["layout"] as? String ?? "") ?? .us,
                reports: reports,
                expected: bytes(hex: object["expected_decoded_hex"] as? String ?? "") ?? [])
        }
    }

    @Test func theCorpusIsThere() throws {
        let cases = try Self.cases()
        #expect(cases.count == 122)
        #expect(cases.allSatisfy { !$0.reports.isEmpty })
    }

    @Test(arguments: try cases())
    func decodesLikeTheKernelAndXKB(_ record: Case) {
        let scans = decode(record.reports, layout: record.layout)
        #expect(scans.count == 1)
        #expect(scans.first?.bytes == record.expected)
        #expect(scans.first?.warnings == [])
    }

    @Test(arguments: try cases())
    func decodesTheSameFromTheReportProtocolDescriptor(_ record: Case) throws {
        // The same reports through the parsed boot descriptor's general path (not the fast path).
        var plan = KeyboardReportPlan.plans(for: .bootKeyboard)
        #expect(plan.count == 1)
        plan[0].bootKeyArrayStart = nil
        var keys: [UInt8] = []
        var decoder = KeyboardDecoder(layout: record.layout)
        var framer = ScanFramer(framing: ScanFraming())
        var scans: [HIDScan] = []
        for report in record.reports {
            report.withUnsafeBufferPointer { buffer in
                let modifiers = plan[0].extract(buffer, keys: &keys)
                keys.withUnsafeBufferPointer { decoder.process(modifiers: modifiers, keys: $0, at: 0, framer: &framer, scans: &scans) }
            }
        }
        #expect(scans.map(\.bytes) == [record.expected])
    }
}
