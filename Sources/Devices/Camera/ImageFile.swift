internal import CJPEG
internal import CPNG
import ScanCodes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads still images as grayscale frames: PNG (any colour type and depth, through
/// libpng's simplified API, alpha laid over white), JPEG (libjpeg, as photos of labels
/// come) and Netpbm (binary 8-bit PGM as frame streams have it; the other PBM, PGM and
/// PPM forms through `NetpbmImage`).
public enum ImageFile {
    public static func load(path: String) throws(CameraError) -> GrayFrame {
        let bytes = try readAll(path: path)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return try decodePNG(bytes, path: path)
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            return try decodeJPEG(bytes, path: path)
        }
        if bytes.starts(with: [UInt8(ascii: "P"), UInt8(ascii: "5")]) {
            do {
                return try decodePGM(bytes, path: path)
            } catch where error.code == .badFrameHeader {
                // Not a frame stream's PGM (16-bit samples): read as any Netpbm image.
                return try NetpbmImage.decode(bytes, path: path)
            }
        }
        if NetpbmImage.matches(bytes) {
            return try NetpbmImage.decode(bytes, path: path)
        }
        throw CameraError(code: .unsupportedImage, message: "'\(path)' is not a PNG, JPEG or Netpbm (PBM, PGM, PPM) image; convert it first (e.g. convert IN -colorspace gray OUT.png)")
    }

    static func decodeJPEG(_ bytes: [UInt8], path: String) throws(CameraError) -> GrayFrame {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            scanstation_jpeg_decode_gray(data.baseAddress, data.count, GrayFrame.maximumPixels, &pixels, &width, &height, &message, message.count)
        }
        let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard status == 0, let pixels else {
            if status == -2 {
                throw CameraError(code: .badFrameSize, message: "'\(path)' is \(reason); at most 16384x16384 is read")
            }
            throw CameraError(code: .imageUnreadable, message: "'\(path)' is not a readable JPEG: \(reason)")
        }
        defer { scanstation_jpeg_free(pixels) }
        let count = Int(width) * Int(height)
        return GrayFrame(width: Int(width), height: Int(height), pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    static func readAll(path: String) throws(CameraError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CameraError(code: .imageUnreadable, message: "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CameraError(code: .imageUnreadable, message: "cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= 512 << 20 else {
                throw CameraError(code: .imageUnreadable, message: "'\(path)' is larger than 512 MiB; not an image a scanner makes")
            }
        }
        return bytes
    }

    static func decodePNG(_ bytes: [UInt8], path: String) throws(CameraError) -> GrayFrame {
        // libpng keeps the memory pointer from begin to finish: both run in one closure.
        let result = bytes.withUnsafeBytes { raw -> Result<GrayFrame, CameraError> in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else {
                return .failure(CameraError(code: .imageUnreadable, message: "'\(path)' is not a readable PNG: \(pngMessage(image))"))
            }
            defer { png_image_free(&image) }
            let width = Int(image.width)
            let height = Int(image.height)
            guard width > 0, height > 0, width * height <= GrayFrame.maximumPixels else {
                return .failure(CameraError(code: .badFrameSize, message: "'\(path)' is \(width)x\(height) pixels; at most 16384x16384 is read"))
            }
            image.format = UInt32(PNG_FORMAT_GRAY)
            var pixels = [UInt8](repeating: 0, count: width * height)
            var white = png_color(red: 255, green: 255, blue: 255)
            let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, &white, $0.baseAddress, Int32(width), nil) }
            guard finished != 0 else {
                return .failure(CameraError(code: .imageUnreadable, message: "'\(path)' is a damaged PNG: \(pngMessage(image))"))
            }
            return .success(GrayFrame(width: width, height: height, pixels: pixels))
        }
        return try result.get()
    }

    private static func pngMessage(_ image: png_image) -> String {
        var message = image.message
        return withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func decodePGM(_ bytes: [UInt8], path: String) throws(CameraError) -> GrayFrame {
        // A PGM file is a one-frame stream.
        var index = 0
        let header = try PGMHeader.parse(frame: 1, source: path) { () -> UInt8? in
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }
        let count = header.width * header.height
        guard bytes.count - index >= count else {
            throw CameraError(code: .truncatedFrame, message: "'\(path)' holds \(bytes.count - index) of the \(count) pixel bytes its header promises (\(header.width)x\(header.height)); the file is cut off")
        }
        var pixels = Array(bytes[index..<(index + count)])
        if header.maximum != 255 {
            for offset in pixels.indices { pixels[offset] = UInt8(min(255, Int(pixels[offset]) * 255 / header.maximum)) }
        }
        return GrayFrame(width: header.width, height: header.height, pixels: pixels)
    }
}

/// Reads every symbol in a still image: zbar for what it decodes, libdmtx for DataMatrix,
/// and `BlurredCode128Reader` for Code 128 that zbar and its second looks cannot read.
/// `scanstation read-image` uses it.
public final class ImageSymbolReader {
    public let selection: SymbologySelection
    private let scanner: ZBarSymbolScanner
    private let dataMatrix: DataMatrixDecoder?
    private let blurredCode128: BlurredCode128Reader?

    /// - Parameter dataMatrixBudgetMilliseconds: how long libdmtx may search one image; a
    ///   still image gets more than a camera frame.
    public init(selection: SymbologySelection = .standard, dataMatrixBudgetMilliseconds: Int = 3000) throws(CameraError) {
        self.selection = selection
        scanner = try ZBarSymbolScanner(selection: selection)
        dataMatrix = selection.needsDataMatrix ? DataMatrixDecoder(budgetMilliseconds: dataMatrixBudgetMilliseconds) : nil
        blurredCode128 = selection.reports(.code128) ? BlurredCode128Reader() : nil
    }

    public func read(_ frame: GrayFrame) -> [DecodedSymbol] {
        // A still image is read once: it gets every second look, and the last one when
        // those find nothing.
        var symbols = scanner.scan(frame, enhancing: FrameEnhancement.allCases)
        if symbols.isEmpty, let blurredCode128, FrameEnhancement.mayHoldSymbols(frame) {
            symbols = blurredCode128.read(frame, referenceDate: .today())
        }
        for symbol in dataMatrix?.decode(frame) ?? [] where selection.reports(symbol.symbology) && !symbols.contains(symbol) {
            symbols.append(symbol)
        }
        return symbols
    }

    public func read(path: String) throws(CameraError) -> [DecodedSymbol] {
        try read(ImageFile.load(path: path))
    }
}
