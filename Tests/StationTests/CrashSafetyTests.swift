import Foundation
import GRDB
import Ledger
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills the daemon at random moments while scans stream in, restarts it, and checks that
/// nothing acknowledged is lost or doubled: "accepted means durable" under SIGKILL and under
/// injected I/O errors. SCANSTATION_CRASH_SEED replays a run; SCANSTATION_CRASH_ITERATIONS
/// makes it longer (default 200 kills).
@Suite(.serialized) struct CrashSafetyTests {
    static let station = "crash-1"

    @Test func sigkillAtRandomMomentsLosesAndDoublesNothingAcknowledged() throws {
        var random = SplitMix64(seed: CrashHarness.seed())
        let iterations = CrashHarness.environmentInt("SCANSTATION_CRASH_ITERATIONS") ?? 200
        let directory = try TemporaryDirectory()
        let database = directory.path("crash.db")
        let stock = try CrashHarness.seedStock(database: database)
        let harness = CrashHarness(database: database, station: Self.station)
        print("crash harness: seed \(random.seed), \(iterations) kills (replay with SCANSTATION_CRASH_SEED=\(random.seed))")

        // How long this machine takes from spawn to the first answer sets the kill window,
        // so kills land before, during and after start-up however loaded the machine is.
        let firstAnswer = try harness.timeToFirstAnswer()
        let window = max(0.05, firstAnswer * 4)
        var killedAfterAnswers = 0
        for iteration in 0..<iterations {
            let delay = Double.random(in: 0...window, using: &random)
            let run = try harness.runAndKill(tag: "k\(random.seed)-\(iteration)", after: delay, pace: &random)
            if !run.answers.isEmpty { killedAfterAnswers += 1 }
            if run.exitedBeforeKill { Issue.record("seed \(random.seed): run \(iteration) exited by itself: \(run.stderr)") }
        }
        print("crash harness: \(harness.acknowledged.count) scans acknowledged over \(iterations) kills (\(killedAfterAnswers) kills after answers; window \(Int(window * 1000)) ms)")
        #expect(killedAfterAnswers >= iterations / 8, "seed \(random.seed): too few kills landed while scans were flowing")

        try harness.verify(seed: random.seed, stock: stock)
    }

    /// The same kills while a dock receives cases onto a receipt: every acknowledged case's
    /// movement is in the ledger once, nothing is booked that no scan logged, stock and the
    /// receipt's progress add up, and each restarted daemon resumes the open receipt (its
    /// first case is accepted without the receipt being scanned again, and `CMD-UNDO` takes
    /// back a case booked before the kill).
    @Test func sigkillWhileReceivingKeepsEveryAcknowledgedCaseOnceAndResumesTheReceipt() throws {
        var random = SplitMix64(seed: CrashHarness.seed())
        let lives = max(20, (CrashHarness.environmentInt("SCANSTATION_CRASH_ITERATIONS") ?? 200) / 4)
        let directory = try TemporaryDirectory()
        let database = directory.path("receive.db")
        for (kind, text) in [
            ("products", "sku,gtin,units_per_gtin\nSKU-A,\(CrashHarness.caseGTIN),6\n"),
            ("locations", "code,kind\nDOCK-1,dock\n"),
            ("receipts", "receipt,sku,qty\nR-CRASH,SKU-A,1000000\n"),
        ] {
            let imported = try ScanStationProcess.run(["import", kind, try directory.write("\(kind).csv", text), "--db", database])
            try #require(imported.status == 0, "import \(kind): \(imported.stderr)")
        }
        let harness = CrashHarness(database: database, station: Self.station, extraArguments: ["--mode", "receive"]) { tag, index in
            // A life (and the warm-up) that has not seen the receipt acknowledged opens it
            // first; the others go straight on with cases, relying on the restored session.
            // Every tenth scan takes the last case back, so undos cross restarts too.
            if index == 0 && !tag.hasPrefix("resume") { return "R-CRASH" }
            return index % 10 == 9 ? "CMD-UNDO" : CrashHarness.caseGTIN
        }
        print("receiving crash harness: seed \(random.seed), \(lives) kills")

        let firstAnswer = try harness.timeToFirstAnswer()
        let window = max(0.05, firstAnswer * 4)
        var resumedLives = 0
        for life in 0..<lives {
            let opened = harness.acknowledged.contains { $0.input == "R-CRASH" && $0.result == "accepted" }
            if opened { resumedLives += 1 }
            let delay = Double.random(in: 0...window, using: &random)
            let run = try harness.runAndKill(tag: "\(opened ? "resume" : "open")-\(life)", after: delay, pace: &random)
            if run.exitedBeforeKill { Issue.record("seed \(random.seed): life \(life) exited by itself: \(run.stderr)") }
        }
        let cases = harness.acknowledged.filter { $0.input == CrashHarness.caseGTIN }
        print("receiving crash harness: \(cases.count) cases acknowledged over \(lives) kills, \(resumedLives) lives resumed the receipt")
        #expect(resumedLives >= lives / 2 && cases.count >= lives, "seed \(random.seed): too few kills landed while cases were flowing")
        let refused = harness.acknowledged.filter { $0.result != "accepted" }
        #expect(refused.isEmpty, "seed \(random.seed): a restarted daemon did not resume the receipt or its undo: \(refused.prefix(3))")
        #expect(harness.acknowledged.contains { $0.input == "CMD-UNDO" }, "seed \(random.seed): no undo was acknowledged")

        try harness.verifyReceiving(seed: random.seed, receipt: "R-CRASH", sku: "SKU-A", location: "DOCK-1", unitsPerCase: 6)
    }

    @Test func injectedIOErrorsAreReportedAndTheStoreStaysConsistent() throws {
        let fiuRun = try #require(CrashHarness.which("fiu-run"), "fiu-run is not installed (Debian package fiu-utils; scripts/install-deps.sh --test)")
        var random = SplitMix64(seed: CrashHarness.seed())
        let runs = max(8, (CrashHarness.environmentInt("SCANSTATION_CRASH_ITERATIONS") ?? 200) / 10)
        let directory = try TemporaryDirectory()
        let database = directory.path("fiu.db")
        let stock = try CrashHarness.seedStock(database: database)
        let harness = CrashHarness(database: database, station: Self.station)
        print("fiu harness: seed \(random.seed), \(runs) runs under fiu-run")

        var storeErrorsAnswered = 0
        var cleanErrorExits = 0
        var libfiuDeadlocks = 0
        for run in 0..<runs {
            // Reads, writes and syncs of the store fail at random; every failure point is
            // one SQLite must turn into an error the daemon reports, never a corrupt file.
            let probability = [0.002, 0.01, 0.03][run % 3]
            let failurePoints = ["posix/io/rw/pwrite", "posix/io/rw/pread", "posix/io/sync/*", "posix/io/rw/ftruncate"]
            let controls = failurePoints.flatMap { ["-c", "enable_random name=\($0),probability=\(probability)"] }
            let result = try harness.runToEnd(
                tag: "f\(random.seed)-\(run)", count: 60, launcher: [fiuRun, "-x"] + controls, pace: &random)
            storeErrorsAnswered += result.answers.filter { $0.seq == nil }.count
            switch result.status {
            case _ where result.stuckInFiu:
                libfiuDeadlocks += 1
            case 0:
                break
            case 74, 1:
                // Gave up on the store: it must say why, naming the store.
                cleanErrorExits += 1
                #expect(result.stderr.contains("level=critical") || result.stderr.contains("level=error"), "seed \(random.seed): exit \(result.status) without an error line: \(result.stderr.suffix(2000))")
            default:
                Issue.record("seed \(random.seed): run \(run) under fiu ended with status \(result.status) (crash?): \(result.stderr.suffix(2000))")
            }
            for answer in result.answers where answer.seq == nil {
                #expect(answer.errorCode?.hasPrefix("store_") == true, "a scan the store did not take is answered with a store_ error: \(answer)")
            }
        }
        print("fiu harness: \(harness.acknowledged.count) scans acknowledged, \(storeErrorsAnswered) answered with a store error, \(cleanErrorExits) runs stopped on a store error, \(libfiuDeadlocks) killed in libfiu's loader deadlock")
        #expect(storeErrorsAnswered + cleanErrorExits > 0, "seed \(random.seed): no injected error reached the daemon")

        try harness.verify(seed: random.seed, stock: stock)
    }

    /// The hang the fiu runs forgive is told apart by both halves of libfiu's deadlock.
    @Test func onlyLibfiusLoaderDeadlockIsForgiven() {
        let holder = "Thread 1 (LWP 7):\n#6  fiu_fail () from /lib/libfiu.so.0\n#9  _dl_map_object_deps ()\n#14 _dl_open (file=\"libgcc_s.so.1\")\n#21 __pthread_exit ()\n"
        let waiter = "Thread 4 (LWP 9):\n#5  ___dlsym ()\n#7  strdup () from /usr/lib/fiu/fiu_posix_preload.so\n#10 fiu_fail () from /lib/libfiu.so.0\n"
        let daemonHang = "Thread 1 (LWP 7):\n#0  __futex_abstimed_wait_common ()\n#3  $s7Station13LedgerSession6commit ()\n"
        #expect(CrashHarness.isLibfiuLoaderDeadlock("\n" + waiter + "\n" + holder))
        #expect(!CrashHarness.isLibfiuLoaderDeadlock("\n" + waiter + "\n" + daemonHang))
        #expect(!CrashHarness.isLibfiuLoaderDeadlock("\n" + holder))
        #expect(!CrashHarness.isLibfiuLoaderDeadlock("(install gdb for the hung daemon's thread stacks)"))
    }

    /// A scan whose commit fails at the WAL sync has its frames whole in the file but not
    /// published. Answered as not recorded, it must stay out of the store when the store is
    /// opened again (recovery reads every whole frame), even if the daemon's own close fails.
    @Test func aCommitWhoseSyncFailedIsNotRecoveredAtTheNextOpen() throws {
        let fiuRun = try #require(CrashHarness.which("fiu-run"), "fiu-run is not installed (Debian package fiu-utils)")
        let fiuCtrl = try #require(CrashHarness.which("fiu-ctrl"), "fiu-ctrl is not installed (Debian package fiu-utils)")
        let directory = try TemporaryDirectory()
        let database = directory.path("sync.db")
        let stock = try CrashHarness.seedStock(database: database)
        let harness = CrashHarness(database: database, station: Self.station)

        var run = try harness.runWithSyncsFailingAfterFirstScan(fiuRun: fiuRun, fiuCtrl: fiuCtrl)
        for _ in 0..<2 where run.stuckInFiu {
            run = try harness.runWithSyncsFailingAfterFirstScan(fiuRun: fiuRun, fiuCtrl: fiuCtrl)
        }
        print("failing sync: \(run.answers.count) answers, exit status \(run.status)")
        #expect(run.answers.first?.seq != nil, "the scan before the failure is acknowledged: \(run.answers) \(run.stderr.suffix(1500))")
        if let second = run.answers.dropFirst().first {
            #expect(second.seq == nil && second.errorCode?.hasPrefix("store_") == true, "the scan whose sync failed is answered as not recorded: \(second)")
        } else {
            // The store could not settle the commit: the daemon stops without answering.
            #expect(run.status == 74 && run.stderr.contains("level=critical"), "no answer for the failed scan, and no stop on an unsettled store: status \(run.status) \(run.stderr.suffix(1500))")
        }
        try harness.verify(seed: 0, stock: stock)
    }
}

/// What one daemon process answered.
struct CrashRun {
    var answers: [CrashHarness.Answer]
    var exitedBeforeKill: Bool
    var status: Int32
    var stderr: String
    /// Killed in libfiu's deadlock with the loader (`CrashHarness.isLibfiuLoaderDeadlock`).
    var stuckInFiu = false
}

final class CrashHarness {
    struct Answer: CustomStringConvertible {
        var seq: Int64?
        var scanID: String
        var input: String
        var result: String?
        var movements: [String]
        var errorCode: String?
        var description: String { "seq \(seq.map(String.init) ?? "-") \(scanID) \(input) \(result ?? "-") \(errorCode ?? "")" }
    }

    let database: String
    let station: String
    /// Every answer with a seq: the scan was committed before it was printed.
    private(set) var acknowledged: [Answer] = []
    /// Every answer without one: the scan must not be in the store.
    private(set) var refused: [Answer] = []

    /// Arguments after the common ones (e.g. `--mode receive`).
    let extraArguments: [String]
    /// The text of a life's scan at `index`, from the life's tag.
    let scanText: @Sendable (_ tag: String, _ index: Int) -> String

    init(database: String, station: String, extraArguments: [String] = [], scanText: @escaping @Sendable (String, Int) -> String = { "\($0)-\($1)" }) {
        self.database = database
        self.station = station
        self.extraArguments = extraArguments
        self.scanText = scanText
        signal(SIGPIPE, SIG_IGN)
    }

    static func environmentInt(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
    }

    static func seed() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["SCANSTATION_CRASH_SEED"], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 1...UInt64(UInt32.max))
    }

    static func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Puts stock in the store before the kills (the daemon's log mode moves none), so the
    /// balance replay of `db check` has something to replay.
    static func seedStock(database: String) throws -> [StockRow] {
        let store = try LedgerStore(path: database)
        defer { try? store.close() }
        _ = try store.write(station: "seed", time: 1_700_000_000_000) { transaction in
            for (index, sku) in ["SKU-A", "SKU-B", "SKU-C"].enumerated() {
                _ = try transaction.appendMovement(NewMovement(kind: .receive, sku: sku, quantity: Decimal(10 * (index + 1)), to: "DOCK-1"))
                _ = try transaction.appendMovement(NewMovement(kind: .putaway, sku: sku, quantity: Decimal(index + 1), from: "DOCK-1", to: "A-01"))
            }
        }
        return try store.stock()
    }

    private var arguments: [String] {
        ["run", "--feedback", "jsonl", "--db", database, "--station", station, "--log-level", "warning"] + extraArguments
    }

    private func launch(launcher: [String]) throws -> (Process, input: FileHandle, output: FileHandle, errors: FileHandle) {
        let process = Process()
        if launcher.isEmpty {
            process.executableURL = ScanStationProcess.executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + [ScanStationProcess.executable.path] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for key in ["STATE_DIRECTORY", "JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC"] { environment.removeValue(forKey: key) }
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        return (process, stdin.fileHandleForWriting, stdout.fileHandleForReading, stderr.fileHandleForReading)
    }

    /// Starts the daemon, writes one scan, and returns the seconds until its answer.
    func timeToFirstAnswer() throws -> Double {
        let started = Date()
        let (process, input, output, errors) = try launch(launcher: [])
        let reader = BackgroundReader(output), errorReader = BackgroundReader(errors)
        _ = writeAll(input.fileDescriptor, scanText("warm-up-\(UInt64.random(in: 0...UInt64.max))", 0) + "\n")
        var elapsed = 30.0
        while Date().timeIntervalSince(started) < 30 {
            if reader.snapshot().contains(UInt8(ascii: "\n")) { elapsed = Date().timeIntervalSince(started); break }
            usleep(1000)
        }
        try? input.close()
        process.waitUntilExit()
        collect(reader.finish())
        _ = errorReader.finish()
        return elapsed
    }

    /// One daemon life: scans written at a random pace until SIGKILL after `delay` seconds.
    func runAndKill(tag: String, after delay: Double, pace random: inout SplitMix64) throws -> CrashRun {
        let (process, input, output, errors) = try launch(launcher: [])
        let reader = BackgroundReader(output), errorReader = BackgroundReader(errors)
        let pauses = (0..<400).map { _ in UInt32.random(in: 0...1500, using: &random) }
        let lines = pauses.indices.map { scanText(tag, $0) + "\n" }
        let fd = input.fileDescriptor
        let writerDone = DispatchSemaphore(value: 0)
        let writer = Thread {
            defer { writerDone.signal() }
            for (line, pause) in zip(lines, pauses) {
                guard writeAll(fd, line) else { return }
                usleep(pause)
            }
        }
        writer.start()
        usleep(UInt32(delay * 1_000_000))
        let exitedBeforeKill = !process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let answers = collect(reader.finish())
        writerDone.wait() // EPIPE ends it at once
        try? input.close()
        return CrashRun(answers: answers, exitedBeforeKill: exitedBeforeKill, status: process.terminationStatus, stderr: String(decoding: errorReader.finish(), as: UTF8.self))
    }

    /// One daemon life under `launcher` (fiu-run) that ends with its input.
    func runToEnd(tag: String, count: Int, launcher: [String], pace random: inout SplitMix64) throws -> CrashRun {
        let (process, input, output, errors) = try launch(launcher: launcher)
        let reader = BackgroundReader(output), errorReader = BackgroundReader(errors)
        for index in 0..<count {
            guard writeAll(input.fileDescriptor, scanText(tag, index) + "\n") else { break }
            usleep(UInt32.random(in: 0...2000, using: &random))
        }
        try? input.close()
        return waitForEnd(process, reader: reader, errorReader: errorReader, seconds: 60, what: "\(tag): the daemon under fiu")
    }

    /// After its input closed: the daemon's run once it exits, or once it was killed for not
    /// exiting within `seconds` (recorded as an issue).
    private func waitForEnd(_ process: Process, reader: BackgroundReader, errorReader: BackgroundReader, seconds: Double, what: String) -> CrashRun {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(2000) }
        var stuckInFiu = false
        if process.isRunning {
            let stacks = Self.threadStacks(of: process.processIdentifier)
            kill(process.processIdentifier, SIGKILL)
            if Self.isLibfiuLoaderDeadlock(stacks) {
                // Not the daemon's: see `isLibfiuLoaderDeadlock`. The kill is one more crash
                // the store must survive, which `verify` checks.
                stuckInFiu = true
                print("\(what): libfiu deadlocked against the dynamic loader at start-up; killed, the store is checked as after any kill")
            } else {
                Issue.record("\(what) did not finish its input within \(Int(seconds)) s (hung?)\n\(stacks)")
            }
        }
        process.waitUntilExit()
        let answers = collect(reader.finish())
        return CrashRun(answers: answers, exitedBeforeKill: false, status: process.terminationStatus, stderr: String(decoding: errorReader.finish(), as: UTF8.self), stuckInFiu: stuckInFiu)
    }

    /// libfiu's own lock-order inversion with glibc's loader, seen about once in 2,000
    /// daemon starts under `fiu-run -x`: the main thread parks in `dispatch_main`, whose
    /// `pthread_exit` dlopens libgcc_s and, holding the loader lock, mallocs through fiu's
    /// wrapper into `fiu_fail`, which waits for fiu's lookup cache; another thread holds that
    /// cache while fiu's `strdup` wrapper resolves libc's with `dlsym`, which waits for the
    /// loader lock. Only gdb's stacks tell it from a hang of the daemon.
    static func isLibfiuLoaderDeadlock(_ stacks: String) -> Bool {
        let threads = stacks.components(separatedBy: "\nThread ")
        let loaderHolder = threads.contains { $0.contains("_dl_open") && $0.contains("fiu_fail") }
        let loaderWaiter = threads.contains { $0.contains("dlsym") && $0.contains("fiu_fail") }
        return loaderHolder && loaderWaiter
    }

    /// Where a hung daemon's threads wait, when gdb is installed: what a hang report needs.
    static func threadStacks(of pid: Int32) -> String {
        guard let gdb = which("gdb") else { return "(install gdb for the hung daemon's thread stacks)" }
        let debugger = Process()
        debugger.executableURL = URL(fileURLWithPath: gdb)
        debugger.arguments = ["-p", String(pid), "-batch", "-ex", "thread apply all bt 30"]
        let output = Pipe()
        debugger.standardOutput = output
        debugger.standardError = FileHandle.nullDevice
        guard (try? debugger.run()) != nil else { return "(gdb could not be started)" }
        let text = output.fileHandleForReading.readDataToEndOfFile()
        debugger.waitUntilExit()
        return String(decoding: text, as: UTF8.self)
    }

    /// One daemon life under fiu-run: a scan, then every sync fails (fiu-ctrl) for a second
    /// scan and for the daemon's close at the end of its input.
    func runWithSyncsFailingAfterFirstScan(fiuRun: String, fiuCtrl: String) throws -> CrashRun {
        let (process, input, output, errors) = try launch(launcher: [fiuRun, "-x"])
        let reader = BackgroundReader(output), errorReader = BackgroundReader(errors)
        func waitForAnswers(_ count: Int) {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, process.isRunning, reader.snapshot().filter({ $0 == UInt8(ascii: "\n") }).count < count { usleep(1000) }
        }
        _ = writeAll(input.fileDescriptor, "sync-0\n")
        waitForAnswers(1)
        let control = Process()
        control.executableURL = URL(fileURLWithPath: fiuCtrl)
        control.arguments = ["-c", "enable name=posix/io/sync/*", String(process.processIdentifier)]
        try control.run()
        control.waitUntilExit()
        #expect(control.terminationStatus == 0, "fiu-ctrl could not reach the daemon")
        _ = writeAll(input.fileDescriptor, "sync-1\n")
        waitForAnswers(2)
        try? input.close()
        return waitForEnd(process, reader: reader, errorReader: errorReader, seconds: 30, what: "the daemon with failing syncs")
    }

    /// Complete answer lines only: a line cut by the kill was never acknowledged.
    @discardableResult
    private func collect(_ data: Data) -> [Answer] {
        var answers: [Answer] = []
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast() // after the last newline: empty, or a line cut short
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let scanID = object["scan_id"] as? String, let input = object["input"] as? String
            else {
                Issue.record("an answer line is not the JSON the contract promises: \(String(decoding: line, as: UTF8.self))")
                continue
            }
            let error = object["error"] as? [String: Any]
            let answer = Answer(
                seq: (object["seq"] as? NSNumber)?.int64Value, scanID: scanID, input: input, result: object["result"] as? String,
                movements: object["movements"] as? [String] ?? [], errorCode: error?["code"] as? String)
            answers.append(answer)
            if answer.seq != nil { acknowledged.append(answer) } else { refused.append(answer) }
        }
        return answers
    }

    /// Every acknowledged scan exactly once with its seq and input, nothing refused stored,
    /// seqs without gaps, the seeded balances unchanged, and `db check` passes.
    func verify(seed: UInt64, stock: [StockRow]) throws {
        let check = try ScanStationProcess.run(["db", "check", "--db", database])
        #expect(check.status == 0, "seed \(seed): db check after the last kill: \(String(decoding: check.stdout, as: UTF8.self)) \(check.stderr)")

        let queue = try DatabaseQueue(path: database)
        let (rows, lastSeq) = try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, seq, CAST(input AS TEXT) AS input FROM scan_log WHERE station = ? ORDER BY seq", arguments: [station])
            let last = try Int64.fetchOne(db, sql: "SELECT last_scan_seq FROM station WHERE name = ?", arguments: [station])
            return (rows, last)
        }
        try queue.close()
        var byID: [String: (seq: Int64, input: String)] = [:]
        var inputCounts: [String: Int] = [:]
        for row in rows {
            let id: String = row["id"], seq: Int64 = row["seq"], input: String = row["input"]
            byID[id] = (seq, input)
            inputCounts[input, default: 0] += 1
        }
        let seqs = rows.map { $0["seq"] as Int64 }
        #expect(seqs.enumerated().allSatisfy { $0.element == Int64($0.offset + 1) }, "seed \(seed): scan seqs have gaps or repeats")
        #expect(lastSeq == seqs.last, "seed \(seed): station.last_scan_seq \(String(describing: lastSeq)) is not the last logged seq \(String(describing: seqs.last))")
        let doubled = inputCounts.filter { $0.value > 1 }
        #expect(doubled.isEmpty, "seed \(seed): scans logged twice: \(doubled.keys.sorted().prefix(5))")

        var missing: [Answer] = []
        var mismatched: [Answer] = []
        for answer in acknowledged {
            guard let stored = byID[answer.scanID] else { missing.append(answer); continue }
            if stored.seq != answer.seq || stored.input != answer.input { mismatched.append(answer) }
        }
        #expect(missing.isEmpty, "seed \(seed): \(missing.count) acknowledged scans are not in the ledger: \(missing.prefix(5))")
        #expect(mismatched.isEmpty, "seed \(seed): \(mismatched.count) acknowledged scans differ in the ledger: \(mismatched.prefix(5))")
        let storedRefusals = refused.filter { byID[$0.scanID] != nil }
        #expect(storedRefusals.isEmpty, "seed \(seed): scans answered as not recorded are in the ledger: \(storedRefusals.prefix(5))")
        let acknowledgedSeqs = acknowledged.compactMap(\.seq)
        #expect(acknowledgedSeqs == acknowledgedSeqs.sorted() && Set(acknowledgedSeqs).count == acknowledgedSeqs.count, "seed \(seed): a seq was acknowledged twice or out of order")

        let store = try LedgerStore(path: database, readOnly: true)
        defer { try? store.close() }
        #expect(try store.stock() == stock, "seed \(seed): balances changed")
    }
}

extension CrashHarness {
    static let caseGTIN = "04012345000016"

    /// After kills in receive mode: `db check` passes (it replays balances and the receipt's
    /// progress); every acknowledged scan is logged with its seq and has exactly the
    /// movements its answer named; every movement belongs to a logged scan; and the dock
    /// holds a case for every receipt movement not taken back by an undo.
    func verifyReceiving(seed: UInt64, receipt: String, sku: String, location: String, unitsPerCase: Int) throws {
        let check = try ScanStationProcess.run(["db", "check", "--db", database])
        #expect(check.status == 0, "seed \(seed): db check after the last kill: \(String(decoding: check.stdout, as: UTF8.self)) \(check.stderr)")

        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        let (scans, movements) = try queue.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, seq, result FROM scan_log WHERE station = ? ORDER BY seq", arguments: [station]),
             try Row.fetchAll(db, sql: "SELECT id, scan_id, kind, sku, qty, to_location, document FROM movement WHERE station = ?", arguments: [station]))
        }
        let seqs = scans.map { $0["seq"] as Int64 }
        #expect(seqs.enumerated().allSatisfy { $0.element == Int64($0.offset + 1) }, "seed \(seed): scan seqs have gaps or repeats")
        var scanSeq: [String: Int64] = [:]
        for scan in scans { scanSeq[scan["id"]] = scan["seq"] }
        var movementsOfScan: [String: Set<String>] = [:]
        var receives = 0, undos = 0
        for movement in movements {
            let scanID: String? = movement["scan_id"]
            guard let scanID, scanSeq[scanID] != nil else {
                Issue.record("seed \(seed): movement \(movement["id"] as String) belongs to no logged scan")
                continue
            }
            movementsOfScan[scanID, default: []].insert(movement["id"])
            #expect(movement["sku"] as String == sku)
            switch movement["kind"] as String {
            case "receive": receives += 1; #expect(movement["to_location"] as String? == location)
            case "undo": undos += 1
            default: Issue.record("seed \(seed): a \(movement["kind"] as String) movement while receiving")
            }
            #expect(movement["document"] as String? == receipt, "seed \(seed): movement booked outside the receipt: \(movement)")
        }
        for answer in acknowledged {
            #expect(scanSeq[answer.scanID] == answer.seq, "seed \(seed): acknowledged scan not logged with its seq: \(answer)")
            #expect(movementsOfScan[answer.scanID, default: []] == Set(answer.movements), "seed \(seed): the ledger's movements of a scan differ from its answer: \(answer)")
        }
        for answer in refused {
            #expect(scanSeq[answer.scanID] == nil, "seed \(seed): a scan answered as not recorded is in the ledger: \(answer)")
        }

        let store = try LedgerStore(path: database, readOnly: true)
        defer { try? store.close() }
        let dock = try store.stock().filter { $0.location == location && $0.sku == sku }.reduce(Decimal(0)) { $0 + $1.quantity }
        #expect(dock == Decimal((receives - undos) * unitsPerCase), "seed \(seed): stock at \(location) \(dock) is not \(receives) cases less \(undos) taken back")
    }
}

/// Writes all of `text`; false once the reader is gone (EPIPE: the daemon was killed).
private func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        bytes = bytes.dropFirst(written)
    }
    return true
}

/// Drains a pipe on its own thread so the child never blocks on a full pipe.
final class BackgroundReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    private let handle: FileHandle

    init(_ handle: FileHandle) {
        self.handle = handle
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                lock.lock(); data.append(contentsOf: buffer[0..<count]); lock.unlock()
            }
            lock.lock(); done = true; lock.unlock()
        }
        thread.start()
    }

    func snapshot() -> Data { lock.lock(); defer { lock.unlock() }; return data }

    /// Everything read, once the writer side closed (the process ended).
    func finish() -> Data {
        while true {
            lock.lock()
            if done { let result = data; lock.unlock(); try? handle.close(); return result }
            lock.unlock()
            usleep(500)
        }
    }
}

/// A small seedable generator, so a failing run can be replayed from its printed seed.
struct SplitMix64: RandomNumberGenerator {
    let seed: UInt64
    private var state: UInt64
    init(seed: UInt64) { self.seed = seed; state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
