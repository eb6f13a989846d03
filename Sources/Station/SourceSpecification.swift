/// A `--source KIND[:ARG]` value (CONTRACTS.md, `run`).
public enum SourceSpecification: Sendable, Hashable, CustomStringConvertible {
    case standardInput
    /// Any known scanner (both nil), one vendor, or one vendor:product.
    case usb(vendor: UInt16?, product: UInt16?)
    /// `usb:serial=S`: the device with this iSerialNumber.
    case usbSerialNumber(String)
    /// `usb:port=1-1.4`: whatever is plugged into this physical port.
    case usbPort(String)
    /// `usb:hid-pos`: any HID Point of Sale barcode scanner.
    case usbHIDPOS
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
            if argument.hasPrefix("serial="), argument.count > 7 {
                self = .usbSerialNumber(String(argument.dropFirst(7)))
                return
            }
            if argument.hasPrefix("port="), argument.count > 5 {
                self = .usbPort(String(argument.dropFirst(5)))
                return
            }
            if argument == "hid-pos" {
                self = .usbHIDPOS
                return
            }
            let ids = argument.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(ids.count), ids.allSatisfy({ $0.count == 4 }), let vendor = UInt16(ids[0], radix: 16)
            else { throw ParseError(description: "source 'usb:\(argument)': expected usb:VID:PID or usb:VID with 4 hex digits each (e.g. usb:05e0:1200), usb:serial=S, usb:port=1-1.4 or usb:hid-pos") }
            if ids.count == 2 {
                guard let product = UInt16(ids[1], radix: 16) else {
                    throw ParseError(description: "source 'usb:\(argument)': the product id must be 4 hex digits")
                }
                self = .usb(vendor: vendor, product: product)
            } else {
                self = .usb(vendor: vendor, product: nil)
            }
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
        case .usb, .usbSerialNumber, .usbPort, .usbHIDPOS: "usb"
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
        case .usb(let vendor?, nil): return "usb:\(hex4(vendor))"
        case .usb: return "usb"
        case .usbSerialNumber(let serial): return "usb:serial=\(serial)"
        case .usbPort(let port): return "usb:port=\(port)"
        case .usbHIDPOS: return "usb:hid-pos"
        case .serial(let path): return "serial:\(path)"
        case .camera(let device): return "camera:\(device)"
        case .frames(let path): return "frames:\(path)"
        case .llrp(let host, let port): return "llrp:\(host):\(port)"
        }
    }
}
