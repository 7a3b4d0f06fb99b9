import LightstreamFraming
import Synchronization
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
/// Failures to resolve, connect, listen or accept, and timeouts, are ``TransportError``s.
/// `LightstreamNIO`'s `NIOTransport` offers the same shape on SwiftNIO channels.
public enum SocketTransport {
    /// The receive memory budget a listener's connections share unless told otherwise: 512 MiB
    /// of buffered, not yet decoded input (see `MemoryBudget`).
    public static let defaultReceiveBudget = 512 << 20

    /// How long ``connect(to:connectTimeout:idleTimeout:_:)`` waits for a peer to answer unless
    /// told otherwise: 30 seconds.
    public static let defaultConnectTimeout: Duration = .seconds(30)

    /// Connects to `endpoint`, runs `body` with the connection's source and sink, and closes the
    /// socket when `body` returns or throws.
    ///
    /// - Parameters:
    ///   - connectTimeout: how long each address may take to accept the connection (`nil`: the
    ///     system's own limit, minutes).
    ///   - idleTimeout: how long a read may wait for bytes, or a write for the peer to take
    ///     them, before failing with ``TransportError`` (kind `.timedOut`); `nil` waits forever.
    /// - Throws: ``TransportError`` when resolving or connecting fails, or what `body` throws.
    public static func connect<Result: Sendable>(
        to endpoint: SocketEndpoint, connectTimeout: Duration? = defaultConnectTimeout, idleTimeout: Duration? = nil,
        _ body: (FileDescriptorByteStream, FileDescriptorByteSink) async throws -> Result
    ) async throws -> Result {
        // Resolving a name and connecting may block: a thread of its own does it.
        let fd = try await BlockingThread.run { Swift.Result { try PosixSockets.connect(endpoint, timeout: connectTimeout) } }.get()
        return try await run(fd, peer: endpoint.description, idleTimeout: idleTimeout, budget: nil, body)
    }

    /// Runs `body` over the connected socket `fd`, which this function owns: it is closed (once)
    /// when `body` returns or throws.
    static func run<Result: Sendable>(
        _ fd: Int32, peer: String, idleTimeout: Duration?, budget: MemoryBudget?,
        _ body: (FileDescriptorByteStream, FileDescriptorByteSink) async throws -> Result
    ) async throws -> Result {
        let handle = DescriptorHandle(FileDescriptor(rawValue: fd), ownsDescriptor: true)
        defer { handle.close() }
        // The sink's close half-closes the socket; the descriptor is closed here, once.
        let source = FileDescriptorByteStream(handle, closeWhenDone: false, idleTimeout: idleTimeout, budget: budget, peer: peer)
        let sink = FileDescriptorByteSink(handle, closeOnClose: false, idleTimeout: idleTimeout, peer: peer)
        return try await body(source, sink)
    }

    /// Starts listening on `endpoint` (a Unix socket path that exists is replaced).
    ///
    /// - Parameters:
    ///   - memoryBudget: the receive memory all connections of this listener share: the stream
    ///     buffers reading their sources count against it, and a connection whose buffer would
    ///     pass it fails with `FramingError` kind `.memoryBudgetExceeded` while the others go on.
    ///     By default ``defaultReceiveBudget`` bytes.
    ///   - idleTimeout: how long a connection's read or write may wait for the peer (`nil`: forever).
    /// - Throws: ``TransportError`` (kind `.listen`; `EADDRINUSE` when the address is in use).
    public static func listen(on endpoint: SocketEndpoint, memoryBudget: MemoryBudget = MemoryBudget(limit: defaultReceiveBudget),
                              idleTimeout: Duration? = nil) throws -> SocketListener {
        SocketListener(descriptor: try PosixSockets.listen(endpoint), endpoint: endpoint, budget: memoryBudget, idleTimeout: idleTimeout)
    }
}

/// A listening socket of ``SocketTransport``. ``port`` is the bound TCP port (useful after
/// binding port 0).
///
/// The listener owns its socket: ``close()`` closes it once, however often it is called (and
/// ``serve(connections:_:)`` calls it when it returns).
public final class SocketListener: Sendable {
    let descriptor: Int32
    /// Where it listens.
    public let endpoint: SocketEndpoint
    /// The receive memory its connections share.
    public let budget: MemoryBudget
    /// How long a connection's read or write may wait for the peer, if limited.
    public let idleTimeout: Duration?
    private let closed = Atomic<Bool>(false)

    init(descriptor: Int32, endpoint: SocketEndpoint, budget: MemoryBudget, idleTimeout: Duration?) {
        self.descriptor = descriptor
        self.endpoint = endpoint
        self.budget = budget
        self.idleTimeout = idleTimeout
    }

    deinit { close() }

    /// The bound TCP port, or `nil` for a Unix domain socket (or once closed).
    public var port: Int? {
        if case .unix = endpoint { return nil }
        guard !closed.load(ordering: .acquiring) else { return nil }
        return PosixSockets.boundPort(descriptor)
    }

    private enum Event: Sendable {
        case readable
        case served
    }

    /// Accepts connections and runs `handler` for each, concurrently; returns after `count`
    /// connections were handled (when given), and otherwise runs until the task is cancelled.
    /// Closes the listening socket when it returns. A handler's error ends serving: the other
    /// handlers are cancelled, and the error is rethrown once they finished. (To keep serving
    /// past a bad connection, catch its error in the handler.)
    ///
    /// Each connection's source counts its buffers against ``budget`` and has ``idleTimeout``.
    ///
    /// - Throws: a handler's error, ``TransportError`` (kind `.accept`), `CancellationError`.
    public func serve(
        connections count: Int? = nil,
        _ handler: @escaping @Sendable (FileDescriptorByteStream, FileDescriptorByteSink) async throws -> Void
    ) async throws {
        defer { close() }
        let listening = DescriptorIO(DescriptorHandle(FileDescriptor(rawValue: descriptor), ownsDescriptor: false))
        let (endpoint, budget, idleTimeout, fd) = (endpoint, budget, idleTimeout, descriptor)
        // The accept loop waits in a child task, so cancelling the group (the serving task was
        // cancelled, or a handler failed) ends the wait at once.
        try await withThrowingTaskGroup(of: Event.self) { group in
            var accepted = 0
            var waiting = false
            while true {
                while count.map({ accepted < $0 }) ?? true, let client = try PosixSockets.accept(fd, endpoint) {
                    accepted += 1
                    let peer = PosixSockets.peerName(client) ?? "connection \(accepted) on \(endpoint)"
                    group.addTask {
                        try await SocketTransport.run(client, peer: peer, idleTimeout: idleTimeout,
                                                      budget: budget, handler)
                        return .served
                    }
                }
                if !waiting, count.map({ accepted < $0 }) ?? true {
                    waiting = true
                    group.addTask {
                        // Readiness only: no idle timeout while waiting for connections.
                        try await listening.waitUntilReady(events: Int16(POLLIN), operation: .receive)
                        return .readable
                    }
                }
                guard let event = try await group.next() else { return }
                if case .readable = event { waiting = false }
            }
        }
    }

    /// Closes the listening socket (and removes a Unix socket's path); only the first call does
    /// anything.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = Glibc.close(descriptor)
        if case let .unix(path) = endpoint { unlink(path) }
    }
}
