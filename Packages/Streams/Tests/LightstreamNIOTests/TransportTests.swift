import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import LightstreamNIO
import LightstreamStreams
import NIOCore
import NIOPosix
import Synchronization
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

@Suite("TCP and Unix socket transports", .timeLimit(.minutes(3)))
struct TransportTests {
    static func table(rows: Int, batches: Int) throws -> Table {
        var out: [RecordBatch] = []
        for b in 0..<batches {
            var labels = StringBuilder()
            var category = DictionaryBuilder<UInt32, String>()
            for i in 0..<rows {
                labels.append("row_\(b * rows + i)")
                category.append(["a", "b", "c"][i % 3])
            }
            out.append(try RecordBatch([
                "ids": Int32Array((0..<rows).map { Int32(b * rows + $0) }),
                "values": Float64Array((0..<rows).map { Double($0) * 0.25 }),
                "labels": labels.finish(),
                "category": category.finish(),
            ]))
        }
        return try Table(batches: out)
    }

    /// TCP on a free port, and a Unix socket at a path of the calling test's own.
    static let endpoints = ["tcp", "unix"]

    func endpoint(_ kind: String, _ test: String) -> SocketEndpoint {
        kind == "tcp" ? .tcp(host: "127.0.0.1", port: 0) : .unix(path: "/tmp/lightstream-nio-\(test)-\(getpid()).sock")
    }

    /// The endpoint a client reaches a listener at.
    func target(_ endpoint: SocketEndpoint, _ listener: NIOListener) -> SocketEndpoint {
        if case let .tcp(host, _) = endpoint { return .tcp(host: host, port: listener.port!) }
        return endpoint
    }

    @Test("client sends a table stream, server reads it", arguments: endpoints)
    func clientToServer(kind: String) async throws {
        let endpoint = endpoint(kind, "client-to-server")
        let table = try Self.table(rows: 20_000, batches: 3)
        let listener = try await NIOTransport.listen(on: endpoint)
        async let served: Table? = {
            let box = TableBox()
            try await listener.serve(connections: 1) { source, _ in
                var reader = TableStreamReader(source: source)
                box.set(try await reader.readTable())
            }
            return box.get()
        }()
        try await NIOTransport.connect(to: target(endpoint, listener)) { _, sink in
            var writer = try TableWriter.stream(to: sink, schema: table.schema)
            try await writer.write(table)
            try await writer.finish()
        }
        #expect(try await served == table)
    }

    @Test("server sends, client reads, several streams back to back", arguments: endpoints)
    func serverToClient(kind: String) async throws {
        let endpoint = endpoint(kind, "server-to-client")
        let first = try Self.table(rows: 1000, batches: 2)
        let second = try Self.table(rows: 10, batches: 1)
        let listener = try await NIOTransport.listen(on: endpoint)
        async let served: Void = listener.serve(connections: 1) { _, sink in
            for table in [first, second] {
                var writer = try TableWriter.stream(to: sink, schema: table.schema, options: IPCWriteOptions(codec: CodecBodyCompression.lz4Frame))
                try await writer.write(table)
                try await writer.finish(closeSink: false)
            }
            try await sink.close()
        }
        let received = try await NIOTransport.connect(to: target(endpoint, listener)) { source, _ in
            var reader = TableStreamReader(source: source)
            var tables: [Table] = []
            while let table = try await reader.readTable() { tables.append(table) }
            return tables
        }
        try await served
        #expect(received == [first, second])
    }

    struct Echo: Codable, Equatable { var n: Int }

    @Test("a bidirectional message connection over TCP: the server echoes what it receives")
    func messageConnection() async throws {
        let table = try Self.table(rows: 500, batches: 2)
        var types = ConnectionTypes()
        types.registerMessage("echo")
        types.registerTable("rows", schema: table.schema)
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let serverTypes = types, clientTypes = types
        async let served: Void = listener.serve(connections: 1) { source, sink in
            var sender = MessageSender(types: serverTypes, sink: sink)
            for try await message in MessageReceiver(types: serverTypes, source: source) {
                switch message {
                case let .message(name, payload): try await sender.send(name: name, payload)
                case let .table(name, table): try await sender.sendTable(name: name, table)
                }
            }
            try await sender.close()
        }
        let answers = try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: listener.port!)) { source, sink in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Send from a child task while this task receives the echoes.
                group.addTask {
                    var sender = MessageSender(types: clientTypes, sink: sink)
                    for n in 0..<5 { try await sender.send(name: "echo", Echo(n: n)) }
                    try await sender.sendTable(name: "rows", table)
                    try await sender.close()
                }
                var all: [ReceivedMessage] = []
                for try await message in MessageReceiver(types: clientTypes, source: source) { all.append(message) }
                try await group.waitForAll()
                return all
            }
        }
        try await served
        #expect(answers.map(\.name) == ["echo", "echo", "echo", "echo", "echo", "rows"])
        let decoder = MessageReceiver(types: types, source: MemoryByteStream(Buffer()))
        for (n, answer) in answers.prefix(5).enumerated() {
            guard case let .message(_, payload) = answer else { continue }
            #expect(try decoder.decode(Echo.self, from: payload) == Echo(n: n))
        }
        guard case let .table(_, back) = answers[5] else { Issue.record("no table"); return }
        #expect(back == table)
    }

    @Test("the peer closing mid-message is a truncation error")
    func peerClosesMidMessage() async throws {
        let table = try Self.table(rows: 5000, batches: 1)
        var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        let bytes = try writer.finish().buffer
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        async let served: Void = listener.serve(connections: 1) { _, sink in
            try await sink.write([bytes.slice(0..<bytes.count / 2)])
            try await sink.close()
        }
        await #expect {
            try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: listener.port!)) { source, _ in
                var reader = TableStreamReader(source: source)
                _ = try await reader.readTable()
            }
        } throws: { error in
            (error as? IPCError)?.reason.contains("truncated") == true
        }
        try await served
    }

    @Test("garbage from the peer is a typed error, and the connection is closed")
    func garbage() async throws {
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        async let served: Void = listener.serve(connections: 1) { source, sink in
            var reader = TableStreamReader(source: source)
            await #expect(throws: IPCError.self) { _ = try await reader.readTable() }
        }
        try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: listener.port!)) { source, sink in
            try await sink.write([Buffer(copying: Array(repeating: 0x41, count: 64))])
            // The server's handler returns after the error, which closes the connection: we read end of input.
            var source = source
            var buffer = StreamBuffer()
            #expect(try await source.read(into: &buffer, minimumCapacity: 1) == false)
        }
        try await served
    }

    @Test("clients beyond a listener's connection count are closed, not crashed on")
    func extraConnections() async throws {
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let served = Task {
            try await listener.serve(connections: 1) { source, sink in
                try await sink.write([Buffer(copying: [42])])
                try await sink.close()
            }
        }
        // Three clients; exactly one is served (it reads the 42), the others are closed without a
        // byte (or refused once the listener is gone). Every client returns.
        let received = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        return try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { source, _ in
                            var source = source
                            var buffer = StreamBuffer()
                            while try await source.read(into: &buffer, minimumCapacity: 1) {}
                            return buffer.window.bytes.array
                        }
                    } catch {
                        return nil  // refused: the listener had closed
                    }
                }
            }
            var all: [[UInt8]?] = []
            for try await bytes in group { all.append(bytes) }
            return all
        }
        try await served.value
        #expect(received.count == 3)
        #expect(received.filter { $0 == [42] }.count == 1, "\(received)")
        #expect(received.allSatisfy { $0 == nil || $0 == [42] || $0 == [] }, "\(received)")
    }

    /// A client that connects and sends nothing; it returns the bytes it read when the server
    /// side closes.
    func silentClient(port: Int) -> Task<[UInt8], any Error> {
        Task {
            try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { source, _ in
                var source = source
                var buffer = StreamBuffer()
                while try await source.read(into: &buffer, minimumCapacity: 1) {}
                return buffer.window.bytes.array
            }
        }
    }

    /// NIO accepts connections before `serve` asks for them: one accepted but never handed to a
    /// handler is closed when serving ends, so its client sees end of input instead of waiting.
    @Test("a connection accepted but not yet served is closed when serving is cancelled")
    func unservedConnectionClosed() async throws {
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let client = silentClient(port: port)
        try await Task.sleep(nanoseconds: 200_000_000)
        let serving = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await listener.serve { _, _ in Issue.record("a cancelled listener served a connection") }
        }
        // Serving ends (cleanly or with CancellationError), and nothing else.
        switch await serving.result {
        case .success: break
        case let .failure(error): #expect(error is CancellationError, "\(error)")
        }
        // The client was closed by the listener: it read end of input, and no byte.
        #expect(try await client.value == [])
    }

    @Test("cancelling the serving task stops the listener and a pending read")
    func cancelServing() async throws {
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let handlerStarted = Mutex(false)
        let handlerEnded = Mutex(false)
        let serving = Task {
            try await listener.serve { source, _ in
                handlerStarted.withLock { $0 = true }
                defer { handlerEnded.withLock { $0 = true } }
                var reader = TableStreamReader(source: source)
                _ = try await reader.readTable()
            }
        }
        // A client that connects and then sends nothing: the handler waits in a read.
        let client = silentClient(port: port)
        while !handlerStarted.withLock({ $0 }) { try await Task.sleep(nanoseconds: 10_000_000) }
        serving.cancel()
        _ = await serving.result
        // The handler's read ended (it was not left waiting)...
        #expect(handlerEnded.withLock { $0 })
        // ...the server side is gone: the client reads end of input, no byte...
        #expect(try await client.value == [])
        // ...and the port is free again.
        let again = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: port))
        try await again.close()
    }

    @Test("a handler's error ends serving at once, even with connections still to come")
    func handlerErrorEndsServing() async throws {
        struct Refused: Error {}
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let serving = Task { try await listener.serve(connections: 5) { _, _ in throw Refused() } }
        _ = try? await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, _ in }
        await #expect(throws: Refused.self) { try await serving.value }
    }

    @Test("connections share the listener's memory budget: a header announcing 1000 MiB buys nothing")
    func sharedBudget() async throws {
        let budget = MemoryBudget(limit: 2 << 20)
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0), memoryBudget: budget)
        let port = listener.port!
        let errors = Mutex<[String]>([])
        let served = Task {
            try await listener.serve(connections: 1) { source, _ in
                var reader = AsyncFrameReader(source: source, decoder: LengthPrefixedFrameDecoder(LengthFieldFormat(maximumFrameLength: 1 << 30)))
                do {
                    while try await reader.next() != nil {}
                } catch let error as FramingError {
                    if case .memoryBudgetExceeded = error.kind { errors.withLock { $0.append("budget") } }
                }
            }
        }
        _ = try? await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
            try await sink.write([Buffer(copying: withUnsafeBytes(of: UInt32(1000 << 20).bigEndian) { Array($0) })])
            for _ in 0..<64 { try await sink.write([Buffer(copying: [UInt8](repeating: 1, count: 64 << 10))]) }
            try await sink.close()
        }
        try await served.value
        #expect(errors.withLock { $0 } == ["budget"])
        #expect(budget.usedBytes == 0)
    }
}

/// Hands a value out of a `@Sendable` handler.
final class TableBox: Sendable {
    private let value = Mutex<Table?>(nil)
    func set(_ table: Table?) { value.withLock { $0 = table } }
    func get() -> Table? { value.withLock { $0 } }
}
