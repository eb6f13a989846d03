/// A TOML reader for scanstation's config file that keeps the line of every value, so
/// that each error can name the file, the key path and the line. It reads the TOML the
/// config needs: comments, bare/quoted/dotted keys, tables, arrays of tables, basic and
/// literal strings, integers, floats, booleans, arrays and inline tables.
public struct TOMLDocument: Sendable {
    public indirect enum Value: Sendable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case array([Node])
        case table(Table)

        public var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .float: "a number"
            case .boolean: "a boolean"
            case .array: "an array"
            case .table: "a table"
            }
        }
    }

    /// A value and the line it starts on (1-based).
    public struct Node: Sendable {
        public var value: Value
        public var line: Int
    }

    /// Keys in file order.
    public struct Table: Sendable {
        public var entries: [(key: String, node: Node)] = []
        /// True for tables made implicitly by a dotted key or header (may be reopened).
        var implicit = false

        public subscript(key: String) -> Node? {
            entries.first { $0.key == key }?.node
        }

        mutating func set(_ key: String, _ node: Node) {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].node = node
            } else {
                entries.append((key, node))
            }
        }
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var root: Table

    public init(parsing text: String) throws(ParseError) {
        var parser = Parser(text: Array(text.unicodeScalars))
        root = try parser.parseDocument()
    }
}

private struct Parser {
    let text: [Unicode.Scalar]
    var index = 0
    var line = 1

    init(text: [Unicode.Scalar]) {
        self.text = text
    }

    typealias Node = TOMLDocument.Node
    typealias Table = TOMLDocument.Table
    typealias ParseError = TOMLDocument.ParseError

    var current: Unicode.Scalar? { index < text.count ? text[index] : nil }

    func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

    mutating func advance() {
        if current == "\n" { line += 1 }
        index += 1
    }

    mutating func skipSpaces() {
        while let scalar = current, scalar == " " || scalar == "\t" { advance() }
    }

    /// Spaces, then a comment, then the end of the line (or of the file).
    mutating func endOfLine() throws(ParseError) {
        skipSpaces()
        if current == "#" { while let scalar = current, scalar != "\n" { advance() } }
        if current == "\r" { advance() }
        guard current == nil || current == "\n" else {
            throw fail("unexpected '\(current.map { String($0) } ?? "")' after the value; put one key = value per line")
        }
        if current == "\n" { advance() }
    }

    /// Blank lines, comments and newlines (inside arrays).
    mutating func skipWhitespaceAndComments() {
        while let scalar = current {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                advance()
            } else if scalar == "#" {
                while let inner = current, inner != "\n" { advance() }
            } else {
                return
            }
        }
    }

    mutating func parseDocument() throws(ParseError) -> Table {
        var root = Table()
        // The path of the table that `key = value` lines go into; for arrays of tables,
        // the last element.
        var currentPath: [PathStep] = []
        var definedTables = Set<String>()
        while true {
            skipWhitespaceAndComments()
            guard let scalar = current else { break }
            if scalar == "[" {
                let headerLine = line
                advance()
                let isArray = current == "["
                if isArray { advance() }
                skipSpaces()
                let keys = try parseKey()
                skipSpaces()
                guard current == "]" else { throw fail("expected ']' to close the table header") }
                advance()
                if isArray {
                    guard current == "]" else { throw fail("expected ']]' to close the array-of-tables header") }
                    advance()
                }
                let dotted = keys.joined(separator: ".")
                if isArray {
                    currentPath = try appendTableArray(&root, keys: keys, line: headerLine)
                    // Sub-tables after a new element are that element's own: each
                    // [[station]] may have its [station.policy].
                    definedTables = definedTables.filter { !$0.hasPrefix(dotted + ".") }
                } else {
                    guard !definedTables.contains(dotted) else {
                        throw ParseError(line: headerLine, message: "table [\(dotted)] is defined twice")
                    }
                    definedTables.insert(dotted)
                    currentPath = try openTable(&root, keys: keys, line: headerLine)
                }
                try endOfLine()
            } else {
                let keyLine = line
                let keys = try parseKey()
                skipSpaces()
                guard current == "=" else { throw fail("expected '=' after the key '\(keys.joined(separator: "."))'") }
                advance()
                skipSpaces()
                let value = try parseValue()
                try endOfLine()
                try insert(&root, path: currentPath, keys: keys, node: Node(value: value, line: keyLine))
            }
        }
        return root
    }

    enum PathStep { case key(String), lastOf(String) }

    mutating func parseKey() throws(ParseError) -> [String] {
        var keys: [String] = []
        while true {
            skipSpaces()
            guard let scalar = current else { throw fail("expected a key") }
            if scalar == "\"" {
                keys.append(try parseBasicString())
            } else if scalar == "'" {
                keys.append(try parseLiteralString())
            } else {
                var key = ""
                while let inner = current, inner.properties.isAlphabetic && inner.isASCII || ("0"..."9").contains(inner) || inner == "_" || inner == "-" {
                    key.unicodeScalars.append(inner)
                    advance()
                }
                guard !key.isEmpty else { throw fail("expected a key, found '\(scalar)'") }
                keys.append(key)
            }
            skipSpaces()
            if current == "." { advance() } else { return keys }
        }
    }

    mutating func parseValue() throws(ParseError) -> TOMLDocument.Value {
        guard let scalar = current else { throw fail("expected a value") }
        switch scalar {
        case "\"":
            if index + 2 < text.count, text[index + 1] == "\"", text[index + 2] == "\"" {
                throw fail("multi-line strings are not supported in the config; use one line")
            }
            return .string(try parseBasicString())
        case "'":
            return .string(try parseLiteralString())
        case "[":
            return .array(try parseArray())
        case "{":
            return .table(try parseInlineTable())
        case "t", "f":
            if matches("true") { index += 4; return .boolean(true) }
            if matches("false") { index += 5; return .boolean(false) }
            throw fail("expected a value; strings need quotes")
        default:
            return try parseNumber()
        }
    }

    func matches(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard index + scalars.count <= text.count else { return false }
        return Array(text[index..<index + scalars.count]) == scalars
    }

    mutating func parseNumber() throws(ParseError) -> TOMLDocument.Value {
        var literal = ""
        while let scalar = current, "+-0123456789_.eExabcdefABCDEFo".unicodeScalars.contains(scalar) {
            literal.unicodeScalars.append(scalar)
            advance()
        }
        guard !literal.isEmpty else {
            throw fail("expected a value, found '\(current.map { String($0) } ?? "end of file")'; strings need quotes")
        }
        let digits = String(literal.unicodeScalars.filter { $0 != "_" })
        if digits.hasPrefix("0x"), let value = Int64(digits.dropFirst(2), radix: 16) { return .integer(value) }
        if let value = Int64(digits) { return .integer(value) }
        if let value = Double(digits), digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .float(value) }
        throw fail("'\(literal)' is not a number; strings need quotes")
    }

    mutating func parseBasicString() throws(ParseError) -> String {
        advance() // opening quote
        var value = ""
        while true {
            guard let scalar = current, scalar != "\n" else { throw fail("unterminated string: a closing '\"' is missing") }
            advance()
            if scalar == "\"" { return value }
            if scalar == "\\" {
                guard let escaped = current else { throw fail("unterminated escape in a string") }
                advance()
                switch escaped {
                case "n": value += "\n"
                case "t": value += "\t"
                case "r": value += "\r"
                case "\\": value += "\\"
                case "\"": value += "\""
                case "b": value += "\u{08}"
                case "f": value += "\u{0C}"
                case "u", "U":
                    let count = escaped == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<count {
                        guard let digit = current else { break }
                        hex.unicodeScalars.append(digit)
                        advance()
                    }
                    guard let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else {
                        throw fail("'\\\(escaped)\(hex)' is not a valid Unicode escape")
                    }
                    value.unicodeScalars.append(decoded)
                default:
                    throw fail("'\\\(escaped)' is not a valid escape in a string (use \\\\ for a backslash, or single quotes)")
                }
            } else {
                value.unicodeScalars.append(scalar)
            }
        }
    }

    mutating func parseLiteralString() throws(ParseError) -> String {
        advance()
        var value = ""
        while true {
            guard let scalar = current, scalar != "\n" else { throw fail("unterminated string: a closing \"'\" is missing") }
            advance()
            if scalar == "'" { return value }
            value.unicodeScalars.append(scalar)
        }
    }

    mutating func parseArray() throws(ParseError) -> [Node] {
        advance()
        var items: [Node] = []
        while true {
            skipWhitespaceAndComments()
            guard let scalar = current else { throw fail("unterminated array: a closing ']' is missing") }
            if scalar == "]" { advance(); return items }
            let itemLine = line
            items.append(Node(value: try parseValue(), line: itemLine))
            skipWhitespaceAndComments()
            if current == "," { advance(); continue }
            guard current != nil else { throw fail("unterminated array: a closing ']' is missing") }
            guard current == "]" else { throw fail("expected ',' or ']' in the array") }
        }
    }

    mutating func parseInlineTable() throws(ParseError) -> Table {
        advance()
        var table = Table()
        skipSpaces()
        if current == "}" { advance(); return table }
        while true {
            skipSpaces()
            let keyLine = line
            let keys = try parseKey()
            skipSpaces()
            guard current == "=" else { throw fail("expected '=' in the inline table") }
            advance()
            skipSpaces()
            let value = try parseValue()
            try insert(into: &table, keys: keys, node: Node(value: value, line: keyLine))
            skipSpaces()
            if current == "," { advance(); continue }
            guard current == "}" else { throw fail("expected ',' or '}' in the inline table") }
            advance()
            return table
        }
    }

    // MARK: Building the tree

    func insert(into table: inout Table, keys: [String], node: Node) throws(ParseError) {
        guard let first = keys.first else { return }
        if keys.count == 1 {
            guard table[first] == nil else {
                throw ParseError(line: node.line, message: "key '\(first)' is defined twice")
            }
            table.set(first, node)
            return
        }
        var child = Table(implicit: true)
        if let existing = table[first] {
            guard case .table(let inner) = existing.value else {
                throw ParseError(line: node.line, message: "key '\(first)' is already \(existing.value.typeName), not a table")
            }
            child = inner
        }
        try insert(into: &child, keys: Array(keys.dropFirst()), node: node)
        table.set(first, Node(value: .table(child), line: table[first]?.line ?? node.line))
    }

    func insert(_ root: inout Table, path: [PathStep], keys: [String], node: Node) throws(ParseError) {
        try modify(&root, path: path[...]) { (table: inout Table) throws(ParseError) in
            try insert(into: &table, keys: keys, node: node)
        }
    }

    /// Runs `body` on the table at `path`, creating implicit tables on the way.
    func modify(_ table: inout Table, path: ArraySlice<PathStep>, _ body: (inout Table) throws(ParseError) -> Void) throws(ParseError) {
        guard let step = path.first else {
            try body(&table)
            return
        }
        switch step {
        case .key(let key):
            var child = Table(implicit: true)
            var childLine = line
            if let existing = table[key] {
                guard case .table(let inner) = existing.value else {
                    throw fail("'\(key)' is already \(existing.value.typeName), not a table")
                }
                child = inner
                childLine = existing.line
            }
            try modify(&child, path: path.dropFirst(), body)
            table.set(key, Node(value: .table(child), line: childLine))
        case .lastOf(let key):
            guard let existing = table[key], case .array(var items) = existing.value, let last = items.last,
                  case .table(var child) = last.value
            else { throw fail("'\(key)' is not an array of tables") }
            try modify(&child, path: path.dropFirst(), body)
            items[items.count - 1] = Node(value: .table(child), line: last.line)
            table.set(key, Node(value: .array(items), line: existing.line))
        }
    }

    func openTable(_ root: inout Table, keys: [String], line headerLine: Int) throws(ParseError) -> [PathStep] {
        let path = resolvedPath(root, keys: keys)
        try modify(&root, path: path[...]) { _ in }
        return path
    }

    func appendTableArray(_ root: inout Table, keys: [String], line headerLine: Int) throws(ParseError) -> [PathStep] {
        var parentPath = resolvedPath(root, keys: Array(keys.dropLast()))
        guard let last = keys.last else { return parentPath }
        try modify(&root, path: parentPath[...]) { (table: inout Table) throws(ParseError) in
            var items: [Node] = []
            if let existing = table[last] {
                guard case .array(let current) = existing.value else {
                    throw ParseError(line: headerLine, message: "'\(last)' is already \(existing.value.typeName), not an array of tables")
                }
                items = current
            }
            items.append(Node(value: .table(Table()), line: headerLine))
            table.set(last, Node(value: .array(items), line: table[last]?.line ?? headerLine))
        }
        parentPath.append(.lastOf(last))
        return parentPath
    }

    /// Header keys that name an array of tables continue in its last element.
    func resolvedPath(_ root: Table, keys: [String]) -> [PathStep] {
        var path: [PathStep] = []
        var table: Table? = root
        for key in keys {
            if let node = table?[key], case .array(let items) = node.value, let last = items.last, case .table(let inner) = last.value {
                path.append(.lastOf(key))
                table = inner
            } else {
                path.append(.key(key))
                if let node = table?[key], case .table(let inner) = node.value { table = inner } else { table = nil }
            }
        }
        return path
    }
}

extension TOMLDocument.Table {
    init(implicit: Bool) {
        self.init()
        self.implicit = implicit
    }
}
