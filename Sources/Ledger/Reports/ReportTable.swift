import Foundation
import ScanCodes

/// How a report is printed (CONTRACTS.md: table, CSV or JSON).
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    case table, csv, json
}

/// One value of a report.
public enum ReportCell: Sendable, Hashable {
    case text(String?)
    case integer(Int64?)
    /// A stored quantity (micro-units), printed as a plain decimal and a JSON number.
    case quantity(Int64?)
    /// Printed as true/false, a JSON boolean.
    case boolean(Bool?)

    var plain: String {
        switch self {
        case .boolean(let value): value.map { $0 ? "true" : "false" } ?? ""
        case .text(let value): value ?? ""
        case .integer(let value): value.map(String.init) ?? ""
        case .quantity(let value): value.map { MicroUnits.text(stored: $0) } ?? ""
        }
    }

    var json: String {
        switch self {
        case .boolean(let value): value.map { $0 ? "true" : "false" } ?? "null"
        case .text(let value): value.map(MovementJSON.string) ?? "null"
        case .integer(let value): value.map(String.init) ?? "null"
        case .quantity(let value): value.map { MicroUnits.text(stored: $0) } ?? "null"
        }
    }

    var isNumber: Bool {
        switch self {
        case .text, .boolean: false
        case .integer, .quantity: true
        }
    }
}

/// A report's rows, ready to print in any format. Column names are the JSON keys.
public struct ReportTable: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[ReportCell]]

    public init(columns: [String], rows: [[ReportCell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .json: json()
        case .csv: csv()
        case .table: table()
        }
    }

    /// An array of objects, one per row, keys in column order.
    func json() -> String {
        guard !rows.isEmpty else { return "[]\n" }
        var text = "[\n"
        for (index, row) in rows.enumerated() {
            let fields = zip(columns, row).map { "\(MovementJSON.string($0)):\($1.json)" }
            text += "  {" + fields.joined(separator: ",") + "}" + (index == rows.count - 1 ? "\n" : ",\n")
        }
        return text + "]\n"
    }

    /// RFC 4180: header row, comma, CRLF-free (LF) lines, quotes where needed.
    func csv() -> String {
        func field(_ value: String) -> String {
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var text = columns.map(field).joined(separator: ",") + "\n"
        for row in rows { text += row.map { field($0.plain) }.joined(separator: ",") + "\n" }
        return text
    }

    /// Aligned columns for a terminal; numbers right-aligned.
    func table() -> String {
        let cells = rows.map { $0.map(\.plain) }
        var widths = columns.map(\.count)
        for row in cells { for (index, value) in row.enumerated() { widths[index] = max(widths[index], value.count) } }
        func line(_ values: [String], numeric: [Bool]) -> String {
            zip(values.indices, values).map { index, value in
                let padding = String(repeating: " ", count: widths[index] - value.count)
                return numeric[index] ? padding + value : value + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let numeric = columns.indices.map { index in rows.first.map { $0[index].isNumber } ?? false }
        var text = line(columns.map { $0.uppercased() }, numeric: numeric) + "\n"
        for row in cells { text += line(row, numeric: numeric) + "\n" }
        if rows.isEmpty { text += "(no rows)\n" }
        return text
    }
}

/// Report times: Unix milliseconds shown as ISO 8601 UTC, filters given as dates or times.
public enum ReportTime {
    /// Parses `YYYY-MM-DD` (midnight UTC; with `endOfDay`, the next midnight) or an ISO 8601
    /// date-time with a zone (`2026-11-24T08:00:00Z`).
    public static func milliseconds(_ text: String, endOfDay: Bool = false) -> Int64? {
        if let date = CalendarDate(iso: text) {
            var components = DateComponents()
            components.year = date.year
            components.month = date.month
            components.day = date.day + (endOfDay ? 1 : 0)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            return calendar.date(from: components).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    /// `2026-11-24T08:15:30.123Z`.
    public static func text(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
