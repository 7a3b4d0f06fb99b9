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
///   flags are left alone); when they would block, the task waits for readiness. Writes pass
///   `MSG_NOSIGNAL`: a peer that closed its side is an `EPIPE` error, not a signal.
/// - Other descriptors (pipes, terminals, regular files) are read once `poll` says they are
///   readable, so `read` returns at once; writes run on a thread of their own
///   (``BlockingThread``), since a blocking pipe may take a while to accept a large write. That
///   thread blocks `SIGPIPE` for itself, so a reader that went away is an `EPIPE` error; the
///   process's signal handling is left alone.
/// - Waiting for readiness happens on the ``ReadinessReactor``'s thread, so a cancelled task
///   stops waiting at once. With an `idleTimeout`, a wait for a socket or pipe that lasts longer
///   throws ``TransportError`` (kind `.timedOut`); a write to a pipe or file that is already
///   under way on its thread is not interrupted.
struct DescriptorIO: Sendable {
    let handle: DescriptorHandle
    /// Whether the descriptor is a socket (decided once, with `fstat`).
    let isSocket: Bool
    /// How long one wait for the peer may last.
    let idleTimeout: Duration?
    /// The peer's name in errors (`HOST:PORT`, or `descriptor N`).
    let peer: String

    init(_ handle: DescriptorHandle, idleTimeout: Duration? = nil, peer: String? = nil) {
        self.handle = handle
        self.idleTimeout = idleTimeout
        self.peer = peer ?? "descriptor \(handle.descriptor.rawValue)"
        var info = stat()
        isSocket = fstat(handle.descriptor.rawValue, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    var descriptor: FileDescriptor { handle.descriptor }

    /// Reads at most `space.count` bytes into `space`, waiting until some arrive; 0 at end of input.
    func read(into space: UnsafeMutableRawBufferPointer, position: Int) async throws -> Int {
        while true {
            try Task.checkCancellation()
            let fd = try handle.open(at: position)
            if isSocket {
                let n = recv(fd, space.baseAddress, space.count, Int32(MSG_DONTWAIT))
                if n >= 0 { return n }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    try await waitUntilReady(events: Int16(POLLIN), operation: .receive)
                    continue
                }
                throw FramingError(.io("recv from \(peer): \(Errno(rawValue: code))"), at: position)
            }
            if !isReady(fd, events: Int16(POLLIN), timeout: 0) {
                try await waitUntilReady(events: Int16(POLLIN), operation: .receive)
            }
            let n = posixRead(try handle.open(at: position), space.baseAddress, space.count)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR || code == EAGAIN || code == EWOULDBLOCK { continue }
            throw FramingError(.io("read from \(peer): \(Errno(rawValue: code))"), at: position)
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
            let fd = try handle.open(at: position + written)
            if isSocket {
                let n = cursor.withIOVectors { vectors, count in
                    var header = msghdr()
                    header.msg_iov = vectors
                    header.msg_iovlen = numericCast(count)
                    return sendmsg(fd, &header, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                }
                if n >= 0 { cursor.advance(n); written += n; continue }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    try await waitUntilReady(events: Int16(POLLOUT), operation: .send)
                    continue
                }
                throw FramingError(.io("send to \(peer): \(Errno(rawValue: code))"), at: position + written)
            }
            if !isReady(fd, events: Int16(POLLOUT), timeout: 0) {
                try await waitUntilReady(events: Int16(POLLOUT), operation: .send)
            }
            let step = cursor.capped(at: 1 << 20)
            let n: Int = await BlockingThread.run {
                Self.withBrokenPipeSignalBlocked {
                    var n: Int
                    repeat {
                        n = step.withIOVectors { vectors, count in writev(fd, vectors, Int32(count)) }
                    } while n < 0 && errno == EINTR
                    return n < 0 ? -Int(errno) : n
                }
            }
            if n >= 0 { cursor.advance(n); written += n; continue }
            if -n == EAGAIN || -n == EWOULDBLOCK { continue }
            throw FramingError(.io("write to \(peer): \(Errno(rawValue: Int32(-n)))"), at: position + written)
        }
    }

    /// Runs `body` (a write to a pipe) with `SIGPIPE` blocked on the calling thread, and takes
    /// back a `SIGPIPE` that `body` raised, so a reader that went away is an `EPIPE` error for
    /// `body` and the process's signal handling stays as the program set it.
    static func withBrokenPipeSignalBlocked<T>(_ body: () -> T) -> T {
        var brokenPipe = sigset_t()
        sigemptyset(&brokenPipe)
        sigaddset(&brokenPipe, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &brokenPipe, &previous)
        var pending = sigset_t()
        sigpending(&pending)
        let wasPending = sigismember(&pending, SIGPIPE) == 1
        let result = body()
        if !wasPending {
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var now = timespec(tv_sec: 0, tv_nsec: 0)
                while sigtimedwait(&brokenPipe, nil, &now) < 0 && errno == EINTR {}
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return result
    }

    /// `fsync`.
    func sync() throws {
        guard fsync(try handle.open(at: 0)) == 0 else {
            throw FramingError(.io("fsync of \(peer): \(Errno(rawValue: errno))"), at: 0)
        }
    }

    /// Shuts down the sending side of a socket (the peer reads end of input).
    func shutdownWrite() {
        guard let fd = try? handle.open(at: 0) else { return }
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    func isReady(_ fd: Int32, events: Int16, timeout: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return poll(&entry, 1, timeout) > 0
    }

    /// Waits until the descriptor is ready for `events` (or reports an error or hang-up, which
    /// the next call then sees); throws `CancellationError` as soon as the task is cancelled,
    /// and ``TransportError`` (kind `.timedOut(operation, ...)`) after ``idleTimeout``.
    func waitUntilReady(events: Int16, operation: TransportError.Operation) async throws {
        let fd = try handle.open(at: 0)
        let deadline = idleTimeout.map { ContinuousClock.now + $0 }
        guard try await ReadinessReactor.shared.get().wait(for: fd, events: events, deadline: deadline) else {
            throw TransportError(.timedOut(operation, seconds: TransportError.seconds(idleTimeout ?? .zero)), endpoint: peer)
        }
    }
}
