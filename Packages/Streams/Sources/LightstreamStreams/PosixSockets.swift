import LightstreamFraming
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The socket system calls behind ``SocketTransport``: resolving, connecting, binding and
/// accepting, with errors as ``TransportError``.
enum PosixSockets {
    static func failure(_ kind: TransportError.Kind, _ endpoint: SocketEndpoint, _ code: Int32 = errno) -> TransportError {
        TransportError(kind, endpoint: endpoint.description, errno: Errno(rawValue: code))
    }

    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif

    /// Runs `body` with the socket address of a Unix domain socket at `path`.
    static func withUnixAddress<R>(_ path: String, kind: TransportError.Kind, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw TransportError(kind, endpoint: "unix:\(path)", errno: Errno(rawValue: ENAMETOOLONG), detail: "a Unix socket path has at most \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// Resolves `host:port` (numeric or by name) and calls `body` with each address until it
    /// returns a descriptor.
    static func withTCPAddresses(host: String, port: Int, passive: Bool, kind: TransportError.Kind,
                                 _ body: (addrinfo) throws -> Int32?) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = streamType
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError(.resolve, endpoint: host, detail: String(cString: gai_strerror(status)).lowercased())
        }
        defer { freeaddrinfo(first) }
        var lastError: (any Error)?
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            do {
                if let fd = try body(current.pointee) { return fd }
            } catch {
                lastError = error
            }
            entry = current.pointee.ai_next
        }
        throw lastError ?? TransportError(kind, endpoint: SocketEndpoint.tcp(host: host, port: port).description, detail: "no usable address")
    }

    /// A connected stream socket (blocking; run off the cooperative pool): each address is tried
    /// for at most `timeout` (when given).
    static func connect(_ endpoint: SocketEndpoint, timeout: Duration? = nil) throws -> Int32 {
        switch endpoint {
        case let .unix(path):
            return try newSocket(AF_UNIX, streamType, 0, .connect, endpoint) { fd in
                try withUnixAddress(path, kind: .connect) { address, length in
                    try connect(fd, address, length, endpoint, timeout: timeout)
                }
            }
        case let .tcp(host, port):
            return try withTCPAddresses(host: host, port: port, passive: false, kind: .connect) { info in
                try newSocket(info.ai_family, info.ai_socktype, info.ai_protocol, .connect, endpoint) { fd in
                    try connect(fd, info.ai_addr, info.ai_addrlen, endpoint, timeout: timeout)
                    setNoDelay(fd)
                }
            }
        }
    }

    /// `connect`, waiting at most `timeout` for the handshake (a non-blocking connect and
    /// `poll`); the socket is blocking again afterwards.
    static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t, _ endpoint: SocketEndpoint,
                        timeout: Duration?) throws {
        guard let timeout else {
            while Glibc.connect(fd, address, length) != 0 {
                if errno != EINTR { throw failure(.connect, endpoint) }
            }
            return
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, address, length) == 0 { return }
        guard errno == EINPROGRESS || errno == EINTR else { throw failure(.connect, endpoint) }
        let deadline = ContinuousClock.now + timeout
        while true {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let result = poll(&entry, 1, ReadinessReactor.milliseconds(until: deadline, now: .now))
            if result > 0 { break }
            if result < 0 && errno == EINTR { continue }
            if result < 0 { throw failure(.connect, endpoint) }
            throw TransportError(.timedOut(.connect, seconds: TransportError.seconds(timeout)), endpoint: endpoint.description)
        }
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size) == 0 else { throw failure(.connect, endpoint) }
        guard code == 0 else { throw failure(.connect, endpoint, code) }
    }

    /// A listening stream socket, non-blocking (for ``accept(_:_:)``).
    static func listen(_ endpoint: SocketEndpoint, backlog: Int32 = 128) throws -> Int32 {
        let fd = try bound(endpoint, backlog: backlog)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    static func bound(_ endpoint: SocketEndpoint, backlog: Int32) throws -> Int32 {
        switch endpoint {
        case let .unix(path):
            unlink(path)
            return try newSocket(AF_UNIX, streamType, 0, .listen, endpoint) { fd in
                try withUnixAddress(path, kind: .listen) { address, length in
                    guard bind(fd, address, length) == 0 else { throw failure(.listen, endpoint) }
                }
                guard Glibc.listen(fd, backlog) == 0 else { throw failure(.listen, endpoint) }
            }
        case let .tcp(host, port):
            return try withTCPAddresses(host: host, port: port, passive: true, kind: .listen) { info in
                try newSocket(info.ai_family, info.ai_socktype, info.ai_protocol, .listen, endpoint) { fd in
                    var one: Int32 = 1
                    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
                    guard bind(fd, info.ai_addr, info.ai_addrlen) == 0, Glibc.listen(fd, backlog) == 0 else {
                        throw failure(.listen, endpoint)
                    }
                }
            }
        }
    }

    /// A new socket, set up by `setUp`; closed again when `setUp` throws.
    static func newSocket(_ family: Int32, _ type: Int32, _ proto: Int32, _ kind: TransportError.Kind, _ endpoint: SocketEndpoint,
                          _ setUp: (Int32) throws -> Void) throws -> Int32 {
        let fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), proto)
        guard fd >= 0 else { throw failure(kind, endpoint) }
        do {
            try setUp(fd)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Sends small writes at once (no Nagle delay): frames are batched by the writers already.
    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The address of a connected socket's peer, `HOST:PORT` (or `nil` for a Unix socket or
    /// when the system cannot say).
    static func peerName(_ fd: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var host = address.pointee.sin_addr
                    guard inet_ntop(AF_INET, &host, &text, socklen_t(text.count)) != nil else { return nil }
                    return SocketEndpoint.tcp(host: cText(text), port: Int(UInt16(bigEndian: address.pointee.sin_port))).description
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var host = address.pointee.sin6_addr
                    guard inet_ntop(AF_INET6, &host, &text, socklen_t(text.count)) != nil else { return nil }
                    return SocketEndpoint.tcp(host: cText(text), port: Int(UInt16(bigEndian: address.pointee.sin6_port))).description
                }
            }
        default:
            return nil
        }
    }

    /// The text of a NUL-terminated C string buffer.
    static func cText(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The port a TCP socket is bound to.
    static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default:
            return nil
        }
    }

    /// Accepts one connection without blocking (the listening socket is non-blocking; accepted
    /// sockets are not): `nil` when none is pending.
    static func accept(_ fd: Int32, _ endpoint: SocketEndpoint) throws -> Int32? {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                setNoDelay(client)
                return client
            }
            let code = errno
            if code == EINTR || code == ECONNABORTED { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw failure(.accept, endpoint, code)
        }
    }
}
