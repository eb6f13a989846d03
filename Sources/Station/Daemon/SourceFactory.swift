public import Devices

/// Makes the scan source a specification names, with the station's scanner settings.
public enum SourceFactory {
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var source: SourceSpecification
        public var description: String { "source '\(source)' is not available in this build of scanstation yet" }
    }

    public static func make(_ specification: SourceSpecification, for station: StationConfiguration) throws(Unavailable) -> any ScanSource {
        switch specification {
        case .standardInput:
            return StandardInputSource()
        case .usb, .serial, .camera, .frames, .llrp:
            throw Unavailable(source: specification)
        }
    }
}
