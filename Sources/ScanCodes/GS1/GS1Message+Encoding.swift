/// Writing GS1 messages back out: element string, human-readable form, Digital Link.
extension GS1Message {
    /// The element string: GS after each field that needs a separator, except the last.
    public func elementString(separator: UInt8 = 0x1D) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, element) in elements.enumerated() {
            bytes += element.ai.utf8
            bytes += element.value.utf8
            let needsSeparator = ApplicationIdentifierTable.definition(element.ai)?.needsSeparator ?? true
            if needsSeparator, index < elements.count - 1 { bytes.append(separator) }
        }
        return bytes
    }

    /// `(01)09506000134352(17)261231`.
    public var humanReadable: String {
        elements.map { "(\($0.ai))\($0.value)" }.joined()
    }

    /// The GS1 Digital Link URI on `domain` (e.g. "https://id.gs1.org"): the first primary
    /// key and the qualifiers that follow it in the path, every other element in the query.
    /// Nil when the message has no primary key.
    public func digitalLink(domain: String = "https://id.gs1.org") -> String? {
        guard let keyIndex = elements.firstIndex(where: {
            if case .primaryKey = ApplicationIdentifierTable.definition($0.ai)?.digitalLink { return true }
            return false
        }), let definition = ApplicationIdentifierTable.definition(elements[keyIndex].ai),
        case .primaryKey(let alternatives) = definition.digitalLink else { return nil }
        var used = Set([keyIndex])
        var path = "/\(elements[keyIndex].ai)/\(DigitalLink.percentEncoded(elements[keyIndex].value))"
        // The alternative that covers most of the message's qualifiers, in its order.
        let present = Set(elements.map(\.ai))
        let best = alternatives.max { a, b in
            a.filter(present.contains).count < b.filter(present.contains).count
        } ?? []
        for qualifier in best {
            if let index = elements.indices.first(where: { !used.contains($0) && elements[$0].ai == qualifier }) {
                used.insert(index)
                path += "/\(qualifier)/\(DigitalLink.percentEncoded(elements[index].value))"
            }
        }
        let query = elements.indices.filter { !used.contains($0) }
            .map { "\(elements[$0].ai)=\(DigitalLink.percentEncoded(elements[$0].value))" }
            .joined(separator: "&")
        return domain + path + (query.isEmpty ? "" : "?" + query)
    }
}
