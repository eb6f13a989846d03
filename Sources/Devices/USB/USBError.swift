internal import CLibUSB

/// A libusb return code. Values mirror `enum libusb_error`; the doc comment of each names
/// the C constant. Only the negative codes are errors: `check(_:)` passes counts through.
public struct USBError: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// LIBUSB_ERROR_IO
    public static let inputOutput = USBError(rawValue: -1)
    /// LIBUSB_ERROR_INVALID_PARAM
    public static let invalidParameter = USBError(rawValue: -2)
    /// LIBUSB_ERROR_ACCESS
    public static let accessDenied = USBError(rawValue: -3)
    /// LIBUSB_ERROR_NO_DEVICE
    public static let noDevice = USBError(rawValue: -4)
    /// LIBUSB_ERROR_NOT_FOUND
    public static let notFound = USBError(rawValue: -5)
    /// LIBUSB_ERROR_BUSY
    public static let busy = USBError(rawValue: -6)
    /// LIBUSB_ERROR_TIMEOUT
    public static let timeout = USBError(rawValue: -7)
    /// LIBUSB_ERROR_OVERFLOW
    public static let overflow = USBError(rawValue: -8)
    /// LIBUSB_ERROR_PIPE
    public static let pipe = USBError(rawValue: -9)
    /// LIBUSB_ERROR_INTERRUPTED
    public static let interrupted = USBError(rawValue: -10)
    /// LIBUSB_ERROR_NO_MEM
    public static let noMemory = USBError(rawValue: -11)
    /// LIBUSB_ERROR_NOT_SUPPORTED
    public static let notSupported = USBError(rawValue: -12)
    /// LIBUSB_ERROR_OTHER
    public static let other = USBError(rawValue: -99)

    /// libusb's own name for the code, e.g. `LIBUSB_ERROR_ACCESS`.
    public var name: String { String(cString: libusb_error_name(rawValue)) }

    public var description: String { "\(name) (\(String(cString: libusb_strerror(rawValue))))" }

    /// Turns a libusb return value into a count or a thrown error; retries calls that were
    /// interrupted by a signal, as the man pages of blocking libusb calls advise.
    @discardableResult
    static func check(_ body: () -> Int32) throws(USBError) -> Int32 {
        while true {
            let status = body()
            if status >= 0 { return status }
            if status == LIBUSB_ERROR_INTERRUPTED.rawValue { continue }
            throw USBError(rawValue: status)
        }
    }
}
