/// The per-scheme layouts of EPC Tag Data Standard 2.1 section 14.5 and their partition
/// tables (14.5.1.1 SGTIN, 14.5.2.1 SSCC, 14.5.3.1 SGLN, 14.5.4.1 GRAI, 14.5.5.1 GIAI,
/// 14.5.6 GSRN/GSRNP, 14.5.7 GDTI, 14.5.10 SGCN, 14.5.11 CPI, 14.5.13 ITIP, 14.5.8 USDOD).
struct EPCSchemeDecoder {
    let scheme: String
    let header: UInt8
    var reader: BitReader

    /// One partition row: company prefix bits and digits, then the other field's bits and
    /// digits (characters for string fields).
    struct Partition {
        let prefixBits: Int
        let prefixDigits: Int
        let otherBits: Int
        let otherDigits: Int
    }

    private static func table(_ rows: [(Int, Int, Int, Int)]) -> [Partition] {
        rows.map { Partition(prefixBits: $0.0, prefixDigits: $0.1, otherBits: $0.2, otherDigits: $0.3) }
    }

    static let sgtin = table([(40, 12, 4, 1), (37, 11, 7, 2), (34, 10, 10, 3), (30, 9, 14, 4), (27, 8, 17, 5), (24, 7, 20, 6), (20, 6, 24, 7)])
    static let sscc = table([(40, 12, 18, 5), (37, 11, 21, 6), (34, 10, 24, 7), (30, 9, 28, 8), (27, 8, 31, 9), (24, 7, 34, 10), (20, 6, 38, 11)])
    static let sgln = table([(40, 12, 1, 0), (37, 11, 4, 1), (34, 10, 7, 2), (30, 9, 11, 3), (27, 8, 14, 4), (24, 7, 17, 5), (20, 6, 21, 6)])
    static let grai = table([(40, 12, 4, 0), (37, 11, 7, 1), (34, 10, 10, 2), (30, 9, 14, 3), (27, 8, 17, 4), (24, 7, 20, 5), (20, 6, 24, 6)])
    static let giai96 = table([(40, 12, 42, 13), (37, 11, 45, 14), (34, 10, 48, 15), (30, 9, 52, 16), (27, 8, 55, 17), (24, 7, 58, 18), (20, 6, 62, 19)])
    /// CPI-96: the part reference is an unpadded integer of at most this many digits.
    static let cpi96 = table([(40, 12, 11, 3), (37, 11, 14, 4), (34, 10, 17, 5), (30, 9, 21, 6), (27, 8, 24, 7), (24, 7, 27, 8), (20, 6, 31, 9)])
    static let giai202 = table([(40, 12, 148, 18), (37, 11, 151, 19), (34, 10, 154, 20), (30, 9, 158, 21), (27, 8, 161, 22), (24, 7, 164, 23), (20, 6, 168, 24)])

    private func failure(_ code: ScanCodeError.Code, _ message: String, bit: Int) -> Result<EPCIdentity, ScanCodeError> {
        .failure(ScanCodeError(code, message, offset: bit / 4))
    }

    mutating func decode() -> Result<EPCIdentity, ScanCodeError> {
        if header == 0x35 { return decodeGID() }
        if header == 0x2F { return decodeUSDOD() }
        if header == 0x3B { return decodeADI() }
        if header == 0x3D { return decodeCPIVar() }
        let filter = Int(reader.read(3))
        let partitionBit = reader.position
        let partitionValue = Int(reader.read(3))
        let rows: [Partition]
        switch header {
        case 0x30, 0x36, 0x40, 0x41: rows = Self.sgtin
        case 0x31, 0x2D, 0x2E: rows = Self.sscc
        case 0x32, 0x39, 0x2C, 0x3E, 0x3F: rows = Self.sgln
        case 0x3C: rows = Self.cpi96
        case 0x33, 0x37: rows = Self.grai
        case 0x34: rows = Self.giai96
        default: rows = Self.giai202
        }
        guard partitionValue < rows.count else {
            return failure(.epcBadPartition, "Partition value \(partitionValue) does not exist (0-6). The tag's EPC is corrupt or was encoded wrongly.", bit: partitionBit)
        }
        let partition = rows[partitionValue]
        let prefixBit = reader.position
        let prefixValue = reader.read(partition.prefixBits)
        guard let prefix = number(prefixValue, digits: partition.prefixDigits) else {
            return failure(.epcBadField, "The company prefix field holds a number longer than \(partition.prefixDigits) digits, which partition \(partitionValue) allows. The tag's EPC is corrupt.", bit: prefixBit)
        }
        let otherBit = reader.position
        if header == 0x30 {
            // SGTIN-96, the common read: the GTIN is written from the numbers, and no
            // intermediate item reference string or identity copy is made.
            let item = reader.read(partition.otherBits)
            guard partition.otherDigits > 0, item < Self.powerOfTen(partition.otherDigits) else {
                return failure(.epcBadField, "A reference field holds a number longer than partition \(partitionValue) allows. The tag's EPC is corrupt.", bit: otherBit)
            }
            let serial = Self.decimal(reader.read(38))
            let restScale = Self.powerOfTen(partition.otherDigits - 1)
            // The indicator digit, then the company prefix, then the rest of the item reference.
            let body = (item / restScale) * 1_000_000_000_000
                + prefixValue * restScale + item % restScale
            let gtin = String(unsafeUninitializedCapacity: 14) { buffer in
                var rest = body
                var sum: UInt64 = 0
                var weight: UInt64 = 3
                for index in stride(from: 12, through: 0, by: -1) {
                    let digit = rest % 10
                    buffer[index] = UInt8(ascii: "0") + UInt8(digit)
                    sum += digit * weight
                    weight = 4 - weight
                    rest /= 10
                }
                buffer[13] = UInt8(ascii: "0") + UInt8((10 - sum % 10) % 10)
                return 14
            }
            return .success(EPCIdentity(sgtin96Filter: filter, partition: partitionValue, companyPrefix: prefix, gtin: gtin, serial: serial))
        }
        var identity = EPCIdentity(scheme: scheme, uriBody: "", filter: filter, partition: partitionValue, companyPrefix: prefix)

        func otherNumber() -> String? {
            number(reader.read(partition.otherBits), digits: partition.otherDigits)
        }
        // Built only when needed: the message costs more than a good tag's whole decoding.
        func badOther() -> Result<EPCIdentity, ScanCodeError> {
            failure(.epcBadField, "A reference field holds a number longer than partition \(partitionValue) allows. The tag's EPC is corrupt.", bit: otherBit)
        }

        switch header {
        case 0x30, 0x36:
            guard let item = otherNumber(), !item.isEmpty else { return badOther() }
            let serialBit = reader.position
            let serial: String
            if header == 0x30 {
                serial = Self.decimal(reader.read(38))
            } else {
                guard let text = string(maximumCharacters: 20) else {
                    return failure(.epcBadField, "The serial is not a valid GS1 character string. The tag's EPC is corrupt.", bit: serialBit)
                }
                serial = text
            }
            let gtin = Self.keyWithCheckDigit(indicatorFrom: item, prefix)
            identity.gtin = gtin
            identity.serial = serial
            identity.uriBody = Self.dotted(prefix, item, Self.uriEscaped(serial))
        case 0x31:
            guard let reference = otherNumber(), !reference.isEmpty else { return badOther() }
            identity.sscc = Self.keyWithCheckDigit(indicatorFrom: reference, prefix)
            identity.uriBody = Self.dotted(prefix, reference)
        case 0x32, 0x39:
            guard let location = otherNumber() else { return badOther() }
            let extensionBit = reader.position
            let extensionText: String
            if header == 0x32 {
                extensionText = Self.decimal(reader.read(41))
            } else {
                guard let text = string(maximumCharacters: 20) else {
                    return failure(.epcBadField, "The GLN extension is not a valid GS1 character string. The tag's EPC is corrupt.", bit: extensionBit)
                }
                extensionText = text
            }
            let escaped = Self.uriEscaped(extensionText)
            identity.gln = Self.keyWithCheckDigit(prefix, location)
            identity.glnExtension = extensionText
            identity.uriBody = Self.dotted(prefix, location, escaped)
        case 0x2C, 0x3E:
            // GDTI-96 (numeric serial) and GDTI-174 (character serial).
            guard let documentType = otherNumber() else { return badOther() }
            let serialBit = reader.position
            let serial: String
            if header == 0x2C {
                serial = Self.decimal(reader.read(41))
            } else {
                guard let text = string(maximumCharacters: 17) else {
                    return failure(.epcBadField, "The GDTI serial is not a valid GS1 character string. The tag's EPC is corrupt.", bit: serialBit)
                }
                serial = text
            }
            identity.gdti = Self.keyWithCheckDigit(prefix, documentType) + serial
            identity.serial = serial
            identity.uriBody = Self.dotted(prefix, documentType, Self.uriEscaped(serial))
        case 0x2D, 0x2E:
            // GSRN-96 (recipient, AI 8018) and GSRNP-96 (provider, AI 8017): 24 bits reserved.
            guard let serviceReference = otherNumber(), !serviceReference.isEmpty else { return badOther() }
            let reservedBit = reader.position
            guard reader.read(24) == 0 else {
                return failure(.epcBadField, "The reserved bits after the service reference are not zero. The tag's EPC is corrupt.", bit: reservedBit)
            }
            identity.gsrn = Self.keyWithCheckDigit(prefix, serviceReference)
            identity.uriBody = Self.dotted(prefix, serviceReference)
        case 0x3F:
            // SGCN-96: the serial is a numeric string, written as a leading 1 and its digits
            // so that leading zeros survive (TDS 14.3.11).
            guard let couponReference = otherNumber() else { return badOther() }
            let serialBit = reader.position
            let written = Self.decimal(reader.read(41))
            guard written.utf8.first == UInt8(ascii: "1"), written.utf8.count <= 13 else {
                return failure(.epcBadField, "The coupon serial is not a valid numeric string (it must start with the marker digit 1). The tag's EPC is corrupt.", bit: serialBit)
            }
            let serial = String(written.dropFirst())
            identity.gcn = Self.keyWithCheckDigit(prefix, couponReference) + serial
            identity.serial = serial
            identity.uriBody = Self.dotted(prefix, couponReference, serial)
        case 0x3C:
            // CPI-96: an unpadded part reference, then a 31-bit serial.
            let value = reader.read(partition.otherBits)
            let partReference = Self.decimal(value)
            guard partReference.utf8.count <= partition.otherDigits else { return badOther() }
            let serial = Self.decimal(reader.read(31))
            identity.cpid = prefix + partReference
            identity.serial = serial
            identity.uriBody = Self.dotted(prefix, partReference, serial)
        case 0x40, 0x41:
            // ITIP-110/212: SGTIN's GTIN fields, then piece and total (7 bits each), then
            // the serial (numeric, or 20 characters).
            guard let item = otherNumber(), !item.isEmpty else { return badOther() }
            let pieceBit = reader.position
            let piece = reader.read(7)
            let total = reader.read(7)
            guard piece >= 1, total >= 1, piece <= total, total <= 99 else {
                return failure(.epcBadField, "Piece \(piece) of \(total) is not possible (1-99, piece at most total). The tag's EPC is corrupt.", bit: pieceBit)
            }
            let serialBit = reader.position
            let serial: String
            if header == 0x40 {
                serial = Self.decimal(reader.read(38))
            } else {
                guard let text = string(maximumCharacters: 20) else {
                    return failure(.epcBadField, "The ITIP serial is not a valid GS1 character string. The tag's EPC is corrupt.", bit: serialBit)
                }
                serial = text
            }
            let pieceText = Self.decimal(piece, width: 2)
            let totalText = Self.decimal(total, width: 2)
            identity.itip = Self.keyWithCheckDigit(indicatorFrom: item, prefix) + pieceText + totalText
            identity.serial = serial
            identity.uriBody = Self.dotted(Self.dotted(prefix, item, pieceText), totalText, Self.uriEscaped(serial))
        case 0x33, 0x37:
            guard let assetType = otherNumber() else { return badOther() }
            let serialBit = reader.position
            let serial: String
            if header == 0x33 {
                serial = Self.decimal(reader.read(38))
            } else {
                guard let text = string(maximumCharacters: 16) else {
                    return failure(.epcBadField, "The GRAI serial is not a valid GS1 character string. The tag's EPC is corrupt.", bit: serialBit)
                }
                serial = text
            }
            let escaped = Self.uriEscaped(serial)
            identity.grai = Self.keyWithCheckDigit(prefix, assetType) + serial
            identity.serial = serial
            identity.uriBody = Self.dotted(prefix, assetType, escaped)
        default:
            let reference: String
            if header == 0x34 {
                let value = reader.read(partition.otherBits)
                reference = Self.decimal(value)
                guard reference.count <= partition.otherDigits else { return badOther() }
            } else {
                guard let text = string(maximumCharacters: partition.otherDigits, bits: partition.otherBits) else {
                    return failure(.epcBadField, "The asset reference is not a valid GS1 character string. The tag's EPC is corrupt.", bit: otherBit)
                }
                reference = text
            }
            let escaped = Self.uriEscaped(reference)
            identity.giai = prefix + reference
            identity.uriBody = Self.dotted(prefix, escaped)
        }
        return .success(identity)
    }

    /// USDOD-96 (TDS 14.5.8): a 4-bit filter, the CAGE code or DoDAAC as six 8-bit
    /// characters (a five-character CAGE code is preceded by a space), a 36-bit serial.
    private mutating func decodeUSDOD() -> Result<EPCIdentity, ScanCodeError> {
        let filter = Int(reader.read(4))
        let codeBit = reader.position
        var characters: [UInt8] = []
        for index in 0..<6 {
            let character = UInt8(reader.read(8))
            let isLetterOrDigit = (character >= 0x30 && character <= 0x39) || (character >= 0x41 && character <= 0x5A)
            if index == 0, character == 0x20 { continue }
            guard isLetterOrDigit else {
                return failure(.epcBadField, "The CAGE code or DoDAAC holds a character other than A-Z and 0-9. The tag's EPC is corrupt.", bit: codeBit)
            }
            characters.append(character)
        }
        let code = String(decoding: characters, as: UTF8.self)
        let serial = Self.decimal(reader.read(36))
        var identity = EPCIdentity(scheme: scheme, uriBody: Self.dotted(code, serial), filter: filter, partition: nil, companyPrefix: nil, serial: serial)
        identity.cageOrDoDAAC = code
        return .success(identity)
    }

    /// ADI-var (TDS 14.5.14, aerospace and defence parts): a 6-bit filter, the CAGE code or
    /// DoDAAC as six 6-bit characters (a five-character CAGE code after a space), then the
    /// original part number (0-32 characters) and the serial (1-30 characters), each in
    /// 6-bit characters and ended by six zero bits. Only zero bits may follow.
    private mutating func decodeADI() -> Result<EPCIdentity, ScanCodeError> {
        let filter = Int(reader.read(6))
        let codeBit = reader.position
        var code: [UInt8] = []
        for index in 0..<6 {
            let character = Self.sixBitCharacter(UInt8(reader.read(6)))
            if index == 0, character == 0x20 { continue }
            guard (character >= 0x30 && character <= 0x39) || (character >= 0x41 && character <= 0x5A) else {
                return failure(.epcBadField, "The CAGE code or DoDAAC holds a character other than A-Z and 0-9. The tag's EPC is corrupt.", bit: codeBit)
            }
            code.append(character)
        }
        let partBit = reader.position
        guard let part = sixBitString(maximumCharacters: 32, allowsHashFirst: false) else {
            return failure(.epcBadField, "The part number is not 0-32 characters of A-Z, 0-9, '-' and '/' ended by a zero character. The tag's EPC is corrupt.", bit: partBit)
        }
        let serialBit = reader.position
        guard let serial = sixBitString(maximumCharacters: 30, allowsHashFirst: true), !serial.isEmpty else {
            return failure(.epcBadField, "The serial is not 1-30 characters of A-Z, 0-9, '-' and '/' (with '#' first at most) ended by a zero character. The tag's EPC is corrupt.", bit: serialBit)
        }
        let endBit = reader.position
        guard reader.remainingIsZero() else {
            return failure(.epcWrongLength, "An ADI EPC ends after its serial, but non-zero data follows. Check the RFID reader's output format.", bit: endBit)
        }
        let codeText = String(decoding: code, as: UTF8.self)
        var identity = EPCIdentity(
            scheme: scheme, uriBody: Self.dotted(codeText, Self.adiEscaped(part), Self.adiEscaped(serial)),
            filter: filter, partition: nil, companyPrefix: nil, serial: serial)
        identity.cageOrDoDAAC = codeText
        return .success(identity)
    }

    /// CPI-var (TDS 14.5.12): filter, partition, company prefix (SGTIN's partition table),
    /// the component/part reference in 6-bit characters ended by a zero character (at most
    /// 30 digits with the prefix), then a 40-bit serial. Only zero bits may follow.
    private mutating func decodeCPIVar() -> Result<EPCIdentity, ScanCodeError> {
        let filter = Int(reader.read(3))
        let partitionBit = reader.position
        let partitionValue = Int(reader.read(3))
        guard partitionValue < Self.sgtin.count else {
            return failure(.epcBadPartition, "Partition value \(partitionValue) does not exist (0-6). The tag's EPC is corrupt or was encoded wrongly.", bit: partitionBit)
        }
        let partition = Self.sgtin[partitionValue]
        let prefixBit = reader.position
        guard let prefix = number(reader.read(partition.prefixBits), digits: partition.prefixDigits) else {
            return failure(.epcBadField, "The company prefix field holds a number longer than \(partition.prefixDigits) digits, which partition \(partitionValue) allows. The tag's EPC is corrupt.", bit: prefixBit)
        }
        let referenceBit = reader.position
        var reference: [UInt8] = []
        var terminated = false
        while reader.position + 6 <= reader.limit {
            let code = UInt8(reader.read(6))
            if code == 0 {
                terminated = true
                break
            }
            let character = Self.sixBitCharacter(code)
            let allowed = (character >= 0x30 && character <= 0x39) || (character >= 0x41 && character <= 0x5A)
                || character == UInt8(ascii: "-") || character == UInt8(ascii: "/") || character == UInt8(ascii: "#")
            guard allowed, reference.count < 30 - partition.prefixDigits else { break }
            reference.append(character)
        }
        guard terminated else {
            return failure(.epcBadField, "The part reference is not up to \(30 - partition.prefixDigits) characters of 0-9, A-Z, '-', '/' and '#' ended by a zero character. The tag's EPC is corrupt.", bit: referenceBit)
        }
        guard reader.position + 40 <= reader.limit else {
            return failure(.epcWrongLength, "A CPI-var EPC ends with a 40-bit serial, but the read stops before it. Read the tag again.", bit: reader.position)
        }
        let serialBit = reader.position
        let serialValue = reader.read(40)
        guard serialValue < 1_000_000_000_000 else {
            return failure(.epcBadField, "The serial is longer than 12 digits. The tag's EPC is corrupt.", bit: serialBit)
        }
        let endBit = reader.position
        guard reader.remainingIsZero() else {
            return failure(.epcWrongLength, "A CPI-var EPC ends after its serial, but non-zero data follows. Check the RFID reader's output format.", bit: endBit)
        }
        let referenceText = String(decoding: reference, as: UTF8.self)
        let serial = Self.decimal(serialValue)
        var identity = EPCIdentity(
            scheme: scheme, uriBody: Self.dotted(prefix, Self.adiEscaped(referenceText), serial),
            filter: filter, partition: partitionValue, companyPrefix: prefix, serial: serial)
        identity.cpid = prefix + referenceText
        return .success(identity)
    }

    /// ADI and CPI URI escaping: '/' as in table A-1, and '#' (a URI fragment mark) as %23.
    private static func adiEscaped(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "/"): result += "%2F"
            case UInt8(ascii: "#"): result += "%23"
            default: result.unicodeScalars.append(UnicodeScalar(byte))
            }
        }
        return result
    }

    /// The character a 6-bit code stands for (TDS table of 6-bit characters): codes 32-63
    /// are ASCII 32-63, codes 1-31 are ASCII 65-95 ('A'...).
    private static func sixBitCharacter(_ code: UInt8) -> UInt8 { code >= 32 ? code : code + 64 }

    /// 6-bit characters up to a zero code; nil when there is no terminator in time or a
    /// character is outside A-Z, 0-9, '-', '/' (and '#' first when allowed).
    private mutating func sixBitString(maximumCharacters: Int, allowsHashFirst: Bool) -> String? {
        var characters: [UInt8] = []
        while reader.position + 6 <= reader.limit {
            let code = UInt8(reader.read(6))
            if code == 0 { return String(decoding: characters, as: UTF8.self) }
            guard characters.count < maximumCharacters else { return nil }
            let character = Self.sixBitCharacter(code)
            let allowed = (character >= 0x30 && character <= 0x39) || (character >= 0x41 && character <= 0x5A)
                || character == UInt8(ascii: "-") || character == UInt8(ascii: "/")
                || (allowsHashFirst && characters.isEmpty && character == UInt8(ascii: "#"))
            guard allowed else { return nil }
            characters.append(character)
        }
        return nil
    }

    private mutating func decodeGID() -> Result<EPCIdentity, ScanCodeError> {
        let manager = reader.read(28)
        let objectClass = reader.read(24)
        let serial = reader.read(36)
        return .success(EPCIdentity(
            scheme: scheme, uriBody: "\(manager).\(objectClass).\(serial)",
            filter: nil, partition: nil, companyPrefix: nil, serial: String(serial)))
    }

    /// `value` as exactly `digits` digits (zero-padded), nil when it has more.
    private func number(_ value: UInt64, digits: Int) -> String? {
        if digits == 0 { return value == 0 ? "" : nil }
        var rest = value
        var length = 0
        repeat {
            length += 1
            rest /= 10
        } while rest > 0
        guard length <= digits else { return nil }
        return Self.decimal(value, width: digits)
    }

    // The EPC's numbers and URI are written straight into their strings: interpolation and
    // `+` build them piece by piece, which cost more than the whole bit decoding.

    /// 10 to the power `exponent` (0...19).
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func decimal(_ value: UInt64, width: Int = 1) -> String {
        var length = 0
        var rest = value
        repeat {
            length += 1
            rest /= 10
        } while rest > 0
        let count = max(length, width)
        return String(unsafeUninitializedCapacity: count) { buffer in
            var rest = value
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return count
        }
    }

    /// Copies `part`'s bytes into `buffer` at `index` (one block copy); returns the end.
    private static func copy(_ part: String, dropFirst: Bool = false, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        var part = part
        return part.withUTF8 { bytes in
            let source = dropFirst ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
            _ = UnsafeMutableBufferPointer(rebasing: buffer[index..<(index + source.count)]).initialize(from: source)
            return index + source.count
        }
    }

    /// The parts joined by dots, as in an EPC URI body (`0614141.812345.6789`). Fixed
    /// arities, not a variadic list: a variadic call allocates its array.
    static func dotted(_ first: String, _ second: String) -> String {
        String(unsafeUninitializedCapacity: first.utf8.count + second.utf8.count + 1) { buffer in
            var index = copy(first, into: buffer, at: 0)
            buffer[index] = UInt8(ascii: ".")
            index = copy(second, into: buffer, at: index + 1)
            return index
        }
    }

    static func dotted(_ first: String, _ second: String, _ third: String) -> String {
        String(unsafeUninitializedCapacity: first.utf8.count + second.utf8.count + third.utf8.count + 2) { buffer in
            var index = copy(first, into: buffer, at: 0)
            buffer[index] = UInt8(ascii: ".")
            index = copy(second, into: buffer, at: index + 1)
            buffer[index] = UInt8(ascii: ".")
            index = copy(third, into: buffer, at: index + 1)
            return index
        }
    }

    /// A GS1 key from `prefix` and `reference` with its check digit appended (GLN, GRAI, ...).
    static func keyWithCheckDigit(_ prefix: String, _ reference: String) -> String {
        String(unsafeUninitializedCapacity: prefix.utf8.count + reference.utf8.count + 1) { buffer in
            var index = copy(prefix, into: buffer, at: 0)
            index = copy(reference, into: buffer, at: index)
            return appendCheckDigit(buffer, count: index)
        }
    }

    /// A GTIN or SSCC: the reference's first digit (indicator or extension digit) moves in
    /// front of the company prefix, then the rest of the reference and the check digit.
    static func keyWithCheckDigit(indicatorFrom reference: String, _ prefix: String) -> String {
        let referenceCount = reference.utf8.count
        guard let indicator = reference.utf8.first else { return keyWithCheckDigit(prefix, reference) }
        return String(unsafeUninitializedCapacity: prefix.utf8.count + referenceCount + 1) { buffer in
            buffer[0] = indicator
            var index = copy(prefix, into: buffer, at: 1)
            index = copy(reference, dropFirst: true, into: buffer, at: index)
            return appendCheckDigit(buffer, count: index)
        }
    }

    /// Writes the GS1 check digit of `buffer[0..<count]` at `count`; returns the new count.
    private static func appendCheckDigit(_ buffer: UnsafeMutableBufferPointer<UInt8>, count: Int) -> Int {
        let check = CheckDigit.gs1Mod10(for: UnsafeBufferPointer(rebasing: buffer[0..<count])) ?? 0
        buffer[count] = UInt8(ascii: "0") + UInt8(check)
        return count + 1
    }

    /// A string of 7-bit characters ending at the first zero character (the rest of the
    /// field must be zero). Nil when a character is outside the GS1 character set 82.
    private mutating func string(maximumCharacters: Int, bits: Int? = nil) -> String? {
        let fieldBits = bits ?? maximumCharacters * 7
        let end = reader.position + fieldBits
        var characters: [UInt8] = []
        while reader.position + 7 <= end {
            let character = UInt8(reader.read(7))
            if character == 0 { break }
            guard GS1Parser.isCSET82(character) else { return nil }
            characters.append(character)
        }
        while reader.position < end {
            if reader.read(1) != 0 { return nil }
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// TDS table A-1: the characters escaped in EPC URIs.
    static func uriEscaped(_ text: String) -> String {
        let needsEscape = text.utf8.contains { byte in
            switch byte {
            case 0x22, 0x25, 0x26, 0x2F, 0x3C, 0x3E, 0x3F: true
            default: false
            }
        }
        guard needsEscape else { return text }
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "\"": result += "%22"
            case "%": result += "%25"
            case "&": result += "%26"
            case "/": result += "%2F"
            case "<": result += "%3C"
            case ">": result += "%3E"
            case "?": result += "%3F"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
