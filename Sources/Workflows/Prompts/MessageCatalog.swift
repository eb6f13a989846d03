/// Every sentence the workflows say, by stable id; the templates below are the message catalog.
/// Fields appear as `{name}` and are filled from the message's fields.
public enum MessageID: String, Sendable, Hashable, Codable, CaseIterable {
    case scanBadge
    case loggedIn
    case loggedOut
    case idleLoggedOut
    case notLoggedIn
    case unknownBadge
    case loginRequired
    case invalidLabel
    case unknownLabel
    case commandNotHere
    case badQuantity
    case wholePiecesOnly
    case quantitySet
    case quantityDropped
    case modeChanged
    case modeNotAllowed
    case finishFirst
    case cancelled
    case nothingToCancel
    case nothingToUndo
    case undone
    case undoneItems
    case undoBlocked
    case undoOtherOperator
    case claimedElsewhere
    case recorded
    case scanAnything
    case noLocation
    case configuredLocationUnknown
    case notEnoughStock
    case unknownProduct
    case scanReceipt
    case scanReceiptOrGoods
    case chooseReceipt
    case receiptNotForPallet
    case palletOnSeveralReceipts
    case receiptStarted
    case blindReceiptStarted
    case receiptAlreadyClosed
    case receiptFirst
    case palletNotExpected
    case scanNextReceiveItem
    case received
    case palletMismatch
    case confirmPallet
    case confirmOrCancel
    case palletAlreadyReceived
    case palletUnknown
    case scanLotLabel
    case nothingCounted
    case confirmEmptyCount
    case scanLotOnlyLabel
    case scanExpiryLabel
    case scanLotLabelOrCancel
    case overReceipt
    case expired
    case receiptClosed
    case receiptClosedWithDifferences
    case scanPutawayUnit
    case putawayTo
    case putawayQuantity
    case scanStorageLocation
    case wrongLocationKind
    case storedAt
    case nothingToPutAway
    case unitFirst
    case scanOrder
    case orderStarted
    case nothingToPick
    case goToLocation
    case goToLocationLot
    case pickItem
    case pickItemLot
    case noStockToPick
    case noStockToPickButAt
    case wrongLocation
    case locationFirst
    case wrongItem
    case wrongLot
    case tooMany
    case picked
    case shorted
    case skipped
    case linesOpen
    case orderPicked
    case orderPickedInTote
    case toteSet
    case toteInUse
    case scanOrderOrTote
    case nothingToPack
    case openBox
    case openBoxFirst
    case closeBoxFirst
    case boxOpened
    case printLabel
    case boxInUse
    case scanPackItem
    case boxComplete
    case alreadyOpen
    case notExpected
    case overPack
    case packed
    case boxEmpty
    case boxClosed
    case orderPacked
    case noSSCCRange
    case ssccRangeExhausted
    case scanBox
    case scanBoxAtDoor
    case doorSet
    case notADoor
    case boxNotClosed
    case boxAlreadyShipped
    case shipped
    case scanCountLocation
    case countAt
    case counted
    case containerCounted
    case containerNotHere
    case countClosed
    case countClosedWithDifferences
}

/// The shipped message catalog: English and German templates for every `MessageID`.
public enum MessageCatalog {
    public static func template(_ id: MessageID, in language: PromptLanguage) -> String {
        let (english, german) = templates(id)
        return language == .de ? german : english
    }

    static func templates(_ id: MessageID) -> (String, String) {
        switch id {
        case .scanBadge: ("Scan your badge.", "Ausweis scannen.")
        case .loggedIn: ("Hello {operator}.", "Hallo {operator}.")
        case .loggedOut: ("Logged out.", "Abgemeldet.")
        case .idleLoggedOut: ("Logged out after idle time.", "Wegen Inaktivität abgemeldet.")
        case .notLoggedIn: ("Nobody is logged in.", "Niemand ist angemeldet.")
        case .unknownBadge: ("Badge {badge} is not known.", "Ausweis {badge} ist unbekannt.")
        case .loginRequired: ("Log in first.", "Zuerst anmelden.")
        case .invalidLabel: ("Not a valid label.", "Kein gültiges Etikett.")
        case .unknownLabel: ("Label {label} is not known here.", "Etikett {label} ist hier unbekannt.")
        case .commandNotHere: ("{command} does not apply here.", "{command} gilt hier nicht.")
        case .badQuantity: ("Quantity {quantity} is not valid.", "Menge {quantity} ist ungültig.")
        case .wholePiecesOnly: ("{sku} is counted in whole pieces: {quantity} is not a whole number.", "{sku} wird in ganzen Stück gezählt: {quantity} ist keine ganze Zahl.")
        case .quantitySet: ("Quantity {quantity} for the next scan.", "Menge {quantity} für den nächsten Scan.")
        case .quantityDropped: ("Quantity {quantity} dropped.", "Menge {quantity} verworfen.")
        case .modeChanged: ("Mode {mode}.", "Modus {mode}.")
        case .modeNotAllowed: ("Mode {mode} is not allowed here.", "Modus {mode} ist hier nicht erlaubt.")
        case .finishFirst: ("Finish or cancel {document} first.", "Erst {document} abschließen oder abbrechen.")
        case .cancelled: ("Cancelled.", "Abgebrochen.")
        case .nothingToCancel: ("Nothing to cancel.", "Nichts abzubrechen.")
        case .nothingToUndo: ("Nothing to undo.", "Nichts rückgängig zu machen.")
        case .undone: ("Undone: {quantity} {sku}.", "Rückgängig: {quantity} {sku}.")
        case .undoneItems: ("Undone: {items}.", "Rückgängig: {items}.")
        case .undoOtherOperator: ("Only {operator} can undo that step.", "Nur {operator} kann diesen Schritt rückgängig machen.")
        case .undoBlocked: ("Cannot undo: the goods have moved on.", "Rückgängig nicht möglich: Ware wurde weiterbewegt.")
        case .claimedElsewhere: ("{document} is being worked at {station}.", "{document} wird an {station} bearbeitet.")
        case .recorded: ("Recorded.", "Erfasst.")
        case .scanAnything: ("Scan the next label.", "Nächstes Etikett scannen.")
        case .noLocation: ("No {kind} location is set up. Call a supervisor.", "Kein Platz der Art {kind} eingerichtet. Vorgesetzten rufen.")
        case .configuredLocationUnknown: ("The station's {kind} location {location} is not in the catalog. Call a supervisor.", "Der {kind}-Platz {location} der Station fehlt im Katalog. Vorgesetzten rufen.")
        case .notEnoughStock: ("Not enough {sku} at {location}.", "Nicht genug {sku} auf {location}.")
        case .unknownProduct: ("Product {gtin} is not known.", "Artikel {gtin} ist unbekannt.")
        case .scanReceipt: ("Scan a receipt number or pallet.", "Wareneingangsnummer oder Palette scannen.")
        case .scanReceiptOrGoods: ("Scan a receipt number, pallet or item.", "Wareneingangsnummer, Palette oder Artikel scannen.")
        case .chooseReceipt: ("Scan the receipt number for pallet {sscc}.", "Wareneingangsnummer für Palette {sscc} scannen.")
        case .receiptNotForPallet: ("Pallet {sscc} is on receipts {receipts} only.", "Palette {sscc} steht nur auf {receipts}.")
        case .palletOnSeveralReceipts: ("Pallet {sscc} is on receipts {receipts}.", "Palette {sscc} steht auf den Wareneingängen {receipts}.")
        case .receiptStarted: ("Receipt {receipt} started.", "Wareneingang {receipt} begonnen.")
        case .blindReceiptStarted: ("Receipt {receipt} started without notice.", "Wareneingang {receipt} ohne Avis begonnen.")
        case .receiptAlreadyClosed: ("Receipt {receipt} is already closed.", "Wareneingang {receipt} ist bereits abgeschlossen.")
        case .receiptFirst: ("Scan the receipt number first.", "Zuerst die Wareneingangsnummer scannen.")
        case .palletNotExpected: ("No open receipt expects pallet {sscc}.", "Kein offener Wareneingang erwartet Palette {sscc}.")
        case .scanNextReceiveItem: ("Scan the next pallet or item, or CMD-DONE.", "Nächste Palette oder Artikel scannen, oder CMD-DONE.")
        case .received: ("Received {quantity} {sku}.", "{quantity} {sku} eingegangen.")
        case .palletMismatch: ("Pallet {sscc}: label and receipt differ (label {label}, receipt {receipt}).", "Palette {sscc}: Etikett und Avis weichen ab (Etikett {label}, Avis {receipt}).")
        case .confirmPallet: ("Scan pallet {sscc} again to take the label's contents.", "Palette {sscc} erneut scannen, um den Etikettinhalt zu übernehmen.")
        case .confirmOrCancel: ("Confirm the pallet or CMD-CANCEL.", "Palette bestätigen oder CMD-CANCEL.")
        case .palletAlreadyReceived: ("Pallet {sscc} is already received.", "Palette {sscc} ist bereits eingegangen.")
        case .palletUnknown: ("Pallet {sscc} is not on this receipt. Scan its items.", "Palette {sscc} ist nicht auf diesem Wareneingang. Artikel einzeln scannen.")
        case .scanLotLabel: ("Scan the lot and expiry label of {sku}.", "Chargen- und MHD-Etikett von {sku} scannen.")
        case .nothingCounted: ("Nothing was counted at {location}, where stock is booked.", "Bei {location} wurde nichts gezählt, dort ist Bestand gebucht.")
        case .confirmEmptyCount: ("Scan what is there, or CMD-DONE again to book {location} empty.", "Vorhandenes scannen, oder erneut CMD-DONE, um {location} leer zu buchen.")
        case .scanLotOnlyLabel: ("Scan the lot label of {sku}.", "Chargenetikett von {sku} scannen.")
        case .scanExpiryLabel: ("Scan the expiry label of {sku}.", "MHD-Etikett von {sku} scannen.")
        case .scanLotLabelOrCancel: ("{sku} is not booked yet: scan its lot and expiry label, or CMD-CANCEL.", "{sku} ist noch nicht gebucht: Chargen- und MHD-Etikett scannen, oder CMD-CANCEL.")
        case .overReceipt: ("Over receipt: {sku} expected {expected}, now {received}.", "Überlieferung: {sku} erwartet {expected}, jetzt {received}.")
        case .expired: ("{sku} expired on {expiry}.", "{sku} ist seit {expiry} abgelaufen.")
        case .receiptClosed: ("Receipt {receipt} closed.", "Wareneingang {receipt} abgeschlossen.")
        case .receiptClosedWithDifferences: ("Receipt {receipt} closed with {differences|difference|differences}.", "Wareneingang {receipt} mit {differences|Abweichung|Abweichungen} abgeschlossen.")
        case .scanPutawayUnit: ("Scan a pallet or item at the dock.", "Palette oder Artikel am Tor scannen.")
        case .putawayTo: ("Take it to {location} and scan the location.", "Nach {location} bringen und Platz scannen.")
        case .putawayQuantity: ("{quantity} {sku} to put away.", "{quantity} {sku} einzulagern.")
        case .scanStorageLocation: ("Scan a storage location.", "Lagerplatz scannen.")
        case .wrongLocationKind: ("{location} is a {kind} location, not storage.", "{location} ist ein Platz der Art {kind}, kein Lagerplatz.")
        case .storedAt: ("Stored at {location}.", "Eingelagert auf {location}.")
        case .nothingToPutAway: ("{label} has no stock to put away.", "{label} hat keinen einzulagernden Bestand.")
        case .unitFirst: ("Scan the pallet or item first, then {location}.", "Zuerst Palette oder Artikel scannen, dann {location}.")
        case .scanOrder: ("Scan an order number.", "Auftragsnummer scannen.")
        case .orderStarted: ("Order {order} started.", "Auftrag {order} begonnen.")
        case .nothingToPick: ("Order {order} has nothing left to pick.", "Auftrag {order} hat nichts mehr zu kommissionieren.")
        case .goToLocation: ("Go to {location} for {quantity} {sku}. Scan the location.", "Zu {location} für {quantity} {sku}. Platz scannen.")
        case .pickItem: ("Pick {quantity} {sku} at {location}. Scan the item.", "{quantity} {sku} auf {location} entnehmen. Artikel scannen.")
        case .goToLocationLot: ("Go to {location} for {quantity} {sku} lot {lot}. Scan the location.", "Zu {location} für {quantity} {sku} Charge {lot}. Platz scannen.")
        case .pickItemLot: ("Pick {quantity} {sku} lot {lot} at {location}. Scan the item.", "{quantity} {sku} Charge {lot} auf {location} entnehmen. Artikel scannen.")
        case .noStockToPick: ("No stock of {sku}. CMD-SHORT or CMD-SKIP.", "Kein Bestand von {sku}. CMD-SHORT oder CMD-SKIP.")
        case .noStockToPickButAt: ("No stock of {sku} in storage; {quantity} at {location}, not put away yet. Pick it there, or CMD-SHORT or CMD-SKIP.", "Kein Lagerbestand von {sku}; {quantity} auf {location}, noch nicht eingelagert. Dort picken, oder CMD-SHORT oder CMD-SKIP.")
        case .wrongLocation: ("Wrong location. Go to {location}.", "Falscher Platz. Zu {location}.")
        case .locationFirst: ("Scan the location first.", "Zuerst den Platz scannen.")
        case .wrongItem: ("Wrong item. Pick {sku}.", "Falscher Artikel. {sku} entnehmen.")
        case .wrongLot: ("Wrong lot. Pick lot {lot}.", "Falsche Charge. Charge {lot} entnehmen.")
        case .tooMany: ("Too many: only {quantity} {sku} left.", "Zu viele: nur noch {quantity} {sku}.")
        case .picked: ("Picked {quantity} {sku}.", "{quantity} {sku} entnommen.")
        case .shorted: ("Short {quantity} {sku} recorded.", "Fehlmenge {quantity} {sku} erfasst.")
        case .skipped: ("{sku} moved to the end.", "{sku} ans Ende verschoben.")
        case .linesOpen: ("Order {order} left with {count|line|lines} open.", "Auftrag {order} mit {count|offener Position|offenen Positionen} verlassen.")
        case .orderPicked: ("Order {order} picked. Take it to {location}.", "Auftrag {order} kommissioniert. Nach {location} bringen.")
        case .orderPickedInTote: ("Order {order} picked. Take tote {tote} to {location}.", "Auftrag {order} kommissioniert. Behälter {tote} nach {location} bringen.")
        case .toteSet: ("Tote {tote} in use.", "Behälter {tote} in Verwendung.")
        case .toteInUse: ("Tote {tote} is in use elsewhere.", "Behälter {tote} wird anderweitig verwendet.")
        case .scanOrderOrTote: ("Scan an order or tote.", "Auftrag oder Behälter scannen.")
        case .nothingToPack: ("Order {order} has nothing picked to pack.", "Auftrag {order} hat nichts Kommissioniertes zu verpacken.")
        case .openBox: ("Order {order}: scan a box label or CMD-NEWBOX.", "Auftrag {order}: Kartonetikett scannen oder CMD-NEWBOX.")
        case .openBoxFirst: ("Open a box first.", "Zuerst einen Karton öffnen.")
        case .closeBoxFirst: ("Close box {box} first with CMD-DONE.", "Erst Karton {box} mit CMD-DONE schließen.")
        case .boxOpened: ("Box {box} open.", "Karton {box} geöffnet.")
        case .printLabel: ("Attach label {box} to the box.", "Etikett {box} auf den Karton kleben.")
        case .boxInUse: ("Box {box} is already used.", "Karton {box} ist bereits verwendet.")
        case .scanPackItem: ("Scan items into box {box}: {expected}. CMD-DONE closes it.", "Artikel in Karton {box} scannen: {expected}. CMD-DONE schließt ihn.")
        case .alreadyOpen: ("{document} is open already.", "{document} ist bereits geöffnet.")
        case .boxComplete: ("Everything picked is in box {box}. Scan CMD-DONE to close it.", "Alles Kommissionierte ist in Karton {box}. CMD-DONE schließt ihn.")
        case .notExpected: ("{sku} is not expected. Expected: {expected}.", "{sku} wird nicht erwartet. Erwartet: {expected}.")
        case .overPack: ("Too many {sku}: {quantity} left to pack. Expected: {expected}.", "Zu viele {sku}: noch {quantity} zu verpacken. Erwartet: {expected}.")
        case .packed: ("Packed {quantity} {sku}.", "{quantity} {sku} verpackt.")
        case .boxEmpty: ("Box {box} is empty.", "Karton {box} ist leer.")
        case .boxClosed: ("Box {box} closed.", "Karton {box} geschlossen.")
        case .orderPacked: ("Order {order} packed.", "Auftrag {order} verpackt.")
        case .noSSCCRange: ("No box number range is set up. Call a supervisor.", "Kein Kartonnummernbereich eingerichtet. Vorgesetzten rufen.")
        case .ssccRangeExhausted: ("No box numbers left. Call a supervisor.", "Keine Kartonnummern mehr. Vorgesetzten rufen.")
        case .scanBox: ("Scan a closed box.", "Geschlossenen Karton scannen.")
        case .scanBoxAtDoor: ("Door {door}: scan a closed box.", "Tor {door}: geschlossenen Karton scannen.")
        case .doorSet: ("Shipping through {door}.", "Versand über {door}.")
        case .notADoor: ("{location} is a {kind} location, not a door.", "{location} ist ein Platz der Art {kind}, kein Tor.")
        case .boxNotClosed: ("Box {box} is not closed. Close it at packing.", "Karton {box} ist nicht geschlossen. Beim Packen schließen.")
        case .boxAlreadyShipped: ("Box {box} is already shipped.", "Karton {box} ist bereits versendet.")
        case .shipped: ("Box {box} shipped.", "Karton {box} versendet.")
        case .scanCountLocation: ("Scan a location to count.", "Zu zählenden Platz scannen.")
        case .countAt: ("Count {location}: scan everything there, then CMD-DONE.", "{location} zählen: alles dort scannen, dann CMD-DONE.")
        case .counted: ("Counted {quantity} {sku}, {total} in all.", "{quantity} {sku} gezählt, insgesamt {total}.")
        case .containerCounted: ("Container {container} counted as it is.", "Behälter {container} wie erfasst gezählt.")
        case .containerNotHere: ("Container {container} is not at {location}.", "Behälter {container} ist nicht auf {location}.")
        case .countClosed: ("Count of {location} matches.", "Zählung {location} stimmt.")
        case .countClosedWithDifferences: ("Count of {location} booked, {differences|difference|differences}.", "Zählung {location} gebucht, {differences|Abweichung|Abweichungen}.")
        }
    }

    /// The template with each `{name}` replaced by the field's value (left as is when absent).
    public static func render(_ message: PromptMessage, in language: PromptLanguage) -> String {
        let template = template(message.id, in: language)
        guard !message.fields.isEmpty, template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + 16)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            // "{name}" is the field's value; "{name|one|other}" is the value and the noun
            // in the form its number takes ("1 difference", "2 differences").
            let placeholder = rest[rest.index(after: open)..<close]
            let parts = placeholder.split(separator: "|", omittingEmptySubsequences: false)
            let name = parts[0]
            if let value = message.fields.first(where: { $0.name == name })?.value {
                result += value
                if parts.count == 3 {
                    result += " "
                    result += value == "1" ? parts[1] : parts[2]
                }
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}
