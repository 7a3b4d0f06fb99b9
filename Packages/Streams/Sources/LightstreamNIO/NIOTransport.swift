import LightstreamFraming
import LightstreamStreams
import NIOCore
import NIOPosix
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One byte-stream connection (TCP, Unix domain socket or stdio) as an ``NIOByteSource`` and an
/// ``NIOByteSink``: the same API, whatever the transport, for `TableStreamReader`,
/// `TableWriter`, `MessageReceiver`, `MessageSender` and `FramedByteStream`.
///
/// ```swift
/// let table = try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: 9000)) { source, sink in
///     var reader = TableStreamReader(source: source)
///     return try await reader.readTable()
/// }
/// ```
public enum NIOTransport {
    /// Larger reads than NIO's default (up to 1 MiB), for bulk Arrow data.
    static let receiveAllocator = AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 256 << 10, maximum: 1 << 20)

    /// Wraps a new channel for async reading. Writing goes straight through the channel
    /// (``NIOByteSink``), so the async wrapper has no outbound writer (`Never`), which also means
    /// no unfinished writer can trap when a connection attempt fails after this ran.
    static func wrap(_ channel: any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, Never>> {
        channel.eventLoop.makeCompletedFuture {
            try NIOAsyncChannel<ByteBuffer, Never>(wrappingChannelSynchronously: channel)
        }
    }

    /// Connects to `endpoint`, runs `body` with the connection's source and sink, and closes
    /// the connection when `body` returns or throws.
    public static func connect<Result: Sendable>(
        to endpoint: SocketEndpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (NIOByteSource, NIOByteSink) async throws -> Result
    ) async throws -> Result {
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(ChannelOptions.recvAllocator, value: receiveAllocator)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        let channel: NIOAsyncChannel<ByteBuffer, Never>
        switch endpoint {
        case let .tcp(host, port):
            channel = try await bootstrap
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { wrap($0) }
        case let .unix(path):
            channel = try await bootstrap.connect(unixDomainSocketPath: path) { wrap($0) }
        }
        return try await run(channel, budget: nil, body)
    }

    /// Runs `body` over standard input and standard output (duplicates of descriptors 0 and 1,
    /// so the process's own descriptors stay open).
    ///
    /// SwiftNIO serves pipes, sockets and terminals; a regular file or `/dev/null` on either side
    /// cannot be polled, and is refused here with ``TransportError`` (kind
    /// `.unsupportedDescriptor`) before SwiftNIO sees it. Read and write those with
    /// `FileDescriptorByteStream` and `FileDescriptorByteSink`, which serve every descriptor.
    public static func standardIO<Result: Sendable>(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (NIOByteSource, NIOByteSink) async throws -> Result
    ) async throws -> Result {
        try checkPollable(0, "standard input")
        try checkPollable(1, "standard output")
        let input = dup(0)
        guard input >= 0 else { throw TransportError(.unsupportedDescriptor, endpoint: "standard input", errno: Errno(rawValue: errno)) }
        let output = dup(1)
        guard output >= 0 else {
            let code = errno
            close(input)
            throw TransportError(.unsupportedDescriptor, endpoint: "standard output", errno: Errno(rawValue: code))
        }
        let channel = try await NIOPipeBootstrap(group: group)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .takingOwnershipOfDescriptors(input: input, output: output) { wrap($0) }
        return try await run(channel, budget: nil, body)
    }

    /// Checks that SwiftNIO can watch `descriptor` (it traps when `epoll` refuses it): regular
    /// files, directories, block devices and the memory devices (`/dev/null`, `/dev/zero`, ...)
    /// cannot be polled; pipes, sockets and terminals can.
    static func checkPollable(_ descriptor: Int32, _ name: String) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw TransportError(.unsupportedDescriptor, endpoint: name, errno: Errno(rawValue: errno))
        }
        let type = info.st_mode & S_IFMT
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF))
        let kind: String? = switch type {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFBLK: "a block device"
        case S_IFCHR where major == 1: "a memory device such as /dev/null"
        default: nil
        }
        if let kind {
            throw TransportError(.unsupportedDescriptor, endpoint: name,
                                 detail: "it is \(kind), which SwiftNIO cannot poll (use FileDescriptorByteStream/Sink)")
        }
    }

    static func run<Result: Sendable>(
        _ channel: NIOAsyncChannel<ByteBuffer, Never>, budget: MemoryBudget?, _ body: (NIOByteSource, NIOByteSink) async throws -> Result
    ) async throws -> Result {
        try await channel.executeThenClose { inbound, _ in
            try await body(NIOByteSource(inbound, budget: budget), NIOByteSink(channel: channel.channel))
        }
    }

    /// Starts listening on `endpoint`; serve connections with ``NIOListener/serve(connections:_:)``.
    /// A Unix socket path that exists is replaced.
    ///
    /// `memoryBudget` is the receive memory all connections of the listener share: the stream
    /// buffers reading their sources count against it, and a connection whose buffer would pass
    /// it fails with `FramingError` kind `.memoryBudgetExceeded` while the others go on. By
    /// default `SocketTransport.defaultReceiveBudget` (512 MiB).
    public static func listen(
        on endpoint: SocketEndpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        memoryBudget: MemoryBudget = MemoryBudget(limit: SocketTransport.defaultReceiveBudget)
    ) async throws -> NIOListener {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.recvAllocator, value: receiveAllocator)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        let unserved = UnservedConnections()
        let accept: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, Never>> = { channel in
            unserved.accepted(channel)
            return wrap(channel)
        }
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, Never>, Never>
        switch endpoint {
        case let .tcp(host, port):
            server = try await bootstrap
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port, childChannelInitializer: accept)
        case let .unix(path):
            server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: accept)
        }
        return NIOListener(server: server, unserved: unserved, budget: memoryBudget)
    }
}

/// A listening socket. ``port`` is the bound TCP port (useful after binding port 0).
public struct NIOListener: Sendable {
    let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, Never>, Never>
    let unserved: UnservedConnections
    /// The receive memory its connections share.
    public let budget: MemoryBudget

    /// The bound TCP port, or `nil` for a Unix domain socket.
    public var port: Int? { server.channel.localAddress?.port }

    /// Accepts connections and runs `handler` for each, concurrently; returns after `count`
    /// connections were handled (when given), and otherwise runs until the task is cancelled.
    /// Closes the listening socket when it returns, and any connection accepted but not served.
    /// A handler's error ends serving: the listening socket closes at once (the accept loop
    /// stops), the other handlers are cancelled, and the error is rethrown once they finished.
    /// (To keep serving past a bad connection, catch its error in the handler.)
    ///
    /// Each connection's source counts its buffers against ``budget``.
    public func serve(
        connections count: Int? = nil,
        _ handler: @escaping @Sendable (NIOByteSource, NIOByteSink) async throws -> Void
    ) async throws {
        defer { unserved.closeAll() }
        let (server, budget) = (server, budget)
        try await server.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                var accepted = 0
                for try await connection in inbound {
                    unserved.handedOut(connection.channel)
                    if group.isCancelled || count.map({ accepted >= $0 }) ?? false {
                        // Accepted while the listener was closing: close it unserved.
                        try? await connection.executeThenClose { _, _ in }
                        continue
                    }
                    group.addTask {
                        do {
                            try await NIOTransport.run(connection, budget: budget, handler)
                        } catch {
                            // The group cancels the other handlers; closing the listening socket
                            // ends the accept loop, which that cancellation does not reach.
                            server.channel.close(promise: nil)
                            throw error
                        }
                    }
                    accepted += 1
                    if let count, accepted >= count { server.channel.close(promise: nil) }
                }
            }
        }
    }

    /// Closes the listening socket without serving, and any connection it accepted.
    public func close() async throws {
        unserved.closeAll()
        try await server.channel.close()
    }
}
