/// Where a camera source gets its frames: a V4L2 device through zbar, or a Y800/PGM frame
/// stream. A frame source is owned by the one capture thread that reads it.
public protocol FrameSource: AnyObject {
    /// Blocks until the next frame; nil at the clean end of a stream. A camera that stops
    /// delivering throws `CameraError.Code.deviceLost`.
    func nextFrame() throws(CameraError) -> GrayFrame?
}
