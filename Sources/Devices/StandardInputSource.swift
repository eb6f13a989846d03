import Foundation
import ScanCodes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scans typed or piped on standard input, one per line (LF; a CR before it is left for
/// input hygiene to strip). Empty lines are not scans.
public struct StandardInputSource: ScanSource {
    public let name = "stdin"
    let fileDescriptor: Int32
    /// End of input ends the whole channel, other sources included (a batch of piped scans).
    let endsChannel: Bool

    public init(fileDescriptor: Int32 = 0, endsChannel: Bool = false) {
        self.fileDescriptor = fileDescriptor
        self.endsChannel = endsChannel
    }

    public func start(into channel: ScanChannel) {
        let fileDescriptor = self.fileDescriptor
        let name = self.name
        let endsChannel = self.endsChannel
        let thread = Thread {
            var framer = LineFramer(limit: PayloadHygiene.maximumLength + 1)
            var chunk = [UInt8](repeating: 0, count: 65536)
            var open = true
            reading: while open {
                let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                framer.feed(chunk[0..<count]) { line in
                    guard open, line.totalLength > 0, line.bytes != [0x0D] else { return }
                    open = channel.send(RawScan(source: name, bytes: line.bytes, totalLength: line.totalLength), lendingThread: true)
                }
                if !open { break reading }
            }
            if open, let last = framer.finish(), last.bytes != [0x0D] {
                channel.send(RawScan(source: name, bytes: last.bytes, totalLength: last.totalLength), lendingThread: true)
            }
            if endsChannel { channel.finishAll() } else { channel.finish() }
        }
        thread.name = "scanstation-stdin"
        thread.start()
    }

    /// Whether standard input is a batch of scans (a pipe, a file or a socket) rather than
    /// a person at a terminal.
    public static func isBatch(fileDescriptor: Int32 = 0) -> Bool {
        var status = stat()
        guard isUsable(fileDescriptor: fileDescriptor), fstat(fileDescriptor, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFREG || type == S_IFSOCK
    }

    /// Whether standard input can carry scans: a terminal, a pipe, a file or a socket, but
    /// not /dev/null or a closed descriptor (CONTRACTS.md: the built-in default sources).
    public static func isUsable(fileDescriptor: Int32 = 0) -> Bool {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        var null = stat()
        if stat("/dev/null", &null) == 0, status.st_dev == null.st_dev, status.st_ino == null.st_ino {
            return false
        }
        return true
    }
}
