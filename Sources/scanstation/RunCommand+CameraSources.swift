import ArgumentParser
import Devices
import Logging
import Station

/// `camera:` and `frames:` sources for `scanstation run`.
extension RunCommand {
    static func isCameraKind(_ source: SourceSpecification) -> Bool {
        switch source {
        case .camera, .frames: true
        default: false
        }
    }

    /// Checks what can be checked before the daemon starts: the `frames:` argument's
    /// syntax, and that stdin is not read by two sources.
    static func validateCameraSources(_ sources: [SourceSpecification]) throws {
        var readsStandardInput = false
        for source in sources {
            var usesStandardInput = source == .standardInput
            if case .frames(let argument) = source {
                do {
                    usesStandardInput = try FrameLayout.parse(argument: argument).path == "-"
                } catch {
                    throw ValidationError(error.message)
                }
            }
            if usesStandardInput {
                guard !readsStandardInput else {
                    throw ValidationError("standard input can feed only one source; drop 'stdin' or 'frames:-'")
                }
                readsStandardInput = true
            }
        }
    }

    /// The scan source for a `camera:` or `frames:` specification. A camera that is missing
    /// or busy at start is an error naming it (exit 69), a frame file that cannot be opened
    /// likewise (exit 66); once running, a camera that goes away is reopened with back-off.
    static func cameraSource(for source: SourceSpecification, logger: Logger) throws -> (any ScanSource)? {
        switch source {
        case .camera(let device):
            do {
                _ = try VideoFrameSource(device: device)
            } catch {
                logger.critical("camera unavailable", metadata: ["source": "camera:\(device)", "code": "\(error.code)", "reason": "\(error.message)"])
                throw ExitCode(69) // EX_UNAVAILABLE
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
                logger.critical("frame stream unavailable", metadata: ["source": "frames:\(argument)", "code": "\(error.code)", "reason": "\(error.message)"])
                throw ExitCode(66) // EX_NOINPUT
            }
        default:
            return nil
        }
    }
}
