import Foundation
import Logging
import ScanCodes
import Synchronization
import Testing
@testable import Devices

/// Frame streams through the whole camera source: capture thread, zbar and libdmtx
/// threads, consistency, hold-off, into a ScanChannel.
@Suite struct CameraPipelineTests {
    static let logger = Logger(label: "camera-tests")

    /// A long hold-off by default: a loaded test machine can take longer than the
    /// production window between two frames of one stream.
    static let test = CameraConfiguration(holdOffMilliseconds: 60_000)

    func source(_ stream: [UInt8], argumentPrefix: String = "", configuration: CameraConfiguration = Self.test) throws -> CameraScanSource {
        let path = try temporaryFile(stream)
        return try CameraScanSource.frames(argument: argumentPrefix + path, configuration: configuration, logger: Self.logger)
    }

    func repeated(_ frame: [UInt8], _ times: Int) -> [UInt8] {
        Array([[UInt8]](repeating: frame, count: times).joined())
    }

    @Test func eachLabelHeldForSomeFramesIsOneScan() async throws {
        let ean = try FrameMaker.pgm([.ean13], degradation: .blur)
        let qr = try FrameMaker.pgm([.qr], degradation: .noise)
        let dataMatrix = try FrameMaker.pgm([.gs1DataMatrix], degradation: .rotation)
        let blank = FrameMaker.blankPGM()
        let stream = repeated(ean, 4) + repeated(blank, 2) + repeated(qr, 3) + repeated(blank, 2) + repeated(dataMatrix, 3)
        let camera = try source(stream)
        let scans = try await collectScans(camera)
        #expect(scans.count == 3)
        #expect(Set(scans.map(\.decoded)) == [TestLabel.ean13.expected, TestLabel.qr.expected, TestLabel.gs1DataMatrix.expected])
        #expect(scans.allSatisfy { $0.source == camera.name && $0.source.hasPrefix("frames:/") })
        #expect(camera.metrics.framesCaptured.load(ordering: .relaxed) == 14)
        #expect(camera.metrics.framesScanned.load(ordering: .relaxed) == 14)
        #expect(camera.metrics.framesDropped.load(ordering: .relaxed) == 0)
        #expect(camera.metrics.scans.load(ordering: .relaxed) == 3)
    }

    @Test func everyLabelKindArrivesWithItsSymbology() async throws {
        var stream: [UInt8] = []
        for label in TestLabel.all {
            stream += repeated(try FrameMaker.pgm([label], width: 1280, height: 720), 3) + FrameMaker.blankPGM(width: 1280, height: 720)
        }
        let scans = try await collectScans(source(stream))
        #expect(scans.count == TestLabel.all.count)
        #expect(Set(scans.map(\.decoded)) == Set(TestLabel.all.map(\.expected)))
    }

    @Test func theHoldOffWindowDecidesWhenTheSameLabelCountsAgain() async throws {
        let ean = try FrameMaker.pgm([.ean13])
        let stream = repeated(ean, 4) + repeated(FrameMaker.blankPGM(), 3) + repeated(ean, 4)
        let long = try await collectScans(source(stream, configuration: .init(holdOffMilliseconds: 60_000)))
        #expect(long.map(\.decoded) == [TestLabel.ean13.expected])
        let none = try await collectScans(source(stream, configuration: .init(holdOffMilliseconds: 0)))
        #expect(none.count >= 2)
        #expect(none.allSatisfy { $0.decoded == TestLabel.ean13.expected })
    }

    @Test func consistencyWantsAnEANInThreeConsecutiveFrames() async throws {
        let ean = try FrameMaker.pgm([.ean13])
        let blank = FrameMaker.blankPGM()
        let stream = ean + ean + blank + ean + ean + blank
        let consistent = try await collectScans(source(stream, configuration: .init(holdOffMilliseconds: 60_000, consistency: true)))
        #expect(consistent.isEmpty)
        let single = try await collectScans(source(stream, configuration: .init(holdOffMilliseconds: 60_000, consistency: false)))
        #expect(single.map(\.decoded) == [TestLabel.ean13.expected])
    }

    @Test func twoLabelsInOneFrameAreTwoScans() async throws {
        let both = try FrameMaker.pgm([.ean13, .otherEAN13], width: 1280, height: 720)
        let scans = try await collectScans(source(repeated(both, 4)))
        #expect(scans.count == 2)
        #expect(Set(scans.map(\.decoded)) == [TestLabel.ean13.expected, TestLabel.otherEAN13.expected])
    }

    @Test func twoEqualLabelsInOneFrameAreOneScan() async throws {
        let both = try FrameMaker.pgm([.ean13, .ean13], width: 1280, height: 720)
        let scans = try await collectScans(source(repeated(both, 4)))
        #expect(scans.map(\.decoded) == [TestLabel.ean13.expected])
    }

    @Test func aTruncatedStreamEndsTheSourceAfterItsGoodFrames() async throws {
        let ean = try FrameMaker.pgm([.ean13])
        let stream = repeated(ean, 4) + Array(ean.prefix(ean.count / 2))
        let camera = try source(stream)
        let scans = try await collectScans(camera)
        #expect(scans.map(\.decoded) == [TestLabel.ean13.expected])
        #expect(camera.metrics.framesCaptured.load(ordering: .relaxed) == 4)
    }

    @Test func rawY800FramesTakeTheirSizeFromTheArgument() async throws {
        let ean = try FrameMaker.frame([.ean13])
        let stream = repeated(ean.pixels, 4)
        let scans = try await collectScans(source(stream, argumentPrefix: "\(ean.width)x\(ean.height):"))
        #expect(scans.map(\.decoded) == [TestLabel.ean13.expected])
        let wrong = try await collectScans(source(stream + [1, 2, 3], argumentPrefix: "\(ean.width)x\(ean.height):"))
        #expect(wrong.count == 1)
    }

    @Test func aMissingFrameFileEndsTheSource() async throws {
        let camera = try CameraScanSource.frames(argument: "/nonexistent/stream.pgm", logger: Self.logger)
        let scans = try await collectScans(camera, timeout: .seconds(10))
        #expect(scans.isEmpty)
    }

    @Test func onlyTheSitesSymbologiesBecomeScans() async throws {
        let stream = repeated(try FrameMaker.pgm([.ean13, .qr]), 4)
        let scans = try await collectScans(source(stream, configuration: .init(symbologies: SymbologySelection([.qr]), holdOffMilliseconds: 60_000)))
        #expect(scans.map(\.decoded) == [TestLabel.qr.expected])
    }
}

/// A camera that delivers scripted frames, then goes away.
final class ScriptedCamera: FrameSource {
    var frames: [GrayFrame]
    init(frames: [GrayFrame]) { self.frames = frames }

    func nextFrame() throws(CameraError) -> GrayFrame? {
        guard !frames.isEmpty else { throw CameraError(code: .deviceLost, message: "scripted unplug") }
        return frames.removeFirst()
    }
}

@Suite struct CameraReconnectTests {
    @Test func anUnpluggedCameraIsReopenedWithBackOff() async throws {
        let ean = try FrameMaker.frame([.ean13])
        let qr = try FrameMaker.frame([.qr])
        let opens = Mutex<[UInt64]>([])
        let configuration = CameraConfiguration(reconnectFirstMilliseconds: 20, reconnectMaximumMilliseconds: 80)
        let camera = CameraScanSource(
            name: "camera:/dev/video9", configuration: configuration, delivery: .waitForDecoder, reconnects: true,
            logger: CameraPipelineTests.logger
        ) { () throws(CameraError) -> any FrameSource in
            let attempt = opens.withLock { times in
                times.append(MonotonicClock.nanoseconds())
                return times.count
            }
            switch attempt {
            case 1: throw CameraError(code: .deviceNotFound, message: "not plugged in yet")
            case 2: return ScriptedCamera(frames: Array(repeating: ean, count: 4))
            case 3, 4: throw CameraError(code: .deviceNotFound, message: "unplugged")
            case 5: return ScriptedCamera(frames: Array(repeating: qr, count: 2))
            default: throw CameraError(code: .deviceNotFound, message: "gone for good")
            }
        }
        let channel = ScanChannel(capacity: 4)
        camera.start(into: channel)
        var scans: [RawScan] = []
        for await scan in channel {
            scans.append(scan)
            if scans.count == 2 { break }
        }
        channel.cancel()
        #expect(scans.map(\.decoded) == [TestLabel.ean13.expected, TestLabel.qr.expected])
        #expect(scans.allSatisfy { $0.source == "camera:/dev/video9" })
        #expect(camera.metrics.reconnects.load(ordering: .relaxed) == 2)
        // Back-off doubles after each failure: 20 ms, then (after frames) 20, 40 ms.
        let times = opens.withLock { $0 }
        #expect(times.count >= 5)
        if times.count >= 5 {
            #expect(times[1] - times[0] >= 20_000_000)
            #expect(times[4] - times[3] >= 40_000_000)
        }
    }

    @Test func aCameraThatNeverOpensEndsWhenTheConsumerStops() async throws {
        let camera = CameraScanSource.camera(
            device: "/dev/video-scanstation-missing", configuration: .init(reconnectFirstMilliseconds: 10, reconnectMaximumMilliseconds: 20),
            logger: CameraPipelineTests.logger)
        let channel = ScanChannel(capacity: 4)
        camera.start(into: channel)
        try await Task.sleep(for: .milliseconds(200))
        channel.cancel()
        var received = 0
        for await _ in channel { received += 1 }
        #expect(received == 0)
        #expect(camera.metrics.framesCaptured.load(ordering: .relaxed) == 0)
    }

    @Test func aBusyCameraDropsFramesAndCountsThem() async throws {
        let blank = GrayFrame(width: 1280, height: 720, pixels: [UInt8](repeating: 200, count: 1280 * 720))
        let camera = CameraScanSource(
            name: "camera:/dev/video8", configuration: .init(), delivery: .dropWhenBusy, reconnects: false,
            logger: CameraPipelineTests.logger
        ) { () throws(CameraError) -> any FrameSource in
            ScriptedCamera(frames: Array(repeating: blank, count: 200))
        }
        let scans = try await collectScans(camera)
        #expect(scans.isEmpty)
        let captured = camera.metrics.framesCaptured.load(ordering: .relaxed)
        let scanned = camera.metrics.framesScanned.load(ordering: .relaxed)
        let dropped = camera.metrics.framesDropped.load(ordering: .relaxed)
        #expect(captured == 200)
        #expect(dropped > 0)
        #expect(scanned + dropped == captured)
        #expect(camera.metrics.dataMatrixFramesScanned.load(ordering: .relaxed) + camera.metrics.dataMatrixFramesDropped.load(ordering: .relaxed) == captured)
    }
}

@Suite struct VideoDeviceTests {
    @Test func aMissingCameraIsAClearErrorNamingIt() {
        let error = #expect(throws: CameraError.self) { try VideoFrameSource(device: "/dev/video-scanstation-missing") }
        #expect(error?.code == .deviceNotFound)
        #expect(error?.message.contains("/dev/video-scanstation-missing") == true)
    }

    @Test func aDeviceThatIsNoCameraIsAClearErrorNamingIt() {
        let error = #expect(throws: CameraError.self) { try VideoFrameSource(device: "/dev/null") }
        #expect(error?.code == .deviceOpenFailed)
        #expect(error?.message.contains("/dev/null") == true)
    }

    @Test func aBusyCameraIsReportedAsBusy() {
        // zbar's text when V4L2 answers EBUSY; a busy device cannot be made here.
        let error = VideoFrameSource.openError(device: "/dev/video0", reason: "system error: opening video device '/dev/video0': Device or resource busy (16)")
        #expect(error.code == .deviceBusy)
        #expect(error.message.contains("/dev/video0"))
    }
}

@Suite struct HoldOffTests {
    let ean = DecodedSymbol(symbology: .ean13, bytes: Array("5901234123457".utf8))
    let qr = DecodedSymbol(symbology: .qr, bytes: Array("LOC:A-01-02".utf8))
    let second: UInt64 = 1_000_000_000

    @Test func aLabelHeldUnderTheCameraIsOneScan() {
        var holdOff = SymbolHoldOff(windowNanoseconds: 1_500_000_000)
        var scans: [DecodedSymbol] = []
        for frame in 0..<300 { // ten seconds at 30 frames/s
            scans += holdOff.observe([ean], at: UInt64(frame) * second / 30)
        }
        #expect(scans == [ean])
    }

    @Test func theSameDataCountsAgainAfterTheWindow() {
        var holdOff = SymbolHoldOff(windowNanoseconds: 1_500_000_000)
        #expect(holdOff.observe([ean], at: 0) == [ean])
        #expect(holdOff.observe([ean], at: second).isEmpty)
        #expect(holdOff.observe([ean], at: 2 * second).isEmpty) // still within 1.5 s of the last sighting
        #expect(holdOff.observe([ean], at: 4 * second) == [ean])
    }

    @Test func twoLabelsInAFrameAreTwoScansAndDuplicatesOne() {
        var holdOff = SymbolHoldOff(windowNanoseconds: second)
        #expect(holdOff.observe([ean, qr, ean], at: 0) == [ean, qr])
        #expect(holdOff.observe([qr], at: second / 2).isEmpty)
    }

    @Test func consistencyCountsConsecutiveFramesPerSymbology() {
        var consistency = FrameConsistency()
        #expect(consistency.observe([ean, qr]) == [qr]) // QR: one frame is enough
        #expect(consistency.observe([ean]).isEmpty)
        #expect(consistency.observe([]).isEmpty) // a frame without it starts over
        #expect(consistency.observe([ean, ean]).isEmpty)
        #expect(consistency.observe([ean]).isEmpty)
        #expect(consistency.observe([ean]) == [ean])
        #expect(consistency.observe([ean]) == [ean])
    }

    @Test func secondDecoderLinearReadsNeedACheckDigitAndTwoFrames() {
        var guardrail = SecondDecoderGuard()
        let badCheck = DecodedSymbol(symbology: .ean13, bytes: Array("5901234123458".utf8))
        let dataMatrix = DecodedSymbol(symbology: .datamatrix, bytes: Array("PART".utf8))
        #expect(guardrail.filter([ean, dataMatrix]) == [dataMatrix])
        #expect(guardrail.filter([ean, badCheck]) == [ean])
        #expect(guardrail.filter([badCheck]).isEmpty)
        #expect(guardrail.filter([ean]).isEmpty)
        let code39 = DecodedSymbol(symbology: .code39, bytes: Array("ABC".utf8))
        #expect(guardrail.filter([code39]).isEmpty)
        #expect(guardrail.filter([code39]).isEmpty)
    }

    @Test func aWaitingSlotDropsNothingAndADroppingSlotCounts() {
        let frame = GrayFrame(width: 1, height: 1, pixels: [0])
        let dropping = FrameSlot(waits: false)
        #expect(dropping.put(frame) == false)
        #expect(dropping.put(frame) == true)
        #expect(dropping.put(frame) == true)
        #expect(dropping.take() != nil)
        dropping.close()
        #expect(dropping.take() == nil)
    }
}
