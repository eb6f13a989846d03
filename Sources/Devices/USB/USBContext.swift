internal import CLibUSB

/// Owns a libusb context; freed when the owner goes away. Used on one thread only.
final class USBContext {
    let pointer: OpaquePointer

    init() throws(USBError) {
        var context: OpaquePointer?
        try USBError.check { libusb_init(&context) }
        guard let context else { throw USBError.other }
        pointer = context
    }

    /// Whether the platform backend delivers hotplug events (Linux with udev or netlink).
    var hasHotplug: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }

    /// The devices on the bus now, each referenced (the caller unreferences them).
    func deviceList() -> [OpaquePointer] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(pointer, &list)
        guard count > 0, let list else { return [] }
        var devices: [OpaquePointer] = []
        for index in 0..<count {
            if let device = list[index] {
                libusb_ref_device(device)
                devices.append(device)
            }
        }
        libusb_free_device_list(list, 1)
        return devices
    }

    deinit {
        libusb_exit(pointer)
    }
}
