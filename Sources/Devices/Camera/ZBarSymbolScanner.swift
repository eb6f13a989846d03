internal import CZBar
import ScanCodes

/// A zbar image scanner set for the site's symbologies. Not thread-safe: one per decoding
/// thread. Each frame is scanned on its own; multi-frame consistency is `FrameConsistency`.
public final class ZBarSymbolScanner {
    public let selection: SymbologySelection
    private let scanner: OpaquePointer

    public init(selection: SymbologySelection) throws(CameraError) {
        guard let scanner = zbar_image_scanner_create() else {
            throw CameraError(code: .decoderFailed, message: "zbar could not create an image scanner (out of memory?)")
        }
        self.scanner = scanner
        self.selection = selection
        _ = zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        for type in Self.zbarTypes(for: selection) {
            _ = zbar_image_scanner_set_config(scanner, type, ZBAR_CFG_ENABLE, 1)
        }
        if selection.enabled.contains(.itf14) && !selection.enabled.contains(.itf) {
            // ITF-14 only: zbar itself drops the partial reads a tilted ITF gives.
            _ = zbar_image_scanner_set_config(scanner, ZBAR_I25, ZBAR_CFG_MIN_LEN, 14)
            _ = zbar_image_scanner_set_config(scanner, ZBAR_I25, ZBAR_CFG_MAX_LEN, 14)
        }
    }

    deinit {
        zbar_image_scanner_destroy(scanner)
    }

    /// zbar's symbol type numbers for a selection, for a plain C baseline to enable the
    /// same decoders.
    public static func zbarTypeNumbers(for selection: SymbologySelection) -> [Int32] {
        zbarTypes(for: selection).map { Int32(bitPattern: $0.rawValue) }
    }

    /// The zbar decoders a selection needs.
    static func zbarTypes(for selection: SymbologySelection) -> [zbar_symbol_type_t] {
        var types: [zbar_symbol_type_t] = []
        for symbology in selection.enabled {
            switch symbology {
            case .ean13: types.append(ZBAR_EAN13)
            case .ean8: types.append(ZBAR_EAN8)
            // zbar reads UPC only through its EAN-13 decoder; EAN-13 results the site did
            // not ask for are filtered out after the scan.
            case .upcA: types += [ZBAR_UPCA, ZBAR_EAN13]
            case .upcE: types += [ZBAR_UPCE, ZBAR_EAN13]
            case .code128, .gs1128: types.append(ZBAR_CODE128)
            case .code39: types.append(ZBAR_CODE39)
            case .code93: types.append(ZBAR_CODE93)
            case .codabar: types.append(ZBAR_CODABAR)
            case .itf, .itf14: types.append(ZBAR_I25)
            case .databar: types.append(ZBAR_DATABAR)
            case .databarExpanded: types.append(ZBAR_DATABAR_EXP)
            case .qr, .gs1QR: types.append(ZBAR_QRCODE)
            case .datamatrix, .gs1DataMatrix, .pdf417, .aztec, .epc, .unknown: break
            }
        }
        return types
    }

    /// Scans one frame. A linear read that few of zbar's scan lines agree on is checked
    /// against a closer look (`confirmedWeakReads`).
    public func scan(_ frame: GrayFrame) -> [DecodedSymbol] {
        confirmedWeakReads(reads(pixels: frame.pixels, width: frame.width, height: frame.height), in: frame)
    }

    /// zbar's quality (the scan lines that decoded the symbol the same way) under which a
    /// linear read is weak. The corpus's true reads score 58 to 258; zbar's one misread (an
    /// EAN-13 at 2.2 pixels per module, blurred, read as another valid EAN-13) scores 4.
    static let weakQuality: Int32 = 20

    /// Weak linear reads, looked at again in the frame at twice its size (bilinear, no
    /// blur), where the bars are wide enough for zbar's edge detector: when a different
    /// reading of the same kind of symbol, at the same place, now has a strong quality and
    /// at least twice that of every other reading there, it replaces the weak one (a
    /// blurred EAN whose check digit happened to hold for the wrong digits). Otherwise the
    /// weak read stands: zbar's own check digits passed, and nothing better was seen.
    func confirmedWeakReads(_ found: [ZBarRead], in frame: GrayFrame) -> [DecodedSymbol] {
        guard found.contains(where: \.isWeakLinear) else { return found.map(\.symbol) }
        let doubled = FrameEnhancement.doubled(frame)
        let closer = reads(pixels: doubled.pixels, width: doubled.width, height: doubled.height).map { $0.halved() }
        var symbols: [DecodedSymbol] = []
        for read in found {
            var symbol = read.symbol
            if read.isWeakLinear {
                let there = closer.filter { $0.symbol.symbology.zbarFamily == read.symbol.symbology.zbarFamily && $0.overlaps(read) }
                if let best = there.max(by: { $0.quality < $1.quality }), best.symbol != read.symbol, best.quality >= Self.weakQuality,
                   there.allSatisfy({ $0.symbol == best.symbol || best.quality >= 2 * $0.quality }) {
                    symbol = best.symbol
                }
            }
            if !symbols.contains(symbol) { symbols.append(symbol) }
        }
        return symbols
    }

    /// Scans a frame, and when zbar finds nothing, enhanced copies of it (`passes`, in
    /// order), up to the first that yields a symbol. A frame with a symbol is never
    /// enhanced, so the passes cannot add a second reading of a label already read.
    public func scan(_ frame: GrayFrame, enhancing passes: [FrameEnhancement]) -> [DecodedSymbol] {
        let found = scan(frame)
        guard found.isEmpty else { return found }
        return scanEnhanced(frame, passes: passes)
    }

    /// Only the second looks: enhanced copies of the frame, up to the first that yields.
    public func scanEnhanced(_ frame: GrayFrame, passes: [FrameEnhancement] = FrameEnhancement.allCases) -> [DecodedSymbol] {
        guard FrameEnhancement.mayHoldSymbols(frame) else { return [] }
        for pass in passes {
            let again = scan(pass.apply(to: frame))
            if !again.isEmpty { return again }
        }
        return []
    }

    public func scan(pixels: [UInt8], width: Int, height: Int) -> [DecodedSymbol] {
        scan(GrayFrame(width: width, height: height, pixels: pixels, capturedAt: 0))
    }

    /// zbar's results for one image, with their quality and place.
    func reads(pixels: [UInt8], width: Int, height: Int) -> [ZBarRead] {
        guard width > 0, height > 0, pixels.count >= width * height, let image = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(image) }
        zbar_image_set_format(image, 0x3030_3859) // fourcc "Y800"
        zbar_image_set_size(image, UInt32(width), UInt32(height))
        return pixels.withUnsafeBytes { buffer -> [ZBarRead] in
            // No cleanup handler: the pixels belong to Swift and outlive the scan.
            zbar_image_set_data(image, buffer.baseAddress, UInt(width * height), nil)
            guard zbar_scan_image(scanner, image) >= 0 else { return [] }
            var symbols: [ZBarRead] = []
            var next = zbar_image_first_symbol(image)
            while let symbol = next {
                next = zbar_symbol_next(symbol)
                let length = Int(zbar_symbol_get_data_length(symbol))
                guard let data = zbar_symbol_get_data(symbol) else { continue }
                let bytes = data.withMemoryRebound(to: UInt8.self, capacity: length) { [UInt8](UnsafeBufferPointer(start: $0, count: length)) }
                let isGS1 = zbar_symbol_get_modifiers(symbol) & (1 << ZBAR_MOD_GS1.rawValue) != 0
                guard let symbology = Self.symbology(zbar_symbol_get_type(symbol), gs1: isGS1, data: bytes),
                      selection.reports(symbology)
                else { continue }
                var xs: [Int32] = [], ys: [Int32] = []
                for point in 0..<zbar_symbol_get_loc_size(symbol) {
                    xs.append(Int32(zbar_symbol_get_loc_x(symbol, point)))
                    ys.append(Int32(zbar_symbol_get_loc_y(symbol, point)))
                }
                symbols.append(ZBarRead(
                    symbol: DecodedSymbol(symbology: symbology, bytes: bytes), quality: Int32(zbar_symbol_get_quality(symbol)),
                    minX: xs.min() ?? 0, minY: ys.min() ?? 0, maxX: xs.max() ?? 0, maxY: ys.max() ?? 0))
            }
            // zbar lists symbols last-found first; report them in the order found.
            return symbols.reversed()
        }
    }

    /// zbar's symbol type and GS1 modifier in CONTRACTS.md names.
    static func symbology(_ type: zbar_symbol_type_t, gs1: Bool, data: [UInt8]) -> Symbology? {
        switch type {
        case ZBAR_EAN13, ZBAR_ISBN13: return .ean13
        case ZBAR_EAN8: return .ean8
        case ZBAR_UPCA: return .upcA
        case ZBAR_UPCE: return .upcE
        case ZBAR_CODE128: return gs1 ? .gs1128 : .code128
        case ZBAR_CODE39: return .code39
        case ZBAR_CODE93: return .code93
        case ZBAR_CODABAR: return .codabar
        case ZBAR_I25:
            // zbar names every Interleaved 2 of 5 "I2/5"; 14 digits with a valid GS1
            // check digit are an ITF-14 (a GTIN-14 on a case).
            return data.count == 14 && CheckDigit.isValidGS1(data) ? .itf14 : .itf
        case ZBAR_DATABAR: return .databar
        case ZBAR_DATABAR_EXP: return .databarExpanded
        case ZBAR_QRCODE: return gs1 ? .gs1QR : .qr
        default: return nil
        }
    }
}

/// One zbar result, with how many scan lines agreed on it and the box around the points
/// where they crossed it.
struct ZBarRead {
    var symbol: DecodedSymbol
    var quality: Int32
    var minX: Int32, minY: Int32, maxX: Int32, maxY: Int32

    var isWeakLinear: Bool { quality < ZBarSymbolScanner.weakQuality && symbol.symbology.zbarFamily != .qr }

    /// The read of a twice-sized frame in the original frame's coordinates.
    func halved() -> ZBarRead {
        ZBarRead(symbol: symbol, quality: quality, minX: minX / 2, minY: minY / 2, maxX: maxX / 2, maxY: maxY / 2)
    }

    /// Whether the two boxes meet, with a margin: a linear symbol's points lie on the few
    /// scan lines that crossed it, so two reads of one label need not share a line.
    func overlaps(_ other: ZBarRead) -> Bool {
        let margin: Int32 = 16
        return minX - margin <= other.maxX && other.minX - margin <= maxX && minY - margin <= other.maxY && other.minY - margin <= maxY
    }
}

extension Symbology {
    /// Symbologies one zbar decoder reports under several names (EAN and UPC; a Code 128
    /// with or without FNC1 first; ITF of any length), so two readings of one symbol compare.
    var zbarFamily: Symbology {
        switch self {
        case .ean8, .upcA, .upcE: .ean13
        case .gs1128: .code128
        case .itf14: .itf
        case .gs1QR: .qr
        default: self
        }
    }
}
