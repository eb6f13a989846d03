// Camera decoding throughput and latency, beside plain C loops over zbar and libdmtx on
// the same frames in the same run. `--smoke` runs a second or two for CI.
import BenchmarkSupport
import CZBarBaseline
import Devices
import Foundation
import Logging
import ScanCodes
import Synchronization

let smoke = CommandLine.arguments.contains("--smoke")

struct Failure: Error, CustomStringConvertible { var description: String }

func tool(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw Failure(description: "\(arguments[0]) failed (install zint and imagemagick)") }
    return data
}

/// A frame with one zint symbol (or none) on a grey background, lightly blurred.
func makeFrame(width: Int, height: Int, zint: [String]?) throws -> GrayFrame {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("camera-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var arguments = ["convert", "-size", "\(width)x\(height)", "xc:gray78", "-gravity", "center"]
    if let zint {
        let label = directory.appendingPathComponent("label.png").path
        _ = try tool(["zint", "-o", label] + zint)
        arguments += ["(", label, "-bordercolor", "white", "-border", "44", ")", "-composite"]
    }
    arguments += ["-blur", "0x0.6", "-colorspace", "gray", "-depth", "8", "gray:-"]
    let pixels = [UInt8](try tool(arguments))
    guard pixels.count == width * height else { throw Failure(description: "convert gave \(pixels.count) bytes") }
    return GrayFrame(width: width, height: height, pixels: pixels)
}

/// Thread CPU time of `body` (BenchmarkSupport): decoding is CPU-bound, so frames/s below
/// are per core.
func seconds(_ body: () -> Void) -> Double { cpuSeconds(body) }

func format(_ value: Double) -> String { String(format: "%8.1f", value) }

let contents: [(name: String, zint: [String]?)] = [
    ("EAN-13", ["-b", "13", "--scale=2", "-d", "590123412345"]),
    ("none", nil),
    ("QR", ["-b", "58", "--scale=4", "-d", "LOC:A-01-02"]),
    ("DataMatrix", ["-b", "71", "--scale=4", "-d", "PART 1234 QTY 5"]),
]
let sizes = smoke ? [(640, 480)] : [(640, 480), (1280, 720)]
let zbarSelection = SymbologySelection(SymbologySelection.standard.enabled.subtracting([.datamatrix, .gs1DataMatrix]))
let typeNumbers = ZBarSymbolScanner.zbarTypeNumbers(for: zbarSelection)
let dataMatrixBudget = CameraConfiguration().dataMatrixBudgetMilliseconds

print("camera decoding, frames/s per core of thread CPU time (Swift pipeline | plain C loop | ratio); zbar with \(zbarSelection.enabled.count) symbologies, libdmtx budget \(dataMatrixBudget) ms CPU")
print("size       content      zbar Swift   zbar C  ratio   dmtx Swift   dmtx C  ratio  found")
for (width, height) in sizes {
    for content in contents {
        let frame = try makeFrame(width: width, height: height, zint: content.zint)
        let scanner = try ZBarSymbolScanner(selection: zbarSelection)
        // The machine is shared: Swift and C run in alternating rounds and each side's
        // best round counts, so a burst of load elsewhere does not decide the ratio.
        let rounds = smoke ? 1 : 5
        let iterations = smoke ? 3 : (width > 640 ? 12 : 30)
        var found = 0
        _ = scanner.scan(frame) // warm up
        var swiftZBar = Double.infinity
        var cZBar = Double.infinity
        let decoder = DataMatrixDecoder(budgetMilliseconds: dataMatrixBudget)
        let dmIterations = smoke ? 1 : 2
        var dmFound = 0
        var swiftDM = Double.infinity
        var cDM = Double.infinity
        for _ in 0..<rounds {
            swiftZBar = min(swiftZBar, seconds { for _ in 0..<iterations { found = scanner.scan(frame).count } })
            cZBar = min(cZBar, seconds {
                _ = typeNumbers.withUnsafeBufferPointer { types in
                    frame.pixels.withUnsafeBufferPointer { pixels in
                        baseline_zbar_loop(pixels.baseAddress, Int32(width), Int32(height), types.baseAddress, Int32(types.count), Int32(iterations))
                    }
                }
            })
            swiftDM = min(swiftDM, seconds { for _ in 0..<dmIterations { dmFound = decoder.decode(frame).count } })
            cDM = min(cDM, seconds {
                _ = frame.pixels.withUnsafeBufferPointer { pixels in
                    baseline_dmtx_loop(pixels.baseAddress, Int32(width), Int32(height), Int32(dataMatrixBudget), Int32(dmIterations))
                }
            })
        }
        let zbarSwiftRate = Double(iterations) / swiftZBar
        let zbarCRate = Double(iterations) / cZBar
        let dmSwiftRate = Double(dmIterations) / swiftDM
        let dmCRate = Double(dmIterations) / cDM
        let label = "\(width)x\(height)".padding(toLength: 10, withPad: " ", startingAt: 0)
        print("\(label) \(content.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(format(zbarSwiftRate))   \(format(zbarCRate)) \(String(format: "%5.2f", zbarSwiftRate / zbarCRate))     \(format(dmSwiftRate))  \(format(dmCRate)) \(String(format: "%5.2f", dmSwiftRate / dmCRate))  zbar \(found), dmtx \(dmFound)")
    }
}

/// A 1280x720 frame with a GS1-128 pallet label as dense as the corpus's unread ones: zint's
/// 2 pixels per module resized to 1.8, blurred by a pixel, with sensor noise.
func makeDensePalletFrame() throws -> GrayFrame {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("camera-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let label = directory.appendingPathComponent("label.png").path
    _ = try tool(["zint", "-b", "16", "--scale=1", "-o", label, "-d", "[00]340123450000000017[02]04012345000009[37]24"])
    let pixels = [UInt8](try tool([
        "convert", "-size", "1280x720", "xc:gray60", "-gravity", "center",
        "(", label, "-resize", "90%", "-bordercolor", "white", "-border", "20", "-rotate", "4", ")", "-composite",
        "-blur", "0x1", "-seed", "3", "-attenuate", "0.25", "+noise", "Gaussian", "-colorspace", "gray", "-depth", "8", "gray:-",
    ]))
    guard pixels.count == 1280 * 720 else { throw Failure(description: "convert gave \(pixels.count) bytes") }
    return GrayFrame(width: 1280, height: 720, pixels: pixels)
}

// The Code 128 fallback's cost per frame: it runs only on frames where zbar and the second
// looks found nothing, within their share of the decoder's time.
do {
    print("Code 128 fallback (BlurredCode128Reader), 1280x720, ms of thread CPU time per frame (best of 3 rounds)")
    let referenceDate = CalendarDate(year: 2026, month: 1, day: 1)
    let fallback = BlurredCode128Reader()
    let frames: [(name: String, frame: GrayFrame)] = [
        ("none", try makeFrame(width: 1280, height: 720, zint: nil)),
        ("EAN-13", try makeFrame(width: 1280, height: 720, zint: contents[0].zint)),
        ("QR", try makeFrame(width: 1280, height: 720, zint: contents[2].zint)),
        ("GS1-128 1.8 px/module", try makeDensePalletFrame()),
    ]
    let iterations = smoke ? 1 : 5
    for (name, frame) in frames {
        var found: [DecodedSymbol] = []
        var best = Double.infinity
        for _ in 0..<(smoke ? 1 : 3) {
            best = min(best, seconds { for _ in 0..<iterations { found = fallback.read(frame, referenceDate: referenceDate) } })
        }
        let read = found.map { "\($0.symbology.rawValue) \(String(decoding: $0.bytes, as: UTF8.self).debugDescription)" }
        print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%7.1f", best / Double(iterations) * 1000)) ms  found \(read)")
    }
}

/// Frames paced like a 30 frames/s camera: blanks, then the label for a while.
final class PacedCamera: FrameSource {
    let blank: GrayFrame
    let label: GrayFrame
    var sent = 0
    let total: Int
    let labelFrom: Int
    let firstLabelAt = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    init(blank: GrayFrame, label: GrayFrame, total: Int, labelFrom: Int) {
        self.blank = blank
        self.label = label
        self.total = total
        self.labelFrom = labelFrom
        firstLabelAt.pointee = 0
    }

    func nextFrame() throws(CameraError) -> GrayFrame? {
        guard sent < total else { return nil }
        if sent > 0 { usleep(33_333) }
        var frame = sent >= labelFrom ? label : blank
        frame.capturedAt = MonotonicClock.nanoseconds()
        if sent == labelFrom { firstLabelAt.pointee = frame.capturedAt }
        sent += 1
        return frame
    }
}

// Latency: a label appears in a 30 frames/s stream; consistency wants an EAN in three
// frames, so the scan comes about two frame intervals after the label appeared.
for (width, height) in sizes {
    let blank = try makeFrame(width: width, height: height, zint: nil)
    let ean = try makeFrame(width: width, height: height, zint: contents[0].zint)
    let camera = PacedCamera(blank: blank, label: ean, total: smoke ? 8 : 30, labelFrom: smoke ? 2 : 10)
    let box = CameraBox(camera)
    let source = CameraScanSource(
        name: "camera:benchmark", configuration: CameraConfiguration(symbologies: SymbologySelection([.ean13])), delivery: .dropWhenBusy,
        reconnects: false, logger: Logger(label: "benchmark")
    ) { () throws(CameraError) -> any FrameSource in box.take() }
    let channel = ScanChannel(capacity: 8)
    source.start(into: channel)
    var scanAt: UInt64 = 0
    for await scan in channel where scanAt == 0 { scanAt = scan.monotonicNanoseconds }
    let metrics = source.metrics
    let frameToScan = Double(metrics.latencyMaximumNanoseconds.load(ordering: .relaxed)) / 1e6
    let appearToScan = scanAt > 0 ? Double(scanAt - camera.firstLabelAt.pointee) / 1e6 : .nan
    print("latency \(width)x\(height) EAN-13 at 30 frames/s: frame-to-scan \(String(format: "%.1f", frameToScan)) ms, label-appears-to-scan \(String(format: "%.1f", appearToScan)) ms, dropped \(metrics.framesDropped.load(ordering: .relaxed)) of \(metrics.framesCaptured.load(ordering: .relaxed))")
}

/// Hands the one prepared camera to the pipeline's capture thread.
final class CameraBox: @unchecked Sendable {
    // @unchecked: the camera is handed over once, to the single capture thread.
    let camera: PacedCamera
    init(_ camera: PacedCamera) { self.camera = camera }
    func take() -> PacedCamera { camera }
}
