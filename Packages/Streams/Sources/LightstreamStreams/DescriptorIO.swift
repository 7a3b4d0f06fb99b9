import Dispatch
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
private let posixWrite = Glibc.write
#elseif canImport(Musl)
private let posixRead = Musl.read
private let posixWrite = Musl.write
#elseif canImport(Darwin)
private let posixRead = Darwin.read
private let posixWrite = Darwin.write
#endif

/// Non-blocking I/O on a file descriptor for async code: the cooperative thread pool never
/// blocks in a system call that may wait on a peer.
///
/// - Sockets are read and written with `recv`/`send` and `MSG_DONTWAIT` (the descriptor's own
///   flags are left alone); when they would block, the task waits for readiness.
/// - Other descriptors (pipes, terminals, regular files) are read once `poll` says they are
///   readable, so `read` returns at once; writes go to a dispatch thread, since a blocking pipe
///   may take a while to accept a large write.
/// - Waiting for readiness happens on a dispatch thread with `poll` in 50 ms slices, so a
///   cancelled task stops waiting within 50 ms.
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

    /// Writes all of `bytes`.
    func writeAll(_ bytes: Buffer, position: Int) async throws {
        var done = 0
        while done < bytes.count {
            try Task.checkCancellation()
            if isSocket {
                let n = bytes.withUnsafeBytes { raw in
                    send(descriptor.rawValue, raw.baseAddress! + done, raw.count - done, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                }
                if n >= 0 { done += n; continue }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    try await waitUntilReady(events: Int16(POLLOUT), position: position + done)
                    continue
                }
                throw FramingError(.io("send to descriptor \(descriptor.rawValue): \(Errno(rawValue: code))"), at: position + done)
            }
            if !isReady(events: Int16(POLLOUT), timeout: 0) {
                try await waitUntilReady(events: Int16(POLLOUT), position: position + done)
            }
            // A blocking write of up to 1 MiB, off the cooperative pool.
            let piece = bytes.slice(done..<min(bytes.count, done + (1 << 20)))
            let fd = descriptor.rawValue
            let n: Int = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let n = piece.withUnsafeBytes { raw in
                        var n: Int
                        repeat { n = posixWrite(fd, raw.baseAddress, raw.count) } while n < 0 && errno == EINTR
                        return n < 0 ? -Int(errno) : n
                    }
                    continuation.resume(returning: n)
                }
            }
            if n >= 0 { done += n; continue }
            if -n == EAGAIN || -n == EWOULDBLOCK { continue }
            throw FramingError(.io("write to descriptor \(descriptor.rawValue): \(Errno(rawValue: Int32(-n)))"), at: position + done)
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

    /// Waits, on a dispatch thread, until `descriptor` is ready for `events` (or reports an
    /// error or hang-up, which the next call then sees); throws `CancellationError` within
    /// 50 ms of the task's cancellation.
    func waitUntilReady(events: Int16, position: Int) async throws {
        let cancelled = OnceFlag()
        let fd = descriptor.rawValue
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                DispatchQueue.global().async {
                    var entry = pollfd(fd: fd, events: events, revents: 0)
                    while true {
                        if cancelled.isSet { return continuation.resume(throwing: CancellationError()) }
                        entry.revents = 0
                        let result = poll(&entry, 1, 50)
                        if result > 0 { return continuation.resume() }
                        if result < 0 && errno != EINTR {
                            return continuation.resume(throwing: FramingError(.io("poll on descriptor \(fd): \(Errno(rawValue: errno))"), at: position))
                        }
                    }
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }
}
