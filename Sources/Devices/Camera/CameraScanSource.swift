import Foundation
public import Logging
import ScanCodes
import Synchronization

/// Frames in, `RawScan` values out: a capture thread reads a `FrameSource`, a zbar thread
/// and (when DataMatrix is enabled) a libdmtx thread decode, and the hold-off turns
/// sightings into scans. No decoding runs on the Swift concurrency pool.
public struct CameraScanSource: ScanSource {
    /// `camera:/dev/video0` or `frames:PATH`.
    public let name: String
    public let configuration: CameraConfiguration
    public let delivery: FrameDelivery
    /// Whether the source reopens after its frames end (cameras) or finishes (streams).
    public let reconnects: Bool
    public let metrics: CameraMetrics
    /// Told when a camera opens and when it goes away (cameras only, not frame streams).
    public let events: DeviceEvents?
    let logger: Logger
    let openFrames: @Sendable () throws(CameraError) -> any FrameSource

    public init(
        name: String, configuration: CameraConfiguration, delivery: FrameDelivery, reconnects: Bool,
        metrics: CameraMetrics = CameraMetrics(), events: DeviceEvents? = nil, logger: Logger,
        open: @escaping @Sendable () throws(CameraError) -> any FrameSource
    ) {
        self.events = events
        self.name = name
        self.configuration = configuration
        self.delivery = delivery
        self.reconnects = reconnects
        self.metrics = metrics
        self.logger = logger
        self.openFrames = open
    }

    /// A V4L2 camera: frames dropped while decoding is busy, reopened with back-off when it
    /// goes away.
    public static func camera(device: String, configuration: CameraConfiguration = .init(), metrics: CameraMetrics = CameraMetrics(), events: DeviceEvents? = nil, logger: Logger) -> CameraScanSource {
        let width = configuration.width
        let height = configuration.height
        return CameraScanSource(
            name: "camera:\(device)", configuration: configuration, delivery: .dropWhenBusy, reconnects: true,
            metrics: metrics, events: events, logger: logger
        ) { () throws(CameraError) -> any FrameSource in
            try VideoFrameSource(device: device, width: width, height: height)
        }
    }

    /// A `frames:` stream (argument as after `frames:`): every frame decoded, finished at
    /// end of stream; a malformed stream ends the source with an error in the log.
    public static func frames(argument: String, configuration: CameraConfiguration = .init(), metrics: CameraMetrics = CameraMetrics(), logger: Logger) throws(CameraError) -> CameraScanSource {
        let (layout, path) = try FrameLayout.parse(argument: argument)
        return CameraScanSource(
            name: "frames:\(argument)", configuration: configuration, delivery: .waitForDecoder, reconnects: false,
            metrics: metrics, logger: logger
        ) { () throws(CameraError) -> any FrameSource in
            try FrameStreamReader(path: path, layout: layout)
        }
    }

    public func start(into channel: ScanChannel) {
        let pipeline = CameraPipeline(source: self, channel: channel)
        pipeline.start()
    }
}

/// One running camera source: its threads and the state they share.
final class CameraPipeline: Sendable {
    let source: CameraScanSource
    let channel: ScanChannel
    private let stoppedFlag = Atomic<Bool>(false)
    let zbarSlot: FrameSlot
    let dataMatrixSlot: FrameSlot?
    let emitter: ScanEmitter

    init(source: CameraScanSource, channel: ScanChannel) {
        self.source = source
        self.channel = channel
        let wait = source.delivery == .waitForDecoder
        zbarSlot = FrameSlot(waits: wait)
        dataMatrixSlot = source.configuration.symbologies.needsDataMatrix ? FrameSlot(waits: wait) : nil
        emitter = ScanEmitter(
            name: source.name, holdOff: SymbolHoldOff(windowNanoseconds: UInt64(max(0, source.configuration.holdOffMilliseconds)) * 1_000_000),
            workers: dataMatrixSlot == nil ? 1 : 2, channel: channel, metrics: source.metrics)
    }

    func start() {
        let zbarThread = Thread { [self] in runZBar() }
        zbarThread.name = "scanstation-zbar"
        zbarThread.start()
        if let dataMatrixSlot {
            let thread = Thread { [self] in runDataMatrix(dataMatrixSlot) }
            thread.name = "scanstation-dmtx"
            thread.start()
        }
        let capture = Thread { [self] in runCapture() }
        capture.name = "scanstation-capture"
        capture.start()
    }

    private var logger: Logger {
        var logger = source.logger
        logger[metadataKey: "source"] = "\(source.name)"
        return logger
    }

    private func runCapture() {
        let configuration = source.configuration
        var delay = max(1, configuration.reconnectFirstMilliseconds)
        var attempt = 0
        var cameraOpen = false
        while !isStopped {
            attempt += 1
            do throws(CameraError) {
                let frames = try source.openFrames()
                if source.reconnects {
                    source.events?.connected(.camera)
                    cameraOpen = true
                }
                if attempt > 1 {
                    source.metrics.reconnects.wrappingAdd(1, ordering: .relaxed)
                    logger.notice("camera reopened", metadata: ["attempt": "\(attempt)"])
                }
                while !isStopped, let frame = try frames.nextFrame() {
                    delay = max(1, configuration.reconnectFirstMilliseconds)
                    source.metrics.framesCaptured.wrappingAdd(1, ordering: .relaxed)
                    if zbarSlot.put(frame) { source.metrics.framesDropped.wrappingAdd(1, ordering: .relaxed) }
                    if let dataMatrixSlot, dataMatrixSlot.put(frame) {
                        source.metrics.dataMatrixFramesDropped.wrappingAdd(1, ordering: .relaxed)
                    }
                }
                if !source.reconnects || isStopped { break }
                source.events?.disconnected(.camera)
                cameraOpen = false
                logger.warning("camera stream ended; reopening", metadata: ["retry_ms": "\(delay)"])
            } catch {
                if !source.reconnects {
                    logger.error("frame source failed", metadata: ["code": "\(error.code)", "reason": "\(error.message)"])
                    break
                }
                if cameraOpen {
                    source.events?.disconnected(.camera)
                    cameraOpen = false
                }
                logger.warning("camera unavailable; retrying", metadata: ["code": "\(error.code)", "reason": "\(error.message)", "retry_ms": "\(delay)"])
            }
            sleep(milliseconds: delay)
            delay = min(delay * 2, max(configuration.reconnectFirstMilliseconds, configuration.reconnectMaximumMilliseconds))
        }
        zbarSlot.close()
        dataMatrixSlot?.close()
    }

    /// Sleeps in short steps so a stopped pipeline does not wait out a long back-off.
    private func sleep(milliseconds: Int) {
        var left = milliseconds
        while left > 0, !isStopped {
            let step = min(left, 50)
            usleep(UInt32(step * 1000))
            left -= step
        }
    }

    private func runZBar() {
        defer { emitter.workerFinished() }
        let scanner: ZBarSymbolScanner
        do {
            scanner = try ZBarSymbolScanner(selection: source.configuration.symbologies)
        } catch {
            logger.error("zbar unavailable", metadata: ["reason": "\(error.message)"])
            stop()
            return
        }
        var consistency = FrameConsistency()
        // A stream's frames are each read once, so each empty one gets the second looks; a
        // live camera gives them a tenth of the decoder's time (see `EnhancementBudget`).
        // The Code 128 fallback is the last of them, within the same share.
        var enhancement = EnhancementBudget(share: source.delivery == .waitForDecoder ? 1 : 0.1, startedAt: MonotonicClock.nanoseconds())
        let blurredCode128 = source.configuration.symbologies.reports(.code128) ? BlurredCode128Reader() : nil
        while let frame = zbarSlot.take() {
            source.metrics.framesScanned.wrappingAdd(1, ordering: .relaxed)
            var found = scanner.scan(frame)
            if found.isEmpty, enhancement.allows(at: MonotonicClock.nanoseconds()) {
                let started = MonotonicClock.nanoseconds()
                found = scanner.scanEnhanced(frame)
                if found.isEmpty, let blurredCode128, FrameEnhancement.mayHoldSymbols(frame) {
                    found = blurredCode128.read(frame, referenceDate: .today())
                }
                enhancement.record(from: started, to: MonotonicClock.nanoseconds(), found: !found.isEmpty)
            }
            let symbols = source.configuration.consistency ? consistency.observe(found) : found
            if !emitter.emit(symbols, capturedAt: frame.capturedAt) { stop() }
        }
    }

    private func runDataMatrix(_ slot: FrameSlot) {
        defer { emitter.workerFinished() }
        let decoder = DataMatrixDecoder(budgetMilliseconds: source.configuration.dataMatrixBudgetMilliseconds)
        var guardrail = SecondDecoderGuard()
        while let frame = slot.take() {
            source.metrics.dataMatrixFramesScanned.wrappingAdd(1, ordering: .relaxed)
            let symbols = guardrail.filter(decoder.decode(frame).filter { source.configuration.symbologies.reports($0.symbology) })
            if !emitter.emit(symbols, capturedAt: frame.capturedAt) { stop() }
        }
    }

    /// Stopped by a decoder that could not start, or because the consumer went away.
    private var isStopped: Bool { stoppedFlag.load(ordering: .relaxed) || channel.isCancelled }

    private func stop() {
        stoppedFlag.store(true, ordering: .relaxed)
        zbarSlot.close()
        dataMatrixSlot?.close()
    }
}

/// Holds at most one frame for a decoder thread. A camera replaces a waiting frame (the
/// replaced one is dropped); a stream waits until the decoder took it.
final class FrameSlot: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `condition`.
    private let condition = NSCondition()
    private var pending: GrayFrame?
    private var closed = false
    let waits: Bool

    init(waits: Bool) {
        self.waits = waits
    }

    /// Offers a frame; true when it replaced one the decoder had not taken (a drop).
    func put(_ frame: GrayFrame) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if waits {
            while pending != nil && !closed { condition.wait() }
        }
        guard !closed else { return false }
        let dropped = pending != nil
        pending = frame
        condition.broadcast()
        return dropped
    }

    /// The next frame; nil once closed (frames still waiting are decoded first).
    func take() -> GrayFrame? {
        condition.lock()
        defer { condition.unlock() }
        while pending == nil && !closed { condition.wait() }
        guard let frame = pending else { return nil }
        pending = nil
        condition.broadcast()
        return frame
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Applies the hold-off to what every decoder thread finds and hands scans to the channel.
final class ScanEmitter: @unchecked Sendable {
    // @unchecked: `holdOff` and `workers` are guarded by `lock`.
    private let lock = NSLock()
    private var holdOff: SymbolHoldOff
    private var workers: Int
    let name: String
    let channel: ScanChannel
    let metrics: CameraMetrics

    init(name: String, holdOff: SymbolHoldOff, workers: Int, channel: ScanChannel, metrics: CameraMetrics) {
        self.name = name
        self.holdOff = holdOff
        self.workers = workers
        self.channel = channel
        self.metrics = metrics
    }

    /// False when the consumer has gone away.
    func emit(_ symbols: [DecodedSymbol], capturedAt: UInt64) -> Bool {
        guard !symbols.isEmpty else { return true }
        lock.lock()
        defer { lock.unlock() }
        let now = MonotonicClock.nanoseconds()
        for symbol in holdOff.observe(symbols, at: now) {
            let scan = RawScan(source: name, bytes: symbol.bytes, symbology: symbol.symbology, monotonicNanoseconds: now)
            guard channel.send(scan) else { return false }
            metrics.scans.wrappingAdd(1, ordering: .relaxed)
            metrics.recordLatency(now >= capturedAt ? now - capturedAt : 0)
        }
        return true
    }

    /// The last decoder thread to finish ends the source.
    func workerFinished() {
        lock.lock()
        workers -= 1
        let last = workers == 0
        lock.unlock()
        if last { channel.finish() }
    }
}

/// How much of a decoder's time goes to second looks at empty frames (`FrameEnhancement`),
/// which cost several plain scans each. Within its share, every empty frame gets them; a
/// frame whose second look found a symbol keeps them coming for the frames after it, so a
/// label only enhancement reads can gather the consecutive sightings `FrameConsistency`
/// asks of EAN, UPC and ITF.
struct EnhancementBudget {
    /// The share of the time since the decoder started that second looks may take (1: all).
    let share: Double
    let startedAt: UInt64
    private var spent: UInt64 = 0
    private var lastFound = false

    init(share: Double, startedAt: UInt64) {
        self.share = share
        self.startedAt = startedAt
    }

    func allows(at now: UInt64) -> Bool {
        share >= 1 || lastFound || Double(spent) <= share * Double(now &- startedAt)
    }

    mutating func record(from start: UInt64, to end: UInt64, found: Bool) {
        spent &+= end &- start
        lastFound = found
    }
}
