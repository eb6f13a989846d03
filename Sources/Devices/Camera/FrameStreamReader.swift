#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How frames are laid out in a `frames:` stream.
///
/// `frames:PATH` (or `frames:-` for standard input) is a sequence of binary PGM images
/// (`P5`, maxval up to 255), each with its own header, so frames carry their size and a
/// stream may change resolution. `frames:WIDTHxHEIGHT:PATH` is raw Y800: headerless 8-bit
/// grayscale frames of exactly WIDTH*HEIGHT bytes each, as `ffmpeg -f rawvideo -pix_fmt gray`
/// or GStreamer's `video/x-raw,format=GRAY8` write them.
public enum FrameLayout: Sendable, Hashable {
    case pgm
    case y800(width: Int, height: Int)

    /// Splits a `frames:` argument into layout and path.
    public static func parse(argument: String) throws(CameraError) -> (layout: FrameLayout, path: String) {
        guard let colon = argument.firstIndex(of: ":") else { return (.pgm, argument) }
        let size = argument[..<colon]
        let parts = size.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }) else {
            // Not a size prefix: the colon belongs to the path.
            return (.pgm, argument)
        }
        guard let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0,
              width <= 16384, height <= 16384
        else {
            throw CameraError(code: .badFrameSize, message: "frame size '\(size)' in 'frames:\(argument)' must be WIDTHxHEIGHT with each side from 1 to 16384")
        }
        let path = String(argument[argument.index(after: colon)...])
        guard !path.isEmpty else {
            throw CameraError(code: .streamUnreadable, message: "'frames:\(argument)' names no file; use frames:\(size):PATH or frames:\(size):- for standard input")
        }
        return (.y800(width: width, height: height), path)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// Reads a Y800 or PGM frame stream from a file, a pipe or standard input (`-`).
/// A stream that ends inside a frame, or whose header is malformed, is an error.
public final class FrameStreamReader: FrameSource {
    public let path: String
    public let layout: FrameLayout
    private let fileDescriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var framesRead = 0

    public init(path: String, layout: FrameLayout) throws(CameraError) {
        self.path = path
        self.layout = layout
        if path == "-" {
            fileDescriptor = 0
            ownsDescriptor = false
        } else {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw CameraError(code: .streamUnreadable, message: "cannot open frame stream '\(path)': \(reason); check the path and that the station may read it")
            }
            fileDescriptor = descriptor
            ownsDescriptor = true
        }
    }

    /// Reads from an already open descriptor, which the reader does not close.
    public init(fileDescriptor: Int32, name: String, layout: FrameLayout) {
        self.path = name
        self.layout = layout
        self.fileDescriptor = fileDescriptor
        self.ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(fileDescriptor) }
    }

    public func nextFrame() throws(CameraError) -> GrayFrame? {
        guard try fill() else { return nil }
        let frameNumber = framesRead + 1
        let width: Int
        let height: Int
        var maximum = 255
        switch layout {
        case .y800(let w, let h):
            width = w
            height = h
        case .pgm:
            let header = try PGMHeader.parse(frame: frameNumber, source: path) { () throws(CameraError) -> UInt8? in try self.nextByte() }
            width = header.width
            height = header.height
            maximum = header.maximum
        }
        let count = width * height
        var pixels = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            guard try fill() else {
                throw CameraError(code: .truncatedFrame, message: "frame stream '\(path)' ended inside frame \(frameNumber): \(filled) of \(count) bytes (\(width)x\(height)); check the frame size and that the writer was not cut off")
            }
            let take = min(end - start, count - filled)
            pixels.withUnsafeMutableBufferPointer { target in
                buffer.withUnsafeBufferPointer { source in
                    for offset in 0..<take { target[filled + offset] = source[start + offset] }
                }
            }
            start += take
            filled += take
        }
        if maximum != 255 {
            for index in pixels.indices {
                pixels[index] = UInt8(min(255, Int(pixels[index]) * 255 / maximum))
            }
        }
        framesRead += 1
        return GrayFrame(width: width, height: height, pixels: pixels)
    }

    /// Makes at least one byte available; false at end of input.
    private func fill() throws(CameraError) -> Bool {
        if start < end { return true }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw CameraError(code: .streamUnreadable, message: "reading frame stream '\(path)' failed: \(reason)")
            }
            start = 0
            end = count
            return count > 0
        }
    }

    private func nextByte() throws(CameraError) -> UInt8? {
        guard try fill() else { return nil }
        defer { start += 1 }
        return buffer[start]
    }
}

/// A binary PGM (`P5`) header.
struct PGMHeader {
    var width: Int
    var height: Int
    var maximum: Int

    /// Parses a header byte by byte, leaving the reader at the first pixel.
    static func parse(frame: Int, source: String, nextByte: () throws(CameraError) -> UInt8?) throws(CameraError) -> PGMHeader {
        func bad(_ what: String) -> CameraError {
            CameraError(code: .badFrameHeader, message: "frame \(frame) of '\(source)' is not a binary PGM image: \(what); send P5 images with maxval up to 255, or give the size as frames:WIDTHxHEIGHT:PATH for raw Y800")
        }
        guard try nextByte() == UInt8(ascii: "P"), try nextByte() == UInt8(ascii: "5") else { throw bad("it does not start with 'P5'") }
        var numbers: [Int] = []
        var pending: UInt8? = try nextByte()
        while numbers.count < 3 {
            guard let byte = pending else { throw bad("the header ends early") }
            if byte == UInt8(ascii: "#") {
                while let skipped = try nextByte(), skipped != 0x0A, skipped != 0x0D {}
                pending = try nextByte()
            } else if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pending = try nextByte()
            } else if (0x30...0x39).contains(byte) {
                var value = 0
                var current: UInt8? = byte
                var digits = 0
                while let digit = current, (0x30...0x39).contains(digit) {
                    digits += 1
                    guard digits <= 6 else { throw bad("a number in the header is too long") }
                    value = value * 10 + Int(digit - 0x30)
                    current = try nextByte()
                }
                numbers.append(value)
                // The single whitespace after maxval ends the header; it was consumed above.
                if numbers.count == 3 {
                    guard let separator = current, separator == 0x20 || (0x09...0x0D).contains(separator) else {
                        throw bad("no whitespace after maxval")
                    }
                }
                pending = current
            } else {
                throw bad("unexpected byte 0x\(String(byte, radix: 16)) in the header")
            }
        }
        let (width, height, maximum) = (numbers[0], numbers[1], numbers[2])
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw CameraError(code: .badFrameSize, message: "frame \(frame) of '\(source)' is \(width)x\(height); each side must be from 1 to 16384")
        }
        guard (1...255).contains(maximum) else { throw bad("maxval \(maximum) is not from 1 to 255 (16-bit PGM is not supported)") }
        return PGMHeader(width: width, height: height, maximum: maximum)
    }
}
