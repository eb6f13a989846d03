import Foundation
import GRDB
import ScanCodes

/// The master data and document files `scanstation import` reads (CONTRACTS.md, CSV imports).
public enum ImportKind: String, Sendable, Hashable, CaseIterable {
    case products, locations, operators, receipts, orders
}

/// A file that was not imported, with every problem found in it.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [ImportProblem]

    /// One `FILE:LINE:COLUMN: message` per problem.
    public var description: String {
        problems.map { "\(file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n")
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    public var kind: ImportKind
    /// Data rows read from the file.
    public var rows: Int
    /// Keys that were new, and keys that already existed and were updated.
    public var inserted: Int
    public var updated: Int
}

extension LedgerStore {
    /// Imports a CSV file all or nothing: every row is checked first, and only a file
    /// without problems is written, in one transaction. Re-importing updates by key.
    /// `progress` is called with (rows written, rows in all) while writing.
    public func importCSV(
        _ kind: ImportKind, file: String, progress: ((Int, Int) -> Void)? = nil
    ) throws -> ImportSummary {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.bytes(atPath: file)
        } catch {
            throw ImportError(file: file, problems: [ImportProblem(line: 1, column: 1, message: "cannot read the file (\(error.reason))")])
        }
        let reader = CSVReader(bytes: bytes)
        guard reader.problems.isEmpty else { throw ImportError(file: file, problems: reader.problems) }
        var rows = ImportRows(records: reader.records, decimalComma: reader.delimiter == ";")
        let plan = try read { db in try ImportPlan.make(kind, rows: &rows, db: db) }
        guard rows.problems.isEmpty else {
            throw ImportError(file: file, problems: rows.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return try write(station: "", time: 0) { transaction in
            try plan.apply(transaction.db, progress: progress)
        }
    }
}

/// The data rows of a file, addressed by header name, collecting problems as values are read.
struct ImportRows {
    struct Row {
        var line: Int
        /// By header position; nil where the row is shorter than the header.
        var fields: [CSVField?]
    }

    var header: [String: CSVField] = [:]
    /// Header name → the first position it has.
    var positions: [String: Int] = [:]
    var rows: [Row] = []
    var problems: [ImportProblem] = []
    let decimalComma: Bool

    init(records: [CSVRecord], decimalComma: Bool) {
        self.decimalComma = decimalComma
        // An empty file is reported by `require`, which knows the columns it needs.
        guard let first = records.first else { return }
        for (position, field) in first.fields.enumerated() {
            let name = Self.trimmed(field.text).lowercased()
            if header[name] != nil, !name.isEmpty {
                problems.append(ImportProblem(line: field.line, column: field.column, message: "column '\(name)' appears twice in the header"))
            }
            if header[name] == nil {
                header[name] = field
                positions[name] = position
            }
        }
        let width = first.fields.count
        rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            var fields: [CSVField?] = record.fields.prefix(width).map { $0 }
            if fields.count < width { fields += Array(repeating: nil, count: width - fields.count) }
            if record.fields.count > width, let extra = record.fields.dropFirst(width).first(where: { !$0.text.isEmpty }) {
                problems.append(ImportProblem(line: extra.line, column: extra.column, message: "this row has more fields than the header has columns"))
            }
            rows.append(Row(line: record.line, fields: fields))
        }
    }

    /// Notes a missing required column once, at the header.
    mutating func require(_ columns: [String]) -> Bool {
        guard !header.isEmpty else {
            problems.append(ImportProblem(line: 1, column: 1, message: "the file is empty; it needs a header row with at least \(columns.joined(separator: ", "))"))
            return false
        }
        let missing = columns.filter { header[$0] == nil }
        for column in missing {
            problems.append(ImportProblem(line: 1, column: 1, message: "the header has no '\(column)' column, which is required"))
        }
        return missing.isEmpty
    }

    func field(_ row: Row, _ column: String) -> CSVField? {
        guard let position = positions[column] else { return nil }
        return row.fields[position]
    }

    /// Spaces and tabs off both ends; cheap when there are none (the usual case).
    static func trimmed(_ text: String) -> String {
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last, isBlank(first) || isBlank(last) else { return text }
        let scalars = text.unicodeScalars.drop(while: isBlank)
        return String(String.UnicodeScalarView(scalars.reversed().drop(while: isBlank).reversed()))
    }

    mutating func problem(_ row: Row, _ column: String, _ message: String) {
        let field = field(row, column)
        problems.append(ImportProblem(line: field?.line ?? row.line, column: field?.column ?? 1, message: message))
    }

    /// The trimmed text, nil when empty or absent.
    func text(_ row: Row, _ column: String) -> String? {
        guard let field = field(row, column) else { return nil }
        let text = field.quoted ? field.text : Self.trimmed(field.text)
        return text.isEmpty ? nil : text
    }

    mutating func required(_ row: Row, _ column: String) -> String? {
        guard let text = text(row, column) else {
            problem(row, column, "'\(column)' is required and empty")
            return nil
        }
        return text
    }

    mutating func bool(_ row: Row, _ column: String) -> Bool {
        guard let text = text(row, column) else { return false }
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default:
            problem(row, column, "'\(text)' is not a boolean; use true/false, yes/no or 1/0")
            return false
        }
    }

    mutating func quantity(_ row: Row, _ column: String, positive: Bool = true) -> Int64? {
        guard let text = text(row, column) else { return nil }
        guard let stored = MicroUnits.parseStored(text, decimalComma: decimalComma) else {
            problem(row, column, "'\(text)' is not a decimal number with at most 6 decimals\(decimalComma ? " (',' or '.' as decimal mark)" : " ('.' as decimal mark)")")
            return nil
        }
        if positive, stored <= 0 {
            problem(row, column, "'\(text)' must be greater than zero")
            return nil
        }
        return stored
    }

    mutating func integer(_ row: Row, _ column: String, minimum: Int) -> Int? {
        guard let text = text(row, column) else { return nil }
        guard let value = Int(text), value >= minimum else {
            problem(row, column, "'\(text)' is not a whole number of at least \(minimum)")
            return nil
        }
        return value
    }

    mutating func date(_ row: Row, _ column: String) -> String? {
        guard let text = text(row, column) else { return nil }
        guard CalendarDate(iso: text) != nil else {
            problem(row, column, "'\(text)' is not a date; use YYYY-MM-DD")
            return nil
        }
        return text
    }

    /// Records a key and reports it when an earlier row had it already.
    mutating func unique<Key: Hashable>(_ key: Key, _ row: Row, _ column: String, in seen: inout [Key: Int], describe: String) {
        if let first = seen[key] {
            problem(row, column, "\(describe) appears twice (first on line \(first)); a file may name each key once")
        } else {
            seen[key] = row.line
        }
    }
}
