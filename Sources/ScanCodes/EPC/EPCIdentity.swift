/// An EPC decoded from the binary content of a tag's EPC bank (GS1 EPC Tag Data
/// Standard 2.1, section 14).
public struct EPCIdentity: Sendable, Hashable {
    /// The tag encoding scheme, e.g. "sgtin-96".
    public var scheme: String
    /// What the pure-identity URI has after the scheme name, e.g. `0614141.812345.6789`
    /// (URI-escaped); the URIs are built from it when asked for.
    public var uriBody: String {
        get { storedURIBody ?? derivedURIBody() }
        set { storedURIBody = newValue }
    }
    /// The URI body, or nil when it follows from the company prefix, GTIN and serial (an
    /// SGTIN-96, whose serial is numeric): the body is longer than a small string, and
    /// most reads never ask for it, so it is built when asked for.
    private var storedURIBody: String?
    /// The filter value (nil for GID, which has none).
    public var filter: Int?
    public var partition: Int?
    public var companyPrefix: String? {
        get { storedCompanyPrefix }
        set {
            freezeURIBody()
            storedCompanyPrefix = newValue
        }
    }
    /// GTIN-14 (SGTIN).
    public var gtin: String? {
        get { storedGTIN }
        set {
            freezeURIBody()
            storedGTIN = newValue
        }
    }
    /// Serial, unescaped (SGTIN, GRAI, GID).
    public var serial: String? {
        get { storedSerial }
        set {
            freezeURIBody()
            storedSerial = newValue
        }
    }
    private var storedCompanyPrefix: String?
    private var storedGTIN: String?
    private var storedSerial: String?
    /// SSCC-18 (SSCC).
    public var sscc: String?
    /// GLN-13 and its extension (SGLN; extension "0" means none).
    public var gln: String?
    public var glnExtension: String?
    /// GRAI: company prefix, asset type, check digit and serial (AI 8003 carries it after a 0).
    public var grai: String?
    /// GIAI as in AI 8004.
    public var giai: String?
    /// GDTI as in AI 253: company prefix, document type, check digit and serial.
    public var gdti: String? {
        get { otherKeys.gdti }
        set { otherKeys.gdti = newValue }
    }
    /// GSRN as in AI 8018 (GSRN-96, recipient) or AI 8017 (GSRNP-96, provider).
    public var gsrn: String? {
        get { otherKeys.gsrn }
        set { otherKeys.gsrn = newValue }
    }
    /// GCN as in AI 255: company prefix, coupon reference, check digit and serial.
    public var gcn: String? {
        get { otherKeys.gcn }
        set { otherKeys.gcn = newValue }
    }
    /// CPID as in AI 8010 (its serial, AI 8011, is `serial`).
    public var cpid: String? {
        get { otherKeys.cpid }
        set { otherKeys.cpid = newValue }
    }
    /// ITIP as in AI 8006: GTIN, piece and total (its serial, AI 21, is `serial`).
    public var itip: String? {
        get { otherKeys.itip }
        set { otherKeys.itip = newValue }
    }
    /// The CAGE code or DoDAAC of a USDOD or ADI EPC.
    public var cageOrDoDAAC: String? {
        get { otherKeys.cageOrDoDAAC }
        set { otherKeys.cageOrDoDAAC = newValue }
    }

    /// The keys of the less common schemes, boxed: an SGTIN read then copies one empty
    /// word for them instead of six optional strings (identities are copied on every read).
    var boxedOtherKeys: BoxedKeys = .none

    struct OtherKeys: Hashable, Sendable {
        var gdti, gsrn, gcn, cpid, itip, cageOrDoDAAC: String?
    }

    indirect enum BoxedKeys: Hashable, Sendable {
        case none
        case keys(OtherKeys)
    }

    private var otherKeys: OtherKeys {
        get {
            if case .keys(let keys) = boxedOtherKeys { return keys }
            return OtherKeys()
        }
        // All nil is stored as `.none`, so that equal identities compare equal.
        set { boxedOtherKeys = newValue == OtherKeys() ? .none : .keys(newValue) }
    }

    init(scheme: String, uriBody: String, filter: Int?, partition: Int?, companyPrefix: String?, serial: String? = nil) {
        self.scheme = scheme
        storedURIBody = uriBody
        self.filter = filter
        self.partition = partition
        storedCompanyPrefix = companyPrefix
        storedSerial = serial
    }

    /// An SGTIN-96 whose URI body is built from `companyPrefix`, `gtin` and `serial` when
    /// asked for (the serial is a decimal number, which needs no URI escaping).
    init(sgtin96Filter filter: Int, partition: Int, companyPrefix: String, gtin: String, serial: String) {
        scheme = "sgtin-96"
        storedURIBody = nil
        self.filter = filter
        self.partition = partition
        storedCompanyPrefix = companyPrefix
        storedGTIN = gtin
        storedSerial = serial
    }

    /// Stores the derived URI body before a field it is derived from changes.
    private mutating func freezeURIBody() {
        if storedURIBody == nil { storedURIBody = derivedURIBody() }
    }

    /// `prefix.itemReference.serial`, the item reference being the GTIN's indicator digit
    /// and the digits between the company prefix and the check digit.
    private func derivedURIBody() -> String {
        var prefix = storedCompanyPrefix ?? ""
        var gtin = storedGTIN ?? ""
        var serial = storedSerial ?? ""
        return prefix.withUTF8 { prefix in
            gtin.withUTF8 { gtin in
                serial.withUTF8 { serial in
                    // The GTIN-14 is the indicator, the prefix, the rest of the item reference
                    // and the check digit.
                    let rest = gtin.count >= prefix.count + 2 ? gtin.count - prefix.count - 2 : 0
                    let count = prefix.count + 1 + (gtin.isEmpty ? 0 : 1 + rest) + 1 + serial.count
                    return String(unsafeUninitializedCapacity: count) { buffer in
                        var index = 0
                        for byte in prefix {
                            buffer[index] = byte
                            index += 1
                        }
                        buffer[index] = UInt8(ascii: ".")
                        index += 1
                        if !gtin.isEmpty {
                            buffer[index] = gtin[0]
                            index += 1
                            for offset in 0..<rest {
                                buffer[index] = gtin[1 + prefix.count + offset]
                                index += 1
                            }
                        }
                        buffer[index] = UInt8(ascii: ".")
                        index += 1
                        for byte in serial {
                            buffer[index] = byte
                            index += 1
                        }
                        return index
                    }
                }
            }
        }
    }

    public static func == (lhs: EPCIdentity, rhs: EPCIdentity) -> Bool {
        lhs.scheme == rhs.scheme && lhs.filter == rhs.filter && lhs.partition == rhs.partition
            && lhs.storedCompanyPrefix == rhs.storedCompanyPrefix && lhs.storedGTIN == rhs.storedGTIN
            && lhs.storedSerial == rhs.storedSerial && lhs.sscc == rhs.sscc && lhs.gln == rhs.gln
            && lhs.glnExtension == rhs.glnExtension && lhs.grai == rhs.grai && lhs.giai == rhs.giai
            && lhs.boxedOtherKeys == rhs.boxedOtherKeys && lhs.uriBody == rhs.uriBody
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scheme)
        hasher.combine(uriBody)
        hasher.combine(filter)
        hasher.combine(partition)
        hasher.combine(storedCompanyPrefix)
        hasher.combine(storedGTIN)
        hasher.combine(storedSerial)
        hasher.combine(sscc)
        hasher.combine(gln)
        hasher.combine(glnExtension)
        hasher.combine(grai)
        hasher.combine(giai)
        hasher.combine(boxedOtherKeys)
    }

    /// `urn:epc:id:sgtin:0614141.812345.6789`.
    public var pureIdentityURI: String {
        let name = scheme.split(separator: "-").first.map(String.init) ?? scheme
        return "urn:epc:id:\(name):\(uriBody)"
    }

    /// `urn:epc:tag:sgtin-96:3.0614141.812345.6789`.
    public var tagURI: String {
        if let filter { return "urn:epc:tag:\(scheme):\(filter).\(uriBody)" }
        return "urn:epc:tag:\(scheme):\(uriBody)"
    }

    /// The GS1 element string in human-readable form, e.g. `(01)80614141123458(21)6789`.
    public var elementString: String? {
        if let gtin, let serial { return "(01)\(gtin)(21)\(serial)" }
        if let sscc { return "(00)\(sscc)" }
        if let gln { return "(414)\(gln)(254)\(glnExtension ?? "0")" }
        if let grai { return "(8003)0\(grai)" }
        if let giai { return "(8004)\(giai)" }
        if let gdti { return "(253)\(gdti)" }
        if let gsrn { return scheme == "gsrnp-96" ? "(8017)\(gsrn)" : "(8018)\(gsrn)" }
        if let gcn { return "(255)\(gcn)" }
        if let cpid, let serial { return "(8010)\(cpid)(8011)\(serial)" }
        if let itip, let serial { return "(8006)\(itip)(21)\(serial)" }
        return nil
    }
}

/// Decodes EPC binary encodings given as hexadecimal text.
public enum EPCDecoder {
    /// The schemes decoded, by header byte.
    public static let schemes: [UInt8: String] = [
        0x30: "sgtin-96", 0x31: "sscc-96", 0x32: "sgln-96", 0x33: "grai-96", 0x34: "giai-96",
        0x35: "gid-96", 0x36: "sgtin-198", 0x37: "grai-170", 0x38: "giai-202", 0x39: "sgln-195",
        0x2C: "gdti-96", 0x2D: "gsrn-96", 0x2E: "gsrnp-96", 0x2F: "usdod-96", 0x3C: "cpi-96",
        0x3E: "gdti-174", 0x3F: "sgcn-96", 0x40: "itip-110", 0x41: "itip-212", 0x3B: "adi-var", 0x3D: "cpi-var",
    ]

    /// Schemes whose length follows from their content (`bitLength` is their shortest).
    static func isVariableLength(header: UInt8) -> Bool { header == 0x3B || header == 0x3D }

    /// `schemes[header]` without hashing: this runs for every RFID read.
    static func schemeName(header: UInt8) -> String? {
        switch header {
        case 0x2C: "gdti-96"
        case 0x3B: "adi-var"
        case 0x3D: "cpi-var"
        case 0x2D: "gsrn-96"
        case 0x2E: "gsrnp-96"
        case 0x2F: "usdod-96"
        case 0x3C: "cpi-96"
        case 0x3E: "gdti-174"
        case 0x3F: "sgcn-96"
        case 0x40: "itip-110"
        case 0x41: "itip-212"
        case 0x30: "sgtin-96"
        case 0x31: "sscc-96"
        case 0x32: "sgln-96"
        case 0x33: "grai-96"
        case 0x34: "giai-96"
        case 0x35: "gid-96"
        case 0x36: "sgtin-198"
        case 0x37: "grai-170"
        case 0x38: "giai-202"
        case 0x39: "sgln-195"
        default: nil
        }
    }

    /// The bit length of the scheme with `header`, nil for headers not decoded here.
    static func bitLength(header: UInt8) -> Int? {
        switch header {
        case 0x2C...0x35, 0x3C, 0x3F: 96
        case 0x3E: 174
        // ADI-var at its shortest: no part number and a one-character serial.
        case 0x3B: 68
        // CPI-var at its shortest: a 6-digit prefix, an empty part reference, the serial.
        case 0x3D: 86
        case 0x40: 110
        case 0x41: 212
        case 0x36: 198
        case 0x37: 170
        case 0x38: 202
        case 0x39: 195
        default: nil
        }
    }

    /// Whether `hex` starts with the header of a scheme this decoder knows and has a length
    /// such a tag could report (24, or 28 to 52 hex digits).
    public static func hasKnownHeader(_ hex: ArraySlice<UInt8>) -> Bool {
        guard hex.count == 24 || (28...52).contains(hex.count),
              let high = DigitalLink.hexValue(hex[hex.startIndex]),
              let low = DigitalLink.hexValue(hex[hex.startIndex + 1]),
              let bits = bitLength(header: high << 4 | low) else { return false }
        return hex.count * 4 >= bits
    }

    /// Decodes `hex` (upper or lower case). Bits after the scheme's length (a reader that
    /// reports the whole EPC bank) must be zero.
    /// - Parameter offsetOrigin: the index that counts as offset 0 in errors.
    public static func decode(hex: ArraySlice<UInt8>, offsetOrigin: Int? = nil) -> Result<EPCIdentity, ScanCodeError> {
        let origin = offsetOrigin ?? hex.startIndex
        guard !hex.isEmpty else {
            return .failure(ScanCodeError(.epcWrongLength, "The EPC is empty. Check the RFID reader's output format.", offset: 0))
        }
        // The bytes live on the stack: a heap array cost an allocation per read.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: hex.count / 2 + 1) { storage in
            var count = 0
            var pending: UInt8 = 0
            for (position, index) in hex.indices.enumerated() {
                guard let nibble = DigitalLink.hexValue(hex[index]) else {
                    return .failure(ScanCodeError(
                        .notHex,
                        "'\(String(decoding: [hex[index]], as: UTF8.self))' at offset \(index - origin) is not a hexadecimal digit; an EPC is hex (0-9, A-F). Check the RFID reader's output format.",
                        offset: index - origin))
                }
                if position % 2 == 0 {
                    pending = nibble << 4
                } else {
                    storage.initializeElement(at: count, to: pending | nibble)
                    count += 1
                }
            }
            if hex.count % 2 == 1 {
                storage.initializeElement(at: count, to: pending)
                count += 1
            }
            return decode(bytes: UnsafeBufferPointer(rebasing: storage[0..<count]), hexCount: hex.count)
        }
    }

    private static func decode(bytes: UnsafeBufferPointer<UInt8>, hexCount: Int) -> Result<EPCIdentity, ScanCodeError> {
        guard hexCount >= 2 else {
            return .failure(ScanCodeError(.epcWrongLength, "An EPC needs at least a header byte (2 hex digits). Check the RFID reader's output format.", offset: hexCount))
        }
        let header = bytes[0]
        guard let bits = bitLength(header: header), let scheme = schemeName(header: header) else {
            return .failure(ScanCodeError(
                .epcUnknownHeader,
                "EPC header 0x\(hexText(header)) is not a scheme scanstation decodes (SGTIN, SSCC, SGLN, GRAI, GIAI, GID, GDTI, GSRN, GSRNP, SGCN, CPI, ITIP, USDOD, ADI). The tag may be unprogrammed or use another scheme.",
                offset: 0))
        }
        let available = hexCount * 4
        guard available >= bits else {
            return .failure(ScanCodeError(
                .epcWrongLength,
                "A \(scheme.uppercased()) EPC has \(bits) bits (\((bits + 3) / 4) hex digits at least), but only \(hexCount) hex digits were read. The read was cut short; read the tag again.",
                offset: hexCount))
        }
        if isVariableLength(header: header) {
            // The fields end at their terminators: the decoder finds the length and checks
            // that only zero bits follow.
            var reader = BitReader(bytes: bytes, limit: available)
            reader.position = 8
            var decoder = EPCSchemeDecoder(scheme: scheme, header: header, reader: reader)
            return decoder.decode()
        }
        var reader = BitReader(bytes: bytes, limit: available)
        reader.position = bits
        if !reader.remainingIsZero() {
            return .failure(ScanCodeError(
                .epcWrongLength,
                "A \(scheme.uppercased()) EPC has \(bits) bits, but non-zero data follows them. Check the RFID reader's output format.",
                offset: bits / 4))
        }
        reader = BitReader(bytes: bytes, limit: bits)
        reader.position = 8
        var decoder = EPCSchemeDecoder(scheme: scheme, header: header, reader: reader)
        return decoder.decode()
    }

    static func hexText(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

/// Reads big-endian bit fields.
struct BitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let limit: Int
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limit: Int) {
        self.bytes = bytes
        self.limit = limit
    }

    /// Reads `count` (at most 64) bits as an unsigned number, a byte's worth at a time.
    mutating func read(_ count: Int) -> UInt64 {
        var value: UInt64 = 0
        var remaining = count
        while remaining > 0 {
            let bitOffset = position & 7
            let available = 8 - bitOffset
            let take = min(available, remaining)
            let byteIndex = position >> 3
            let byte = byteIndex < bytes.count ? UInt64(bytes[byteIndex]) : 0
            let bits = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            value = value << UInt64(take) | bits
            position += take
            remaining -= take
        }
        return value
    }

    func remainingIsZero() -> Bool {
        var copy = self
        while copy.position < bytes.count * 8 {
            if copy.read(1) != 0 { return false }
        }
        return true
    }
}
