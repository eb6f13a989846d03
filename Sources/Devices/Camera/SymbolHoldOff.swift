/// Turns per-frame sightings into scans: the same symbol (symbology and data) seen again
/// within `window` of its last sighting is the same label still under the camera, not a
/// new scan. Different symbols in one frame are separate scans. Time is an argument
/// (monotonic nanoseconds), never read here.
public struct SymbolHoldOff: Sendable {
    /// How long a symbol must be out of sight before the same data counts again.
    public var windowNanoseconds: UInt64
    private var lastSeen: [DecodedSymbol: UInt64] = [:]
    private var lastPrune: UInt64 = 0

    public init(windowNanoseconds: UInt64) {
        self.windowNanoseconds = windowNanoseconds
    }

    /// Records the symbols of one frame seen at `now`; returns those that are new scans,
    /// in order, each once.
    public mutating func observe(_ symbols: [DecodedSymbol], at now: UInt64) -> [DecodedSymbol] {
        var scans: [DecodedSymbol] = []
        for symbol in symbols {
            if let previous = lastSeen[symbol], now >= previous, now - previous < windowNanoseconds {
                lastSeen[symbol] = now
                continue
            }
            if scans.contains(symbol) { continue }
            lastSeen[symbol] = now
            scans.append(symbol)
        }
        if now >= lastPrune, now - lastPrune >= windowNanoseconds {
            // Forget symbols gone longer than the window, so the table stays small.
            lastSeen = lastSeen.filter { now < $0.value || now - $0.value < windowNanoseconds }
            lastPrune = now
        }
        return scans
    }
}

/// zbar's multi-frame consistency rule, counted in frames: a symbol counts once it was
/// found in `framesRequired` consecutive frames (zbar's default uncertainty + 1: three for
/// EAN/UPC, ITF and DataBar, two for Codabar, one for QR and Code 128/39/93, whose own
/// checks are strong). zbar's own cache (`zbar_image_scanner_enable_cache`) applies the
/// same rule but also wants the frames less than a second apart by the wall clock, so on a
/// busy PC, or on a stream read at the decoder's pace, it confirms nothing.
public struct FrameConsistency: Sendable {
    private var streaks: [DecodedSymbol: Int] = [:]

    public init() {}

    public static func framesRequired(for symbology: Symbology) -> Int {
        switch symbology {
        case .ean13, .ean8, .upcA, .upcE, .itf, .itf14, .databar, .databarExpanded: 3
        case .codabar: 2
        default: 1
        }
    }

    /// The symbols of one frame that are confirmed; each is reported in every frame while
    /// it stays confirmed (the hold-off makes that one scan).
    public mutating func observe(_ symbols: [DecodedSymbol]) -> [DecodedSymbol] {
        var next: [DecodedSymbol: Int] = [:]
        var confirmed: [DecodedSymbol] = []
        for symbol in symbols where next[symbol] == nil {
            let streak = (streaks[symbol] ?? 0) + 1
            next[symbol] = streak
            if streak >= Self.framesRequired(for: symbol.symbology) { confirmed.append(symbol) }
        }
        streaks = next
        return confirmed
    }
}

/// Guards against wrong reads from a second decoder: a linear (1D) result counts only when
/// its check digit holds and the previous frame the decoder saw gave the same result. 2D
/// results (with their own error correction) pass at once.
public struct SecondDecoderGuard: Sendable {
    private var previousFrame: Set<DecodedSymbol> = []

    public init() {}

    public mutating func filter(_ symbols: [DecodedSymbol]) -> [DecodedSymbol] {
        defer { previousFrame = Set(symbols) }
        return symbols.filter { symbol in
            guard Self.isLinear(symbol.symbology) else { return true }
            return Self.checkDigitHolds(symbol) && previousFrame.contains(symbol)
        }
    }

    static func isLinear(_ symbology: Symbology) -> Bool {
        switch symbology {
        case .qr, .gs1QR, .datamatrix, .gs1DataMatrix, .pdf417, .aztec, .epc: false
        default: true
        }
    }

    /// The GS1 mod-10 check of EAN/UPC/ITF-14 data; symbologies whose check character the
    /// decoder verifies itself (Code 128, Code 93) pass; others without one do not.
    static func checkDigitHolds(_ symbol: DecodedSymbol) -> Bool {
        switch symbol.symbology {
        case .ean13, .ean8, .upcA, .itf14: CheckDigit.isValidGS1(symbol.bytes)
        case .code128, .gs1128, .code93, .databar, .databarExpanded: true
        default: false
        }
    }
}

public import ScanCodes
