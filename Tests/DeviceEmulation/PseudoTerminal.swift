import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal standing in for a serial scanner: writes to the master arrive on the
/// slave, which the source opens as its port.
public final class PseudoTerminal {
    public let master: Int32
    public let slavePath: String

    public init() throws {
        // posix_openpt/grantpt/unlockpt/ptsname, spelled as the ioctls they are (Swift's Glibc
        // module leaves the X/Open functions out): TIOCSPTLCK and TIOCGPTN from <asm/ioctls.h>.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw POSIXError(.ENOENT) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            close(master)
            throw POSIXError(.EIO)
        }
        slavePath = "/dev/pts/\(number)"
    }

    public func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    public func unplug() { close(master) }
}
