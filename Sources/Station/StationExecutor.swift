import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The executor of one station session: runs the session's jobs one at a time, in the
/// order they arrive. It is the session actor's serial executor and the task executor the
/// session's scan loop prefers, so the loop's nonisolated steps (a continuation resumed by
/// a source resumes on the "generic" executor, and only then hops to the actor) run here
/// too, with no hop between the two.
///
/// Where a job runs is what matters for latency. A source thread that hands a scan to the
/// waiting session "lends" its thread (`lend`): when the session is idle, the resumed
/// session runs right there (decode, step, durable commit, answer) before the source
/// reads on. A scan then wakes no other thread, as a plain read-commit-answer loop would
/// not; handing it to the global executor cost a thread wake-up (two, with the hop to the
/// actor) per scan, which on an idle VM is a large share of a sub-millisecond commit.
///
/// Every other job (a control command, the loop's start, shutdown) runs on a dispatch
/// thread: running it inline could run the session on a thread that holds a lock it needs
/// (a cancelling thread holds the task's status lock while cancellation handlers run).
public final class StationExecutor: SerialExecutor, TaskExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        /// A thread is running jobs (a lender or the dispatch thread).
        var running = false
        /// Threads inside `lend`.
        var lenders: [pthread_t] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let me = pthread_self()
        let runHere: Bool? = state.withLock { state in
            state.jobs.append(job)
            if state.running { return nil } // the running thread takes it next
            state.running = true
            return state.lenders.contains { pthread_equal($0, me) != 0 }
        }
        switch runHere {
        case true?: drain()
        case false?: DispatchQueue.global().async { self.drain() }
        case nil: break
        }
    }

    /// Runs `body`, which resumes a task isolated to this executor (a source handing a
    /// scan to the waiting session); when the executor is idle, the resumed job runs on
    /// this thread before `lend` returns. Only for threads that hold no lock and may
    /// block for a commit.
    public func lend(_ body: () -> Void) {
        let me = pthread_self()
        state.withLock { $0.lenders.append(me) }
        body()
        state.withLock { state in
            if let index = state.lenders.firstIndex(where: { pthread_equal($0, me) != 0 }) {
                state.lenders.remove(at: index)
            }
        }
    }

    /// Runs queued jobs until there are none; the queue is short (a loop that suspends
    /// for the next scan, now and then a control command).
    private func drain() {
        while let job = state.withLock({ state -> UnownedJob? in
            guard !state.jobs.isEmpty else {
                state.running = false
                return nil
            }
            return state.jobs.removeFirst()
        }) {
            // Isolated to the session even when enqueued as the loop's task executor: every
            // job here is serialized anyway, and the loop's hop to the session is then free.
            job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
        }
    }
}
