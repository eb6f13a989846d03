/// What `scanstation run` was asked for on its command line.
public struct RunRequest: Sendable {
    public var configuration: ScanStationConfiguration?
    public var sources: [SourceSpecification] = []
    public var station: String?
    public var mode: StationMode?
    public var database: String?
    public var language: PromptLanguage?

    public init(configuration: ScanStationConfiguration?) {
        self.configuration = configuration
    }
}

/// The stations the daemon runs, resolved from the command line, the config and the
/// built-in defaults (CONTRACTS.md, `run`): command-line sources replace the config's
/// sources, which replace the built-in defaults.
public struct DaemonPlan: Sendable {
    public var databasePath: String
    public var language: PromptLanguage
    public var stations: [StationConfiguration]

    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(request: RunRequest, standardInputUsable: Bool, hostName: String, environment: [String: String]? = nil, fileExists: ((String) -> Bool)? = nil) throws(SetupError) {
        let configuration = request.configuration
        databasePath = DatabaseLocation.resolve(option: request.database, configured: configuration?.database, environment: environment, fileExists: fileExists)
        language = request.language ?? configuration?.language ?? .en

        var stations = configuration?.stations ?? []
        if stations.isEmpty {
            var station = StationConfiguration(name: request.station ?? hostName)
            // Built-in defaults: stdin when it can carry scans, plus known USB scanners.
            if standardInputUsable { station.sources.append(.standardInput) }
            station.sources.append(.usb(vendor: nil, product: nil))
            stations = [station]
        }
        // The station that command-line sources and --mode apply to.
        var target = 0
        if let name = request.station, configuration?.stations.isEmpty == false {
            guard let index = stations.firstIndex(where: { $0.name == name }) else {
                throw SetupError(description: "--station \(name): the config has no such station (it has \(stations.map(\.name).joined(separator: ", ")))")
            }
            target = index
        }
        if !request.sources.isEmpty { stations[target].sources = request.sources }
        if let mode = request.mode { stations[target].mode = mode }

        let readingStdin = stations.filter { $0.sources.contains(where: SourceFactory.readsStandardInput) }
        guard readingStdin.count <= 1 else {
            throw SetupError(description: "stations \(readingStdin.map(\.name).joined(separator: " and ")) both read standard input; give it to one station")
        }
        if let station = readingStdin.first, station.sources.filter(SourceFactory.readsStandardInput).count > 1 {
            throw SetupError(description: "station \(station.name) reads standard input twice ('stdin' and 'frames:-'); keep one")
        }
        if !standardInputUsable, let station = readingStdin.first {
            // A configured stdin source with nothing on stdin (e.g. under systemd) is idle, not
            // an error. One asked for on the command line is read: /dev/null is at its end at
            // once, and a run with no other source ends, as CONTRACTS.md says.
            if let index = stations.firstIndex(where: { $0.name == station.name }), request.sources.isEmpty || index != target {
                stations[index].sources.removeAll { $0 == .standardInput }
            }
        }
        self.stations = stations
    }
}
