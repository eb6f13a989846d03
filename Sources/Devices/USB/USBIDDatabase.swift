import Foundation

/// Vendor and product names from the system's usb.ids (Debian package `usb.ids`).
public struct USBIDDatabase: Sendable {
    private var vendors: [UInt16: String] = [:]
    private var products: [USBProductID: String] = [:]

    /// Where distributions install the database, most specific first.
    public static let searchPaths = ["/var/lib/usbutils/usb.ids", "/usr/share/misc/usb.ids", "/usr/share/hwdata/usb.ids"]

    /// The first database found; empty when there is none (names are then omitted).
    public static func system() -> USBIDDatabase {
        for path in searchPaths {
            if let data = FileManager.default.contents(atPath: path) {
                return USBIDDatabase(text: String(decoding: data, as: UTF8.self))
            }
        }
        return USBIDDatabase(text: "")
    }

    /// Parses `VVVV  Vendor` lines and tab-indented `PPPP  Product` lines below them; stops
    /// at the class lists (`C 00  ...`) that follow the vendors.
    public init(text: String) {
        var vendor: UInt16?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("C ") { break }
            let utf8 = Array(line.utf8)
            if utf8.first == 0x09 {
                guard utf8.count > 7, utf8[1] != 0x09, let vendor, let id = UInt16(String(decoding: utf8[1..<5], as: UTF8.self), radix: 16) else { continue }
                products[USBProductID(vendor: vendor, product: id)] = String(decoding: utf8[5...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            } else if utf8.count > 6, let id = UInt16(String(decoding: utf8[0..<4], as: UTF8.self), radix: 16), utf8[4] == 0x20 {
                vendor = id
                vendors[id] = String(decoding: utf8[4...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            } else {
                vendor = nil
            }
        }
    }

    public func vendorName(_ vendor: UInt16) -> String? { vendors[vendor] }

    public func productName(vendor: UInt16, product: UInt16) -> String? { products[USBProductID(vendor: vendor, product: product)] }
}
