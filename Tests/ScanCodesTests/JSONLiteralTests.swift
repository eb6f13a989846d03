import Foundation
import ScanCodes
import Testing

/// The one JSON string escaper behind feedback, decode, reports and logs.
@Suite struct JSONLiteralTests {
    @Test func escapesWhatJSONRequiresAndKeepsSeparatorsVisible() {
        #expect(JSONLiteral.string("4006381333931") == "\"4006381333931\"")
        #expect(JSONLiteral.string("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONLiteral.string("l1\nl2\r\t") == #""l1\nl2\r\t""#)
        #expect(JSONLiteral.string("]C1010950110153000310\u{1D}10LOT") == #""]C1010950110153000310\u001d10LOT""#)
        #expect(JSONLiteral.string("\u{00}\u{1F}\u{7F}") == #""\u0000\u001f\u007f""#)
        #expect(JSONLiteral.string("Grüße 📦 \"x\"") == "\"Grüße 📦 \\\"x\\\"\"")
        #expect(JSONLiteral.optionalString(nil) == "null")
    }

    @Test func everyStringReadsBackAsItself() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = (0...0x7F).compactMap(Unicode.Scalar.init) + ["é", "ß", "€", "📦", "\u{2028}"]
        for _ in 0..<500 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? "a"
            }))
            let literal = JSONLiteral.string(text)
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(decoded == [text], "\(literal)")
        }
    }

    /// The byte appenders build answer lines without intermediate strings; they must give
    /// exactly what `string` gives, for received bytes that are not valid UTF-8 too.
    @Test func appendingBytesGivesWhatStringGives() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let input = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                // Mostly ASCII with controls, sometimes bytes of multi-byte or broken sequences.
                Bool.random(using: &generator) ? UInt8.random(in: 0...0x7F, using: &generator) : UInt8.random(in: 0...0xFF, using: &generator)
            }
            let text = String(decoding: input, as: UTF8.self)
            var fromBytes: [UInt8] = [0x41]
            JSONLiteral.append(utf8: input, to: &fromBytes)
            var fromText: [UInt8] = [0x41]
            JSONLiteral.append(text, to: &fromText)
            let expected = "A" + JSONLiteral.string(text)
            #expect(String(decoding: fromBytes, as: UTF8.self) == expected, "\(input)")
            #expect(String(decoding: fromText, as: UTF8.self) == expected, "\(input)")
        }
    }
}
