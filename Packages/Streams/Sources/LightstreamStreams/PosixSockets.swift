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
/// accepting, with errors as `FramingError(.io)`.
enum PosixSockets {
    static func failure(_ what: String, _ code: Int32 = errno) -> FramingError {
        FramingError(.io("\(what): \(Errno(rawValue: code))"), at: 0)
    }

    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif

    /// Runs `body` with the socket address of a Unix domain socket at `path`.
    static func withUnixAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw FramingError(.io("Unix socket path longer than \(capacity - 1) bytes: \(path)"), at: 0) }
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
    static func withTCPAddresses(host: String, port: Int, passive: Bool, _ body: (addrinfo) throws -> Int32?) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = streamType
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw FramingError(.io("cannot resolve \(host): \(String(cString: gai_strerror(status)))"), at: 0)
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
        throw lastError ?? FramingError(.io("no usable address for \(host):\(port)"), at: 0)
    }

    /// A connected stream socket (blocking; run off the cooperative pool).
    static func connect(_ endpoint: SocketEndpoint) throws -> Int32 {
        switch endpoint {
        case let .unix(path):
            return try newSocket(AF_UNIX, streamType, 0) { fd in
                try withUnixAddress(path) { address, length in
                    guard Glibc.connect(fd, address, length) == 0 else { throw failure("connect to \(endpoint)") }
                }
            }
        case let .tcp(host, port):
            return try withTCPAddresses(host: host, port: port, passive: false) { info in
                try newSocket(info.ai_family, info.ai_socktype, info.ai_protocol) { fd in
                    guard Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 else { throw failure("connect to \(endpoint)") }
                    setNoDelay(fd)
                }
            }
        }
    }

    /// A listening stream socket, non-blocking (for ``accept(_:)``).
    static func listen(_ endpoint: SocketEndpoint, backlog: Int32 = 128) throws -> Int32 {
        let fd = try bound(endpoint, backlog: backlog)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    static func bound(_ endpoint: SocketEndpoint, backlog: Int32) throws -> Int32 {
        switch endpoint {
        case let .unix(path):
            unlink(path)
            return try newSocket(AF_UNIX, streamType, 0) { fd in
                try withUnixAddress(path) { address, length in
                    guard bind(fd, address, length) == 0 else { throw failure("bind \(endpoint)") }
                }
                guard Glibc.listen(fd, backlog) == 0 else { throw failure("listen on \(endpoint)") }
            }
        case let .tcp(host, port):
            return try withTCPAddresses(host: host, port: port, passive: true) { info in
                try newSocket(info.ai_family, info.ai_socktype, info.ai_protocol) { fd in
                    var one: Int32 = 1
                    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
                    guard bind(fd, info.ai_addr, info.ai_addrlen) == 0, Glibc.listen(fd, backlog) == 0 else {
                        throw failure("listen on \(endpoint)")
                    }
                }
            }
        }
    }

    /// A new socket, set up by `setUp`; closed again when `setUp` throws.
    static func newSocket(_ family: Int32, _ type: Int32, _ proto: Int32, _ setUp: (Int32) throws -> Void) throws -> Int32 {
        let fd = socket(family, type, proto)
        guard fd >= 0 else { throw failure("socket") }
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
    static func accept(_ fd: Int32) throws -> Int32? {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 {
                setNoDelay(client)
                return client
            }
            let code = errno
            if code == EINTR || code == ECONNABORTED { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw failure("accept", code)
        }
    }
}
