import Foundation
public import Logging
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Serves `GET /metrics` (Prometheus text 0.0.4) on the daemon's listener: a minimal
/// HTTP/1.1 server on a thread of its own, one connection at a time, each closed after its
/// answer. Anything but `GET /metrics` is 404. Requests are bounded in size and time, so a
/// slow or hostile client cannot hold the thread for long. When the address cannot be
/// bound, the daemon logs why and runs on without metrics.
public struct MetricsServer: Service {
    let address: String
    let metrics: DaemonMetrics
    let logger: Logger
    /// The largest request head read (request line and headers).
    static let requestLimit = 8192
    /// How long one request may take to arrive, in seconds.
    static let requestTimeoutSeconds = 3

    public init(address: String, metrics: DaemonMetrics, logger: Logger) {
        self.address = address
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let listener: Int32
        let bound: String
        do {
            (listener, bound) = try Self.listen(at: address)
        } catch {
            logger.error("metrics listener unavailable; running without /metrics", metadata: ["listen": "\(address)", "reason": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        logger.info("metrics listening", metadata: ["listen": "\(bound)", "url": "http://\(bound)/metrics"])
        let metrics = self.metrics
        let thread = Thread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    break
                }
                Self.serve(connection, metrics: metrics)
            }
        }
        thread.name = "scanstation-metrics"
        thread.start()
        try? await gracefulShutdown()
        // Wakes the accept() above; the thread then ends.
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    public struct ListenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `HOST:PORT` or `[IPv6]:PORT` split into its parts; nil when it is neither.
    public static func split(_ address: String) -> (host: String, port: UInt16)? {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]), port > 0 else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            return nil // an IPv6 address needs brackets
        }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }

    /// Binds and listens; returns the socket and the address it is bound to.
    static func listen(at address: String) throws(ListenError) -> (Int32, String) {
        guard let (host, port) = split(address) else {
            throw ListenError(description: "'\(address)' is not HOST:PORT (e.g. 127.0.0.1:8420 or [::1]:8420)")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw ListenError(description: "cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else { reason = String(cString: strerror(errno)); continue }
            var one: Int32 = 1
            // A restarted daemon may bind while old connections linger in TIME_WAIT.
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                let code = errno
                reason = String(cString: strerror(code))
                if code == EADDRINUSE { reason += " (another program listens on port \(port); change `listen` or stop it)" }
                if code == EADDRNOTAVAIL { reason += " (\(host) is not an address of this PC)" }
                if code == EACCES { reason += " (ports below 1024 need privileges; use a higher port)" }
                close(fd)
                continue
            }
            guard Glibc.listen(fd, 16) == 0 else {
                reason = String(cString: strerror(errno))
                close(fd)
                continue
            }
            return (fd, boundAddress(fd) ?? address)
        }
        throw ListenError(description: "cannot listen on \(address): \(reason)")
    }

    static func boundAddress(_ fd: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let named = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard named == 0 else { return nil }
        let hostText = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let serviceText = String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return hostText.contains(":") ? "[\(hostText)]:\(serviceText)" : "\(hostText):\(serviceText)"
    }

    /// What a request head asks for.
    enum Request: Equatable {
        case metrics(headOnly: Bool)
        case notFound
        case malformed
        case tooLarge
    }

    /// Parses a request head (everything before the blank line).
    static func parse(head: [UInt8]) -> Request {
        let lineEnd = head.firstIndex(of: 0x0A) ?? head.endIndex
        var line = head[..<lineEnd]
        if line.last == 0x0D { line = line.dropLast() }
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].starts(with: Array("HTTP/1.".utf8)) else { return .malformed }
        let method = String(decoding: parts[0], as: UTF8.self)
        var target = parts[1]
        if let query = target.firstIndex(of: UInt8(ascii: "?")) { target = target[..<query] }
        guard target.elementsEqual("/metrics".utf8), method == "GET" || method == "HEAD" else { return .notFound }
        return .metrics(headOnly: method == "HEAD")
    }

    static func serve(_ connection: Int32, metrics: DaemonMetrics) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request: Request
        switch readHead(connection) {
        case .some(.tooLarge): request = .tooLarge
        case .some(.head(let head)): request = parse(head: head)
        case nil: return // timed out or closed before a whole request: nothing to answer
        }
        switch request {
        case .metrics(let headOnly):
            respond(connection, status: "200 OK", contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render(), headOnly: headOnly)
        case .notFound:
            respond(connection, status: "404 Not Found", contentType: "text/plain; charset=utf-8", body: "Not found. This listener serves GET /metrics.\n", headOnly: false)
        case .malformed:
            respond(connection, status: "400 Bad Request", contentType: "text/plain; charset=utf-8", body: "Not an HTTP/1.x request.\n", headOnly: false)
        case .tooLarge:
            respond(connection, status: "431 Request Header Fields Too Large", contentType: "text/plain; charset=utf-8", body: "Request larger than \(requestLimit) bytes.\n", headOnly: false)
        }
    }

    enum HeadRead {
        case head([UInt8])
        case tooLarge
    }

    /// Reads up to the blank line ending the request head, within the size and time limits.
    static func readHead(_ fd: Int32) -> HeadRead? {
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        let deadline = monotonicSeconds() + Double(requestTimeoutSeconds)
        while monotonicSeconds() < deadline {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) { continue }
            if count <= 0 { return nil }
            head.append(contentsOf: chunk[..<count])
            if let end = headEnd(head) { return .head(Array(head[..<end])) }
            if head.count > requestLimit { return .tooLarge }
        }
        return nil
    }

    /// Where the blank line ending the head begins (CRLF CRLF, or bare LF LF).
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A {
                if bytes[index + 1] == 0x0A { return index }
                if bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A { return index }
            }
            index += 1
        }
        return nil
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func respond(_ fd: Int32, status: String, contentType: String, body: String, headOnly: Bool) {
        let bodyBytes = Array(body.utf8)
        var bytes = Array("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n".utf8)
        if !headOnly { bytes += bodyBytes }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = send(fd, buffer.baseAddress?.advanced(by: offset), buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
