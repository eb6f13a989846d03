/// The Netpbm formats beyond the binary 8-bit PGM that frame streams use, for
/// `read-image`: plain (ASCII) and raw bitmaps (P1, P4), greymaps (P2, P5 up to 16 bits)
/// and pixmaps (P3, P6, taken to grey), as `convert` and capture tools write them.
enum NetpbmImage {
    /// Whether `bytes` start with a Netpbm magic number, P1 to P6.
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == UInt8(ascii: "P") && (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1])
    }

    static func decode(_ bytes: [UInt8], path: String) throws(CameraError) -> GrayFrame {
        var reader = Reader(bytes: bytes, path: path)
        let format = Int(bytes[1] - UInt8(ascii: "0"))
        let bitmap = format == 1 || format == 4
        let channels = format == 3 || format == 6 ? 3 : 1
        let width = try reader.headerNumber("width")
        let height = try reader.headerNumber("height")
        let maximum = bitmap ? 1 : try reader.headerNumber("maxval")
        guard width > 0, height > 0, width <= GrayFrame.maximumPixels / height else {
            throw CameraError(code: .badFrameSize, message: "'\(path)' is \(width)x\(height) pixels; at most 16384x16384 is read")
        }
        guard (1...65535).contains(maximum) else {
            throw CameraError(code: .imageUnreadable, message: "'\(path)' has maxval \(maximum); a Netpbm image has 1 to 65535")
        }
        let count = width * height
        var pixels = [UInt8](repeating: 0, count: count)
        /// A pixel's grey from its samples (0...maximum): luma for colour, white is 255.
        func grey(_ samples: (Int, Int, Int)) -> UInt8 {
            let luma = channels == 3 ? (299 * samples.0 + 587 * samples.1 + 114 * samples.2) / 1000 : samples.0
            return UInt8(min(255, luma * 255 / maximum))
        }
        switch format {
        case 1:
            for index in 0..<count {
                // 1 is black; the digits need no spaces between them.
                pixels[index] = try reader.plainBit() ? 0 : 255
            }
        case 2, 3:
            for index in 0..<count {
                let first = try reader.plainSample(maximum)
                pixels[index] = channels == 3
                    ? grey((first, try reader.plainSample(maximum), try reader.plainSample(maximum)))
                    : grey((first, 0, 0))
            }
        case 4:
            try reader.endOfHeader()
            let rowBytes = (width + 7) / 8
            let data = try reader.take(rowBytes * height)
            for y in 0..<height {
                for x in 0..<width {
                    let byte = data[data.startIndex + y * rowBytes + x / 8]
                    pixels[y * width + x] = (byte >> (7 - UInt8(x % 8))) & 1 == 1 ? 0 : 255
                }
            }
        default:
            try reader.endOfHeader()
            let sampleBytes = maximum > 255 ? 2 : 1
            let data = try reader.take(count * channels * sampleBytes)
            var offset = data.startIndex
            func sample() -> Int {
                defer { offset += sampleBytes }
                return sampleBytes == 2 ? Int(data[offset]) << 8 | Int(data[offset + 1]) : Int(data[offset])
            }
            for index in 0..<count {
                let first = sample()
                pixels[index] = channels == 3 ? grey((first, sample(), sample())) : grey((first, 0, 0))
            }
        }
        return GrayFrame(width: width, height: height, pixels: pixels)
    }

    /// Reads a Netpbm file after its magic number.
    private struct Reader {
        let bytes: [UInt8]
        let path: String
        var index = 2

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
        }

        private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

        /// Whitespace and `#` comments (to the end of their line).
        mutating func skipSpace() {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
                } else if Self.isSpace(bytes[index]) {
                    index += 1
                } else {
                    return
                }
            }
        }

        mutating func headerNumber(_ name: String) throws(CameraError) -> Int {
            skipSpace()
            guard let value = number() else {
                throw CameraError(code: .imageUnreadable, message: "'\(path)' is not a readable Netpbm image: its header has no \(name)")
            }
            return value
        }

        private mutating func number() -> Int? {
            var value = 0
            var digits = 0
            while index < bytes.count, Self.isDigit(bytes[index]) {
                digits += 1
                guard digits <= 7 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            return digits == 0 ? nil : value
        }

        private func cutOff() -> CameraError {
            CameraError(code: .truncatedFrame, message: "'\(path)' ends before all its pixels; the file is cut off")
        }

        mutating func plainSample(_ maximum: Int) throws(CameraError) -> Int {
            skipSpace()
            guard index < bytes.count else { throw cutOff() }
            guard let value = number(), value <= maximum else {
                throw CameraError(code: .imageUnreadable, message: "'\(path)' has a sample that is not a number from 0 to \(maximum)")
            }
            return value
        }

        mutating func plainBit() throws(CameraError) -> Bool {
            skipSpace()
            guard index < bytes.count else { throw cutOff() }
            let byte = bytes[index]
            guard byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1") else {
                throw CameraError(code: .imageUnreadable, message: "'\(path)' has a pixel that is neither 0 nor 1")
            }
            index += 1
            return byte == UInt8(ascii: "1")
        }

        /// The single whitespace byte that ends a raw format's header.
        mutating func endOfHeader() throws(CameraError) {
            guard index < bytes.count, Self.isSpace(bytes[index]) else {
                throw CameraError(code: .imageUnreadable, message: "'\(path)' is not a readable Netpbm image: no whitespace after its header")
            }
            index += 1
        }

        mutating func take(_ count: Int) throws(CameraError) -> ArraySlice<UInt8> {
            guard bytes.count - index >= count else { throw cutOff() }
            defer { index += count }
            return bytes[index..<(index + count)]
        }
    }
}
