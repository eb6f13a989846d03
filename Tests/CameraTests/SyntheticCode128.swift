import Foundation
@testable import Devices

/// Code 128 symbols encoded and drawn here, independent of zint, at any module size, angle,
/// blur and noise: the fallback decoder's test frames.
enum SyntheticCode128 {
    /// Values for `text` (start, data, check, stop): set C for runs of four or more digits
    /// (or two at the very start), set B otherwise; GS (0x1D) as FNC1, and a leading FNC1
    /// when `gs1`.
    static func values(for text: String, gs1: Bool = false) -> [Int] {
        let bytes = Array(text.utf8)
        func digitRun(from index: Int) -> Int {
            var end = index
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
            return end - index
        }
        var setC = digitRun(from: 0) >= 2 && digitRun(from: 0) % 2 == 0 || digitRun(from: 0) >= 4
        var values = [setC ? Code128Symbols.startC : Code128Symbols.startB]
        if gs1 { values.append(Code128Symbols.fnc1) }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1D {
                values.append(Code128Symbols.fnc1)
                index += 1
            } else if setC {
                if digitRun(from: index) >= 2 {
                    values.append(Int(bytes[index] - 48) * 10 + Int(bytes[index + 1] - 48))
                    index += 2
                } else {
                    values.append(100) // Code B
                    setC = false
                }
            } else if digitRun(from: index) >= 4 && digitRun(from: index) % 2 == 0 {
                values.append(99) // Code C
                setC = true
            } else {
                values.append(Int(byte) - 32)
                index += 1
            }
        }
        let check = Code128Symbols.checkValue(start: values[0], data: values.dropFirst())
        return values + [check, Code128Symbols.stop]
    }

    /// Dark (true) and light modules of a sequence of values, no quiet zones.
    static func modules(_ values: [Int]) -> [Bool] {
        var modules: [Bool] = []
        for value in values {
            for (index, width) in Code128Symbols.widths[value].enumerated() {
                modules += [Bool](repeating: index % 2 == 0, count: width)
            }
        }
        return modules
    }

    /// How a camera sees a label.
    struct Camera {
        var pixelsPerModule: Double
        /// Rotation of the label, degrees (clockwise on screen: y runs down).
        var angle: Double
        /// Gaussian blur sigma, pixels.
        var blur: Double
        /// Standard deviation of the added sensor noise, grey levels.
        var noise: Double
        var width = 640
        var height = 360
        /// Bar height in modules.
        var barModules = 30.0
        /// How much wider the modules at the symbol's right end are than at its left (0.08:
        /// 8%), growing evenly across it, as a label turned away from the camera shows.
        var stretch = 0.0
        var seed: UInt64 = 1
    }

    /// A frame with the modules on a white label (10-module quiet zones), centred on a
    /// background with a soft gradient; 3x3 samples per pixel, then blur, then noise.
    static func frame(_ modules: [Bool], camera: Camera) -> GrayFrame {
        let ppm = camera.pixelsPerModule
        let barsWidth = Double(modules.count) * ppm, barsHeight = camera.barModules * ppm
        let labelHalfWidth = barsWidth / 2 + 10 * ppm, labelHalfHeight = barsHeight / 2 + 4 * ppm
        let radians = camera.angle * .pi / 180
        let cosine = cos(radians), sine = sin(radians)
        let centreX = Double(camera.width) / 2, centreY = Double(camera.height) / 2
        let light = 225.0, dark = 35.0
        var pixels = [UInt8](repeating: 0, count: camera.width * camera.height)
        for y in 0..<camera.height {
            for x in 0..<camera.width {
                var sum = 0.0
                for sy in 0..<3 {
                    for sx in 0..<3 {
                        let px = Double(x) + (Double(sx) + 0.5) / 3 - 0.5 - centreX
                        let py = Double(y) + (Double(sy) + 0.5) / 3 - 0.5 - centreY
                        // Label coordinates: u along the symbol, v along the bars.
                        let turned = px * cosine + py * sine, v = -px * sine + py * cosine
                        // Where the camera sees `turned`, the label has this point: modules
                        // grow from 1 - stretch/2 to 1 + stretch/2 times their mean width.
                        let u = turned - camera.stretch * (turned * turned - barsWidth * barsWidth / 4) / (2 * barsWidth)
                        if abs(u) > labelHalfWidth || abs(v) > labelHalfHeight {
                            sum += 110 + 40 * Double(x) / Double(camera.width)
                        } else if abs(v) <= barsHeight / 2, u >= -barsWidth / 2, u < barsWidth / 2,
                                  modules[min(modules.count - 1, Int((u + barsWidth / 2) / ppm))] {
                            sum += dark
                        } else {
                            sum += light
                        }
                    }
                }
                pixels[y * camera.width + x] = UInt8((sum / 9).rounded())
            }
        }
        let sharp = GrayFrame(width: camera.width, height: camera.height, pixels: pixels, capturedAt: 0)
        let blurred = camera.blur > 0 ? FrameEnhancement.blurredValues(sharp, sigma: camera.blur) : pixels.map(Float.init)
        var random = SplitMix64(seed: camera.seed)
        let noisy = blurred.map { value in
            FrameEnhancement.clampedByte(value + Float(camera.noise * random.gaussian()))
        }
        return GrayFrame(width: camera.width, height: camera.height, pixels: noisy, capturedAt: 0)
    }
}

/// Noise draws from the target's seeded generator, so every run draws the same noise.
extension SplitMix64 {
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    /// Box-Muller.
    mutating func gaussian() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
    }
}
