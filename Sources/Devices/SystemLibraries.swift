internal import CLibUSB
internal import CZBar
#if canImport(Glibc)
import Glibc
#endif

/// The C libraries the device layer is built on, for `--version` and health checks.
public enum SystemLibraries {
    /// libusb's version, e.g. "1.0.26".
    public static var libusbVersion: String {
        guard let version = libusb_get_version()?.pointee else { return "unknown" }
        return "\(version.major).\(version.minor).\(version.micro)"
    }

    /// zbar's version, e.g. "0.23.92".
    public static var zbarVersion: String {
        var major: UInt32 = 0
        var minor: UInt32 = 0
        var patch: UInt32 = 0
        _ = zbar_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// Creates and frees a libusb context without scanning the bus; nil when it worked,
    /// otherwise libusb's error name.
    public static func initialiseLibUSBWithoutDiscovery() -> String? {
        _ = scanstation_libusb_set_option_noarg(nil, LIBUSB_OPTION_NO_DEVICE_DISCOVERY)
        var context: OpaquePointer?
        let status = libusb_init(&context)
        guard status == 0 else { return String(cString: libusb_error_name(status)) }
        libusb_exit(context)
        return nil
    }

    /// Creates a zbar image scanner and decodes an empty 8x8 frame; true when zbar works.
    public static func zbarScansAnEmptyFrame() -> Bool {
        guard let scanner = zbar_image_scanner_create() else { return false }
        defer { zbar_image_scanner_destroy(scanner) }
        guard let image = zbar_image_create() else { return false }
        defer { zbar_image_destroy(image) }
        let width: UInt32 = 8
        let height: UInt32 = 8
        // zbar frees the frame with free(), so it must come from malloc.
        guard let pixels = malloc(Int(width * height)) else { return false }
        memset(pixels, 0xFF, Int(width * height))
        zbar_image_set_format(image, 0x3030_3859) // fourcc "Y800": 8-bit grayscale
        zbar_image_set_size(image, width, height)
        zbar_image_set_data(image, pixels, UInt(width * height), zbar_image_free_data)
        return zbar_scan_image(scanner, image) == 0
    }
}
