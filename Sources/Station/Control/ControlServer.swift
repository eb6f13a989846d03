import Foundation
public import Logging
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The local control socket (`scanstation status|reload|sync now|logout`): a Unix stream
/// socket, mode 0660 so the service group may use it. One JSON line in, one JSON line out.
/// Connections are served on a thread of their own; requests are handled in async code.
public struct ControlServer: Service {
    public typealias Handler = @Sendable (ControlRequest) async -> ControlResponse

    let path: String
    let handler: Handler
    let logger: Logger

    public init(path: String, logger: Logger, handler: @escaping Handler) {
        self.path = path
        self.handler = handler
        self.logger = logger
    }

    public func run() async throws {
        let listener: Int32
        do {
            listener = try Self.listen(at: path)
        } catch {
            logger.warning("control socket unavailable; status, reload and logout will not reach this daemon", metadata: ["path": "\(path)", "reason": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        logger.info("control socket listening", metadata: ["path": "\(path)"])
        let handler = self.handler
        let logger = self.logger
        let thread = Thread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    break
                }
                Self.serve(connection, handler: handler, logger: logger)
            }
        }
        thread.name = "scanstation-control"
        thread.start()
        try? await gracefulShutdown()
        // Wakes the accept() above; the thread then ends.
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    struct SocketError: Error, CustomStringConvertible {
        var description: String
    }

    static func address(_ path: String) throws -> (sockaddr_un, socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SocketError(description: "the socket path is longer than \(MemoryLayout.size(ofValue: address.sun_path) - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        return (address, socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1))
    }

    static func listen(at path: String) throws -> Int32 {
        var (address, length) = try address(path)
        if FileManager.default.fileExists(atPath: path) {
            if (try? ControlClient(path: path).send(ControlRequest(command: "ping"), timeoutSeconds: 1)) != nil {
                throw SocketError(description: "another scanstation daemon answers on it; stop that one first")
            }
            unlink(path) // stale, left by a daemon that was killed
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: String(cString: strerror(errno))) }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SocketError(description: "\(reason) (does the directory exist, and may this user write to it?)")
        }
        chmod(path, 0o660)
        guard Glibc.listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SocketError(description: reason)
        }
        return fd
    }

    static func serve(_ connection: Int32, handler: @escaping Handler, logger: Logger) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let line = readLine(connection, limit: 65536) else { return }
        let response: ControlResponse
        if let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) {
            // This thread is ours, not the cooperative pool's: waiting here is fine.
            let box = ResponseBox()
            let done = DispatchSemaphore(value: 0)
            Task {
                box.value = await handler(request)
                done.signal()
            }
            done.wait()
            response = box.value ?? ControlResponse(ok: false, message: "no answer")
        } else {
            response = ControlResponse(ok: false, message: "not a control request; expected one JSON line like {\"command\":\"status\"}")
        }
        var data = (try? JSONEncoder().encode(response)) ?? Data("{\"ok\":false,\"message\":\"encoding failed\"}".utf8)
        data.append(0x0A)
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = send(connection, buffer.baseAddress?.advanced(by: offset), buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { break }
                offset += written
            }
        }
    }

    static func readLine(_ fd: Int32, limit: Int) -> [UInt8]? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < limit {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return line.isEmpty ? nil : line }
            if byte == 0x0A { return line }
            line.append(byte)
        }
        return nil
    }
}

/// Carries one response from the handler's task to the connection thread.
final class ResponseBox: @unchecked Sendable {
    // Written once by the task before the semaphore is signalled, read after the wait.
    var value: ControlResponse?
}

/// Talks to a running daemon's control socket.
public struct ControlClient: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func send(_ request: ControlRequest, timeoutSeconds: Int = 30) throws(Failure) -> ControlResponse {
        // "off" is the config's way to disable the socket, not a file to connect to.
        guard path != "off" else {
            throw Failure(description: "the config sets control_socket = \"off\", so the daemon has no control socket to talk to; set control_socket to a path and restart the daemon, or pass --socket PATH")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address: sockaddr_un
        var length: socklen_t
        do { (address, length) = try ControlServer.address(path) } catch { throw Failure(description: "\(error)") }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(errno))
            throw Failure(description: "cannot reach the daemon at \(path): \(reason). Is scanstation running (systemctl status scanstation), and is this user in its group?")
        }
        var data: Data
        do { data = try JSONEncoder().encode(request) } catch { throw Failure(description: "\(error)") }
        data.append(0x0A)
        let sent = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == data.count else { throw Failure(description: "sending to \(path) failed") }
        guard let line = ControlServer.readLine(fd, limit: 1 << 20) else {
            throw Failure(description: "the daemon at \(path) did not answer")
        }
        do {
            return try JSONDecoder().decode(ControlResponse.self, from: Data(line))
        } catch {
            throw Failure(description: "the daemon at \(path) answered something unexpected")
        }
    }
}
