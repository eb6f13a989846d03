import Devices
import Testing

@Suite struct SystemLibrariesTests {
    @Test func libusbLinksAndInitialises() {
        #expect(SystemLibraries.libusbVersion.hasPrefix("1.0."))
        #expect(SystemLibraries.initialiseLibUSBWithoutDiscovery() == nil)
    }

    @Test func zbarLinksAndScans() {
        #expect(SystemLibraries.zbarVersion.hasPrefix("0."))
        #expect(SystemLibraries.zbarScansAnEmptyFrame())
    }
}
