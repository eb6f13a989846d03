import ArgumentParser
import Devices
import Foundation
import ScanCodes

struct ReadImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-image",
        abstract: "Read the barcodes in image files (PNG, JPEG or Netpbm), one JSON object per file.",
        discussion: """
            Prints {"file":...,"symbols":[{"symbology":...,"data":...,"gs1":...}],"error":null} \
            per file, in order. zbar reads the linear codes and QR, libdmtx reads DataMatrix; \
            Code 128 too blurred for zbar is read by fitting its bar patterns. \
            GS1 data has no AIM prefix and no leading FNC1; FNC1 separators are GS (\\u001d). \
            Exits 1 when a file could not be read.
            """
    )

    @Option(help: ArgumentHelp("Comma-separated symbologies to look for (default: all that zbar reads, plus datamatrix and gs1-datamatrix).", valueName: "list"))
    var symbologies: String?

    @Argument(help: "Image files: PNG, JPEG, or Netpbm (PBM, PGM, PPM; plain or binary).")
    var files: [String]

    func validate() throws {
        if let symbologies {
            do { _ = try SymbologySelection(parsing: symbologies) } catch { throw ValidationError(error.message) }
        }
        guard !files.isEmpty else { throw ValidationError("give at least one image file") }
    }

    func run() throws {
        let selection: SymbologySelection
        do {
            selection = try symbologies.map { list throws(CameraError) in try SymbologySelection(parsing: list) } ?? .standard
        } catch {
            throw ValidationError(error.message)
        }
        let reader: ImageSymbolReader
        do {
            reader = try ImageSymbolReader(selection: selection)
        } catch {
            FileHandle.standardError.write(Data("scanstation read-image: \(error.message)\n".utf8))
            throw ExitCode(70) // EX_SOFTWARE
        }
        var failed = false
        for file in files {
            var line = "{\"file\":\(Self.json(file)),\"symbols\":["
            do {
                let symbols = try reader.read(path: file)
                line += symbols.map { symbol in
                    "{\"symbology\":\(Self.json(symbol.symbology.rawValue)),\"data\":\(Self.json(String(decoding: symbol.bytes, as: UTF8.self))),\"gs1\":\(symbol.isGS1),\"data_hex\":\(Self.json(Self.hex(symbol.bytes)))}"
                }.joined(separator: ",")
                line += "],\"error\":null}"
            } catch {
                failed = true
                line += "],\"error\":{\"code\":\(Self.json(error.code.description)),\"message\":\(Self.json(error.message))}}"
            }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        if failed { throw ExitCode.failure }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func json(_ text: String) -> String { JSONLiteral.string(text) }
}
