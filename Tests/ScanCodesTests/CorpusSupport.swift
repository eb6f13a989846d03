import Foundation
import ScanCodes
import Testing

/// Loads a JSON Lines file of the shared corpus copied into the test bundle.
enum Corpus {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static func records(_ name: String) throws -> [[String: Any]] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "jsonl", subdirectory: "Corpus") else {
            throw LoadError(description: "Corpus/\(name).jsonl is missing from the test bundle")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw LoadError(description: "a line of \(name).jsonl is not an object")
            }
            return object
        }
    }

    /// The reference date the corpus was built against (biip used the current year, 2026).
    static let referenceDate = CalendarDate(year: 2026, month: 11, day: 24)

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            func value(_ byte: UInt8) -> UInt8 {
                switch byte {
                case 0x30...0x39: byte - 0x30
                case 0x41...0x46: byte - 0x41 + 10
                default: byte - 0x61 + 10
                }
            }
            result.append(value(high) << 4 | value(low))
        }
        return result
    }
}
