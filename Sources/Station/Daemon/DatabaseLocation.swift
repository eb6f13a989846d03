import Foundation

/// Where the store lives (CONTRACTS.md, database path): `--db` > the config's `database` >
/// `$STATE_DIRECTORY/scanstation.db` > `/var/lib/scanstation/scanstation.db` if it exists >
/// `./scanstation.db`.
public enum DatabaseLocation {
    public static let systemPath = "/var/lib/scanstation/scanstation.db"

    public static func resolve(
        option: String?, configured: String?,
        environment: [String: String]? = nil,
        fileExists: ((String) -> Bool)? = nil
    ) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let fileExists = fileExists ?? { FileManager.default.fileExists(atPath: $0) }
        if let option, !option.isEmpty { return option }
        if let configured, !configured.isEmpty { return configured }
        if let state = environment["STATE_DIRECTORY"], !state.isEmpty {
            // systemd may pass several directories separated by ':'; the first is ours.
            let first = state.split(separator: ":").first.map(String.init) ?? state
            return first.hasSuffix("/") ? first + "scanstation.db" : first + "/scanstation.db"
        }
        if fileExists(systemPath) { return systemPath }
        return "./scanstation.db"
    }
}
