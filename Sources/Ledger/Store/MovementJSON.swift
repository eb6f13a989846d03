import ScanCodes

/// The outbox payload of a movement: compact JSON with the field names of the sync
/// protocol. Written by hand because it is on every scan's commit path.
enum MovementJSON {
    static func encode(_ movement: Movement) -> String {
        var text = "{\"id\":\(string(movement.id)),\"station\":\(string(movement.station)),\"station_seq\":\(movement.stationSeq)"
        text += ",\"at\":\(movement.at),\"kind\":\"\(movement.kind.rawValue)\",\"sku\":\(string(movement.sku))"
        text += ",\"qty\":\(MicroUnits.text(movement.quantity))"
        text += ",\"operator\":\(optional(movement.operatorBadge)),\"lot\":\(optional(movement.lot)),\"expiry\":\(optional(movement.expiry))"
        text += ",\"from_location\":\(optional(movement.fromLocation)),\"to_location\":\(optional(movement.toLocation))"
        text += ",\"from_container\":\(optional(movement.fromContainer)),\"to_container\":\(optional(movement.toContainer))"
        text += ",\"document\":\(optional(movement.document)),\"document_line\":\(movement.documentLine.map(String.init) ?? "null")"
        text += ",\"scan_id\":\(optional(movement.scanID)),\"reverses\":\(optional(movement.reverses))}"
        return text
    }

    static func optional(_ value: String?) -> String { JSONLiteral.optionalString(value) }

    static func string(_ value: String) -> String { JSONLiteral.string(value) }
}
