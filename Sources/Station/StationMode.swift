/// What the worker at a station is doing (CONTRACTS.md, `--mode`).
public enum StationMode: String, Sendable, CaseIterable {
    /// Records each scan, decoded; changes no stock.
    case log
    case receive, putaway, pick, pack, ship, count

    /// The modes this build can run.
    public static let available: [StationMode] = StationMode.allCases
}

/// The language of prompts (CONTRACTS.md, `language`).
public enum PromptLanguage: String, Sendable, CaseIterable {
    case en, de
}
