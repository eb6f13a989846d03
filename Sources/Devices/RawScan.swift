public import ScanCodes
// dmtx.h pulls in <time.h> outside the Glibc module, so whole-module (release) builds find
// timespec through CDmtx; without this import `swift build -c release` fails.
internal import CDmtx

/// One scan as a source delivered it, before any decoding.
public struct RawScan: Sendable, Hashable {
    /// Which source produced it (`stdin`, `usb:1-4`, `camera:/dev/video0`, ...).
    public var source: String
    /// The payload, terminator removed; at most `PayloadHygiene.maximumLength + 1` bytes.
    public var bytes: [UInt8]
    /// The payload's real length, which may exceed `bytes.count` for oversized scans.
    public var totalLength: Int
    /// The symbology, when the device reports it (HID POS, camera).
    public var symbology: Symbology?
    /// CLOCK_MONOTONIC nanoseconds when the scan was complete.
    public var monotonicNanoseconds: UInt64

    public init(source: String, bytes: [UInt8], totalLength: Int? = nil, symbology: Symbology? = nil, monotonicNanoseconds: UInt64 = MonotonicClock.nanoseconds()) {
        self.source = source
        self.bytes = bytes
        self.totalLength = totalLength ?? bytes.count
        self.symbology = symbology
        self.monotonicNanoseconds = monotonicNanoseconds
    }
}

/// CLOCK_MONOTONIC, for latency figures that wall-clock changes cannot distort.
public enum MonotonicClock {
    public static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
