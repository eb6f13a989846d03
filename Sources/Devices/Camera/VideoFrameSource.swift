internal import CZBar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A V4L2 camera (`/dev/videoN`) read through zbar's video support, converted to Y800.
public final class VideoFrameSource: FrameSource {
    public let device: String
    private let video: OpaquePointer

    /// Opens and starts the device.
    /// - Parameters:
    ///   - width, height: the resolution to ask for; the driver picks the nearest it has.
    public init(device: String, width: Int? = nil, height: Int? = nil) throws(CameraError) {
        self.device = device
        guard let video = zbar_video_create() else {
            throw CameraError(code: .decoderFailed, message: "zbar could not create a video handle for '\(device)' (out of memory?)")
        }
        if let width, let height, width > 0, height > 0 {
            _ = zbar_video_request_size(video, UInt32(width), UInt32(height))
        }
        // Checked before zbar opens it, so a missing or busy device is named as such
        // rather than by zbar's generic message.
        if access(device, F_OK) != 0 {
            zbar_video_destroy(video)
            throw CameraError(code: .deviceNotFound, message: "camera '\(device)' does not exist; check that it is plugged in and the source names the right /dev/videoN (v4l2-ctl --list-devices)")
        }
        guard zbar_video_open(video, device) == 0 else {
            let reason = Self.errorText(video)
            zbar_video_destroy(video)
            throw Self.openError(device: device, reason: reason)
        }
        // zbar picks the camera's format; frames are converted to Y800 as they arrive.
        guard zbar_video_init(video, 0) == 0, zbar_video_enable(video, 1) == 0 else {
            let reason = Self.errorText(video)
            _ = zbar_video_open(video, nil)
            zbar_video_destroy(video)
            throw Self.openError(device: device, reason: reason)
        }
        self.video = video
    }

    deinit {
        _ = zbar_video_enable(video, 0)
        _ = zbar_video_open(video, nil)
        zbar_video_destroy(video)
    }

    public func nextFrame() throws(CameraError) -> GrayFrame? {
        guard let image = zbar_video_next_image(video) else {
            throw CameraError(code: .deviceLost, message: "camera '\(device)' stopped delivering frames (\(Self.errorText(video))); check the cable; the station retries")
        }
        defer { zbar_image_destroy(image) }
        let y800: UInt = 0x3030_3859 // fourcc "Y800"
        guard let gray = zbar_image_convert(image, y800) else {
            throw CameraError(code: .deviceLost, message: "camera '\(device)' delivers frames zbar cannot convert to grayscale")
        }
        defer { zbar_image_destroy(gray) }
        let width = Int(zbar_image_get_width(gray))
        let height = Int(zbar_image_get_height(gray))
        let length = Int(zbar_image_get_data_length(gray))
        guard width > 0, height > 0, length >= width * height, let data = zbar_image_get_data(gray) else {
            throw CameraError(code: .deviceLost, message: "camera '\(device)' delivered an empty frame")
        }
        let bytes = data.assumingMemoryBound(to: UInt8.self)
        let pixels = [UInt8](UnsafeBufferPointer(start: bytes, count: width * height))
        return GrayFrame(width: width, height: height, pixels: pixels)
    }

    static func openError(device: String, reason: String) -> CameraError {
        if reason.lowercased().contains("busy") {
            return CameraError(code: .deviceBusy, message: "camera '\(device)' is busy: another program is using it (\(reason)); close it (fuser \(device)) and restart")
        }
        if reason.lowercased().contains("permission") {
            return CameraError(code: .deviceOpenFailed, message: "camera '\(device)' cannot be opened: \(reason); add the station's user to the 'video' group")
        }
        return CameraError(code: .deviceOpenFailed, message: "camera '\(device)' cannot be opened: \(reason); check that it is a V4L2 video capture device")
    }

    private static func errorText(_ video: OpaquePointer) -> String {
        guard let text = _zbar_error_string(UnsafeRawPointer(video), 0) else { return "unknown error" }
        // zbar's text spans lines with an indent; one line reads better in a log.
        return String(cString: text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
