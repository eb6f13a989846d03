internal import CDmtx
import ScanCodes

/// DataMatrix through libdmtx, which zbar 0.23 cannot read.
///
/// Chosen over zxing-cpp 1.4.0 (Debian 12's libzxing-dev) by measurement on the corpus
/// frames: libdmtx read 6 of the 9 frames with a DataMatrix, zxing-cpp 1.4.0 read 2.
/// libdmtx is slow when a frame holds no symbol (it searches until its time budget ends),
/// so every call has a budget and the camera runs it on a thread of its own.
/// Not thread-safe: one per decoding thread.
public final class DataMatrixDecoder {
    /// How long one frame may be searched, in milliseconds.
    public let budgetMilliseconds: Int
    /// Stop after this many symbols in one frame.
    public let maximumSymbols: Int

    public init(budgetMilliseconds: Int, maximumSymbols: Int = 4) {
        self.budgetMilliseconds = max(1, budgetMilliseconds)
        self.maximumSymbols = max(1, maximumSymbols)
    }

    public func decode(_ frame: GrayFrame) -> [DecodedSymbol] {
        decode(pixels: frame.pixels, width: frame.width, height: frame.height)
    }

    public func decode(pixels: [UInt8], width: Int, height: Int) -> [DecodedSymbol] {
        guard width > 0, height > 0, pixels.count >= width * height else { return [] }
        // libdmtx needs a quiet zone that a label cropped at the image edge lacks: search a
        // copy with a white margin (libdmtx takes a mutable pointer, so a copy anyway).
        let margin = Self.margin
        let paddedWidth = width + 2 * margin
        let paddedHeight = height + 2 * margin
        var padded = [UInt8](repeating: 0xFF, count: paddedWidth * paddedHeight)
        padded.withUnsafeMutableBufferPointer { target in
            pixels.withUnsafeBufferPointer { source in
                guard let targetBase = target.baseAddress, let sourceBase = source.baseAddress else { return }
                for row in 0..<height {
                    (targetBase + (row + margin) * paddedWidth + margin).update(from: sourceBase + row * width, count: width)
                }
            }
        }
        return padded.withUnsafeMutableBufferPointer { buffer -> [DecodedSymbol] in
            guard let image = dmtxImageCreate(buffer.baseAddress, Int32(paddedWidth), Int32(paddedHeight), Int32(DmtxPack8bppK.rawValue)) else { return [] }
            defer { var image: UnsafeMutablePointer<DmtxImage>? = image; dmtxImageDestroy(&image) }
            guard let decoder = dmtxDecodeCreate(image, 1) else { return [] }
            defer { var decoder: UnsafeMutablePointer<DmtxDecode>? = decoder; dmtxDecodeDestroy(&decoder) }
            // FNC1 comes out as GS; a leading one marks GS1 DataMatrix.
            _ = dmtxDecodeSetProp(decoder, Int32(DmtxPropFnc1.rawValue), 0x1D)
            var timeout = dmtxTimeAdd(dmtxTimeNow(), budgetMilliseconds)
            var symbols: [DecodedSymbol] = []
            while symbols.count < maximumSymbols, let region = dmtxRegionFindNext(decoder, &timeout) {
                defer { var region: UnsafeMutablePointer<DmtxRegion>? = region; dmtxRegionDestroy(&region) }
                guard let message = dmtxDecodeMatrixRegion(decoder, region, DmtxUndefined) else { continue }
                defer { var message: UnsafeMutablePointer<DmtxMessage>? = message; dmtxMessageDestroy(&message) }
                guard let output = message.pointee.output else { continue }
                let length = Int(message.pointee.outputIdx)
                let bytes = [UInt8](UnsafeBufferPointer(start: output, count: length))
                let symbol = Self.symbol(from: bytes)
                if !symbols.contains(symbol) { symbols.append(symbol) }
            }
            return symbols
        }
    }

    static let margin = 8

    /// A leading GS (FNC1 in first position) makes it GS1 DataMatrix, reported without it.
    static func symbol(from bytes: [UInt8]) -> DecodedSymbol {
        if bytes.first == 0x1D {
            return DecodedSymbol(symbology: .gs1DataMatrix, bytes: Array(bytes.dropFirst()))
        }
        return DecodedSymbol(symbology: .datamatrix, bytes: bytes)
    }
}
