import Foundation

/// Reads Code 128 from an intensity profile across the bars by fitting a model of the
/// printed symbol, not by finding edges: at under two pixels per module with a blur of a
/// pixel, single-module bars and spaces no longer cross any threshold, so edge-based
/// decoders (zbar) see nothing, yet the blurred shape of each 11-module character is still
/// distinct.
///
/// 1. The symbol's outer edges are where the profile turns dark after a quiet zone; the
///    start character (2-module bar first) and stop (2-module bar last) put them within a
///    fraction of a pixel.
/// 2. A Code 128 symbol is 11k + 2 modules wide, so the width between the edges and the
///    best-fitting start and stop give k, the module width and the blur.
/// 3. Each 11-module slot is compared with every character rendered with that blur
///    (allowing a small shift and scale, which follow perspective along the symbol), and a
///    beam search keeps the best few sequences; only those whose mod-103 check character
///    is right, and is itself the best fit at its place, survive.
///
/// Pure arithmetic on the profile; no IO.
struct Code128ProfileDecoder {
    /// A decoded sequence and how well it fits.
    struct Reading: Equatable {
        /// Start, data and check values (not the stop).
        var values: [Int]
        /// The worst character's misfit (mean squared residual over the symbol contrast
        /// squared): under 0.01 for a clean fit.
        var worstCharacterCost: Float
        /// Characters whose best alternative fits nearly as well.
        var ambiguousCharacters: Int
        /// Characters read as a value that was not the best fit at their place (the beam
        /// keeps such sequences in case the check character rules out the best).
        var detours: Int
        /// The total misfit of the next best sequence with a valid check, over this one's:
        /// infinity when there was none.
        var runnerUpRatio: Float
    }

    /// Intensity samples across the bars (bright is high), `spacing` pixels apart.
    let samples: [Float]
    let spacing: Float

    /// How far a character may sit from where the previous one ended, in modules.
    static let shifts: [Float] = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]
    /// Local module width against the symbol's mean, for perspective and ink spread.
    static let scales: [Float] = [0.97, 1, 1.03]
    /// Blurs (Gaussian sigma, pixels) tried when fitting the start and stop.
    static let sigmas: [Float] = [0.5, 0.65, 0.8, 1.0, 1.2, 1.45, 1.75, 2.1]
    /// Sequences kept between characters.
    static let beamWidth = 12
    /// Values each sequence may branch into per character.
    static let branching = 3
    /// Sub-sample phases the rendered characters are kept at.
    static let phases = 8
    /// Values per character that are also tried at the other scales.
    static let rescaled = 6
    /// A reading whose worst character fits worse than this is refused, so sequences that
    /// reach it are dropped from the beam at once.
    static let worstAcceptedCost: Float = 0.02

    init(samples: [Float], spacing: Float) {
        self.samples = samples
        self.spacing = spacing
    }

    /// The best reading, or nil when no quiet zones, start, stop or valid check are found.
    func decode() -> Reading? {
        guard samples.count >= 64, let extent = symbolExtent() else { return nil }
        var candidates = fitsOfStartAndStop(extent)
        candidates.sort { $0.cost < $1.cost }
        // No start and stop where the edges are: not Code 128 (or read backwards).
        guard let best = candidates.first, best.cost <= 2 * Self.worstAcceptedCost else { return nil }
        // The best symbol length, else the second best when it fits almost as well.
        for fit in candidates.prefix(2) where fit.cost <= best.cost * 1.5 + 0.005 {
            if let reading = search(extent: extent, fit: fit) { return reading }
        }
        return nil
    }

    // MARK: Extent

    struct Extent {
        /// Left edge of the first bar and right edge of the last, in pixels from sample 0.
        var left: Float
        var right: Float
        /// Module width estimated from the count of bars and spaces, pixels.
        var roughModule: Float
    }

    /// Finds the symbol around the middle of the profile: the count of bars and spaces
    /// gives a rough module width, and the quiet zones are the first runs of light samples,
    /// going out from the middle, longer than any space inside Code 128 (4 modules) can be.
    func symbolExtent() -> Extent? {
        let sorted = samples.sorted()
        let dark = sorted[sorted.count / 20], light = sorted[sorted.count * 19 / 20]
        guard light - dark > 8 else { return nil }
        let middle = (dark + light) / 2
        var runs: [(isDark: Bool, start: Int, end: Int)] = []
        var start = 0
        for index in 1...samples.count where index == samples.count || (samples[index] < middle) != (samples[start] < middle) {
            runs.append((samples[start] < middle, start, index))
            start = index
        }
        // Each bar and space is one extremum of the profile, even a blurred single-module
        // space that no longer reaches the middle level. A character's six elements
        // average 11/6 modules.
        let quarter = samples.count / 4
        let elements = Self.extremaCount(samples[quarter..<(samples.count - quarter)], hysteresis: 0.06 * (light - dark))
        guard elements >= 6 else { return nil }
        let roughModule = Float(samples.count - 2 * quarter) * spacing / (Float(elements) * 11 / 6)
        let quietLength = 6.5 * roughModule
        guard let middleRun = runs.firstIndex(where: { $0.end > samples.count / 2 }) else { return nil }
        func isQuiet(_ run: (isDark: Bool, start: Int, end: Int)) -> Bool {
            !run.isDark && Float(run.end - run.start) * spacing >= quietLength
        }
        guard let leftQuiet = runs[..<middleRun].lastIndex(where: isQuiet),
              let rightQuiet = runs[(middleRun + 1)...].firstIndex(where: isQuiet),
              rightQuiet - leftQuiet >= 7
        else { return nil }
        let firstBar = runs[leftQuiet + 1].start, lastBarEnd = runs[rightQuiet - 1].end
        // Where the profile crosses the middle level between two samples.
        func crossing(at index: Int) -> Float {
            let before = samples[index - 1], after = samples[index]
            return (Float(index - 1) + (before - middle) / (before - after)) * spacing
        }
        return Extent(left: crossing(at: firstBar), right: crossing(at: lastBarEnd), roughModule: roughModule)
    }

    /// Local maxima and minima that stand out from their neighbourhood by `hysteresis`.
    static func extremaCount(_ values: ArraySlice<Float>, hysteresis: Float) -> Int {
        guard var high = values.first else { return 0 }
        var low = high
        var rising: Bool?
        var count = 0
        for value in values {
            high = max(high, value)
            low = min(low, value)
            if rising != false, value < high - hysteresis {
                // Turned down after a peak.
                if rising == true { count += 1 }
                rising = false
                low = value
            } else if rising != true, value > low + hysteresis {
                if rising == false { count += 1 }
                rising = true
                high = value
            }
        }
        return count
    }

    // MARK: Start and stop

    /// A symbol length with the module width and blur that fit its start and stop best.
    struct Fit {
        var characters: Int
        var module: Float
        var sigma: Float
        var cost: Float
        /// Light level and contrast fitted at the start and at the stop.
        var leftLevels: (light: Float, contrast: Float)
        var rightLevels: (light: Float, contrast: Float)
    }

    /// For each plausible k (module width within -30%/+45% of the rough estimate), how
    /// well a start at the left edge and the stop at the right edge fit, at the best blur.
    func fitsOfStartAndStop(_ extent: Extent) -> [Fit] {
        let width = extent.right - extent.left
        let fewest = max(4, Int((width / (1.45 * extent.roughModule) - 2) / 11))
        let most = Int((width / (0.7 * extent.roughModule) - 2) / 11) + 1
        guard fewest <= most else { return [] }
        var fits: [Fit] = []
        for characters in fewest...most {
            let module = width / Float(11 * characters + 2)
            guard module >= 0.8 else { continue }
            var best: Fit?
            for sigma in Self.sigmas {
                var startBest: (cost: Float, light: Float, contrast: Float)?
                for value in Code128Symbols.startValues {
                    let fit = freeFit(value: value, at: extent.left, module: module, sigma: sigma)
                    if fit.cost < startBest?.cost ?? .infinity { startBest = fit }
                }
                let stop = freeFit(value: Code128Symbols.stop, at: extent.right - 13 * module, module: module, sigma: sigma)
                guard let start = startBest else { continue }
                let cost = start.cost + stop.cost
                if cost < best?.cost ?? .infinity {
                    best = Fit(characters: characters, module: module, sigma: sigma, cost: cost,
                               leftLevels: (start.light, start.contrast), rightLevels: (stop.light, stop.contrast))
                }
            }
            if let best { fits.append(best) }
        }
        return fits
    }

    /// Misfit of one character at `x` with light level and contrast fitted freely; the
    /// neighbours are quiet zone on the left of a start and on the right of the stop.
    func freeFit(value: Int, at x: Float, module: Float, sigma: Float) -> (cost: Float, light: Float, contrast: Float) {
        let modules = Float(value == Code128Symbols.stop ? Code128Symbols.stopModules : Code128Symbols.characterModules)
        let first = Int((x / spacing).rounded(.up)), last = Int(((x + modules * module) / spacing).rounded(.down))
        guard first >= 0, last < samples.count, last - first >= 4 else { return (.infinity, 0, 0) }
        var bars = Code128Symbols.bars[value].map { (Float($0.start), Float($0.end)) }
        // The next character starts with a bar.
        if value != Code128Symbols.stop { bars.append((modules, modules + 1)) }
        var n: Float = 0, sd: Float = 0, sdd: Float = 0, sy: Float = 0, sdy: Float = 0, syy: Float = 0
        for index in first...last {
            let offset = Float(index) * spacing - x
            let d = Self.darkness(at: offset, bars: bars, module: module, sigma: sigma)
            let y = samples[index]
            n += 1; sd += d; sdd += d * d; sy += y; sdy += d * y; syy += y * y
        }
        // y = light - contrast * d, least squares.
        let determinant = n * sdd - sd * sd
        guard determinant > 1e-6 else { return (.infinity, 0, 0) }
        let contrast = (sd * sy - n * sdy) / determinant
        let light = (sy + contrast * sd) / n
        guard contrast > 4 else { return (.infinity, light, contrast) }
        let residual = syy + n * light * light + contrast * contrast * sdd - 2 * light * sy + 2 * contrast * sdy - 2 * light * contrast * sd
        return (max(0, residual) / (n * contrast * contrast), light, contrast)
    }

    /// How dark a blurred run of bars is at `offset` pixels (bars in modules).
    static func darkness(at offset: Float, bars: [(Float, Float)], module: Float, sigma: Float) -> Float {
        var sum: Float = 0
        for (start, end) in bars {
            sum += normalCDF((offset - start * module) / sigma) - normalCDF((offset - end * module) / sigma)
        }
        return sum
    }

    /// The standard normal CDF from a table (linear between entries 1/64 apart, within
    /// 2e-5): libm's erfc was half the decoder's time.
    static func normalCDF(_ z: Float) -> Float {
        let position = (z + cdfReach) * cdfResolution
        guard position > 0 else { return 0 }
        guard position < Float(cdfTable.count - 1) else { return 1 }
        let index = Int(position)
        let fraction = position - Float(index)
        return cdfTable[index] + (cdfTable[index + 1] - cdfTable[index]) * fraction
    }

    static let cdfReach: Float = 6
    static let cdfResolution: Float = 64
    static let cdfTable: [Float] = (0...Int(2 * cdfReach * cdfResolution)).map { index in
        let z = Double(index) / Double(cdfResolution) - Double(cdfReach)
        return Float(0.5 * erfc(-z / 2.0.squareRoot()))
    }

    // MARK: Search

    /// One partial reading in the beam.
    struct Path {
        var values: [Int]
        /// Where the next character should start, pixels.
        var next: Float
        var cost: Float
        var worst: Float
        var ambiguous: Int
        var detours: Int
        /// The last character's final bar and space, modules (its dark tail reaches into
        /// the next character's window).
        var lastBar: Int
        var lastSpace: Int
    }

    func search(extent: Extent, fit: Fit) -> Reading? {
        let count = fit.characters
        let module = fit.module
        var templates = Templates(spacing: spacing, module: module, sigma: fit.sigma)
        let span = extent.right - extent.left
        func levels(at x: Float) -> (light: Float, contrast: Float) {
            let along = min(max((x - extent.left) / span, 0), 1)
            return (fit.leftLevels.light + (fit.rightLevels.light - fit.leftLevels.light) * along,
                    fit.leftLevels.contrast + (fit.rightLevels.contrast - fit.leftLevels.contrast) * along)
        }
        var beam = [Path(values: [], next: extent.left, cost: 0, worst: 0, ambiguous: 0, detours: 0, lastBar: 0, lastSpace: 0)]
        // Slots: the start, count - 3 data characters, the check; the stop is scored last.
        for slot in 0..<(count - 1) {
            var expanded: [Path] = []
            for path in beam where path.worst <= Self.worstAcceptedCost {
                let allowed = slot == 0 ? Array(Code128Symbols.startValues) : Array(Code128Symbols.dataValues)
                var scored = score(path: path, allowed: allowed, templates: &templates, levels: levels)
                if slot == count - 2 {
                    // The check character is read like the others and must agree: the value
                    // the data asks for has to be the best fit there, not merely a fair one.
                    let check = Code128Symbols.checkValue(start: path.values[0], data: path.values.dropFirst())
                    guard scored.first?.value == check else { continue }
                    scored = Array(scored.prefix(2))
                }
                guard let best = scored.first else { continue }
                // The best other value at this slot, to judge how clear the choice was.
                for (rank, candidate) in scored.prefix(slot == count - 2 ? 1 : Self.branching).enumerated() {
                    let other = rank == 0 ? (scored.count > 1 ? scored[1].cost : Float.infinity) : best.cost
                    let clear = other - candidate.cost > max(0.5 * candidate.cost, 0.004)
                    let elements = Code128Symbols.widths[candidate.value]
                    expanded.append(Path(
                        values: path.values + [candidate.value], next: candidate.end, cost: path.cost + candidate.cost,
                        worst: max(path.worst, candidate.cost), ambiguous: path.ambiguous + (clear ? 0 : 1),
                        detours: path.detours + (rank == 0 ? 0 : 1),
                        lastBar: elements[4], lastSpace: elements[5]))
                }
            }
            expanded.removeAll { $0.worst > Self.worstAcceptedCost }
            expanded.sort { $0.cost < $1.cost }
            beam = Array(expanded.prefix(Self.beamWidth))
            guard !beam.isEmpty else { return nil }
        }
        // The stop must follow and end near the right edge.
        var finished: [Path] = []
        for path in beam {
            guard let stop = score(path: path, allowed: [Code128Symbols.stop], templates: &templates, levels: levels).first,
                  abs(stop.end - extent.right) < 1.5 * module
            else { continue }
            guard stop.cost <= Self.worstAcceptedCost else { continue }
            var done = path
            done.cost += stop.cost
            done.worst = max(done.worst, stop.cost)
            finished.append(done)
        }
        finished.sort { $0.cost < $1.cost }
        guard let best = finished.first else { return nil }
        let runnerUp = finished.dropFirst().first { $0.values != best.values }
        return Reading(
            values: best.values, worstCharacterCost: best.worst, ambiguousCharacters: best.ambiguous, detours: best.detours,
            runnerUpRatio: runnerUp.map { $0.cost / max(best.cost, 1e-6) } ?? .infinity)
    }

    struct Scored {
        var value: Int
        var cost: Float
        /// Where the character after it starts, pixels.
        var end: Float
    }

    /// Each allowed value's best misfit over the shifts and scales, best first. Every value
    /// is tried at every shift at the mean module width; the few best then also at the
    /// other scales.
    func score(
        path: Path, allowed: [Int], templates: inout Templates, levels: (Float) -> (light: Float, contrast: Float)
    ) -> [Scored] {
        var best = allowed.map { Scored(value: $0, cost: .infinity, end: 0) }
        let isStop = allowed == [Code128Symbols.stop]
        let modules = Float(isStop ? Code128Symbols.stopModules : Code128Symbols.characterModules)
        let module = templates.module
        var window: [Float] = []
        let unitScale = Self.scales.firstIndex(of: 1) ?? 0
        func evaluate(scaleIndex: Int, indices: [Int]) {
            let scale = Self.scales[scaleIndex]
            for shift in Self.shifts {
                let x = path.next + shift * module
                let (light, contrast) = levels(x)
                guard contrast > 4 else { continue }
                let first = Int((x / spacing).rounded(.up))
                let phase = Float(first) * spacing - x
                let phaseIndex = min(Self.phases - 1, max(0, Int(phase / spacing * Float(Self.phases))))
                let rendering = templates.rendering(scale: scaleIndex, phase: phaseIndex, stop: isStop)
                let n = rendering.length
                guard first >= 0, first + n <= samples.count else { continue }
                // The previous character's last bar darkens the window's start: remove it
                // so the window looks as if its left neighbour were all light.
                window.removeAll(keepingCapacity: true)
                let tailBar = path.values.isEmpty ? nil : (-Float(path.lastSpace + path.lastBar), -Float(path.lastSpace))
                var sy: Float = 0, syy: Float = 0
                for offset in 0..<n {
                    var y = samples[first + offset]
                    if let tailBar {
                        let position = Float(first + offset) * spacing - x
                        y += contrast * Self.darkness(at: position, bars: [tailBar], module: module, sigma: templates.sigma)
                    }
                    window.append(y)
                    sy += y; syy += y * y
                }
                let count = Float(n)
                let lambda = 0.5 * count
                let end = x + modules * module * scale
                window.withUnsafeBufferPointer { window in
                    rendering.darkness.withUnsafeBufferPointer { darkness in
                        for index in indices {
                            let value = best[index].value
                            let sd = rendering.sums[value], sdd = rendering.squares[value]
                            var sdy: Float = 0
                            let base = value * n
                            for offset in 0..<n { sdy += darkness[base + offset] * window[offset] }
                            // y ≈ a - b d, a and b held near the symbol's light level and contrast.
                            let a11 = count + lambda, a12 = -sd, a22 = sdd + lambda
                            let r1 = sy + lambda * light, r2 = -sdy + lambda * contrast
                            let determinant = a11 * a22 - a12 * a12
                            guard determinant > 1e-6 else { continue }
                            let a = (r1 * a22 - a12 * r2) / determinant
                            let b = (a11 * r2 - a12 * r1) / determinant
                            let residual = syy + count * a * a + b * b * sdd - 2 * a * sy + 2 * b * sdy - 2 * a * b * sd
                            let penalty = lambda * ((a - light) * (a - light) + (b - contrast) * (b - contrast))
                            let cost = (max(0, residual) + penalty) / (count * contrast * contrast)
                            if cost < best[index].cost {
                                best[index].cost = cost
                                best[index].end = end
                            }
                        }
                    }
                }
            }
        }
        evaluate(scaleIndex: unitScale, indices: Array(best.indices))
        let leaders = best.indices.sorted { best[$0].cost < best[$1].cost }.prefix(Self.rescaled)
        for scaleIndex in Self.scales.indices where scaleIndex != unitScale {
            evaluate(scaleIndex: scaleIndex, indices: Array(leaders))
        }
        return best.filter { $0.cost.isFinite }.sorted { $0.cost < $1.cost }
    }

    /// Every character rendered with the symbol's blur, per local scale and sub-sample
    /// phase, made when first needed.
    struct Templates {
        /// Every character at one scale and phase.
        struct Rendering {
            /// Samples per character window.
            var length: Int
            /// `length` darkness samples per value, value-major.
            var darkness: [Float]
            var sums: [Float]
            var squares: [Float]
        }

        let spacing: Float
        let module: Float
        let sigma: Float
        private var renderings: [Int: Rendering] = [:]

        init(spacing: Float, module: Float, sigma: Float) {
            self.spacing = spacing
            self.module = module
            self.sigma = sigma
        }

        mutating func rendering(scale: Int, phase: Int, stop: Bool) -> Rendering {
            let key = (scale * phases + phase) * 2 + (stop ? 1 : 0)
            if let made = renderings[key] { return made }
            let local = module * scales[scale]
            let modules = Float(stop ? Code128Symbols.stopModules : Code128Symbols.characterModules)
            let length = max(1, Int(modules * local / spacing))
            let offset = (Float(phase) + 0.5) / Float(phases) * spacing
            let values = stop ? Code128Symbols.stop...Code128Symbols.stop : 0...Code128Symbols.startC
            // Rows are indexed by value; the stop's rendering fills only its own row.
            let rows = stop ? Code128Symbols.stop + 1 : Code128Symbols.startC + 1
            var darkness = [Float](repeating: 0, count: rows * length)
            var sums = [Float](repeating: 0, count: rows)
            var squares = [Float](repeating: 0, count: rows)
            for value in values {
                var bars = Code128Symbols.bars[value].map { (Float($0.start), Float($0.end)) }
                // After a character comes a bar of at least one module; after the stop,
                // the quiet zone.
                if !stop { bars.append((modules, modules + 1)) }
                for sample in 0..<length {
                    let d = Code128ProfileDecoder.darkness(at: offset + Float(sample) * spacing, bars: bars, module: local, sigma: sigma)
                    darkness[value * length + sample] = d
                    sums[value] += d
                    squares[value] += d * d
                }
            }
            let made = Rendering(length: length, darkness: darkness, sums: sums, squares: squares)
            renderings[key] = made
            return made
        }
    }
}
