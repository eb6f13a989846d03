/// The site's rules for its own labels (CONTRACTS.md, default label scheme).
public struct LabelScheme: Sendable, Hashable {
    /// Text that starts a command barcode.
    public var commandPrefix: String
    /// Text that starts an operator badge.
    public var operatorPrefix: String

    public init(commandPrefix: String = "CMD-", operatorPrefix: String = "OP-") {
        self.commandPrefix = commandPrefix
        self.operatorPrefix = operatorPrefix
    }

    public static let standard = LabelScheme()
}
