/// One 8-bit grayscale (Y800) frame, rows top to bottom, no padding.
public struct GrayFrame: Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    /// CLOCK_MONOTONIC nanoseconds when the frame was captured or read, for latency.
    public var capturedAt: UInt64

    /// The largest frame accepted from any source (16384x16384): a corrupt header must not
    /// make the daemon allocate gigabytes.
    public static let maximumPixels = 16384 * 16384

    public init(width: Int, height: Int, pixels: [UInt8], capturedAt: UInt64 = MonotonicClock.nanoseconds()) {
        self.width = width
        self.height = height
        self.pixels = pixels
        self.capturedAt = capturedAt
    }
}
