/// The site's rules for its own labels (CONTRACTS.md, default label scheme). A site's
/// scheme file changes them; see `LabelScheme(jsonFile:)` for the file format.
public struct LabelScheme: Sendable, Hashable {
    /// Text that starts a command barcode.
    public var commandPrefix: String
    /// Text that starts an operator badge.
    public var operatorPrefix: String
    /// Command texts after the prefix (upper case) and the command each names, e.g.
    /// "DONE" → "done"; a site adds its own words ("FERTIG" → "done"). A text not listed
    /// names the command of the same name in lower case.
    public var commands: [String: String]
    /// Commands with an argument: the text before the argument (upper case, e.g. "QTY-")
    /// and the command it names.
    public var argumentCommands: [String: String]
    /// Site label patterns (locations, totes, ...) tried after commands and badges and
    /// before GS1 rules: a match is `text` (or `operator`) with the pattern's label.
    public var patterns: [LabelPattern]
    /// Treat a payload with neither AIM identifier nor separator that starts with AI 00,
    /// 01 or 02 and parses as a GS1 element string as GS1 (scanners that send no AIM
    /// identifier and need no separator, e.g. `01…17…10…`).
    public var unmarkedGS1: Bool
    /// Digits of GTIN or SSCC length whose check digit is wrong are rejected as a misread
    /// GTIN/SSCC (true) or passed on as text (false, for sites with numeric location labels).
    public var rejectBadCheckDigits: Bool

    public init(
        commandPrefix: String = "CMD-", operatorPrefix: String = "OP-",
        commands: [String: String] = LabelScheme.standardCommands,
        argumentCommands: [String: String] = ["QTY-": "qty", "MODE-": "mode"],
        patterns: [LabelPattern] = [], unmarkedGS1: Bool = true, rejectBadCheckDigits: Bool = true
    ) {
        self.commandPrefix = commandPrefix
        self.operatorPrefix = operatorPrefix
        self.commands = commands
        self.argumentCommands = argumentCommands
        self.patterns = patterns
        self.unmarkedGS1 = unmarkedGS1
        self.rejectBadCheckDigits = rejectBadCheckDigits
    }

    public static let standardCommands: [String: String] = [
        "DONE": "done", "CANCEL": "cancel", "UNDO": "undo", "HELP": "help", "SHORT": "short",
        "SKIP": "skip", "NEWBOX": "newbox", "LOGOUT": "logout",
    ]

    public static let standard = LabelScheme()
}

/// A site label pattern: `*` any run of characters, `?` any one character, `#` a digit,
/// `@` a letter A-Z/a-z, `\` makes the next character literal; anything else is literal.
public struct LabelPattern: Sendable, Hashable {
    /// What the pattern names ("location", "tote", ...).
    public var label: String
    public var pattern: String
    /// The kind a match gets: `.text` (default) or `.operator`.
    public var kind: ScanKind

    public init(label: String, pattern: String, kind: ScanKind = .text) {
        self.label = label
        self.pattern = pattern
        self.kind = kind
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: some StringProtocol) -> Bool {
        Self.match(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func match(_ pattern: ArraySlice<UnicodeScalar>, _ text: ArraySlice<UnicodeScalar>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        // Backtracking point for the last `*`.
        var star: (pattern: Int, text: Int)?
        while t < text.endIndex {
            if p < pattern.endIndex {
                let symbol = pattern[p]
                if symbol == "*" {
                    star = (p + 1, t)
                    p += 1
                    continue
                }
                var literal = symbol
                var width = 1
                if symbol == "\\", p + 1 < pattern.endIndex {
                    literal = pattern[p + 1]
                    width = 2
                }
                let character = text[t]
                let fits: Bool
                switch (width, symbol) {
                case (1, "?"): fits = true
                case (1, "#"): fits = character.properties.numericType == .decimal && character.isASCII
                case (1, "@"): fits = character.isASCII && character.properties.isAlphabetic
                default: fits = character == literal
                }
                if fits {
                    p += width
                    t += 1
                    continue
                }
            }
            guard let resume = star else { return false }
            p = resume.pattern
            t = resume.text + 1
            star = (resume.pattern, resume.text + 1)
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
