/// The languages prompts ship in (CONTRACTS.md, `language`).
public enum PromptLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case en, de
}

/// One sentence of a prompt: a message of the catalog and the values it shows.
public struct PromptMessage: Sendable, Hashable, Codable {
    public var id: MessageID
    /// Named values in display order (sku, quantity, location, ...), for the station display.
    public var fields: [PromptField]

    public init(_ id: MessageID, _ fields: [PromptField] = []) {
        self.id = id
        self.fields = fields
    }

    public func value(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    public func text(in language: PromptLanguage) -> String {
        MessageCatalog.render(self, in: language)
    }
}

public struct PromptField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What the worker reads after a scan: usually what happened, then what to do next.
public struct Prompt: Sendable, Hashable, Codable {
    public var messages: [PromptMessage]

    public init(_ messages: [PromptMessage]) {
        self.messages = messages
    }

    public init(_ id: MessageID, _ fields: [PromptField] = []) {
        self.messages = [PromptMessage(id, fields)]
    }

    /// The sentences joined, in one language.
    public func text(in language: PromptLanguage) -> String {
        var result = ""
        for message in messages {
            if !result.isEmpty { result += " " }
            result += message.text(in: language)
        }
        return result
    }

    /// The instruction: the last sentence, which says what to scan next.
    public var instruction: PromptMessage? { messages.last }

    /// This prompt with `next`'s sentences appended.
    func then(_ next: Prompt) -> Prompt {
        var joined: [PromptMessage] = []
        joined.reserveCapacity(messages.count + next.messages.count)
        joined += messages
        joined += next.messages
        return Prompt(joined)
    }
}
