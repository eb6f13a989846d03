public import Devices
public import Logging

/// Makes the scan source a specification names, with the station's scanner settings.
public enum SourceFactory {
    /// Why a source cannot be made; `exitCode` follows sysexits (78 config, 69 unavailable).
    public struct SourceError: Error, Sendable, CustomStringConvertible {
        public var source: SourceSpecification
        public var description: String
        public var exitCode: Int32
    }

    /// Checks what can be checked before the daemon starts (syntax of arguments).
    public static func validate(_ specification: SourceSpecification) throws(SourceError) {
        switch specification {
        case .standardInput, .camera:
            return
        case .frames(let argument):
            do {
                _ = try FrameLayout.parse(argument: argument)
            } catch {
                throw SourceError(source: specification, description: error.message, exitCode: 64)
            }
        case .usb, .serial, .llrp:
            throw unavailable(specification)
        }
    }

    /// Whether the source reads standard input (only one source may).
    public static func readsStandardInput(_ specification: SourceSpecification) -> Bool {
        switch specification {
        case .standardInput: return true
        case .frames(let argument): return (try? FrameLayout.parse(argument: argument))?.path == "-"
        default: return false
        }
    }

    /// Whether the source ends by itself (end of input): a daemon that reads only such
    /// sources exits when they have ended.
    public static func endsWithInput(_ specification: SourceSpecification) -> Bool {
        switch specification {
        case .standardInput, .frames: true
        default: false
        }
    }

    public static func make(_ specification: SourceSpecification, for station: StationConfiguration, logger: Logger) throws(SourceError) -> any ScanSource {
        switch specification {
        case .standardInput:
            return StandardInputSource()
        case .camera(let device):
            // A camera missing or busy at start is an error naming it; once running, a
            // camera that goes away is reopened with back-off.
            do {
                _ = try VideoFrameSource(device: device)
            } catch {
                throw SourceError(source: specification, description: "\(error.code): \(error.message)", exitCode: 69)
            }
            return CameraScanSource.camera(device: device, logger: logger)
        case .frames(let argument):
            do {
                let path = try FrameLayout.parse(argument: argument).path
                if path != "-" {
                    // Opened now only to name a missing file before the daemon starts.
                    _ = try FrameStreamReader(path: path, layout: .pgm)
                }
                return try CameraScanSource.frames(argument: argument, logger: logger)
            } catch {
                throw SourceError(source: specification, description: "\(error.code): \(error.message)", exitCode: 66) // EX_NOINPUT
            }
        case .usb, .serial, .llrp:
            throw unavailable(specification)
        }
    }

    static func unavailable(_ specification: SourceSpecification) -> SourceError {
        SourceError(source: specification, description: "source '\(specification)' is not available in this build of scanstation yet", exitCode: 78)
    }
}
