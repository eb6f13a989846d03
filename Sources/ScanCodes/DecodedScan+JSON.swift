#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The `scanstation decode --format jsonl` object (CONTRACTS.md), with keys in the
/// contract's order; fields the contract does not name come after them.
extension DecodedScan {
    public var jsonLine: String {
        let json = JSONWriter()
        json.object {
            json.field("input") { json.string(String(decoding: input, as: UTF8.self)) }
            json.field("input_hex") { json.string(Self.hex(input)) }
            json.field("ok") { json.raw(ok ? "true" : "false") }
            json.field("type") { json.string(kind.rawValue) }
            json.field("symbology") { json.optionalString(symbology?.rawValue) }
            json.field("elements") {
                json.array(elements) { element in Self.write(element, into: json) }
            }
            json.field("gtin") { json.optionalString(gtin) }
            json.field("sscc") { json.optionalString(sscc) }
            json.field("epc") {
                if let epc { Self.write(epc, into: json) } else { json.raw("null") }
            }
            json.field("command") {
                if let command {
                    json.object {
                        json.field("name") { json.string(command.name) }
                        json.field("argument") { json.optionalString(command.argument) }
                    }
                } else {
                    json.raw("null")
                }
            }
            json.field("error") {
                if let error { Self.write(error, into: json) } else { json.raw("null") }
            }
            json.field("badge") { json.optionalString(badge) }
            json.field("label") { json.optionalString(label) }
            json.field("aim_identifier") { json.optionalString(aimIdentifier?.text) }
            json.field("warnings") { json.array(warnings) { Self.write($0, into: json) } }
        }
        return json.text
    }

    private static func write(_ error: ScanCodeError, into json: JSONWriter) {
        json.object {
            json.field("code") { json.string(error.code.rawValue) }
            json.field("message") { json.string(error.message) }
            json.field("offset") { json.raw(String(error.offset)) }
        }
    }

    private static func write(_ element: GS1Element, into json: JSONWriter) {
        let typed = element.typed // made on demand: once here
        json.object {
            json.field("ai") { json.string(element.ai) }
            json.field("value") { json.string(element.value) }
            json.field("title") { json.string(element.title) }
            switch typed {
            case .gtin(let value)?: json.field("gtin") { json.string(value) }
            case .sscc(let value)?: json.field("sscc") { json.string(value) }
            case .gln(let value)?: json.field("gln") { json.string(value) }
            case .key(let kind, let value)?: json.field(kind.lowercased()) { json.string(value) }
            case .date(let date)?: json.field("date") { json.string(date.description) }
            case .dateTime(let date, let hour, let minute, let second)?:
                json.field("date") { json.string(date.description) }
                json.field("datetime") { json.string("\(date)T\(two(hour)):\(two(minute)):\(two(second ?? 0))") }
            case .dateRange(let start, let end)?:
                json.field("date") { json.string(start.description) }
                if let end { json.field("end_date") { json.string(end.description) } }
            case .measure(let value, let unit)?:
                json.field("decimal") { json.raw(value.description) }
                json.field("unit") { json.string(unit) }
            case .amount(let value, let currency)?:
                json.field("decimal") { json.raw(value.description) }
                if let currency { json.field("currency") { json.string(currency) } }
            case .percentage(let value)?: json.field("decimal") { json.raw(value.description) }
            case .temperature(let value, let unit)?:
                json.field("decimal") { json.raw(value.description) }
                json.field("unit") { json.string(unit) }
            case .count(let count)?: json.field("count") { json.raw(String(count)) }
            case .country(let code)?: json.field("country") { json.string(code) }
            case .pieceOfTotal(let gtin, let piece, let total)?:
                json.field("gtin") { json.string(gtin) }
                json.field("piece") { json.raw(String(piece)) }
                json.field("total") { json.raw(String(total)) }
            case .text?, nil: break
            }
            json.field("valid") { json.raw(typed == nil ? "false" : "true") }
        }
    }

    private static func write(_ epc: EPCIdentity, into json: JSONWriter) {
        json.object {
            json.field("scheme") { json.string(epc.scheme) }
            json.field("uri") { json.string(epc.pureIdentityURI) }
            json.field("tag_uri") { json.string(epc.tagURI) }
            json.field("filter") { json.raw(epc.filter.map(String.init) ?? "null") }
            json.field("partition") { json.raw(epc.partition.map(String.init) ?? "null") }
            json.field("company_prefix") { json.optionalString(epc.companyPrefix) }
            json.field("gtin") { json.optionalString(epc.gtin) }
            json.field("serial") { json.optionalString(epc.serial) }
            if let sscc = epc.sscc { json.field("sscc") { json.string(sscc) } }
            if let gln = epc.gln { json.field("gln") { json.string(gln) } }
            if let glnExtension = epc.glnExtension { json.field("extension") { json.string(glnExtension) } }
            if let grai = epc.grai { json.field("grai") { json.string(grai) } }
            if let giai = epc.giai { json.field("giai") { json.string(giai) } }
            if let gdti = epc.gdti { json.field("gdti") { json.string(gdti) } }
            if let gsrn = epc.gsrn { json.field(epc.scheme == "gsrnp-96" ? "gsrnp" : "gsrn") { json.string(gsrn) } }
            if let gcn = epc.gcn { json.field("gcn") { json.string(gcn) } }
            if let cpid = epc.cpid { json.field("cpid") { json.string(cpid) } }
            if let itip = epc.itip { json.field("itip") { json.string(itip) } }
            if let code = epc.cageOrDoDAAC { json.field("cage_or_dodaac") { json.string(code) } }
            json.field("element_string") { json.optionalString(epc.elementString) }
        }
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A small JSON writer that keeps keys in the order written.
final class JSONWriter {
    private(set) var text = ""
    init() {}
    private var needsComma = [false]

    func object(_ body: () -> Void) {
        text += "{"
        needsComma.append(false)
        body()
        needsComma.removeLast()
        text += "}"
    }

    func array<T>(_ items: [T], _ body: (T) -> Void) {
        text += "["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            body(item)
        }
        text += "]"
    }

    func field(_ key: String, _ body: () -> Void) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        string(key)
        text += ":"
        body()
    }

    func raw(_ value: String) { text += value }

    func optionalString(_ value: String?) {
        if let value { string(value) } else { text += "null" }
    }

    func string(_ value: String) {
        text += JSONLiteral.string(value)
    }
}
