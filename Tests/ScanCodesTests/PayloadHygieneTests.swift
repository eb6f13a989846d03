import ScanCodes
import Testing

@Suite struct PayloadHygieneTests {
    @Test func stripsOneTrailingCarriageReturn() throws {
        #expect(try PayloadHygiene.check(Array("ABC\r".utf8)).get() == Array("ABC".utf8))
        #expect(try PayloadHygiene.check(Array("ABC".utf8)).get() == Array("ABC".utf8))
    }

    @Test func separatorsAreData() throws {
        let payload: [UInt8] = [0x41, 0x1D, 0x42, 0x1E, 0x43, 0x04]
        #expect(try PayloadHygiene.check(payload).get() == payload)
    }

    @Test(arguments: [UInt8](0...0x1F).filter { ![0x1D, 0x1E, 0x04, 0x0D].contains($0) } + [0x7F])
    func otherControlBytesAreRejected(byte: UInt8) {
        guard case .failure(let error) = PayloadHygiene.check([0x41, byte, 0x42]) else {
            Issue.record("0x\(byte) accepted")
            return
        }
        #expect(error.code == .controlCharacter)
        #expect(error.offset == 1)
    }

    @Test func carriageReturnInsideIsRejected() {
        guard case .failure(let error) = PayloadHygiene.check(Array("A\rB".utf8)) else {
            Issue.record("inner CR accepted")
            return
        }
        #expect(error.code == .controlCharacter)
    }

    @Test func invalidUTF8IsRejectedAtItsOffset() {
        let cases: [([UInt8], Int)] = [
            ([0x41, 0xFF], 1), ([0xC3], 0), ([0x41, 0x42, 0xC3, 0x28], 2), ([0xE0, 0x80, 0x80], 0),
            ([0xED, 0xA0, 0x80], 0), ([0xF4, 0x90, 0x80, 0x80], 0), ([0xC0, 0x80], 0),
        ]
        for (bytes, offset) in cases {
            guard case .failure(let error) = PayloadHygiene.check(bytes) else {
                Issue.record("\(bytes) accepted")
                continue
            }
            #expect(error.code == .invalidUTF8)
            #expect(error.offset == offset)
        }
        #expect((try? PayloadHygiene.check(Array("Größe €".utf8)).get()) != nil)
        #expect(PayloadHygiene.firstInvalidUTF8Offset(Array("😀".utf8)) == nil)
    }

    @Test func lengthLimitCountsTheWholeScan() {
        let kept = [UInt8](repeating: 0x30, count: 4096)
        #expect((try? PayloadHygiene.check(kept).get()) != nil)
        #expect((try? PayloadHygiene.check(kept + [0x0D]).get()) != nil, "a CR after 4096 bytes is stripped first")
        guard case .failure(let error) = PayloadHygiene.check(kept, totalLength: 9000) else {
            Issue.record("oversized scan accepted")
            return
        }
        #expect(error.code == .tooLong)
        #expect(error.message.contains("9000"))
    }
}
