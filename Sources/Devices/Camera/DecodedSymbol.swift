public import ScanCodes

/// A symbol found in a frame or image.
public struct DecodedSymbol: Sendable, Hashable {
    /// Named as in CONTRACTS.md; GS1 variants (`gs1-128`, `gs1-qr`, `gs1-datamatrix`) when
    /// the symbol carries FNC1 in first position.
    public var symbology: Symbology
    /// The data: no AIM identifier, no leading FNC1, FNC1 separators as GS (0x1D).
    public var bytes: [UInt8]
    public var isGS1: Bool { symbology.isGS1 }

    public init(symbology: Symbology, bytes: [UInt8]) {
        self.symbology = symbology
        self.bytes = bytes
    }
}

/// Which symbologies a site reads. Enabling fewer makes zbar faster and avoids phantom
/// reads. A symbology and its GS1 variant are one decoder setting (`code-128` and
/// `gs1-128`, `qr` and `gs1-qr`, `datamatrix` and `gs1-datamatrix`); enabling either
/// reports both. `itf` reports every Interleaved 2 of 5 symbol (14 digits with a valid
/// check digit as `itf-14`); `itf-14` alone reports only those.
public struct SymbologySelection: Sendable, Hashable {
    public var enabled: Set<Symbology>

    public init(_ enabled: Set<Symbology>) {
        self.enabled = enabled
    }

    /// Everything zbar reads with its defaults, plus DataMatrix. UPC-A and UPC-E are not
    /// enabled on their own (zbar's defaults), so both are reported as `ean-13`: a leading 0
    /// and the 12-digit UPC-A (UPC-E expanded), exactly what zbarimg prints and the GTIN a
    /// catalog knows. Enable `upc-a` or `upc-e` to get them named so.
    public static let standard = SymbologySelection([
        .ean13, .ean8, .code128, .gs1128, .code39, .code93, .codabar, .itf, .itf14,
        .databar, .databarExpanded, .qr, .gs1QR, .datamatrix, .gs1DataMatrix,
    ])

    /// Symbologies that no decoder here reads.
    public static let unreadable: Set<Symbology> = [.pdf417, .aztec, .epc, .unknown]

    /// Parses a comma-separated list of CONTRACTS.md names.
    public init(parsing list: String) throws(CameraError) {
        var enabled: Set<Symbology> = []
        for name in list.split(separator: ",") {
            let trimmed = name.trimmingCharacters()
            guard let symbology = Symbology(rawValue: trimmed) else {
                let known = Symbology.allCases.filter { !Self.unreadable.contains($0) }.map(\.rawValue).joined(separator: ", ")
                throw CameraError(code: .unknownSymbology, message: "unknown symbology '\(trimmed)'; use a comma-separated list of: \(known)")
            }
            guard !Self.unreadable.contains(symbology) else {
                throw CameraError(code: .unknownSymbology, message: "symbology '\(trimmed)' cannot be read from images by this build (zbar and libdmtx do not decode it)")
            }
            enabled.insert(symbology)
        }
        guard !enabled.isEmpty else {
            throw CameraError(code: .unknownSymbology, message: "no symbology given; use a comma-separated list such as ean-13,gs1-128,gs1-datamatrix")
        }
        self.enabled = enabled
    }

    /// Whether DataMatrix needs the second decoder.
    public var needsDataMatrix: Bool { enabled.contains(.datamatrix) || enabled.contains(.gs1DataMatrix) }

    /// Whether a symbol of this symbology is reported.
    public func reports(_ symbology: Symbology) -> Bool {
        switch symbology {
        case .gs1128, .code128: enabled.contains(.code128) || enabled.contains(.gs1128)
        case .qr, .gs1QR: enabled.contains(.qr) || enabled.contains(.gs1QR)
        case .datamatrix, .gs1DataMatrix: needsDataMatrix
        case .itf: enabled.contains(.itf)
        case .itf14: enabled.contains(.itf) || enabled.contains(.itf14)
        default: enabled.contains(symbology)
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
