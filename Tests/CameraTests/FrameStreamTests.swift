import Foundation
import Testing
@testable import Devices

@Suite struct FrameStreamTests {
    func reader(_ bytes: [UInt8], layout: FrameLayout = .pgm) throws -> FrameStreamReader {
        try FrameStreamReader(path: temporaryFile(bytes), layout: layout)
    }

    func readAll(_ reader: FrameStreamReader) throws(CameraError) -> [GrayFrame] {
        var frames: [GrayFrame] = []
        while let frame = try reader.nextFrame() { frames.append(frame) }
        return frames
    }

    @Test func pgmFramesCarryTheirOwnSize() throws {
        let first = Array("P5\n# from a test\n3 2\n255\n".utf8) + [1, 2, 3, 4, 5, 6]
        let second = Array("P5 2 2 255 ".utf8) + [9, 8, 7, 6]
        let frames = try readAll(reader(first + second))
        #expect(frames.count == 2)
        #expect(frames.first?.width == 3 && frames.first?.height == 2)
        #expect(frames.first?.pixels == [1, 2, 3, 4, 5, 6])
        #expect(frames.last?.width == 2 && frames.last?.pixels == [9, 8, 7, 6])
    }

    @Test func pgmWithSmallMaxvalIsScaledTo255() throws {
        let frames = try readAll(reader(Array("P5 2 1 15\n".utf8) + [15, 0]))
        #expect(frames.first?.pixels == [255, 0])
    }

    @Test func y800FramesUseTheSizeFromTheArgument() throws {
        let parsed = try FrameLayout.parse(argument: "4x2:/tmp/stream.y800")
        #expect(parsed.layout == .y800(width: 4, height: 2))
        #expect(parsed.path == "/tmp/stream.y800")
        let frames = try readAll(reader([UInt8](repeating: 7, count: 16), layout: parsed.layout))
        #expect(frames.count == 2)
        #expect(frames.allSatisfy { $0.width == 4 && $0.height == 2 && $0.pixels.count == 8 })
    }

    @Test func argumentsWithoutASizeArePGMPaths() throws {
        #expect(try FrameLayout.parse(argument: "-") == (.pgm, "-"))
        #expect(try FrameLayout.parse(argument: "/srv/cam:1/frames.pgm").layout == .pgm)
        #expect(try FrameLayout.parse(argument: "640x480:-").layout == .y800(width: 640, height: 480))
        #expect(throws: CameraError.self) { try FrameLayout.parse(argument: "0x480:-") }
        #expect(throws: CameraError.self) { try FrameLayout.parse(argument: "640x480:") }
    }

    @Test func aTruncatedPGMFrameIsAnError() throws {
        let good = Array("P5 2 2 255\n".utf8) + [1, 2, 3, 4]
        let cut = Array("P5 4 4 255\n".utf8) + [1, 2, 3]
        let stream = try reader(good + cut)
        #expect(try stream.nextFrame() != nil)
        let error = #expect(throws: CameraError.self) { try stream.nextFrame() }
        #expect(error?.code == .truncatedFrame)
        #expect(error?.message.contains("frame 2") == true)
    }

    @Test func aWronglySizedY800StreamIsAnError() throws {
        let stream = try reader([UInt8](repeating: 1, count: 12), layout: .y800(width: 4, height: 2))
        #expect(try stream.nextFrame()?.pixels.count == 8)
        let error = #expect(throws: CameraError.self) { try stream.nextFrame() }
        #expect(error?.code == .truncatedFrame)
    }

    @Test(arguments: [
        ("P6 2 2 255\n", CameraError.Code.badFrameHeader),
        ("P5 2 2 65535\n", .badFrameHeader),
        ("P5 0 2 255\n", .badFrameSize),
        ("P5 99999 99999 255\n", .badFrameSize),
        ("P5 2 x 255\n", .badFrameHeader),
        ("P5 2 2", .badFrameHeader),
        ("GIF89a", .badFrameHeader),
    ])
    func malformedHeadersAreErrors(header: String, code: CameraError.Code) throws {
        let stream = try reader(Array(header.utf8) + [0, 0, 0, 0])
        let error = #expect(throws: CameraError.self) { try stream.nextFrame() }
        #expect(error?.code == code)
    }

    @Test func randomBytesNeverCrashTheReader() throws {
        var generator = SplitMix64(seed: 0x5CA7)
        for round in 0..<300 {
            var bytes: [UInt8] = round % 2 == 0 ? Array("P5 ".utf8) : []
            let count = Int(generator.next() % 64)
            for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
            let (stream, descriptor) = FrameStreamReaderFromBytes.make(bytes)
            defer { close(descriptor) }
            do {
                while let frame = try stream.nextFrame() {
                    #expect(frame.pixels.count == frame.width * frame.height)
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func aMissingStreamFileNamesThePath() {
        let error = #expect(throws: CameraError.self) { try FrameStreamReader(path: "/nonexistent/frames.pgm", layout: .pgm) }
        #expect(error?.code == .streamUnreadable)
        #expect(error?.message.contains("/nonexistent/frames.pgm") == true)
    }
}

/// A reader over a pipe holding `bytes`, so random inputs do not touch the disk.
enum FrameStreamReaderFromBytes {
    static func make(_ bytes: [UInt8]) -> (FrameStreamReader, Int32) {
        var descriptors: [Int32] = [0, 0]
        _ = pipe(&descriptors)
        _ = bytes.withUnsafeBytes { write(descriptors[1], $0.baseAddress, $0.count) }
        close(descriptors[1])
        return (FrameStreamReader(fileDescriptor: descriptors[0], name: "random", layout: .pgm), descriptors[0])
    }
}

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
