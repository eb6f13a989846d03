/// A field of a CSV file and where it starts (1-based line and column, in characters).
struct CSVField: Sendable, Hashable {
    var text: String
    var line: Int
    var column: Int
    /// Whether it was written in quotes (its spaces are then data).
    var quoted: Bool
}

/// One record: the line it starts on and its fields.
struct CSVRecord: Sendable, Hashable {
    var line: Int
    var fields: [CSVField]
}

/// A problem at a place in a file.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }
}

/// Reads CSV as CONTRACTS.md says: UTF-8 with an optional BOM, `,` or `;` (whichever the
/// header line uses more of, outside quotes), RFC 4180 quoting (a quoted field may hold
/// delimiters, line breaks and doubled quotes), LF or CRLF line ends, blank lines skipped.
/// Written by hand because every problem must be reported at its line and column.
struct CSVReader {
    var delimiter: Unicode.Scalar = ","
    var records: [CSVRecord] = []
    var problems: [ImportProblem] = []

    init(bytes: [UInt8]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            let (line, column) = Self.firstInvalidUTF8(body)
            problems.append(ImportProblem(line: line, column: column, message: "the file is not valid UTF-8 here; save it as UTF-8"))
            return
        }
        let scalars = Array(text.unicodeScalars)
        delimiter = Self.detectDelimiter(scalars)
        parse(scalars)
    }

    private static func detectDelimiter(_ scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle() }
            if quoted { continue }
            if scalar == "\n" { break }
            if scalar == "," { commas += 1 }
            if scalar == ";" { semicolons += 1 }
        }
        return semicolons > commas ? ";" : ","
    }

    private mutating func parse(_ scalars: [Unicode.Scalar]) {
        var index = 0
        var line = 1
        var column = 1
        var fields: [CSVField] = []
        var recordLine = 1

        func endRecord() {
            // A line with one empty unquoted field is a blank line.
            if !(fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
        }

        while index <= scalars.count {
            // At the start of a field.
            let fieldLine = line
            let fieldColumn = column
            if fields.isEmpty { recordLine = line }
            var text = String.UnicodeScalarView()
            var quoted = false
            if index < scalars.count, scalars[index] == "\"" {
                quoted = true
                index += 1
                column += 1
                var closed = false
                while index < scalars.count {
                    let scalar = scalars[index]
                    if scalar == "\"" {
                        if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                            text.append("\"")
                            index += 2
                            column += 2
                            continue
                        }
                        index += 1
                        column += 1
                        closed = true
                        break
                    }
                    text.append(scalar)
                    index += 1
                    if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                if !closed {
                    problems.append(ImportProblem(line: fieldLine, column: fieldColumn, message: "this quoted field is never closed; add the closing '\"'"))
                    return
                }
                // Only a delimiter or the end of the line may follow the closing quote.
                if index < scalars.count, scalars[index] != delimiter, scalars[index] != "\n", scalars[index] != "\r" {
                    problems.append(ImportProblem(line: line, column: column, message: "unexpected text after a closing quote; quote the whole field and double the quotes inside it"))
                    while index < scalars.count, scalars[index] != delimiter, scalars[index] != "\n" { index += 1; column += 1 }
                }
            } else {
                while index < scalars.count {
                    let scalar = scalars[index]
                    if scalar == delimiter || scalar == "\n" { break }
                    if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { break }
                    if scalar == "\"" {
                        problems.append(ImportProblem(line: line, column: column, message: "a quote inside an unquoted field; quote the whole field and double the quotes inside it"))
                    }
                    text.append(scalar)
                    index += 1
                    column += 1
                }
            }
            fields.append(CSVField(text: String(text), line: fieldLine, column: fieldColumn, quoted: quoted))
            if index >= scalars.count {
                endRecord()
                break
            }
            let scalar = scalars[index]
            if scalar == delimiter {
                index += 1
                column += 1
                continue
            }
            // End of line (LF or CRLF).
            index += scalar == "\r" ? 2 : 1
            line += 1
            column = 1
            endRecord()
            if index >= scalars.count { break }
        }
    }

    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> (Int, Int) {
        var line = 1
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { break }
            line += 1
            start = index + 1
        }
        // The column: characters before the first byte that does not decode.
        var end = start
        while end < bytes.endIndex {
            let next = bytes.index(after: end)
            if String(validating: bytes[start..<next], as: UTF8.self) == nil {
                // Maybe an incomplete multi-byte sequence: try a few more bytes.
                let limit = min(bytes.endIndex, end + 4)
                if (next..<limit).contains(where: { String(validating: bytes[start...$0], as: UTF8.self) != nil }) {
                    end = next
                    continue
                }
                break
            }
            end = next
        }
        let column = (String(validating: bytes[start..<end], as: UTF8.self)?.unicodeScalars.count ?? 0) + 1
        return (line, column)
    }
}
