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

    /// Scans one frame.
    public func scan(_ frame: GrayFrame) -> [DecodedSymbol] {
        scan(pixels: frame.pixels, width: frame.width, height: frame.height)
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
        guard width > 0, height > 0, pixels.count >= width * height, let image = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(image) }
        zbar_image_set_format(image, 0x3030_3859) // fourcc "Y800"
        zbar_image_set_size(image, UInt32(width), UInt32(height))
        return pixels.withUnsafeBytes { buffer -> [DecodedSymbol] in
            // No cleanup handler: the pixels belong to Swift and outlive the scan.
            zbar_image_set_data(image, buffer.baseAddress, UInt(width * height), nil)
            guard zbar_scan_image(scanner, image) >= 0 else { return [] }
            var symbols: [DecodedSymbol] = []
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
                symbols.append(DecodedSymbol(symbology: symbology, bytes: bytes))
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
