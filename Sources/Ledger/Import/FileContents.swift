#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file an admin named cannot be read, in the words of the system call that failed
/// ("No such file or directory", "Permission denied", "is a directory").
public struct FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}

/// Whole-file reads for config and import files, with the system's reason on failure
/// (Foundation's errors read "NSCocoaErrorDomain error 256" for a directory).
public enum FileContents {
    /// Config and CSV files are small; anything larger is a wrong path.
    public static let maximumBytes = 256 << 20

    public static func bytes(atPath path: String) throws(FileReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(path: path, reason: systemReason()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileReadError(path: path, reason: systemReason()) }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw FileReadError(path: path, reason: "is a directory, not a file")
        }
        var bytes: [UInt8] = []
        if status.st_mode & S_IFMT == S_IFREG { bytes.reserveCapacity(min(Int(status.st_size), maximumBytes)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, reason: systemReason())
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maximumBytes else {
                throw FileReadError(path: path, reason: "larger than \(maximumBytes >> 20) MiB; is this the right file?")
            }
        }
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
