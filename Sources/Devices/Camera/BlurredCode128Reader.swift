import Foundation
public import ScanCodes

/// A last look for Code 128 and GS1-128 in a frame where zbar and its second looks found
/// nothing: dense pallet labels (SSCC) at under two pixels per module with a pixel of
/// blur, whose narrow bars and spaces have lost their edges.
///
/// `BarcodeRegionLocator` finds regions of parallel bars, `BarProfile` averages lines
/// across them at the angle where the profile is sharpest, and `Code128ProfileDecoder`
/// fits the symbol to it, in both reading directions. A wrong read on a warehouse floor is
/// worse than none, so a reading is reported only when
/// - the quiet zones, the start and the stop are found and the stop ends at the edge,
/// - the mod-103 check character is right,
/// - every character, the check character too, is the best fit at its place and fits
///   well,
/// - no character of a plain Code 128 had a close alternative, and at most one of a
///   GS1-128, whose payload must also parse as a GS1 element string with valid check
///   digits and values, and
/// - the next best sequence with a valid check fits clearly worse.
///
/// Pure arithmetic on the frame. Per 1280x720 frame (CameraBenchmark, one core): about
/// 4 ms without bars, 6 to 15 ms with bars that are no Code 128, 25 to 40 ms reading a
/// GS1-128 pallet label; a plain zbar scan is about 11 ms, the four second looks several
/// times that. It runs only where the second looks run, after them.
public struct BlurredCode128Reader: Sendable {
    /// Regions searched per frame, most bars first.
    static let regionLimit = 4
    /// Samples per pixel across the bars.
    static let spacing: Float = 0.5
    /// Pixels of quiet zone and background sampled beyond a region's bars.
    static let margin: Float = 48
    /// Characters of a GS1-128 allowed a close alternative (a plain Code 128, without the
    /// GS1 checks behind it, none).
    static let maximumAmbiguousGS1 = 1
    /// The next best valid sequence must misfit at least this many times more.
    static let minimumRunnerUpRatio: Float = 1.3

    public init() {}

    /// The Code 128 symbols read; GS1-128 when FNC1 comes first. `referenceDate` resolves
    /// GS1 dates' centuries.
    public func read(_ frame: GrayFrame, referenceDate: CalendarDate) -> [DecodedSymbol] {
        var symbols: [DecodedSymbol] = []
        for region in BarcodeRegionLocator.regions(in: frame, limit: Self.regionLimit) {
            if let symbol = read(region, in: frame, referenceDate: referenceDate), !symbols.contains(symbol) {
                symbols.append(symbol)
            }
        }
        return symbols
    }

    func read(_ region: BarcodeRegionLocator.Region, in frame: GrayFrame, referenceDate: CalendarDate) -> DecodedSymbol? {
        let across = (region.acrossRange.lowerBound - Self.margin)...(region.acrossRange.upperBound + Self.margin)
        let height = region.alongRange.upperBound - region.alongRange.lowerBound
        // Lines averaged: enough to cancel noise, few enough that converging bars (a label
        // seen in perspective) stay sharp.
        let halfBand = max(2, min(12, Int(height / 6)))
        let angle = sharpestAngle(region, in: frame, across: across, halfBand: halfBand)
        // The middle of the bars first; a label partly covered or creased may read higher
        // or lower.
        var bands = [region.alongMiddle]
        if height >= 40 { bands += [region.alongMiddle - height / 4, region.alongMiddle + height / 4] }
        for along in bands {
            let profile = BarProfile.sample(frame, angle: angle, acrossRange: across, along: along, halfBand: halfBand, spacing: Self.spacing)
            for samples in [profile, profile.reversed()] {
                if let symbol = accepted(Code128ProfileDecoder(samples: samples, spacing: Self.spacing).decode(), referenceDate: referenceDate) {
                    return symbol
                }
            }
        }
        return nil
    }

    /// The region's angle corrected by up to 1.5° in quarter degrees: tile gradients give
    /// it to a degree or two, and lines averaged at a wrong angle blur the profile.
    func sharpestAngle(_ region: BarcodeRegionLocator.Region, in frame: GrayFrame, across: ClosedRange<Float>, halfBand: Int) -> Float {
        var best = (sharpness: -Float.infinity, angle: region.angle)
        for step in -6...6 {
            let angle = region.angle + Float(step) * 0.25 * .pi / 180
            let profile = BarProfile.sample(frame, angle: angle, acrossRange: across, along: region.alongMiddle, halfBand: halfBand, spacing: 1)
            let sharpness = BarProfile.sharpness(profile)
            if sharpness > best.sharpness { best = (sharpness, angle) }
        }
        return best.angle
    }

    /// The symbol a reading stands for, if it passes every guard.
    func accepted(_ reading: Code128ProfileDecoder.Reading?, referenceDate: CalendarDate) -> DecodedSymbol? {
        guard let reading,
              reading.worstCharacterCost <= Code128ProfileDecoder.worstAcceptedCost,
              reading.detours == 0,
              reading.runnerUpRatio >= Self.minimumRunnerUpRatio,
              let (bytes, isGS1) = Code128Symbols.text(of: Array(reading.values.dropLast())),
              reading.ambiguousCharacters <= (isGS1 ? Self.maximumAmbiguousGS1 : 0)
        else { return nil }
        if isGS1 {
            let message = GS1Parser.parseElementString(bytes[...], referenceDate: referenceDate)
            guard message.error == nil else { return nil }
        }
        return DecodedSymbol(symbology: isGS1 ? .gs1128 : .code128, bytes: bytes)
    }
}

extension CalendarDate {
    /// Today in the machine's time zone, for resolving GS1 dates' centuries.
    static func today() -> CalendarDate {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }
}
