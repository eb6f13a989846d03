/// The input rules every scan passes before it is decoded (CONTRACTS.md, `run`).
///
/// A trailing CR is stripped; GS (0x1D), RS (0x1E) and EOT (0x04) are data; any other
/// control byte, invalid UTF-8, or more than `maximumLength` bytes rejects the scan.
public enum PayloadHygiene {
    public static let maximumLength = 4096

    /// - Parameters:
    ///   - bytes: the payload as framed, at most `maximumLength + 1` bytes kept by the framer.
    ///   - totalLength: how many bytes the scan really had (the framer may have kept fewer).
    /// - Returns: the payload to decode, or why it is rejected.
    public static func check(_ bytes: [UInt8], totalLength: Int? = nil) -> Result<[UInt8], ScanCodeError> {
        var payload = bytes
        var length = totalLength ?? bytes.count
        if payload.last == 0x0D {
            payload.removeLast()
            length -= 1
        }
        if length > maximumLength {
            return .failure(ScanCodeError(
                .tooLong,
                "The scan has \(length) bytes; at most \(maximumLength) are accepted. Check the scanner's configuration or the label.",
                offset: maximumLength))
        }
        for (offset, byte) in payload.enumerated() where byte < 0x20 || byte == 0x7F {
            if byte == 0x1D || byte == 0x1E || byte == 0x04 { continue }
            return .failure(ScanCodeError(
                .controlCharacter,
                "Control byte 0x\(hex(byte)) at offset \(offset) is not allowed in a scan (only GS, RS and EOT are). Check the scanner's prefix/suffix settings.",
                offset: offset))
        }
        if let offset = firstInvalidUTF8Offset(payload) {
            return .failure(ScanCodeError(
                .invalidUTF8,
                "The scan is not valid UTF-8 (byte 0x\(hex(payload[offset])) at offset \(offset)). Check the scanner's keyboard layout or character set.",
                offset: offset))
        }
        return .success(payload)
    }

    /// The offset of the first byte that starts an invalid UTF-8 sequence, or nil.
    public static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let width: Int
            var lowerBound: UInt8 = 0x80
            var upperBound: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: width = 2
            case 0xE0: width = 3; lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: width = 3
            case 0xED: width = 3; upperBound = 0x9F
            case 0xF0: width = 4; lowerBound = 0x90
            case 0xF1...0xF3: width = 4
            case 0xF4: width = 4; upperBound = 0x8F
            default: return index
            }
            guard index + width <= bytes.count else { return index }
            for position in 1..<width {
                let byte = bytes[index + position]
                let low = position == 1 ? lowerBound : 0x80
                let high = position == 1 ? upperBound : 0xBF
                if byte < low || byte > high { return index }
            }
            index += width
        }
        return nil
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
