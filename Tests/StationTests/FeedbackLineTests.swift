import Foundation
import Ledger
import Station
import Testing

/// The JSONL answer line of CONTRACTS.md, byte for byte: it is built as bytes, so every
/// field's escaping and the key order are pinned here.
@Suite struct FeedbackLineTests {
    @Test func anAcceptedScanWithMovements() {
        let answer = ScanAnswer(
            seq: 12, scanID: "01a2", station: "dock-1", input: Array("]C1010950110153000310\u{1D}10LOT \"A\"".utf8),
            symbology: "gs1-128", result: .accepted, prompt: "Scan the location: \"A-01\".", movements: ["m-1", "m-2"], error: nil)
        #expect(FeedbackWriter.json(answer) == #"{"seq":12,"scan_id":"01a2","station":"dock-1","input":"]C1010950110153000310\u001d10LOT \"A\"","symbology":"gs1-128","result":"accepted","prompt":"Scan the location: \"A-01\".","movements":["m-1","m-2"]}"#)
    }

    @Test func aRejectedScanThatWasNotRecorded() throws {
        // Bytes that are not UTF-8 show as U+FFFD, as the decoded text would.
        let answer = ScanAnswer(
            seq: nil, scanID: "01a3", station: "Lager Süd", input: [0x41, 0xFF, 0x0D, 0x42], symbology: nil, result: .rejected,
            prompt: "Nicht erfasst.", movements: [], error: .init(code: "store_write_failed", message: "disk\nfull", offset: nil))
        let line = FeedbackWriter.json(answer)
        #expect(line == #"{"seq":null,"scan_id":"01a3","station":"Lager Süd","input":"A�\rB","symbology":null,"result":"rejected","prompt":"Nicht erfasst.","movements":[],"error":{"code":"store_write_failed","message":"disk\nfull","offset":0}}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["input"] as? String == "A\u{FFFD}\rB")
    }
}
