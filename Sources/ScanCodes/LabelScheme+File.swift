#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Why a site's scheme file cannot be used.
public struct LabelSchemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let invalidJSON = Code(rawValue: "invalid_json")
        public static let unknownKey = Code(rawValue: "unknown_key")
        public static let invalidValue = Code(rawValue: "invalid_value")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension LabelScheme {
    /// Reads a site's scheme file (JSON, UTF-8). Every key is optional; what is not given
    /// keeps the default scheme's value:
    /// ```json
    /// {
    ///   "command_prefix": "CMD-",
    ///   "operator_prefix": "OP-",
    ///   "commands": {"FERTIG": "done", "ABBRUCH": "cancel"},
    ///   "argument_commands": {"MENGE-": "qty"},
    ///   "patterns": [{"label": "location", "pattern": "@-##-##"},
    ///                {"label": "badge", "pattern": "EMP#####", "kind": "operator"}],
    ///   "unmarked_gs1": true,
    ///   "reject_bad_check_digits": true
    /// }
    /// ```
    /// `commands` and `argument_commands` add to (or override) the default command words.
    public init(jsonFile bytes: [UInt8]) throws(LabelSchemeError) {
        var data = bytes
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        let file: SchemeFile
        do {
            let keys = try JSONDecoder().decode(KeyList.self, from: Data(data)).keys
            let allowed: Set<String> = ["command_prefix", "operator_prefix", "commands", "argument_commands", "patterns", "unmarked_gs1", "reject_bad_check_digits"]
            if let unknown = keys.first(where: { !allowed.contains($0) }) {
                throw LabelSchemeError(.unknownKey, "The scheme file has the key '\(unknown)', which scanstation does not know. Allowed: \(allowed.sorted().joined(separator: ", ")).")
            }
            file = try JSONDecoder().decode(SchemeFile.self, from: Data(data))
        } catch let error as LabelSchemeError {
            throw error
        } catch {
            throw LabelSchemeError(.invalidJSON, "The scheme file is not valid JSON of the expected shape (\(error)). Fix the file.")
        }
        self.init()
        if let prefix = file.command_prefix {
            guard !prefix.isEmpty else { throw LabelSchemeError(.invalidValue, "command_prefix must not be empty.") }
            commandPrefix = prefix
        }
        if let prefix = file.operator_prefix {
            guard !prefix.isEmpty else { throw LabelSchemeError(.invalidValue, "operator_prefix must not be empty.") }
            operatorPrefix = prefix
        }
        for (text, name) in file.commands ?? [:] { commands[text.uppercased()] = name.lowercased() }
        for (text, name) in file.argument_commands ?? [:] { argumentCommands[text.uppercased()] = name.lowercased() }
        for entry in file.patterns ?? [] {
            let kind: ScanKind
            switch entry.kind ?? "text" {
            case "text": kind = .text
            case "operator": kind = .operator
            default:
                throw LabelSchemeError(.invalidValue, "Pattern '\(entry.label)' has kind '\(entry.kind ?? "")'; use text or operator.")
            }
            guard !entry.pattern.isEmpty else {
                throw LabelSchemeError(.invalidValue, "Pattern '\(entry.label)' is empty.")
            }
            patterns.append(LabelPattern(label: entry.label, pattern: entry.pattern, kind: kind))
        }
        if let value = file.unmarked_gs1 { unmarkedGS1 = value }
        if let value = file.reject_bad_check_digits { rejectBadCheckDigits = value }
    }
}

// The file's shape; names are the file's keys.
// swiftlint:disable identifier_name
private struct SchemeFile: Decodable {
    struct Pattern: Decodable {
        var label: String
        var pattern: String
        var kind: String?
    }

    var command_prefix: String?
    var operator_prefix: String?
    var commands: [String: String]?
    var argument_commands: [String: String]?
    var patterns: [Pattern]?
    var unmarked_gs1: Bool?
    var reject_bad_check_digits: Bool?
}

private struct KeyList: Decodable {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var keys: [String]

    init(from decoder: any Decoder) throws {
        keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
    }
}
