public import Devices
import Ledger
public import Logging
public import ServiceLifecycle

/// Runs one station: starts its sources, feeds every scan through the session in order,
/// writes each answer. On graceful shutdown it takes no new scans; the scan in hand is
/// finished and committed first.
public struct StationService: Service {
    let session: StationSession
    let sources: [any ScanSource]
    let feedback: FeedbackWriter
    let logger: Logger
    let health: StationHealth
    /// Scans buffered between the sources and the session before sources block.
    let capacity: Int
    /// Return (ending the daemon) when the sources end, rather than wait for shutdown:
    /// true when standard input is the daemon's only source.
    let returnsWhenSourcesEnd: Bool
    /// Shows the answer on the scanner the scan came from (beep/LED), when it can.
    let signal: @Sendable (_ answer: ScanAnswer, _ source: String) -> Void
    /// Where each answered scan is counted, with its scan-to-acknowledgement latency.
    let metrics: StationMetrics?
    /// Ends this station alone (a reload removing or restarting it).
    let stop: StationStop

    public init(session: StationSession, sources: [any ScanSource], feedback: FeedbackWriter, health: StationHealth, logger: Logger, returnsWhenSourcesEnd: Bool, metrics: StationMetrics? = nil, stop: StationStop = StationStop(), capacity: Int = 64,
                signal: @escaping @Sendable (_ answer: ScanAnswer, _ source: String) -> Void = { _, _ in }) {
        self.signal = signal
        self.metrics = metrics
        self.stop = stop
        self.session = session
        self.returnsWhenSourcesEnd = returnsWhenSourcesEnd
        self.sources = sources
        self.feedback = feedback
        self.health = health
        self.logger = logger
        self.capacity = capacity
    }

    public func run() async throws {
        guard !sources.isEmpty else {
            logger.notice("station has no source yet; waiting", metadata: ["station": "\(session.name)"])
            await waitForShutdownOrStop()
            return
        }
        let executor = session.executor
        let channel = ScanChannel(capacity: capacity, producers: sources.count, handOff: { executor.lend($0) })
        stop.attach(channel)
        for source in sources {
            logger.info("source started", metadata: ["station": "\(session.name)", "source": "\(source.name)"])
            source.start(into: channel)
        }
        // Idle logout between scans (a no-op on stations without idle_logout_minutes): the
        // operator is logged out when the time passes, not only at the next scan. A task of
        // its own beside the scan loop, which runs exactly as before (a loop sharing a task
        // group or the executor preference with it raced the first lending source).
        let idleLogouts = Task { [session] in
            while (try? await Task.sleep(for: .seconds(Self.idleCheckSeconds))) != nil {
                await session.logoutIfIdle()
            }
        }
        await withTaskExecutorPreference(executor) {
            await answerScans(from: channel, session: session)
        }
        idleLogouts.cancel()
        channel.cancel()
        if !returnsWhenSourcesEnd && !Task.isShuttingDownGracefully && !stop.isRequested {
            logger.notice("station's sources have ended; waiting", metadata: ["station": "\(session.name)"])
            await waitForShutdownOrStop()
        }
        logger.info("station stopped", metadata: ["station": "\(session.name)"])
    }

    /// Feeds every scan through the session and answers it. Runs on the session's executor,
    /// so a source lending its thread handles, commits and answers its scan itself.
    private func answerScans(from channel: ScanChannel, session: isolated StationSession) async {
        // On shutdown the channel takes no more scans and ends once what the sources already
        // handed over is answered. (Not `cancelOnGracefulShutdown()`: its merged sequence
        // costs a task hop and a thread wake-up for every scan.)
        await withGracefulShutdownHandler {
            for await raw in channel {
                health.begin(station: session.name, atNanoseconds: MonotonicClock.nanoseconds())
                let answer = session.handle(raw)
                feedback.write(answer)
                signal(answer, raw.source)
                if let metrics {
                    let now = MonotonicClock.nanoseconds()
                    metrics.record(result: answer.result, latencyNanoseconds: now > raw.monotonicNanoseconds ? now - raw.monotonicNanoseconds : 0)
                }
                health.end(station: session.name)
                // Between scans, not in one's commit: keeps the WAL short and starting over.
                if !channel.hasBufferedScans { session.store.checkpointIfDue() }
            }
        } onGracefulShutdown: {
            channel.finishAll()
        }
    }

    /// How often a station checks for an idle operator (idle times are whole minutes).
    static let idleCheckSeconds = 5

    /// Idles until the daemon shuts down or this station alone is stopped.
    private func waitForShutdownOrStop() async {
        let stop = self.stop
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await gracefulShutdown() }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
