/// Code 128's symbol characters and how their values become data (ISO/IEC 15417): the
/// bar/space widths of each value, the mod-103 check, and code sets A, B and C with their
/// shifts and FNC1. Pure tables and arithmetic, for `Code128ProfileDecoder`.
enum Code128Symbols {
    static let startA = 103
    static let startB = 104
    static let startC = 105
    static let stop = 106
    static let fnc1 = 102
    /// Values a data or check character may have (the starts and the stop are not data).
    static let dataValues = 0..<103
    static let startValues = 103...105
    /// A data character is 11 modules; the stop 13.
    static let characterModules = 11
    static let stopModules = 13

    /// Bar and space widths in modules for values 0 to 106, bar first: three bars and three
    /// spaces, the stop an extra 2-module bar.
    static let widths: [[Int]] = {
        let table = """
            212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 \
            221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 \
            221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 \
            212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 \
            231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 \
            231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 \
            314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 \
            112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 \
            111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 \
            214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 \
            114131 311141 411131 211412 211214 211232 2331112
            """
        return table.split(separator: " ").map { word in word.utf8.map { Int($0) - Int(UInt8(ascii: "0")) } }
    }()

    /// The dark modules of a value as (first module, end module) pairs from its left edge.
    static let bars: [[(start: Int, end: Int)]] = widths.map { elements in
        var runs: [(start: Int, end: Int)] = []
        var position = 0
        for (index, width) in elements.enumerated() {
            if index % 2 == 0 { runs.append((position, position + width)) }
            position += width
        }
        return runs
    }

    /// The check value for a start and the data values after it: the start plus each data
    /// value times its position, modulo 103.
    static func checkValue(start: Int, data: some Collection<Int>) -> Int {
        var sum = start
        for (offset, value) in data.enumerated() { sum += (offset + 1) * value }
        return sum % 103
    }

    /// What the symbol says: the bytes (FNC1 after the first position as GS, 0x1D) and
    /// whether FNC1 came first (GS1-128). `values` are the start and the data values, no
    /// check and no stop. Nil for sequences a printer does not produce (a start inside
    /// the data, a shift at the end) and for FNC2, FNC3 and FNC4, which a warehouse label
    /// does not use and which this fallback leaves to zbar.
    static func text(of values: [Int]) -> (bytes: [UInt8], isGS1: Bool)? {
        enum CodeSet { case a, b, c }
        guard let start = values.first else { return nil }
        var set: CodeSet
        switch start {
        case startA: set = .a
        case startB: set = .b
        case startC: set = .c
        default: return nil
        }
        var bytes: [UInt8] = []
        var isGS1 = false
        var shifted = false
        for (position, value) in values.dropFirst().enumerated() {
            guard dataValues.contains(value) else { return nil }
            // A shift changes the set of the one character after it.
            let current: CodeSet = shifted ? (set == .a ? .b : .a) : set
            let wasShifted = shifted
            shifted = false
            if value == fnc1 {
                if position == 0 { isGS1 = true } else { bytes.append(0x1D) }
                continue
            }
            switch current {
            case .c:
                switch value {
                case 0..<100:
                    bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
                    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
                case 100: set = .b
                case 101: set = .a
                default: return nil
                }
            case .a, .b:
                switch value {
                case 0..<64: bytes.append(UInt8(32 + value))
                case 64..<96: bytes.append(current == .a ? UInt8(value - 64) : UInt8(32 + value))
                case 98:
                    guard !wasShifted else { return nil }
                    shifted = true
                case 99: set = .c
                case 100:
                    // Code B in set A, FNC4 in set B.
                    guard current == .a, !wasShifted else { return nil }
                    set = .b
                case 101:
                    // Code A in set B, FNC4 in set A.
                    guard current == .b, !wasShifted else { return nil }
                    set = .a
                default: return nil // FNC2, FNC3
                }
            }
        }
        guard !shifted, !bytes.isEmpty else { return nil }
        return (bytes, isGS1)
    }
}
