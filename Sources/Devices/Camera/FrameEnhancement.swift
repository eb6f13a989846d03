import Foundation

/// Second looks at a frame in which zbar found nothing. zbar finds edges along scan lines
/// and binarizes QR codes itself; a camera's blur, sensor noise and narrow modules (under
/// two pixels each) defeat both. These passes undo some of that before zbar looks again:
///
/// - `sharpened`: an unsharp mask (the frame plus 1.5 times its difference from a Gaussian
///   blur of sigma 1.5) steepens blurred edges again; it recovered QR codes, Code 39 and
///   ITF-14 in the reference corpus that neither zbarimg nor our first pass read.
/// - `upscaled`: twice the size, bilinear, after a slight blur (sigma 0.8) that keeps the
///   noise from being enlarged with the bars: modules of 1.2 to 2 pixels become wide enough
///   for zbar's edge detector.
///
/// - `smoothedAlongBars`, `smoothedAcrossRows`: a blur (sigma 2) along one axis only. Along
///   the bars of an upright barcode it averages sensor noise away without softening the
///   edges zbar's horizontal scan lines cross; the other axis serves a label turned 90°.
///
/// Pure pixel arithmetic, no IO. The passes cost about one to four times a plain scan, so
/// a live camera runs them on some empty frames only (see `CameraScanSource`).
public enum FrameEnhancement: CaseIterable, Sendable {
    case sharpened
    case upscaled
    case smoothedAlongBars
    case smoothedAcrossRows

    public func apply(to frame: GrayFrame) -> GrayFrame {
        switch self {
        case .sharpened: Self.unsharpMasked(frame, sigma: 1.5, amount: 1.5)
        case .upscaled: Self.doubled(Self.blurred(frame, sigma: 0.8))
        case .smoothedAlongBars: Self.blurred(frame, sigma: 2, axes: .vertical)
        case .smoothedAcrossRows: Self.blurred(frame, sigma: 2, axes: .horizontal)
        }
    }

    /// Whether a frame has anything a second look could read: some row or column sampled
    /// every 8 pixels crosses at least 16 edges (a step of 12 grey levels over two pixels),
    /// as a row through bars does however blurred or faint. A blank wall, an empty belt or a
    /// uniform test frame does not, and is not enhanced.
    public static func mayHoldSymbols(_ frame: GrayFrame) -> Bool {
        let width = frame.width, height = frame.height
        guard width >= 3, height >= 3 else { return false }
        let step = 8, minimumEdges = 16, minimumStep: Int = 12
        return frame.pixels.withUnsafeBufferPointer { pixels in
            var y = 0
            while y < height {
                let row = y * width
                var edges = 0
                for x in 1..<(width - 1) where abs(Int(pixels[row + x + 1]) - Int(pixels[row + x - 1])) >= minimumStep {
                    edges += 1
                    if edges >= minimumEdges { return true }
                }
                y += step
            }
            var x = 0
            while x < width {
                var edges = 0
                for y in 1..<(height - 1) where abs(Int(pixels[(y + 1) * width + x]) - Int(pixels[(y - 1) * width + x])) >= minimumStep {
                    edges += 1
                    if edges >= minimumEdges { return true }
                }
                x += step
            }
            return false
        }
    }

    /// Which directions a blur runs in.
    struct Axes: OptionSet {
        let rawValue: Int
        static let horizontal = Axes(rawValue: 1)
        static let vertical = Axes(rawValue: 2)
        static let both: Axes = [.horizontal, .vertical]
    }

    /// `frame + amount * (frame - blur(frame))`, clamped to 0...255.
    static func unsharpMasked(_ frame: GrayFrame, sigma: Double, amount: Float) -> GrayFrame {
        let smooth = blurredValues(frame, sigma: sigma)
        var pixels = [UInt8](repeating: 0, count: frame.width * frame.height)
        frame.pixels.withUnsafeBufferPointer { source in
            smooth.withUnsafeBufferPointer { smooth in
                pixels.withUnsafeMutableBufferPointer { output in
                    for index in 0..<output.count {
                        let value = Float(source[index])
                        output[index] = clampedByte(value + amount * (value - smooth[index]))
                    }
                }
            }
        }
        return GrayFrame(width: frame.width, height: frame.height, pixels: pixels, capturedAt: frame.capturedAt)
    }

    static func blurred(_ frame: GrayFrame, sigma: Double, axes: Axes = .both) -> GrayFrame {
        let values = blurredValues(frame, sigma: sigma, axes: axes)
        return GrayFrame(width: frame.width, height: frame.height, pixels: values.map(clampedByte), capturedAt: frame.capturedAt)
    }

    /// Twice the width and height, each new pixel interpolated between its four nearest
    /// source pixels (pixel centres aligned, edges repeated).
    static func doubled(_ frame: GrayFrame) -> GrayFrame {
        let width = frame.width, height = frame.height
        let outputWidth = width * 2, outputHeight = height * 2
        var pixels = [UInt8](repeating: 0, count: outputWidth * outputHeight)
        frame.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { output in
                for y in 0..<outputHeight {
                    // Source coordinate of the output pixel's centre: (y + 0.5) / 2 - 0.5.
                    let sourceY = max(0, Float(y) * 0.5 - 0.25)
                    let top = min(Int(sourceY), height - 1), bottom = min(top + 1, height - 1)
                    let down = sourceY - Float(top)
                    for x in 0..<outputWidth {
                        let sourceX = max(0, Float(x) * 0.5 - 0.25)
                        let left = min(Int(sourceX), width - 1), right = min(left + 1, width - 1)
                        let across = sourceX - Float(left)
                        let upper = Float(source[top * width + left]) * (1 - across) + Float(source[top * width + right]) * across
                        let lower = Float(source[bottom * width + left]) * (1 - across) + Float(source[bottom * width + right]) * across
                        output[y * outputWidth + x] = clampedByte(upper * (1 - down) + lower * down)
                    }
                }
            }
        }
        return GrayFrame(width: outputWidth, height: outputHeight, pixels: pixels, capturedAt: frame.capturedAt)
    }

    /// A separable Gaussian blur (radius three sigmas, edges repeated), as floats.
    static func blurredValues(_ frame: GrayFrame, sigma: Double, axes: Axes = .both) -> [Float] {
        let width = frame.width, height = frame.height
        let identity: [Float] = [1]
        let kernel = gaussianKernel(sigma: sigma)
        // An axis left alone gets the one-tap kernel: the same loops, the values unchanged.
        let horizontalKernel = axes.contains(.horizontal) ? kernel : identity
        let verticalKernel = axes.contains(.vertical) ? kernel : identity
        var across = [Float](repeating: 0, count: width * height)
        var result = [Float](repeating: 0, count: width * height)
        frame.pixels.withUnsafeBufferPointer { source in
            horizontalKernel.withUnsafeBufferPointer { kernel in
                let radius = kernel.count / 2
                across.withUnsafeMutableBufferPointer { across in
                    for y in 0..<height {
                        let row = y * width
                        for x in 0..<width {
                            var sum: Float = 0
                            for tap in 0..<kernel.count {
                                let column = min(max(x + tap - radius, 0), width - 1)
                                sum += kernel[tap] * Float(source[row + column])
                            }
                            across[row + x] = sum
                        }
                    }
                }
            }
            verticalKernel.withUnsafeBufferPointer { kernel in
                let radius = kernel.count / 2
                across.withUnsafeBufferPointer { across in
                    result.withUnsafeMutableBufferPointer { result in
                        for y in 0..<height {
                            for x in 0..<width {
                                var sum: Float = 0
                                for tap in 0..<kernel.count {
                                    let row = min(max(y + tap - radius, 0), height - 1)
                                    sum += kernel[tap] * across[row * width + x]
                                }
                                result[y * width + x] = sum
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    static func gaussianKernel(sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-radius...radius).map { offset in Float(exp(-Double(offset * offset) / (2 * sigma * sigma))) }
        let total = weights.reduce(0, +)
        for index in weights.indices { weights[index] /= total }
        return weights
    }

    static func clampedByte(_ value: Float) -> UInt8 {
        UInt8(min(max(value.rounded(), 0), 255))
    }
}
