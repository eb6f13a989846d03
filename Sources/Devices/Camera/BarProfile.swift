import Foundation

/// An intensity profile across a barcode's bars: many parallel lines across the bars,
/// sampled with bilinear interpolation and averaged, so sensor noise cancels while the bars
/// (constant along their length) stay sharp. Pure pixel arithmetic.
enum BarProfile {
    /// Samples every `spacing` pixels along `angle` over `acrossRange` (projections on
    /// the across-bars axis), averaged over the lines `along - halfBand ... along + halfBand`
    /// one pixel apart (projections on the along-bars axis). Points off the frame take the
    /// nearest edge pixel.
    static func sample(
        _ frame: GrayFrame, angle: Float, acrossRange: ClosedRange<Float>, along: Float, halfBand: Int, spacing: Float
    ) -> [Float] {
        let count = Int((acrossRange.upperBound - acrossRange.lowerBound) / spacing)
        guard count > 0, frame.width >= 2, frame.height >= 2 else { return [] }
        let cosine = cos(angle), sine = sin(angle)
        var profile = [Float](repeating: 0, count: count)
        let width = frame.width, height = frame.height
        let maximumX = Float(width - 1) - 0.001, maximumY = Float(height - 1) - 0.001
        frame.pixels.withUnsafeBufferPointer { pixels in
            for line in -halfBand...halfBand {
                let v = along + Float(line)
                for index in 0..<count {
                    let t = acrossRange.lowerBound + Float(index) * spacing
                    let x = min(max(t * cosine - v * sine, 0), maximumX)
                    let y = min(max(t * sine + v * cosine, 0), maximumY)
                    let left = Int(x), top = Int(y)
                    let right = x - Float(left), down = y - Float(top)
                    let corner = top * width + left
                    let upper = Float(pixels[corner]) * (1 - right) + Float(pixels[corner + 1]) * right
                    let lower = Float(pixels[corner + width]) * (1 - right) + Float(pixels[corner + width + 1]) * right
                    profile[index] += upper * (1 - down) + lower * down
                }
            }
        }
        let lines = Float(2 * halfBand + 1)
        return profile.map { $0 / lines }
    }

    /// How sharply a profile changes: the sum of squared differences between neighbouring
    /// samples. Lines at the bars' true angle average to the sharpest profile.
    static func sharpness(_ profile: [Float]) -> Float {
        var sum: Float = 0
        for index in profile.indices.dropFirst() {
            let step = profile[index] - profile[index - 1]
            sum += step * step
        }
        return sum
    }
}
