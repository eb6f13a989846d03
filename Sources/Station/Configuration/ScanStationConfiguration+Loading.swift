import Foundation
import Ledger
import ScanCodes

extension ScanStationConfiguration {
    /// Reads and validates a config file.
    public static func load(path: String) throws(ConfigurationError) -> ScanStationConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.bytes(atPath: path)
        } catch {
            throw ConfigurationError(file: path, line: nil, keyPath: nil, message: "cannot read the config file (\(error.reason)); check the path and its permissions")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(file: path, line: nil, keyPath: nil, message: "the config file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> ScanStationConfiguration {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ConfigurationError(file: file, line: error.line, keyPath: nil, message: error.message)
        }
        var reader = TableReader(table: document.root, path: "", file: file, line: 1)
        var configuration = ScanStationConfiguration()
        // Each part is checked even when another failed, so one run lists every problem.
        var problems: [ConfigurationError] = []
        func check(_ body: () throws(ConfigurationError) -> Void) {
            do { try body() } catch { problems += error.problems }
        }
        check { () throws(ConfigurationError) in configuration.database = try reader.string("database") }
        check { () throws(ConfigurationError) in
            if let listen = try reader.string("listen") {
                configuration.listen = listen == "off" ? nil : try reader.validated("listen", listen) { ListenAddress.isValid($0) ? nil : "'\($0)' is not HOST:PORT (e.g. 127.0.0.1:8420) or \"off\"" }
            }
        }
        check { () throws(ConfigurationError) in
            if let language = try reader.enumeration("language", PromptLanguage.self) { configuration.language = language }
        }
        check { () throws(ConfigurationError) in
            if let socket = try reader.string("control_socket") { configuration.controlSocket = socket }
        }
        check { () throws(ConfigurationError) in
            if var hub = try reader.table("hub") {
                check { () throws(ConfigurationError) in
                    configuration.hubURL = try hub.string("url")
                    if configuration.hubURL == nil { throw hub.error("url", "the [hub] table needs url = \"https://…\"") }
                }
                check { () throws(ConfigurationError) in configuration.hubCAFile = try hub.string("ca_file") }
                problems += hub.unknownKeys()
            }
        }
        check { () throws(ConfigurationError) in
            if var scheme = try reader.table("scheme") {
                check { () throws(ConfigurationError) in
                    if let prefix = try scheme.string("command_prefix") { configuration.commandPrefix = prefix }
                }
                check { () throws(ConfigurationError) in
                    if let prefix = try scheme.string("operator_prefix") { configuration.operatorPrefix = prefix }
                }
                problems += scheme.unknownKeys()
            }
        }
        var firstByName: [String: Int] = [:]
        check { () throws(ConfigurationError) in
            for (index, var station) in try reader.tableArray("station").enumerated() {
                // A station read only up to its first problem has keys nobody looked at yet:
                // they are not unknown, so they are listed only for a station read whole.
                check { () throws(ConfigurationError) in
                    let parsed = try StationConfiguration(reading: &station)
                    if let first = firstByName[parsed.name] {
                        problems.append(station.error("name", "station '\(parsed.name)' is defined twice (first as station[\(first)])"))
                    } else {
                        firstByName[parsed.name] = index
                    }
                    try ConfigurationError.throwing(station.unknownKeys())
                    configuration.stations.append(parsed)
                }
            }
        }
        problems += reader.unknownKeys()
        // In the file's order, so the list reads top to bottom.
        problems.sort { ($0.line ?? Int.max) < ($1.line ?? Int.max) }
        try ConfigurationError.throwing(problems)
        return configuration
    }
}

extension StationConfiguration {
    init(reading reader: inout TableReader) throws(ConfigurationError) {
        guard let name = try reader.string("name") else { throw reader.error("name", "every [[station]] needs a name") }
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else { throw reader.error("name", "'\(name)' must be non-empty and contain no spaces") }
        self.init(name: name)
        if let mode = try reader.enumeration("mode", StationMode.self) { self.mode = mode }
        if let modes = try reader.stringArray("modes") {
            self.modes = try modes.map { (text: String) throws(ConfigurationError) in
                guard let mode = StationMode(rawValue: text) else { throw reader.error("modes", "unknown mode '\(text)'; use \(StationMode.allCases.map(\.rawValue).joined(separator: ", "))") }
                return mode
            }
        }
        if let sources = try reader.stringArray("sources") {
            self.sources = try sources.map { (text: String) throws(ConfigurationError) in
                do { return try SourceSpecification(parsing: text) } catch { throw reader.error("sources", "\(error)") }
            }
        }
        if let layout = try reader.string("layout") {
            let layouts = ["us", "uk", "de", "fr", "es", "it"]
            guard layouts.contains(layout) else { throw reader.error("layout", "unknown keyboard layout '\(layout)'; use \(layouts.joined(separator: ", "))") }
            self.layout = layout
        }
        prefix = try reader.string("prefix")
        suffix = try reader.string("suffix")
        if let terminator = try reader.string("terminator") {
            guard ["enter", "tab", "none"].contains(terminator) else { throw reader.error("terminator", "use enter, tab or none") }
            self.terminator = terminator
        }
        tokenFile = try reader.string("token_file")
        receiveTo = try reader.string("receive_to")
        stageTo = try reader.string("stage_to")
        packAt = try reader.string("pack_at")
        if let prefix = try reader.string("sscc_company_prefix") {
            guard (6...12).contains(prefix.count), prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw reader.error("sscc_company_prefix", "a GS1 company prefix has 6 to 12 digits")
            }
            ssccCompanyPrefix = prefix
        }
        if let range = try reader.integerArray("sscc_serial_range") {
            guard range.count == 2, range[0] >= 0, range[0] <= range[1] else {
                throw reader.error("sscc_serial_range", "expected [first, last] with first <= last")
            }
            let digits = 16 - (ssccCompanyPrefix?.count ?? 7)
            var limit: Int64 = 1
            for _ in 0..<digits { limit *= 10 }
            guard range[1] < limit else {
                throw reader.error("sscc_serial_range", "the last serial \(range[1]) does not fit the \(digits) serial digits an SSCC leaves after the company prefix")
            }
            ssccSerialRange = range[0]...range[1]
        }
        if let value = try reader.boolean("require_login") { requireLogin = value }
        if let minutes = try reader.integer("idle_logout_minutes") {
            guard minutes > 0 else { throw reader.error("idle_logout_minutes", "must be a positive number of minutes") }
            idleLogoutMinutes = Int(minutes)
        }
        if var camera = try reader.table("camera") {
            if let resolution = try camera.string("resolution") {
                let parts = resolution.split(separator: "x")
                guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (16...8192).contains(width), (16...8192).contains(height) else {
                    throw camera.error("resolution", "expected WIDTHxHEIGHT, e.g. \"1280x720\"")
                }
                cameraWidth = width
                cameraHeight = height
            }
            if let symbologies = try camera.stringArray("symbologies") {
                guard !symbologies.isEmpty else { throw camera.error("symbologies", "name at least one symbology") }
                for name in symbologies where Symbology(rawValue: name) == nil {
                    throw camera.error("symbologies", "unknown symbology '\(name)'; use names such as ean-13, upc-a, code-128, gs1-128, itf-14, qr, datamatrix, gs1-datamatrix")
                }
                cameraSymbologies = symbologies
            }
            if let holdOff = try camera.integer("hold_off_ms") {
                guard (0...600_000).contains(holdOff) else { throw camera.error("hold_off_ms", "must be 0 to 600000 milliseconds") }
                cameraHoldOffMilliseconds = Int(holdOff)
            }
            try ConfigurationError.throwing(camera.unknownKeys())
        }
        if var policy = try reader.table("policy") {
            if let value = try policy.enumeration("unknown_product", PolicyAction.self) { unknownProduct = value }
            if let value = try policy.enumeration("over_receipt", PolicyAction.self) { overReceipt = value }
            if let value = try policy.enumeration("expired", PolicyAction.self) { expired = value }
            if let value = try policy.enumeration("over_pick", PolicyAction.self) { overPick = value }
            if let value = try policy.enumeration("over_pack", PolicyAction.self) { overPack = value }
            if let value = try policy.boolean("allow_negative_stock") { allowNegativeStock = value }
            if let value = try policy.boolean("blind_receiving") { blindReceiving = value }
            try ConfigurationError.throwing(policy.unknownKeys())
        }
    }
}

/// Reads one TOML table, remembering which keys were used so unknown keys are errors.
struct TableReader {
    let table: TOMLDocument.Table
    let path: String
    let file: String
    let line: Int
    private var used = Set<String>()

    init(table: TOMLDocument.Table, path: String, file: String, line: Int) {
        self.table = table
        self.path = path
        self.file = file
        self.line = line
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: table[key]?.line ?? line, keyPath: keyPath(key), message: message)
    }

    mutating func node(_ key: String) -> TOMLDocument.Node? {
        used.insert(key)
        return table[key]
    }

    mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let node = node(key) else { return nil }
        guard case .string(let value) = node.value else { throw error(key, "expected a string, found \(node.value.typeName)") }
        return value
    }

    mutating func integer(_ key: String) throws(ConfigurationError) -> Int64? {
        guard let node = node(key) else { return nil }
        guard case .integer(let value) = node.value else { throw error(key, "expected an integer, found \(node.value.typeName)") }
        return value
    }

    mutating func boolean(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .boolean(let value) = node.value else { throw error(key, "expected true or false, found \(node.value.typeName)") }
        return value
    }

    mutating func enumeration<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(ConfigurationError) -> T? where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw error(key, "unknown value '\(text)'; use \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func validated(_ key: String, _ value: String, _ check: (String) -> String?) throws(ConfigurationError) -> String {
        if let problem = check(value) { throw error(key, problem) }
        return value
    }

    mutating func array(_ key: String) throws(ConfigurationError) -> [TOMLDocument.Node]? {
        guard let node = node(key) else { return nil }
        guard case .array(let items) = node.value else { throw error(key, "expected an array, found \(node.value.typeName)") }
        return items
    }

    mutating func stringArray(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let items = try array(key) else { return nil }
        return try items.map { (item: TOMLDocument.Node) throws(ConfigurationError) in
            guard case .string(let value) = item.value else {
                throw ConfigurationError(file: file, line: item.line, keyPath: keyPath(key), message: "expected an array of strings, found \(item.value.typeName)")
            }
            return value
        }
    }

    mutating func integerArray(_ key: String) throws(ConfigurationError) -> [Int64]? {
        guard let items = try array(key) else { return nil }
        return try items.map { (item: TOMLDocument.Node) throws(ConfigurationError) in
            guard case .integer(let value) = item.value else {
                throw ConfigurationError(file: file, line: item.line, keyPath: keyPath(key), message: "expected an array of integers, found \(item.value.typeName)")
            }
            return value
        }
    }

    mutating func table(_ key: String) throws(ConfigurationError) -> TableReader? {
        guard let node = node(key) else { return nil }
        guard case .table(let inner) = node.value else { throw error(key, "expected a table [\(keyPath(key))], found \(node.value.typeName)") }
        return TableReader(table: inner, path: keyPath(key), file: file, line: node.line)
    }

    mutating func tableArray(_ key: String) throws(ConfigurationError) -> [TableReader] {
        guard let node = node(key) else { return [] }
        guard case .array(let items) = node.value else { throw error(key, "expected [[\(keyPath(key))]] tables, found \(node.value.typeName)") }
        return try items.enumerated().map { (index: Int, item: TOMLDocument.Node) throws(ConfigurationError) in
            guard case .table(let inner) = item.value else {
                throw ConfigurationError(file: file, line: item.line, keyPath: "\(keyPath(key))[\(index)]", message: "expected a table, found \(item.value.typeName)")
            }
            return TableReader(table: inner, path: "\(keyPath(key))[\(index)]", file: file, line: item.line)
        }
    }

    /// Every key that nothing read: a typo must not be silently ignored.
    func unknownKeys() -> [ConfigurationError] {
        table.entries.filter { !used.contains($0.key) }.map { entry in
            ConfigurationError(file: file, line: entry.node.line, keyPath: keyPath(entry.key), message: "unknown key '\(entry.key)'")
        }
    }
}

enum ListenAddress {
    static func isValid(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return false }
        return (1...65535).contains(port) && colon > text.startIndex
    }
}
