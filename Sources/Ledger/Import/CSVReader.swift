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
/// delimiters, line breaks and doubled quotes), LF or CRLF line ends, blank lines (and rows of bare delimiters) skipped.
/// Written by hand because every problem must be reported at its line and column.
struct CSVReader {
    var delimiter: Unicode.Scalar = ","
    var records: [CSVRecord] = []
    var problems: [ImportProblem] = []

    init(bytes: [UInt8]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard String(validating: body, as: UTF8.self) != nil else {
            let (line, column) = Self.firstInvalidUTF8(body)
            problems.append(ImportProblem(line: line, column: column, message: "the file is not valid UTF-8 here; save it as UTF-8"))
            return
        }
        delimiter = Self.detectDelimiter(body)
        parse(Array(body))
    }

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    private static func detectDelimiter(_ bytes: ArraySlice<UInt8>) -> Unicode.Scalar {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for byte in bytes {
            if byte == quote { quoted.toggle() }
            if quoted { continue }
            if byte == newline { break }
            if byte == UInt8(ascii: ",") { commas += 1 }
            if byte == UInt8(ascii: ";") { semicolons += 1 }
        }
        return semicolons > commas ? ";" : ","
    }

    /// Parses UTF-8 bytes: every byte with a meaning (quote, delimiter, CR, LF) is ASCII,
    /// so no multi-byte character can be mistaken for one. Columns count characters
    /// (bytes that do not continue a multi-byte sequence).
    private mutating func parse(_ bytes: [UInt8]) {
        let delimiter = UInt8(ascii: self.delimiter)
        let quote = Self.quote, newline = Self.newline, carriageReturn = Self.carriageReturn
        var index = 0
        var line = 1
        var column = 1
        var fields: [CSVField] = []
        var recordLine = 1

        func endRecord() {
            // A line of empty unquoted fields is a blank line: an empty line, or a row of
            // bare delimiters as spreadsheets export below the data (`;;;;`).
            let blank = fields.allSatisfy { field in
                !field.quoted && field.text.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" }
            }
            if !blank {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
        }
        @inline(__always) func advanceColumn(_ byte: UInt8) {
            if byte & 0xC0 != 0x80 { column += 1 }
        }

        while index <= bytes.count {
            let fieldLine = line
            let fieldColumn = column
            if fields.isEmpty { recordLine = line }
            var text: String
            var quoted = false
            if index < bytes.count, bytes[index] == quote {
                quoted = true
                index += 1
                column += 1
                var content: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote {
                            content.append(quote)
                            index += 2
                            column += 2
                            continue
                        }
                        index += 1
                        column += 1
                        closed = true
                        break
                    }
                    content.append(byte)
                    index += 1
                    if byte == newline { line += 1; column = 1 } else { advanceColumn(byte) }
                }
                if !closed {
                    problems.append(ImportProblem(line: fieldLine, column: fieldColumn, message: "this quoted field is never closed; add the closing '\"'"))
                    return
                }
                text = String(decoding: content, as: UTF8.self)
                // Only a delimiter or the end of the line may follow the closing quote.
                if index < bytes.count, bytes[index] != delimiter, bytes[index] != newline, bytes[index] != carriageReturn {
                    problems.append(ImportProblem(line: line, column: column, message: "unexpected text after a closing quote; quote the whole field and double the quotes inside it"))
                    while index < bytes.count, bytes[index] != delimiter, bytes[index] != newline { advanceColumn(bytes[index]); index += 1 }
                }
            } else {
                let start = index
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == delimiter || byte == newline { break }
                    if byte == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == newline { break }
                    if byte == quote {
                        problems.append(ImportProblem(line: line, column: column, message: "a quote inside an unquoted field; quote the whole field and double the quotes inside it"))
                    }
                    advanceColumn(byte)
                    index += 1
                }
                text = String(decoding: bytes[start..<index], as: UTF8.self)
            }
            fields.append(CSVField(text: text, line: fieldLine, column: fieldColumn, quoted: quoted))
            if index >= bytes.count {
                endRecord()
                break
            }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                column += 1
                continue
            }
            // End of line (LF or CRLF).
            index += byte == carriageReturn ? 2 : 1
            line += 1
            column = 1
            endRecord()
            if index >= bytes.count { break }
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
