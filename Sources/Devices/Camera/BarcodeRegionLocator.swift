import Foundation

/// Finds where a frame may hold a linear barcode and which way its bars run, for decoders
/// that sample across the bars themselves (`BlurredCode128Reader`).
///
/// The frame is cut into 16-pixel tiles; a tile over bars has strong gradients that all
/// point one way (across the bars), which the gradient structure tensor measures as a high
/// coherence. Neighbouring such tiles with about the same direction form a region; a region
/// long across its bars (as a symbol is) is a candidate. Pure pixel arithmetic.
enum BarcodeRegionLocator {
    /// A candidate region in frame coordinates.
    struct Region: Equatable {
        /// Direction across the bars, radians (x right, y down).
        var angle: Float
        /// The region's extent along `angle` (across the bars) and along the bars: the
        /// projections of its tile centres, widened by half a tile.
        var acrossRange: ClosedRange<Float>
        var alongRange: ClosedRange<Float>
        /// Median projection of its tiles along the bars: the middle of the bars.
        var alongMiddle: Float
        var tiles: Int
    }

    static let tileSize = 16
    /// Mean squared gradient (central differences) a tile needs: faint bars at 15% contrast
    /// give several hundred.
    static let minimumEnergy: Float = 120
    static let minimumCoherence: Float = 0.75
    /// Neighbouring tiles join a region when their directions differ by less than this.
    static let maximumTurn: Float = 20 * .pi / 180
    static let minimumTiles = 6

    /// Regions, most tiles first, at most `limit`.
    static func regions(in frame: GrayFrame, limit: Int = 4) -> [Region] {
        let size = tileSize
        let columns = frame.width / size, rows = frame.height / size
        guard columns >= 3, rows >= 1 else { return [] }
        var energy = [Float](repeating: 0, count: columns * rows)
        var coherence = [Float](repeating: 0, count: columns * rows)
        // Doubled-angle orientation, so opposite gradients (the two edges of a bar) agree.
        var orientation = [Float](repeating: 0, count: columns * rows)
        let width = frame.width, height = frame.height
        frame.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<rows {
                for column in 0..<columns {
                    var xx: Float = 0, yy: Float = 0, xy: Float = 0
                    for y in (row * size)..<(row * size + size) {
                        let above = max(y - 1, 0) * width, below = min(y + 1, height - 1) * width, line = y * width
                        for x in (column * size)..<(column * size + size) {
                            let gx = Float(Int(pixels[line + min(x + 1, width - 1)]) - Int(pixels[line + max(x - 1, 0)]))
                            let gy = Float(Int(pixels[below + x]) - Int(pixels[above + x]))
                            xx += gx * gx; yy += gy * gy; xy += gx * gy
                        }
                    }
                    let tile = row * columns + column
                    let total = xx + yy
                    energy[tile] = total / Float(size * size)
                    coherence[tile] = total > 0 ? ((xx - yy) * (xx - yy) + 4 * xy * xy).squareRoot() / total : 0
                    orientation[tile] = atan2(2 * xy, xx - yy)
                }
            }
        }
        let strong = energy.indices.map { energy[$0] >= minimumEnergy && coherence[$0] >= minimumCoherence }
        var visited = [Bool](repeating: false, count: strong.count)
        var regions: [Region] = []
        for seed in strong.indices where strong[seed] && !visited[seed] {
            // Flood fill over the eight neighbours that turn little.
            var members: [Int] = []
            var stack = [seed]
            visited[seed] = true
            while let tile = stack.popLast() {
                members.append(tile)
                let row = tile / columns, column = tile % columns
                for dy in -1...1 {
                    for dx in -1...1 {
                        let r = row + dy, c = column + dx
                        guard r >= 0, r < rows, c >= 0, c < columns else { continue }
                        let neighbour = r * columns + c
                        guard strong[neighbour], !visited[neighbour],
                              angleBetween(orientation[tile], orientation[neighbour]) < 2 * maximumTurn
                        else { continue }
                        visited[neighbour] = true
                        stack.append(neighbour)
                    }
                }
            }
            guard members.count >= minimumTiles else { continue }
            var cosines: Float = 0, sines: Float = 0
            for tile in members {
                let weight = energy[tile] * coherence[tile]
                cosines += weight * cos(orientation[tile])
                sines += weight * sin(orientation[tile])
            }
            let doubled = atan2(sines, cosines)
            // Tiles of something else that joined through a neighbour are left out.
            let aligned = members.filter { angleBetween(orientation[$0], doubled) < 2 * maximumTurn }
            guard aligned.count >= minimumTiles else { continue }
            let angle = doubled / 2
            let across = (x: cos(angle), y: sin(angle)), along = (x: -sin(angle), y: cos(angle))
            var acrossValues: [Float] = [], alongValues: [Float] = []
            for tile in aligned {
                let x = (Float(tile % columns) + 0.5) * Float(size), y = (Float(tile / columns) + 0.5) * Float(size)
                acrossValues.append(x * across.x + y * across.y)
                alongValues.append(x * along.x + y * along.y)
            }
            let half = Float(size) / 2
            guard let acrossLow = acrossValues.min(), let acrossHigh = acrossValues.max(),
                  let alongLow = alongValues.min(), let alongHigh = alongValues.max()
            else { continue }
            // A symbol is wider across its bars than a single edge or line is.
            guard acrossHigh - acrossLow >= 3 * Float(size) else { continue }
            alongValues.sort()
            regions.append(Region(
                angle: angle, acrossRange: (acrossLow - half)...(acrossHigh + half),
                alongRange: (alongLow - half)...(alongHigh + half), alongMiddle: alongValues[alongValues.count / 2],
                tiles: aligned.count))
        }
        return Array(regions.sorted { $0.tiles > $1.tiles }.prefix(limit))
    }

    /// The absolute difference of two angles, wrapped to 0...pi.
    static func angleBetween(_ first: Float, _ second: Float) -> Float {
        var difference = abs(first - second).truncatingRemainder(dividingBy: 2 * .pi)
        if difference > .pi { difference = 2 * .pi - difference }
        return difference
    }
}
