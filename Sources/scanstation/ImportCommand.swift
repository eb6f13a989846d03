import ArgumentParser
import Foundation
import Ledger
import Station

/// `--db PATH`, resolved as CONTRACTS.md says, for the commands that open the store.
struct LedgerDatabaseOption: ParsableArguments {
    // `--database` is the same option, for those who spell the config key.
    @Option(name: [.customLong("db"), .customLong("database")], help: ArgumentHelp("The SQLite store (default: the config's database, $STATE_DIRECTORY/scanstation.db, /var/lib/scanstation/scanstation.db if it exists, else ./scanstation.db).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The config file naming the store (default: \(ScanStationConfiguration.defaultPath) if it exists).", valueName: "path"))
    var config: String?

    /// The daemon's config, so that an admin's command reads the daemon's store.
    var configuration: ScanStationConfiguration? {
        get throws {
            let path = config ?? (FileManager.default.fileExists(atPath: ScanStationConfiguration.defaultPath) ? ScanStationConfiguration.defaultPath : nil)
            guard let path else { return nil }
            do {
                return try ScanStationConfiguration.load(path: path)
            } catch {
                FileHandle.standardError.write(Data("scanstation: \(error)\n".utf8))
                throw ExitCode(78) // EX_CONFIG
            }
        }
    }

    var path: String {
        DatabaseLocation.resolve(option: db, configured: db == nil ? (try? configuration)?.database : nil)
    }

    /// Opens the store, or prints why not and exits with EX_IOERR (74).
    func open(readOnly: Bool) throws -> LedgerStore {
        _ = try configuration // a broken config is reported, not silently skipped
        do {
            return try LedgerStore(path: path, readOnly: readOnly)
        } catch {
            throw LedgerExit.report(error)
        }
    }
}

enum LedgerExit {
    /// Prints a store error on standard error and returns the exit code for it.
    static func report(_ error: LedgerError) -> ExitCode {
        FileHandle.standardError.write(Data("scanstation: \(error.description)\n".utf8))
        switch error.code {
        case .invalidChange, .badBackup: return ExitCode(65) // EX_DATAERR
        case .inUse, .locked: return ExitCode(75) // EX_TEMPFAIL
        default: return ExitCode(74) // EX_IOERR
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import master data or documents from a CSV file, all or nothing.",
        discussion: """
            KIND is products, locations, operators, receipts or orders; the columns are those \
            of CONTRACTS.md. A file with any problem changes nothing: every problem is \
            printed as FILE:LINE:COLUMN: message and the exit status is 65 (66 when the file \
            cannot be opened). Importing again updates rows by their key.
            """
    )

    @Argument(help: ArgumentHelp("What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: "|")).", valueName: "kind"))
    var kind: String

    @Argument(help: ArgumentHelp("The CSV file.", valueName: "file"))
    var file: String

    @OptionGroup var database: LedgerDatabaseOption

    func validate() throws {
        guard ImportKind(rawValue: kind) != nil else {
            throw ValidationError("unknown import kind '\(kind)'; use one of \(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        guard let kind = ImportKind(rawValue: kind) else { throw ExitCode.validationFailure }
        if let hub = try database.configuration?.hubURL {
            FileHandle.standardError.write(Data("scanstation: this station syncs with the hub at \(hub), which owns master data and documents; import \(file) there (scanhub import \(kind.rawValue) FILE) and the station pulls it.\n".utf8))
            throw ExitCode(65)
        }
        // A file that cannot be opened is the admin's path, not bad data: say why, exit
        // EX_NOINPUT (66), and leave the store untouched (not even created).
        guard let probe = FileHandle(forReadingAtPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "it cannot be read (permissions?)" : "no such file"
            FileHandle.standardError.write(Data("scanstation: cannot open \(file): \(reason); nothing was imported.\n".utf8))
            throw ExitCode(66)
        }
        try? probe.close()
        let store = try database.open(readOnly: false)
        defer { try? store.close() }
        let bar = ProgressBar(label: "importing \(kind.rawValue)")
        do {
            let summary = try store.importCSV(kind, file: file, progress: bar.map { bar in { bar.update($0, of: $1) } })
            bar?.finish()
            print("imported \(summary.rows) \(kind.rawValue) rows from \(file): \(summary.inserted) new, \(summary.updated) updated")
        } catch let error as ImportError {
            bar?.finish()
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            FileHandle.standardError.write(Data("scanstation: \(file) was not imported (\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s")); nothing changed.\n".utf8))
            throw ExitCode(65)
        } catch let error as LedgerError {
            bar?.finish()
            throw LedgerExit.report(error)
        }
    }
}

/// A one-line progress bar on standard error, only when it is a terminal.
final class ProgressBar {
    private let label: String
    private var lastPercent = -1

    init?(label: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if lastPercent >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
