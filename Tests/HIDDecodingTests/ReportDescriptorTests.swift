import Testing
@testable import HIDDecoding

struct ReportDescriptorTests {
    @Test func bootKeyboard() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.bootKeyboard)
        #expect(descriptor == ReportDescriptor.bootKeyboard)
        #expect(descriptor.isKeyboard)
        #expect(!descriptor.isBarcodeScanner)
        #expect(!descriptor.usesReportIDs)
        let input = try #require(descriptor.report(.input, id: nil))
        #expect(input.wireLength == 8)
        #expect(input.fields.map(\.bitOffset) == [0, 8, 16])
        #expect(input.fields[0].usage(at: 1) == HIDUsage(page: 7, id: 0xE1))
        #expect(input.fields[1].isConstant)
        #expect(input.fields[2].isArray && input.fields[2].count == 6 && input.fields[2].logicalMaximum == 0x65)
        let output = try #require(descriptor.report(.output, id: nil))
        #expect(output.wireLength == 1)
        #expect(output.fields[0].usage(at: 0) == HIDUsage(page: 8, id: 1))  // Num Lock LED
        #expect(descriptor.outputReport(for: .goodRead) == nil)
    }

    @Test func honeywellHIDPOSScanner() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellHIDPOS)
        #expect(descriptor.isBarcodeScanner)
        #expect(!descriptor.isKeyboard)
        #expect(descriptor.usesReportIDs)
        let scanned = try #require(descriptor.report(.input, id: 2))
        #expect(scanned.wireLength == 64)
        #expect(scanned.fields.count == 5)
        #expect(scanned.fields[2].flags.contains(.bufferedBytes))
        #expect(descriptor.report(.output, id: 4)?.wireLength == 2)
        #expect(descriptor.report(.feature, id: 254)?.wireLength == 2)
        #expect(descriptor.report(.output, id: 253)?.wireLength == 64)
        #expect(descriptor.collections.count == 5)
        // The firmware reads bit 6 of report 4 as Sound Good Read Beep, bit 5 as Sound Error Beep.
        #expect(descriptor.outputReport(for: .goodRead) == [0x04, 0x40])
        #expect(descriptor.outputReport(for: .badRead) == [0x04, 0x20])
        // No Not On File beep: a warning is the error beep, never the good-read one.
        #expect(descriptor.outputReport(for: .warning) == [0x04, 0x20])
    }

    @Test func aWarningIsTheNotOnFileBeepWhereTheScannerHasOne() throws {
        // Barcode Scanner page, report 4: Sound Error Beep (0x85), Sound Good Read Beep
        // (0x86) and Sound Not On File Beep (0x87) as bits 0-2, five bits of padding.
        let descriptor = try ReportDescriptor(parsing: [
            0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01,
            0x85, 0x04, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x03,
            0x19, 0x85, 0x29, 0x87, 0x91, 0x02,
            0x75, 0x05, 0x95, 0x01, 0x91, 0x03,
            0xC0,
        ])
        #expect(descriptor.outputReport(for: .badRead) == [0x04, 0x01])
        #expect(descriptor.outputReport(for: .goodRead) == [0x04, 0x02])
        #expect(descriptor.outputReport(for: .warning) == [0x04, 0x04])
        // A scanner with the good-read LED alone has no signal for a warning.
        let ledOnly = try ReportDescriptor(parsing: [
            0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01,
            0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x09, 0x7D, 0x91, 0x02,
            0x75, 0x07, 0x95, 0x01, 0x91, 0x03,
            0xC0,
        ])
        #expect(ledOnly.outputReport(for: .goodRead) == [0x01])
        #expect(ledOnly.outputReport(for: .warning) == nil)
        #expect(ledOnly.outputReport(for: .badRead) == nil)
    }

    @Test func honeywellReMIsNotAHIDPOSScanner() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.honeywellReM)
        #expect(!descriptor.isBarcodeScanner)
        #expect(descriptor.applications == [HIDUsage(page: 0xFF8C, id: 0x02)])
        #expect(descriptor.report(.input, id: 2)?.wireLength == 64)
    }

    @Test func syntheticCompositeWithPushPopUnitsAndLongItems() throws {
        let descriptor = try ReportDescriptor(parsing: PublishedDescriptors.syntheticComposite)
        #expect(descriptor.isKeyboard)
        #expect(descriptor.report(.input, id: 1)?.wireLength == 9)
        #expect(descriptor.report(.output, id: 1)?.wireLength == 2)
        let consumer = try #require(descriptor.report(.input, id: 3))
        #expect(consumer.wireLength == 4)
        let wheel = consumer.fields[1]
        #expect(wheel.usage(at: 0) == HIDUsage(page: 0x01, id: 0x38))
        #expect(wheel.logicalMinimum == -127 && wheel.logicalMaximum == 127)
        #expect(wheel.physicalMaximum == 1000)
        #expect(wheel.unit.description == "cm x10^-2")
        #expect(wheel.flags.contains(.relative))
        #expect(consumer.application == HIDUsage(page: 0x0C, id: 0x01))
        #expect(descriptor.notes.count == 1)
    }

    @Test(arguments: [
        ([] as [UInt8], HIDDescriptorError.Code.empty),
        ([0x05], .truncatedItem),
        ([0x06, 0x01], .truncatedItem),
        ([0xFE, 0x05, 0x00, 0x01], .truncatedItem),
        ([0xA1, 0x01], .unbalancedCollection),
        ([0xC0], .unbalancedCollection),
        ([0xB4], .unbalancedPush),
        ([0x85, 0x00], .invalidReportID),
        ([0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x85, 0x01, 0x81, 0x02], .mixedReportIDs),
        ([0x19, 0x10, 0x29, 0x05], .invalidUsage),
        ([0x76, 0x01, 0x02], .invalidReportSize),
        ([0x75, 0xFF, 0x96, 0xFF, 0xFF, 0x81, 0x02], .reportTooLong),
        ([0x76, 0x01, 0x01], .invalidReportSize),
        ([0xF4], .unknownItem),
    ])
    func malformedDescriptorsAreErrors(_ bytes: [UInt8], _ code: HIDDescriptorError.Code) {
        #expect(throws: HIDDescriptorError.self) { try ReportDescriptor(parsing: bytes) }
        do {
            _ = try ReportDescriptor(parsing: bytes)
        } catch {
            #expect(error.code == code)
            #expect(error.offset <= bytes.count)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func aReportTooLongForAnyDeviceIsAnError() {
        var bytes: [UInt8] = [0x75, 0x80, 0x96, 0x00, 0x02]  // 128 bits x 512
        for _ in 0..<3 { bytes += [0x81, 0x02] }
        #expect(throws: HIDDescriptorError.self) { try ReportDescriptor(parsing: bytes) }
    }

    @Test func nestingTooDeepIsAnError() {
        let bytes = [UInt8](repeating: 0, count: 0) + Array(repeating: [0xA1, 0x00], count: 100).flatMap { $0 }
        #expect(throws: HIDDescriptorError.self) { try ReportDescriptor(parsing: bytes) }
    }

    /// Random bytes and random mutations of real descriptors: the parser answers a value or a
    /// typed error, never traps; what it accepts, the decoder can be built on and fed.
    @Test func randomDescriptorsNeverTrap() {
        var generator = SplitMix64(seed: 0x5CA7_5CA7)
        let seeds = [PublishedDescriptors.bootKeyboard, PublishedDescriptors.honeywellHIDPOS, PublishedDescriptors.honeywellReM, PublishedDescriptors.syntheticComposite]
        var accepted = 0
        var rejected = 0
        for round in 0..<40_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(generator.next() % 96)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = seeds[Int(generator.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + generator.next() % 4) where !bytes.isEmpty {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: index)
                    }
                }
            }
            do {
                let descriptor = try ReportDescriptor(parsing: bytes)
                accepted += 1
                var decoder = HIDScanDecoder(descriptor: descriptor, layout: .us, framing: ScanFraming())
                let report = (0..<Int(generator.next() % 70)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                _ = decoder.feed(report: report, atMilliseconds: 1)
                _ = decoder.flush(atMilliseconds: .max)
                _ = descriptor.outputReport(for: .goodRead)
            } catch {
                rejected += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(accepted > 1000)
        #expect(rejected > 1000)
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
