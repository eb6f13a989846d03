import Foundation
import Testing
@testable import Devices

/// The built `scanstation` binary: `read-image` and `run` with camera sources.
@Suite struct CommandLineTests {
    @Test func runReadsAPGMStreamOnStandardInput() throws {
        let ean = try FrameMaker.pgm([.ean13], degradation: .noise)
        // Three frames: what consistency wants for an EAN-13, and only one frame confirms
        // it, so the hold-off's wall clock cannot matter on a slow machine.
        let stream = Array([[UInt8]](repeating: ean, count: 3).joined()) + FrameMaker.blankPGM()
        let directory = try FrameMaker.temporaryDirectory()
        let result = try Tool.run(
            ["run", "--source", "frames:-", "--feedback", "jsonl", "--station", "bench-1", "--db", directory.appendingPathComponent("s.db").path],
            input: Data(stream), executable: scanstationBinary())
        #expect(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        let answer = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any]
        #expect(answer?["result"] as? String == "accepted")
        #expect(answer?["input"] as? String == "5901234123457")
        #expect(answer?["symbology"] as? String == "ean-13")
        #expect(answer?["station"] as? String == "bench-1")
        #expect(answer?["seq"] as? Int == 1)
    }

    /// `[station.camera] symbologies` limits what a station's frame source reads.
    @Test(arguments: [(["ean-13"], 1), (["qr", "code-128"], 0)])
    func stationCameraSettingsComeFromTheConfig(symbologies: [String], expectedScans: Int) throws {
        let ean = try FrameMaker.pgm([.ean13])
        let stream = Array([[UInt8]](repeating: ean, count: 3).joined()) + FrameMaker.blankPGM()
        let directory = try FrameMaker.temporaryDirectory()
        let config = directory.appendingPathComponent("scanstation.toml")
        try Data("""
            database = "\(directory.appendingPathComponent("s.db").path)"
            control_socket = "\(directory.appendingPathComponent("control.sock").path)"
            [[station]]
            name = "bench-2"
            sources = ["frames:-"]
            [station.camera]
            symbologies = [\(symbologies.map { "\"\($0)\"" }.joined(separator: ", "))]
            hold_off_ms = 100
            """.utf8).write(to: config)
        let result = try Tool.run(["run", "--config", config.path, "--feedback", "jsonl"], input: Data(stream), executable: scanstationBinary())
        #expect(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == expectedScans)
    }

    @Test func runRefusesAMissingCameraNamingIt() throws {
        let directory = try FrameMaker.temporaryDirectory()
        let result = try Tool.run(
            ["run", "--source", "camera:/dev/video-scanstation-missing", "--db", directory.appendingPathComponent("s.db").path],
            executable: scanstationBinary())
        #expect(result.status == 69)
        let message = String(decoding: result.standardError, as: UTF8.self)
        #expect(message.contains("/dev/video-scanstation-missing"))
        #expect(message.contains("camera_not_found"))
    }

    @Test func runRefusesAMissingFrameFileNamingIt() throws {
        let result = try Tool.run(["run", "--source", "frames:/nonexistent/frames.pgm", "--db", "/nonexistent/s.db"], executable: scanstationBinary())
        #expect(result.status == 66)
        #expect(String(decoding: result.standardError, as: UTF8.self).contains("/nonexistent/frames.pgm"))
    }

    @Test func runRefusesTwoReadersOfStandardInput() throws {
        let result = try Tool.run(["run", "--source", "stdin", "--source", "frames:-"], executable: scanstationBinary())
        #expect(result.status != 0)
        #expect(String(decoding: result.standardError, as: UTF8.self).contains("standard input"))
    }

    @Test func readImagePrintsOneObjectPerFile() throws {
        let directory = try FrameMaker.temporaryDirectory()
        let gs1 = directory.appendingPathComponent("gs1.png").path
        try Tool.run(["zint", "-o", gs1] + TestLabel.gs1DataMatrix.zintArguments)
        let qr = directory.appendingPathComponent("qr.pgm").path
        try Data(FrameMaker.pgm([.qr])).write(to: URL(fileURLWithPath: qr))
        let missing = directory.appendingPathComponent("missing.png").path
        let result = try Tool.run(["read-image", gs1, qr, missing], executable: scanstationBinary())
        #expect(result.status == 1)
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        guard lines.count == 3 else { return }
        #expect(lines[0] == "{\"file\":\"\(gs1)\",\"symbols\":[{\"symbology\":\"gs1-datamatrix\",\"data\":\"01095060001343521726123110LOT7\",\"gs1\":true,\"data_hex\":\"30313039353036303030313334333532313732363132333131304c4f5437\"}],\"error\":null}")
        #expect(lines[1].hasPrefix("{\"file\":\"\(qr)\",\"symbols\":[{\"symbology\":\"qr\",\"data\":\"LOC:A-01-02\",\"gs1\":false"))
        let failure = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any]
        #expect((failure?["symbols"] as? [Any])?.isEmpty == true)
        #expect((failure?["error"] as? [String: Any])?["code"] as? String == "image_unreadable")
    }

    /// CONTRACTS.md: read-image finds at least what zbarimg finds on the same file, and
    /// zbarimg reads photos of labels: JPEG, colour or grey.
    @Test func readImageReadsJPEGPhotosAsZbarimgDoes() throws {
        let directory = try FrameMaker.temporaryDirectory()
        let png = directory.appendingPathComponent("label.png").path
        try Tool.run(["zint", "-o", png] + TestLabel.gs1128.zintArguments)
        let jpeg = directory.appendingPathComponent("photo.jpg").path
        let gray = directory.appendingPathComponent("gray.jpeg").path
        try Tool.run(["convert", png, "-bordercolor", "white", "-border", "40", "-fill", "#c8a070", "-tint", "40", "-quality", "80", jpeg])
        try Tool.run(["convert", png, "-bordercolor", "white", "-border", "40", "-colorspace", "gray", "-interlace", "JPEG", gray])
        for file in [jpeg, gray] {
            let symbols = try readBothWays(file, zbarimgFinds: "0109506000134352")
            #expect(symbols?.first?["symbology"] as? String == "gs1-128")
            #expect(symbols?.first?["data"] as? String == String(decoding: TestLabel.gs1128.expected.bytes, as: UTF8.self))
        }
        // A JPEG cut off after its header is named as such.
        let cut = directory.appendingPathComponent("cut.jpg").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: jpeg)).prefix(200)).write(to: URL(fileURLWithPath: cut))
        let broken = try Tool.run(["read-image", cut], executable: scanstationBinary())
        #expect(broken.status == 1)
        let failure = try JSONSerialization.jsonObject(with: broken.standardOutput) as? [String: Any]
        let message = (failure?["error"] as? [String: Any])?["message"] as? String
        #expect(message?.contains("not a readable JPEG") == true, "\(message ?? "no message")")
    }

    /// Reads `file` with zbarimg, which must find `text` in it, and with `read-image`,
    /// which must succeed; returns read-image's symbols.
    private func readBothWays(_ file: String, zbarimgFinds text: String) throws -> [[String: Any]]? {
        let zbarimg = try Tool.run(["zbarimg", "--quiet", "--raw", file])
        #expect(String(decoding: zbarimg.standardOutput, as: UTF8.self).contains(text), "zbarimg reads \(file)")
        let result = try Tool.run(["read-image", file], executable: scanstationBinary())
        #expect(result.status == 0, "\(file): \(String(decoding: result.standardOutput, as: UTF8.self))")
        let object = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
        return object?["symbols"] as? [[String: Any]]
    }

    /// zbarimg reads every Netpbm form ImageMagick writes: plain and raw bitmaps, greymaps
    /// (16-bit too) and pixmaps.
    @Test func readImageReadsNetpbmImagesAsZbarimgDoes() throws {
        let directory = try FrameMaker.temporaryDirectory()
        let png = directory.appendingPathComponent("label.png").path
        try Tool.run(["zint", "-o", png] + TestLabel.code128.zintArguments)
        let forms: [(name: String, options: [String])] = [
            ("raw.ppm", ["-fill", "#3050c0", "-tint", "60"]), ("plain.ppm", ["-compress", "none"]),
            ("plain.pgm", ["-colorspace", "gray", "-compress", "none"]), ("deep.pgm", ["-colorspace", "gray", "-depth", "16"]),
            ("raw.pbm", ["-monochrome"]), ("plain.pbm", ["-monochrome", "-compress", "none"]),
        ]
        for form in forms {
            let file = directory.appendingPathComponent(form.name).path
            try Tool.run(["convert", png, "-bordercolor", "white", "-border", "40"] + form.options + [file])
            let symbols = try readBothWays(file, zbarimgFinds: "ABC-12345")
            #expect(symbols?.first?["data"] as? String == "ABC-12345", "\(form.name)")
        }
        let cut = directory.appendingPathComponent("cut.ppm").path
        try Data("P6\n4 4\n255\n".utf8 + [1, 2, 3]).write(to: URL(fileURLWithPath: cut))
        let broken = try Tool.run(["read-image", cut], executable: scanstationBinary())
        let failure = try JSONSerialization.jsonObject(with: broken.standardOutput) as? [String: Any]
        #expect((failure?["error"] as? [String: Any])?["code"] as? String == "truncated_frame")
    }

    /// CONTRACTS.md: with default symbologies read-image finds at least what zbarimg finds.
    /// zbarimg leaves UPC-A and UPC-E off and prints them as EAN-13 (UPC-E expanded), so the
    /// defaults must report the same data, not the 8-digit UPC-E.
    @Test(arguments: [TestLabel.upcE, TestLabel.upcA])
    func readImageReportsUPCAsZbarimgDoes(label: TestLabel) throws {
        let directory = try FrameMaker.temporaryDirectory()
        let file = directory.appendingPathComponent("upc.png").path
        try Tool.run(["zint", "-o", file] + label.zintArguments)
        let zbarimg = try Tool.run(["zbarimg", "--quiet", "--raw", file])
        let zbarData = String(decoding: zbarimg.standardOutput, as: UTF8.self).trimmingCharacters(in: .newlines)
        #expect(zbarData == String(decoding: label.expected.bytes, as: UTF8.self))
        let result = try Tool.run(["read-image", file], executable: scanstationBinary())
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
        let symbols = object?["symbols"] as? [[String: Any]]
        #expect(symbols?.count == 1)
        #expect(symbols?.first?["symbology"] as? String == "ean-13")
        #expect(symbols?.first?["data"] as? String == zbarData)
        // Asked for by name, UPC-E keeps its own name and 8 digits.
        if label.name == TestLabel.upcE.name {
            let named = try Tool.run(["read-image", "--symbologies", "upc-e", file], executable: scanstationBinary())
            let namedObject = try JSONSerialization.jsonObject(with: named.standardOutput) as? [String: Any]
            let namedSymbols = namedObject?["symbols"] as? [[String: Any]]
            #expect(namedSymbols?.first?["symbology"] as? String == "upc-e")
            #expect(namedSymbols?.first?["data"] as? String == "01234565")
        }
    }

    @Test func readImageHonoursTheSymbologyList() throws {
        let directory = try FrameMaker.temporaryDirectory()
        let frame = directory.appendingPathComponent("two.pgm").path
        try Data(FrameMaker.pgm([.ean13, .gs1QR], width: 1280, height: 720)).write(to: URL(fileURLWithPath: frame))
        let result = try Tool.run(["read-image", "--symbologies", "gs1-qr", frame], executable: scanstationBinary())
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any]
        let symbols = object?["symbols"] as? [[String: Any]]
        #expect(symbols?.count == 1)
        #expect(symbols?.first?["symbology"] as? String == "gs1-qr")
        #expect(symbols?.first?["data"] as? String == "010950600013435210LOT7")
        #expect(symbols?.first?["gs1"] as? Bool == true)
        let unknown = try Tool.run(["read-image", "--symbologies", "ean13", frame], executable: scanstationBinary())
        #expect(unknown.status == 64)
    }
}
