internal import CDmtx
import ScanCodes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// DataMatrix through libdmtx, which zbar 0.23 cannot read.
///
/// Chosen over zxing-cpp 1.4.0 (Debian 12's libzxing-dev) by measurement on the corpus
/// frames: libdmtx read 6 of the 9 frames with a DataMatrix, zxing-cpp 1.4.0 read 2.
/// libdmtx is slow when a frame holds no symbol (it searches until its time budget ends),
/// so every call has a budget and the camera runs it on a thread of its own.
/// Not thread-safe: one per decoding thread.
public final class DataMatrixDecoder {
    /// How long one frame may be searched, in milliseconds of CPU time.
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
        let started = Self.threadCPUNanoseconds()
        let budget = UInt64(budgetMilliseconds) * 1_000_000
        // libdmtx needs a quiet zone, which a label cropped at the image edge lacks: then it
        // searches a copy with a white margin first. Otherwise it searches the frame as it
        // is (the margin moves libdmtx's scan grid, and on camera frames the unpadded grid
        // found more).
        // A dark edge can also be background, so the padded search gets a third of the
        // budget and the frame as it is the rest.
        if Self.symbolRunsAlongEdge(pixels, width: width, height: height) {
            let found = search(pixels: pixels, width: width, height: height, margin: Self.margin, budget: budget / 3)
            guard found.isEmpty else { return found }
        }
        let spent = Self.threadCPUNanoseconds() &- started
        guard spent < budget else { return [] }
        return search(pixels: pixels, width: width, height: height, margin: 0, budget: budget - spent)
    }

    /// Whether a symbol runs along the image's edge: half of one edge row or column is
    /// dark, as when a DataMatrix's solid finder line is the edge (an image of the symbol
    /// alone, no quiet zone).
    static func symbolRunsAlongEdge(_ pixels: [UInt8], width: Int, height: Int) -> Bool {
        let threshold: UInt8 = 96
        func mostlyDark(_ indices: StrideTo<Int>, count: Int) -> Bool {
            var dark = 0
            for index in indices where pixels[index] < threshold { dark += 1 }
            return dark * 2 >= count
        }
        return mostlyDark(stride(from: 0, to: width, by: 1), count: width)
            || mostlyDark(stride(from: (height - 1) * width, to: height * width, by: 1), count: width)
            || mostlyDark(stride(from: 0, to: height * width, by: width), count: height)
            || mostlyDark(stride(from: width - 1, to: height * width, by: width), count: height)
    }

    private func search(pixels: [UInt8], width: Int, height: Int, margin: Int, budget: UInt64) -> [DecodedSymbol] {
        // libdmtx takes a mutable pointer, though it only reads: it searches a copy.
        let paddedWidth = width + 2 * margin
        let paddedHeight = height + 2 * margin
        var padded = margin == 0 ? pixels : [UInt8](repeating: 0xFF, count: paddedWidth * paddedHeight)
        if margin > 0 {
            padded.withUnsafeMutableBufferPointer { target in
                pixels.withUnsafeBufferPointer { source in
                    guard let targetBase = target.baseAddress, let sourceBase = source.baseAddress else { return }
                    for row in 0..<height {
                        (targetBase + (row + margin) * paddedWidth + margin).update(from: sourceBase + row * width, count: width)
                    }
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
            // The budget is this thread's CPU time, not wall time, so a busy machine does
            // not make reads fail. libdmtx only knows wall-clock timeouts: it searches in
            // short slices and resumes its scan grid where the last slice stopped.
            let started = Self.threadCPUNanoseconds()
            let wallStarted = MonotonicClock.nanoseconds()
            var symbols: [DecodedSymbol] = []
            while symbols.count < maximumSymbols {
                let spent = Self.threadCPUNanoseconds() &- started
                // A hard wall-clock cap too, so a starved thread still returns.
                guard spent < budget, MonotonicClock.nanoseconds() &- wallStarted < budget &* 20 else { break }
                var timeout = dmtxTimeAdd(dmtxTimeNow(), Int(min(20, (budget - spent) / 1_000_000 + 1)))
                guard let region = dmtxRegionFindNext(decoder, &timeout) else {
                    if dmtxTimeExceeded(timeout) == DmtxTrue { continue } // the slice ended
                    break // the whole frame was searched
                }
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

    static func threadCPUNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// A leading GS (FNC1 in first position) makes it GS1 DataMatrix, reported without it.
    static func symbol(from bytes: [UInt8]) -> DecodedSymbol {
        if bytes.first == 0x1D {
            return DecodedSymbol(symbology: .gs1DataMatrix, bytes: Array(bytes.dropFirst()))
        }
        return DecodedSymbol(symbology: .datamatrix, bytes: bytes)
    }
}
