import LightstreamFraming
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TCP and Unix domain sockets straight on file descriptors, without SwiftNIO: the
/// zero-copy transport. Reads go straight into the stream buffer and writes go from the arrays'
/// own memory, so the kernel's copies are the only ones. The same source and sink types serve
/// files, pipes and stdio (`FileDescriptorByteStream`, `FileDescriptorByteSink`).
///
/// ```swift
/// let table = try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: 9000)) { source, sink in
///     var reader = TableStreamReader(source: source)
///     return try await reader.readTable()
/// }
/// ```
///
/// `LightstreamNIO`'s `NIOTransport` offers the same shape on SwiftNIO channels.
public enum SocketTransport {
    /// Connects to `endpoint`, runs `body` with the connection's source and sink, and closes the
    /// socket when `body` returns or throws.
    public static func connect<Result: Sendable>(
        to endpoint: SocketEndpoint,
        _ body: (FileDescriptorByteStream, FileDescriptorByteSink) async throws -> Result
    ) async throws -> Result {
        // Resolving a name and connecting may block: a thread of its own does it.
        let fd = try await BlockingThread.run { Swift.Result { try PosixSockets.connect(endpoint) } }.get()
        return try await run(fd, body)
    }

    static func run<Result: Sendable>(
        _ fd: Int32, _ body: (FileDescriptorByteStream, FileDescriptorByteSink) async throws -> Result
    ) async throws -> Result {
        let descriptor = FileDescriptor(rawValue: fd)
        defer { try? descriptor.close() }
        // The sink's close half-closes the socket; the descriptor is closed here, once.
        return try await body(FileDescriptorByteStream(descriptor), FileDescriptorByteSink(descriptor, closeOnClose: false))
    }

    /// Starts listening on `endpoint` (a Unix socket path that exists is replaced).
    public static func listen(on endpoint: SocketEndpoint) throws -> SocketListener {
        SocketListener(descriptor: try PosixSockets.listen(endpoint), endpoint: endpoint)
    }
}

/// A listening socket of ``SocketTransport``. ``port`` is the bound TCP port (useful after
/// binding port 0).
public struct SocketListener: Sendable {
    let descriptor: Int32
    let endpoint: SocketEndpoint

    /// The bound TCP port, or `nil` for a Unix domain socket.
    public var port: Int? {
        if case .unix = endpoint { return nil }
        return PosixSockets.boundPort(descriptor)
    }

    /// Accepts connections and runs `handler` for each, concurrently; returns after `count`
    /// connections were handled (when given), and otherwise runs until the task is cancelled.
    /// Closes the listening socket when it returns. A handler's error ends serving and is
    /// rethrown, after the other handlers finished.
    public func serve(
        connections count: Int? = nil,
        _ handler: @escaping @Sendable (FileDescriptorByteStream, FileDescriptorByteSink) async throws -> Void
    ) async throws {
        defer { close() }
        let io = DescriptorIO(FileDescriptor(rawValue: descriptor))
        try await withThrowingDiscardingTaskGroup { group in
            var accepted = 0
            while count.map({ accepted < $0 }) ?? true {
                guard let client = try PosixSockets.accept(descriptor) else {
                    try await io.waitUntilReady(events: Int16(POLLIN), position: 0)
                    continue
                }
                accepted += 1
                group.addTask { try await SocketTransport.run(client, handler) }
            }
        }
    }

    /// Closes the listening socket (and removes a Unix socket's path).
    public func close() {
        _ = Glibc.close(descriptor)
        if case let .unix(path) = endpoint { unlink(path) }
    }
}
