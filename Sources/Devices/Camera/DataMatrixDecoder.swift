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
        // libdmtx needs a quiet zone, which a symbol cropped at the image edge lacks: then a
        // copy with a white margin is searched first, with a third of the budget (a dark
        // edge can also be background). The frame as it is gets the rest: the margin moves
        // libdmtx's scan grid, and on the corpus frames the unpadded grid found more.
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
        guard let search = pixels.withUnsafeBufferPointer({ scanstation_dmtx_search_create($0.baseAddress, Int32(width), Int32(height), Int32(margin)) }) else { return [] }
        defer { scanstation_dmtx_search_destroy(search) }
        // The budget is this thread's CPU time, not wall time, so a busy machine does not
        // make reads fail. libdmtx only knows wall-clock timeouts: it searches in short
        // slices and resumes its scan grid where the last slice stopped.
        let started = Self.threadCPUNanoseconds()
        let wallStarted = MonotonicClock.nanoseconds()
        var symbols: [DecodedSymbol] = []
        var output = [UInt8](repeating: 0, count: 4096)
        while symbols.count < maximumSymbols {
            let spent = Self.threadCPUNanoseconds() &- started
            // A hard wall-clock cap too, so a starved thread still returns.
            guard spent < budget, MonotonicClock.nanoseconds() &- wallStarted < budget &* 20 else { break }
            let slice = Int32(min(20, (budget - spent) / 1_000_000 + 1))
            var length: Int32 = 0
            let status = output.withUnsafeMutableBufferPointer { scanstation_dmtx_search_next(search, slice, $0.baseAddress, Int32($0.count), &length) }
            if status < 0 { break } // the whole image was searched
            guard status > 0 else { continue } // the slice ended
            let symbol = Self.symbol(from: Array(output.prefix(min(Int(length), output.count))))
            if !symbols.contains(symbol) { symbols.append(symbol) }
        }
        return symbols
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
