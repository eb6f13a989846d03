/// Why a camera, a frame stream or an image file could not deliver frames. The message
/// names the device or file and says what to do.
public struct CameraError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case deviceNotFound = "camera_not_found"
            case deviceBusy = "camera_busy"
            case deviceOpenFailed = "camera_open_failed"
            case deviceLost = "camera_lost"
            case streamUnreadable = "frames_unreadable"
            case badFrameHeader = "bad_frame_header"
            case truncatedFrame = "truncated_frame"
            case badFrameSize = "bad_frame_size"
            case imageUnreadable = "image_unreadable"
            case unsupportedImage = "unsupported_image"
            case decoderFailed = "decoder_failed"
            case unknownSymbology = "unknown_symbology"
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The V4L2 device node does not exist.
        public static let deviceNotFound = Code(.deviceNotFound)
        /// The device exists but another program holds it (EBUSY).
        public static let deviceBusy = Code(.deviceBusy)
        /// zbar could not open or start the device for another reason.
        public static let deviceOpenFailed = Code(.deviceOpenFailed)
        /// A running camera stopped delivering frames (unplugged, driver error).
        public static let deviceLost = Code(.deviceLost)
        /// The frame stream's file or pipe could not be opened or read.
        public static let streamUnreadable = Code(.streamUnreadable)
        /// A PGM frame header is malformed.
        public static let badFrameHeader = Code(.badFrameHeader)
        /// The stream ended in the middle of a frame.
        public static let truncatedFrame = Code(.truncatedFrame)
        /// A frame's dimensions are zero, too large or not what the source argument says.
        public static let badFrameSize = Code(.badFrameSize)
        /// An image file could not be read.
        public static let imageUnreadable = Code(.imageUnreadable)
        /// An image file is neither PNG nor PGM.
        public static let unsupportedImage = Code(.unsupportedImage)
        /// A C decoder could not be created.
        public static let decoderFailed = Code(.decoderFailed)
        /// A symbology list names something unknown or unreadable.
        public static let unknownSymbology = Code(.unknownSymbology)

        public var description: String { value.rawValue }
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
