import Devices
import Foundation
import Testing

/// The shipped udev rules give the service group every device the daemon takes by default,
/// and nothing else: a scanner the code knows but the rules miss would fail with EACCES.
@Suite struct UdevRulesCoverageTests {
    static let rules = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("udev/70-scanstation.rules")

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).map { match in
            (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
        }
    }

    @Test func everyKnownVendorAndProductIsInTheRules() throws {
        let text = try String(contentsOf: Self.rules, encoding: .utf8)
        let vendorLines = Self.matches(#"(?m)^ATTR\{idVendor\}=="([0-9a-f]{4})", ENV"#, in: text).map { $0[0] }
        let productLines = Self.matches(#"(?m)^ATTR\{idVendor\}=="([0-9a-f]{4})", ATTR\{idProduct\}=="([0-9a-f]{4})", ENV"#, in: text)
        let ruleVendors = Set(vendorLines.compactMap { UInt16($0, radix: 16) })
        let ruleProducts = Set(productLines.compactMap { pair -> USBProductID? in
            guard let vendor = UInt16(pair[0], radix: 16), let product = UInt16(pair[1], radix: 16) else { return nil }
            return USBProductID(vendor: vendor, product: product)
        })
        #expect(ruleVendors == Set(KnownScanners.vendors.keys))
        #expect(ruleProducts == KnownScanners.products)

        // hidraw and tty children of the same devices get the group too.
        let childVendors = Self.matches(#"(?m)^ATTRS\{idVendor\}=="([0-9a-f|]+)", GROUP"#, in: text).flatMap { $0[0].split(separator: "|") }
        #expect(Set(childVendors.compactMap { UInt16($0, radix: 16) }) == Set(KnownScanners.vendors.keys))
        let childProducts = Self.matches(#"(?m)^ATTRS\{idVendor\}=="([0-9a-f]{4})", ATTRS\{idProduct\}=="([0-9a-f]{4})", GROUP"#, in: text).count
        #expect(childProducts == KnownScanners.products.count)
        #expect(!text.contains("0666") && !text.contains("0777"), "nothing world-writable")
    }
}
