/// USB ids of barcode scanners the default station takes without configuration.
///
/// Vendors are companies that make (almost) only scanners; products are scanners sold under
/// vendor ids shared with other devices. Names and ids are as in the usb.ids database
/// (Debian package `usb.ids`, version 2025.07.26, /usr/share/misc/usb.ids).
public enum KnownScanners {
    /// Whole vendors: every device of theirs is taken as a scanner.
    public static let vendors: [UInt16: String] = [
        0x0c2e: "Metrologic Instruments (Honeywell)",
        0x0536: "Hand Held Products (Welch Allyn, Inc.)",
        0x05e0: "Symbol Technologies (Zebra)",
        0x05f9: "PSC Scanning, Inc. (Datalogic)",
        0x080c: "Datalogic S.p.A.",
        0x1eab: "Fujian Newland Computer Co., Ltd",
        0x067e: "Intermec Technologies Corp.",
        0x065a: "Optoelectronics Co., Ltd (Opticon)",
        0x0db5: "Access IS",
    ]

    /// Single products that usb.ids names as barcode scanners or readers.
    public static let products: Set<USBProductID> = [
        USBProductID(vendor: 0x03f0, product: 0x0139), // HP, Inc: Barcode Scanner 4430
        USBProductID(vendor: 0x03f0, product: 0x1d24), // HP, Inc: Barcode scanner
        USBProductID(vendor: 0x040b, product: 0x6510), // Weltrend Semiconductor: Weltrend Bar Code Reader
        USBProductID(vendor: 0x0416, product: 0xc141), // Winbond Electronics Corp.: Barcode Scanner
        USBProductID(vendor: 0x04b4, product: 0xbca1), // Cypress Semiconductor Corp.: Barcode Reader
        USBProductID(vendor: 0x04b4, product: 0xde61), // Cypress Semiconductor Corp.: Barcode Reader
        USBProductID(vendor: 0x04b4, product: 0xde64), // Cypress Semiconductor Corp.: Barcode Reader
        USBProductID(vendor: 0x0581, product: 0x0107), // Racal Data Group: Tera Barcode Scanner 2.4 GHz Receiver
        USBProductID(vendor: 0x0581, product: 0x020c), // Racal Data Group: Tera 2D Barcode Scanner EVHK0012
        USBProductID(vendor: 0x13ba, product: 0x0018), // PCPlay: Barcode PCP-BCG4209
        USBProductID(vendor: 0x24ae, product: 0x0197), // Shenzhen Rapoo Technology Co., Ltd.: meva Barcode Scanner
        USBProductID(vendor: 0x24ea, product: 0x0197), // Meva: Barcode Scanner
    ]

    /// Whether the ids alone say "barcode scanner".
    public static func contains(vendor: UInt16, product: UInt16) -> Bool {
        vendors[vendor] != nil || products.contains(USBProductID(vendor: vendor, product: product))
    }
}

/// A vendor:product pair.
public struct USBProductID: Sendable, Hashable {
    public var vendor: UInt16
    public var product: UInt16

    public init(vendor: UInt16, product: UInt16) {
        self.vendor = vendor
        self.product = product
    }
}
