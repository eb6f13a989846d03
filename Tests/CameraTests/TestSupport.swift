import Foundation
import ScanCodes
import Testing
@testable import Devices

/// Runs an external tool; a missing tool is a thrown error, so the test fails (never skips).
enum Tool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Output {
        var status: Int32
        var standardOutput: Data
        var standardError: Data
    }

    @discardableResult
    static func run(_ arguments: [String], input: Data? = nil, executable: String? = nil) throws -> Output {
        let process = Process()
        if let executable {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            guard let tool = arguments.first, let path = which(tool) else {
                throw Failure(description: "'\(arguments.first ?? "")' is not installed; install it (zint, imagemagick, zbar-tools) to run the camera tests")
            }
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = Array(arguments.dropFirst())
        }
        let output = Pipe()
        let error = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            let writer = inputPipe.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
        // Read both pipes concurrently so a chatty tool cannot block on a full pipe.
        let errorBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorBox.data = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: data, standardError: errorBox.data)
    }

    static func which(_ name: String) -> String? {
        // The real ImageMagick only: a stand-in `convert` elsewhere on PATH cannot degrade.
        if name == "convert" { return FileManager.default.isExecutableFile(atPath: "/usr/bin/convert") ? "/usr/bin/convert" : nil }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A label zint draws, with the symbol scanstation must report for it.
struct TestLabel: Sendable, CustomStringConvertible {
    var name: String
    var zintArguments: [String]
    var expected: DecodedSymbol
    /// Wide labels (GS1-128, ITF-14 with its bearer bars) need a 1280x720 frame.
    var wide = false

    var description: String { name }

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let ean13 = TestLabel(name: "EAN-13", zintArguments: ["-b", "13", "--scale=2", "-d", "590123412345"], expected: .init(symbology: .ean13, bytes: ascii("5901234123457")))
    static let otherEAN13 = TestLabel(name: "EAN-13 (2)", zintArguments: ["-b", "13", "--scale=2", "-d", "400638133393"], expected: .init(symbology: .ean13, bytes: ascii("4006381333931")))
    /// zbar with default settings reports UPC-A as EAN-13 with a leading 0.
    static let upcA = TestLabel(name: "UPC-A", zintArguments: ["-b", "34", "--scale=2", "-d", "03600029145"], expected: .init(symbology: .ean13, bytes: ascii("0036000291452")))
    /// zbar with default settings reports UPC-E expanded to UPC-A, as EAN-13 with a leading 0.
    static let upcE = TestLabel(name: "UPC-E", zintArguments: ["-b", "37", "--scale=2", "-d", "0123456"], expected: .init(symbology: .ean13, bytes: ascii("0012345000065")))
    static let code128 = TestLabel(name: "Code 128", zintArguments: ["-b", "20", "--scale=2", "-d", "ABC-12345"], expected: .init(symbology: .code128, bytes: ascii("ABC-12345")))
    static let gs1128 = TestLabel(name: "GS1-128", zintArguments: ["-b", "16", "--scale=2", "-d", "[01]09506000134352[10]AB12[17]261231"], expected: .init(symbology: .gs1128, bytes: ascii("010950600013435210AB12\u{1D}17261231")), wide: true)
    static let itf14 = TestLabel(name: "ITF-14", zintArguments: ["-b", "89", "--scale=2", "-d", "1540014128876"], expected: .init(symbology: .itf14, bytes: ascii("15400141288763")), wide: true)
    static let qr = TestLabel(name: "QR", zintArguments: ["-b", "58", "--scale=4", "-d", "LOC:A-01-02"], expected: .init(symbology: .qr, bytes: ascii("LOC:A-01-02")))
    static let gs1QR = TestLabel(name: "GS1 QR", zintArguments: ["-b", "58", "--gs1", "--scale=4", "-d", "[01]09506000134352[10]LOT7"], expected: .init(symbology: .gs1QR, bytes: ascii("010950600013435210LOT7")))
    static let dataMatrix = TestLabel(name: "DataMatrix", zintArguments: ["-b", "71", "--scale=4", "-d", "PART 1234 QTY 5"], expected: .init(symbology: .datamatrix, bytes: ascii("PART 1234 QTY 5")))
    static let gs1DataMatrix = TestLabel(name: "GS1 DataMatrix", zintArguments: ["-b", "71", "--gs1", "--scale=4", "-d", "[01]09506000134352[17]261231[10]LOT7"], expected: .init(symbology: .gs1DataMatrix, bytes: ascii("01095060001343521726123110LOT7")))

    static let all: [TestLabel] = [.ean13, .upcA, .code128, .gs1128, .itf14, .qr, .gs1QR, .dataMatrix, .gs1DataMatrix]
}

/// How a camera spoils a label.
enum Degradation: String, CaseIterable, Sendable {
    case clean, blur, noise, rotation, lowContrast, offCentre

    /// ImageMagick options applied to the label before it is placed.
    var labelOptions: [String] {
        switch self {
        case .rotation: ["-background", "white", "-rotate", "7"]
        default: []
        }
    }

    /// ImageMagick options applied to the whole frame.
    var frameOptions: [String] {
        switch self {
        case .blur: ["-blur", "0x0.8"]
        case .noise: ["-attenuate", "0.25", "+noise", "Gaussian"]
        case .lowContrast: ["+level", "30%,70%"]
        default: []
        }
    }
}

/// Makes camera frames: zint labels on a grey background, degraded with ImageMagick.
enum FrameMaker {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scanstation-camera-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A binary PGM frame (header and pixels) with the labels side by side; 640x480 unless
    /// a label is wide (then 1280x720).
    static func pgm(_ labels: [TestLabel], degradation: Degradation = .clean, width: Int? = nil, height: Int? = nil) throws -> [UInt8] {
        let wide = labels.contains(where: \.wide)
        let width = width ?? (wide ? 1280 : 640)
        let height = height ?? (wide ? 720 : 480)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A fixed seed: the same noise on every run.
        var arguments = ["convert", "-seed", "7", "-size", "\(width)x\(height)", "xc:gray78"]
        // Off-centre: pushed into the bottom-right corner; otherwise from the top left.
        arguments += ["-gravity", degradation == .offCentre ? "southeast" : "northwest"]
        var x = degradation == .offCentre ? 6 : 16
        for (index, label) in labels.enumerated() {
            let path = directory.appendingPathComponent("label-\(index).png").path
            let zint = try Tool.run(["zint", "-o", path] + label.zintArguments)
            guard zint.status == 0 else { throw Tool.Failure(description: "zint failed for \(label): \(String(decoding: zint.standardError, as: UTF8.self))") }
            // A white quiet zone of eleven modules (zint's --scale=2 draws 4 px modules), as
            // a printed label has.
            arguments += ["(", path, "-bordercolor", "white", "-border", "44"] + degradation.labelOptions + [")", "-geometry", "+\(x)+\(degradation == .offCentre ? 6 : 16)", "-composite"]
            x += width / max(1, labels.count)
        }
        arguments += degradation.frameOptions + ["-colorspace", "gray", "-depth", "8", "pgm:-"]
        let result = try Tool.run(arguments)
        guard result.status == 0, !result.standardOutput.isEmpty else {
            throw Tool.Failure(description: "convert failed: \(String(decoding: result.standardError, as: UTF8.self))")
        }
        return [UInt8](result.standardOutput)
    }

    static func blankPGM(width: Int = 640, height: Int = 480) -> [UInt8] {
        Array("P5\n\(width) \(height)\n255\n".utf8) + [UInt8](repeating: 200, count: width * height)
    }

    static func frame(_ labels: [TestLabel], degradation: Degradation = .clean, width: Int? = nil, height: Int? = nil) throws -> GrayFrame {
        try ImageFile.decodePGM(pgm(labels, degradation: degradation, width: width, height: height), path: "generated")
    }
}

/// Runs a camera source to its end and collects its scans.
func collectScans(_ source: CameraScanSource, timeout: Duration = .seconds(60)) async throws -> [RawScan] {
    let channel = ScanChannel(capacity: 16)
    source.start(into: channel)
    return try await withThrowingTaskGroup(of: [RawScan]?.self) { group in
        group.addTask {
            var scans: [RawScan] = []
            for await scan in channel { scans.append(scan) }
            return scans
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        channel.cancel()
        guard let scans = first else { throw Tool.Failure(description: "the camera source did not finish within \(timeout)") }
        return scans
    }
}

/// Writes bytes to a temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "frames.pgm") throws -> String {
    let url = try FrameMaker.temporaryDirectory().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

extension DecodedSymbol {
    var testDescription: String { "\(symbology.rawValue) \(String(decoding: bytes, as: UTF8.self).debugDescription)" }
}

extension RawScan {
    var decoded: DecodedSymbol { DecodedSymbol(symbology: symbology ?? .unknown, bytes: bytes) }
}

/// The scanstation binary built beside the tests.
func scanstationBinary() throws -> String {
    let products = Bundle.module.bundleURL.deletingLastPathComponent()
    let path = products.appendingPathComponent("scanstation").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw Tool.Failure(description: "build the scanstation executable first (swift build); not found at \(path)")
    }
    return path
}
