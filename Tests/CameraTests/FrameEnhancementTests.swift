import Testing
@testable import Devices

@Suite struct FrameEnhancementTests {
    func frame(_ width: Int, _ height: Int, _ pixel: (Int, Int) -> UInt8) -> GrayFrame {
        var pixels: [UInt8] = []
        for y in 0..<height { for x in 0..<width { pixels.append(pixel(x, y)) } }
        return GrayFrame(width: width, height: height, pixels: pixels, capturedAt: 0)
    }

    @Test func aUniformFrameIsNotWorthASecondLook() {
        #expect(!FrameEnhancement.mayHoldSymbols(frame(200, 100) { _, _ in 199 }))
        // A soft gradient (a lit wall) has no edges either.
        #expect(!FrameEnhancement.mayHoldSymbols(frame(200, 100) { x, _ in UInt8(60 + x / 2) }))
    }

    @Test func barsInEitherDirectionAreWorthASecondLook() {
        // Faint bars, 3 pixels wide, 20 grey levels apart.
        #expect(FrameEnhancement.mayHoldSymbols(frame(200, 100) { x, _ in (x / 3) % 2 == 0 ? 100 : 120 }))
        #expect(FrameEnhancement.mayHoldSymbols(frame(100, 200) { _, y in (y / 3) % 2 == 0 ? 100 : 120 }))
        // Too few edges in any row or column: one dark stripe.
        #expect(!FrameEnhancement.mayHoldSymbols(frame(200, 100) { x, _ in (90..<110).contains(x) ? 20 : 230 }))
    }

    @Test func doublingKeepsFlatAreasAndInterpolatesBetweenPixels() {
        let source = frame(2, 1) { x, _ in x == 0 ? 0 : 200 }
        let doubled = FrameEnhancement.doubled(source)
        #expect(doubled.width == 4 && doubled.height == 2)
        // Centres at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last pixel).
        #expect(Array(doubled.pixels.prefix(4)) == [0, 50, 150, 200])
        #expect(Array(doubled.pixels.suffix(4)) == [0, 50, 150, 200])
        let flat = FrameEnhancement.doubled(frame(5, 3) { _, _ in 77 })
        #expect(flat.pixels.allSatisfy { $0 == 77 } && flat.pixels.count == 60)
    }

    @Test func blurKernelsSumToOneAndBlurKeepsFlatAreas() {
        for sigma in [0.8, 1.5, 2.0] {
            let kernel = FrameEnhancement.gaussianKernel(sigma: sigma)
            #expect(abs(kernel.reduce(0, +) - 1) < 1e-5)
            #expect(kernel.count == 2 * Int((3 * sigma).rounded(.up)) + 1)
        }
        let flat = frame(30, 20) { _, _ in 120 }
        #expect(FrameEnhancement.blurred(flat, sigma: 1.5).pixels.allSatisfy { $0 == 120 })
        #expect(FrameEnhancement.unsharpMasked(flat, sigma: 1.5, amount: 1.5).pixels.allSatisfy { $0 == 120 })
    }

    @Test func aBlurAlongOneAxisLeavesTheOtherAlone() {
        // Vertical bars: smoothing along them (vertically) changes nothing; across them it does.
        let bars = frame(40, 40) { x, _ in (x / 4) % 2 == 0 ? 40 : 210 }
        #expect(FrameEnhancement.smoothedAlongBars.apply(to: bars).pixels == bars.pixels)
        #expect(FrameEnhancement.smoothedAcrossRows.apply(to: bars).pixels != bars.pixels)
    }

    @Test func sharpeningSteepensASoftEdge() {
        let soft = FrameEnhancement.blurred(frame(40, 10) { x, _ in x < 20 ? 60 : 190 }, sigma: 1.5)
        let sharp = FrameEnhancement.sharpened.apply(to: soft)
        let row = 5 * 40
        // Across the edge the sharpened step is larger; far from it nothing changes.
        #expect(Int(sharp.pixels[row + 21]) - Int(sharp.pixels[row + 18]) > Int(soft.pixels[row + 21]) - Int(soft.pixels[row + 18]))
        #expect(sharp.pixels[row + 2] == soft.pixels[row + 2])
    }

    @Test func aLiveCameraSpendsOnlyItsShareOnSecondLooks() {
        var budget = EnhancementBudget(share: 0.1, startedAt: 0)
        #expect(budget.allows(at: 0))
        budget.record(from: 0, to: 5_000_000, found: false) // 5 ms spent at once
        #expect(!budget.allows(at: 20_000_000)) // 5 ms of 20 ms: over a tenth
        #expect(budget.allows(at: 50_000_000)) // 5 ms of 50 ms: within it
        budget.record(from: 50_000_000, to: 60_000_000, found: true)
        // A second look that found a symbol keeps them coming for the next frames.
        #expect(budget.allows(at: 61_000_000))
        let stream = EnhancementBudget(share: 1, startedAt: 0)
        #expect(stream.allows(at: 0))
    }
}
