import ArgumentParser
import Foundation
import Ledger

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check, back up, restore and prune the station's store.",
        subcommands: [Check.self, Backup.self, Restore.self, Prune.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "SQLite integrity check, balances against a replay of all movements, outbox consistency.",
            discussion: "Opens the store read-only. Exit status 0 when healthy, 1 when a problem was found.")

        @OptionGroup var database: LedgerDatabaseOption

        func run() throws {
            let store = try database.open(readOnly: true)
            defer { try? store.close() }
            let report: LedgerCheckReport
            do { report = try store.check() } catch { throw LedgerExit.report(error) }
            print("\(database.path): \(report.movements) movements, \(report.balances) balances, \(report.pendingOutbox) outbox entries waiting for the hub")
            if report.isHealthy {
                print("ok")
            } else {
                for problem in report.problems { print("problem: \(problem)") }
                throw ExitCode(1)
            }
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Write a consistent copy of the store to PATH (safe while the daemon runs).")

        @Argument(help: ArgumentHelp("Where the copy goes.", valueName: "path")) var destination: String
        @OptionGroup var database: LedgerDatabaseOption

        func run() throws {
            let store = try database.open(readOnly: true)
            defer { try? store.close() }
            do { try store.backup(to: destination) } catch { throw LedgerExit.report(error) }
            print("backed up \(database.path) to \(destination)")
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Replace the store with the backup at PATH (the daemon must be stopped).",
            discussion: """
                Scan and movement sequence numbers and the SSCC serial counter keep the larger \
                of the current and the backed-up value. The replaced file is kept as \
                DB.before-restore.
                """)

        @Argument(help: ArgumentHelp("The backup to restore.", valueName: "path")) var backup: String
        @OptionGroup var database: LedgerDatabaseOption

        func run() throws {
            do { try LedgerStore.restore(backup: backup, to: database.path) } catch { throw LedgerExit.report(error) }
            print("restored \(database.path) from \(backup)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete scan-log rows and synced outbox entries older than a date, then vacuum.")

        @Option(help: ArgumentHelp("Delete what is older than this day (YYYY-MM-DD, UTC) or ISO 8601 time.", valueName: "date"))
        var before: String
        @OptionGroup var database: LedgerDatabaseOption

        func validate() throws {
            guard ReportTime.milliseconds(before) != nil else {
                throw ValidationError("--before '\(before)' is not a date (YYYY-MM-DD) or an ISO 8601 time")
            }
        }

        func run() throws {
            guard let cutoff = ReportTime.milliseconds(before) else { throw ExitCode.validationFailure }
            let store = try database.open(readOnly: false)
            defer { try? store.close() }
            let summary: LedgerPruneSummary
            do { summary = try store.prune(before: cutoff) } catch { throw LedgerExit.report(error) }
            print("pruned \(summary.scanLogRows) scan-log rows and \(summary.outboxEntries) synced outbox entries; \(summary.pagesFreed) pages freed")
        }
    }
}
