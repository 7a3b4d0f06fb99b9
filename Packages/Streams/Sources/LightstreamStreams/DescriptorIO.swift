import LightstreamFraming
import SystemPackage
import Vec64
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let posixRead = Glibc.read
#elseif canImport(Musl)
private let posixRead = Musl.read
#elseif canImport(Darwin)
private let posixRead = Darwin.read
#endif

/// Non-blocking I/O on a file descriptor for async code: the cooperative thread pool never
/// blocks in a system call that may wait on a peer.
///
/// - Sockets are read and written with `recv`/`send` and `MSG_DONTWAIT` (the descriptor's own
///   flags are left alone); when they would block, the task waits for readiness.
/// - Other descriptors (pipes, terminals, regular files) are read once `poll` says they are
///   readable, so `read` returns at once; writes run on a thread of their own
///   (``BlockingThread``), since a blocking pipe may take a while to accept a large write.
/// - Waiting for readiness happens on the ``ReadinessReactor``'s thread, so a cancelled task
///   stops waiting at once.
struct DescriptorIO: Sendable {
    let descriptor: FileDescriptor
    /// Whether `descriptor` is a socket (decided once, with `fstat`).
    let isSocket: Bool

    init(_ descriptor: FileDescriptor) {
        self.descriptor = descriptor
        var info = stat()
        isSocket = fstat(descriptor.rawValue, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
        DescriptorIO.ignoreBrokenPipeSignal
    }

    /// Writing to a closed pipe must be an `EPIPE` error, not a signal that ends the process.
    static let ignoreBrokenPipeSignal: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Reads at most `space.count` bytes into `space`, waiting until some arrive; 0 at end of input.
    func read(into space: UnsafeMutableRawBufferPointer, position: Int) async throws -> Int {
        while true {
            try Task.checkCancellation()
            if isSocket {
                let n = recv(descriptor.rawValue, space.baseAddress, space.count, Int32(MSG_DONTWAIT))
                if n >= 0 { return n }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    try await waitUntilReady(events: Int16(POLLIN), position: position)
                    continue
                }
                throw FramingError(.io("recv from descriptor \(descriptor.rawValue): \(Errno(rawValue: code))"), at: position)
            }
            if !isReady(events: Int16(POLLIN), timeout: 0) {
                try await waitUntilReady(events: Int16(POLLIN), position: position)
            }
            let n = posixRead(descriptor.rawValue, space.baseAddress, space.count)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR || code == EAGAIN || code == EWOULDBLOCK { continue }
            throw FramingError(.io("read from descriptor \(descriptor.rawValue): \(Errno(rawValue: code))"), at: position)
        }
    }

    /// Writes all of `pieces`, in order, each from where it lives (a gather write).
    ///
    /// Sockets: `sendmsg` with `MSG_DONTWAIT`, waiting for readiness when the socket is full.
    /// Other descriptors: once `poll` says writable, up to 1 MiB at a time with a blocking
    /// `writev` on a thread of its own (a pipe may take a while to accept a large write);
    /// cancellation is checked between those steps.
    func write(_ pieces: [Buffer], position: Int) async throws {
        var cursor = GatherCursor(pieces)
        var written = 0
        while !cursor.isDone {
            try Task.checkCancellation()
            if isSocket {
                let n = cursor.withIOVectors { vectors, count in
                    var header = msghdr()
                    header.msg_iov = vectors
                    header.msg_iovlen = numericCast(count)
                    return sendmsg(descriptor.rawValue, &header, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                }
                if n >= 0 { cursor.advance(n); written += n; continue }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    try await waitUntilReady(events: Int16(POLLOUT), position: position + written)
                    continue
                }
                throw FramingError(.io("send to descriptor \(descriptor.rawValue): \(Errno(rawValue: code))"), at: position + written)
            }
            if !isReady(events: Int16(POLLOUT), timeout: 0) {
                try await waitUntilReady(events: Int16(POLLOUT), position: position + written)
            }
            let step = cursor.capped(at: 1 << 20)
            let fd = descriptor.rawValue
            let n: Int = await BlockingThread.run {
                var n: Int
                repeat {
                    n = step.withIOVectors { vectors, count in writev(fd, vectors, Int32(count)) }
                } while n < 0 && errno == EINTR
                return n < 0 ? -Int(errno) : n
            }
            if n >= 0 { cursor.advance(n); written += n; continue }
            if -n == EAGAIN || -n == EWOULDBLOCK { continue }
            throw FramingError(.io("write to descriptor \(descriptor.rawValue): \(Errno(rawValue: Int32(-n)))"), at: position + written)
        }
    }

    /// `fsync`.
    func sync() throws {
        guard fsync(descriptor.rawValue) == 0 else {
            throw FramingError(.io("fsync of descriptor \(descriptor.rawValue): \(Errno(rawValue: errno))"), at: 0)
        }
    }

    /// Shuts down the sending side of a socket (the peer reads end of input).
    func shutdownWrite() {
        _ = shutdown(descriptor.rawValue, Int32(SHUT_WR))
    }

    func isReady(events: Int16, timeout: Int32) -> Bool {
        var entry = pollfd(fd: descriptor.rawValue, events: events, revents: 0)
        return poll(&entry, 1, timeout) > 0
    }

    /// Waits until `descriptor` is ready for `events` (or reports an error or hang-up, which the
    /// next call then sees); throws `CancellationError` as soon as the task is cancelled.
    func waitUntilReady(events: Int16, position: Int) async throws {
        try await ReadinessReactor.shared.get().wait(for: descriptor.rawValue, events: events)
    }
}
