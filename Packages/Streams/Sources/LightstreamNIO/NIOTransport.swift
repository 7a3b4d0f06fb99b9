import LightstreamStreams
import NIOCore
import NIOPosix
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
        return try await run(channel, body)
    }

    /// Runs `body` over standard input and standard output (duplicates of descriptors 0 and 1,
    /// so the process's own descriptors stay open).
    public static func standardIO<Result: Sendable>(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (NIOByteSource, NIOByteSink) async throws -> Result
    ) async throws -> Result {
        let channel = try await NIOPipeBootstrap(group: group)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .takingOwnershipOfDescriptors(input: dup(0), output: dup(1)) { wrap($0) }
        return try await run(channel, body)
    }

    static func run<Result: Sendable>(
        _ channel: NIOAsyncChannel<ByteBuffer, Never>, _ body: (NIOByteSource, NIOByteSink) async throws -> Result
    ) async throws -> Result {
        try await channel.executeThenClose { inbound, _ in
            try await body(NIOByteSource(inbound), NIOByteSink(channel: channel.channel))
        }
    }

    /// Starts listening on `endpoint`; serve connections with ``NIOListener/serve(connections:_:)``.
    /// A Unix socket path that exists is replaced.
    public static func listen(
        on endpoint: SocketEndpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
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
        return NIOListener(server: server, unserved: unserved)
    }
}

/// A listening socket. ``port`` is the bound TCP port (useful after binding port 0).
public struct NIOListener: Sendable {
    let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, Never>, Never>
    let unserved: UnservedConnections

    /// The bound TCP port, or `nil` for a Unix domain socket.
    public var port: Int? { server.channel.localAddress?.port }

    /// Accepts connections and runs `handler` for each, concurrently; returns after `count`
    /// connections were handled (when given), and otherwise runs until the task is cancelled.
    /// Closes the listening socket when it returns, and any connection accepted but not served.
    /// A handler's error ends serving and is rethrown, after the other handlers finished.
    public func serve(
        connections count: Int? = nil,
        _ handler: @escaping @Sendable (NIOByteSource, NIOByteSink) async throws -> Void
    ) async throws {
        defer { unserved.closeAll() }
        try await server.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                var accepted = 0
                for try await connection in inbound {
                    unserved.handedOut(connection.channel)
                    if let count, accepted >= count {
                        // Accepted while the listener was closing: close it unserved.
                        try? await connection.executeThenClose { _, _ in }
                        continue
                    }
                    group.addTask { try await NIOTransport.run(connection, handler) }
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
