/// A `--source KIND[:ARG]` value (CONTRACTS.md, `run`).
public enum SourceSpecification: Sendable, Hashable, CustomStringConvertible {
    case standardInput
    /// Any known scanner, or one vendor:product.
    case usb(vendor: UInt16?, product: UInt16?)
    case serial(path: String)
    case camera(device: String)
    /// A raw Y800/PGM frame stream; "-" is standard input.
    case frames(path: String)
    case llrp(host: String, port: Int)

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(ParseError) {
        let kind = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
        let argument = text.count > kind.count ? String(text.dropFirst(kind.count + 1)) : nil
        switch kind {
        case "stdin":
            guard argument == nil else { throw ParseError(description: "source 'stdin' takes no argument") }
            self = .standardInput
        case "usb":
            guard let argument else { self = .usb(vendor: nil, product: nil); return }
            let ids = argument.split(separator: ":", omittingEmptySubsequences: false)
            guard ids.count == 2, let vendor = UInt16(ids[0], radix: 16), let product = UInt16(ids[1], radix: 16),
                  ids[0].count == 4, ids[1].count == 4
            else { throw ParseError(description: "source 'usb:\(argument)': expected usb:VID:PID with 4 hex digits each, e.g. usb:05e0:1200") }
            self = .usb(vendor: vendor, product: product)
        case "serial", "camera", "frames":
            guard let argument, !argument.isEmpty else { throw ParseError(description: "source '\(kind)' needs a path, e.g. \(kind):\(kind == "serial" ? "/dev/ttyACM0" : kind == "camera" ? "/dev/video0" : "-")") }
            self = kind == "serial" ? .serial(path: argument) : kind == "camera" ? .camera(device: argument) : .frames(path: argument)
        case "llrp":
            guard let argument, !argument.isEmpty else { throw ParseError(description: "source 'llrp' needs a reader address, e.g. llrp:10.0.0.5 or llrp:10.0.0.5:5084") }
            if let colon = argument.lastIndex(of: ":"), !argument.hasPrefix("[") || argument[argument.index(before: colon)] == "]" {
                guard let port = Int(argument[argument.index(after: colon)...]), (1...65535).contains(port) else {
                    throw ParseError(description: "source 'llrp:\(argument)': the port must be a number from 1 to 65535")
                }
                self = .llrp(host: String(argument[..<colon]), port: port)
            } else {
                self = .llrp(host: argument, port: 5084)
            }
        default:
            throw ParseError(description: "unknown source kind '\(kind)'; use stdin, usb, usb:VID:PID, serial:PATH, camera:PATH, frames:PATH|- or llrp:HOST[:PORT]")
        }
    }

    public var kindName: String {
        switch self {
        case .standardInput: "stdin"
        case .usb: "usb"
        case .serial: "serial"
        case .camera: "camera"
        case .frames: "frames"
        case .llrp: "llrp"
        }
    }

    public var description: String {
        func hex4(_ value: UInt16) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        switch self {
        case .standardInput: return "stdin"
        case .usb(let vendor?, let product?): return "usb:\(hex4(vendor)):\(hex4(product))"
        case .usb: return "usb"
        case .serial(let path): return "serial:\(path)"
        case .camera(let device): return "camera:\(device)"
        case .frames(let path): return "frames:\(path)"
        case .llrp(let host, let port): return "llrp:\(host):\(port)"
        }
    }
}
