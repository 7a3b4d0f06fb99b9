import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import LightstreamStreams
import Synchronization
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

@Suite("Descriptor sockets (SocketTransport)", .timeLimit(.minutes(3)))
struct SocketTransportTests {
    func endpoint(_ kind: String, _ test: String) -> SocketEndpoint {
        kind == "tcp" ? .tcp(host: "127.0.0.1", port: 0) : .unix(path: "/tmp/lightstream-fd-\(test)-\(getpid()).sock")
    }

    func target(_ endpoint: SocketEndpoint, _ listener: SocketListener) -> SocketEndpoint {
        if case let .tcp(host, _) = endpoint { return .tcp(host: host, port: listener.port!) }
        return endpoint
    }

    @Test("a table each way, TCP and Unix", arguments: ["tcp", "unix"])
    func bothWays(kind: String) async throws {
        let up = try sampleTable(rows: 20_000, batches: 3, seed: 1)
        let down = try sampleTable(rows: 300, batches: 2, seed: 2)
        let endpoint = endpoint(kind, "both-ways")
        let listener = try SocketTransport.listen(on: endpoint)
        let received = Received()
        async let served: Void = listener.serve(connections: 1) { source, sink in
            var reader = TableStreamReader(source: source)
            let table = try await reader.readTable()
            received.value.withLock { $0 = table }
            var writer = try TableWriter.stream(to: sink, schema: down.schema, options: IPCWriteOptions(codec: CodecBodyCompression.zstd))
            try await writer.write(down)
            try await writer.finish()
        }
        let back = try await SocketTransport.connect(to: target(endpoint, listener)) { source, sink in
            var writer = try TableWriter.stream(to: sink, schema: up.schema)
            try await writer.write(up)
            try await writer.finish(closeSink: false)
            var reader = TableStreamReader(source: source)
            return try await reader.readTable()
        }
        try await served
        #expect(received.value.withLock { $0 } == up)
        #expect(back == down)
    }

    @Test("SocketEndpoint parses HOST:PORT, [v6]:PORT and unix:PATH")
    func endpoints() {
        #expect(SocketEndpoint(parsing: "127.0.0.1:9000") == .tcp(host: "127.0.0.1", port: 9000))
        #expect(SocketEndpoint(parsing: "[::1]:80") == .tcp(host: "::1", port: 80))
        #expect(SocketEndpoint(parsing: "unix:/tmp/x.sock") == .unix(path: "/tmp/x.sock"))
        #expect(SocketEndpoint(parsing: "localhost") == nil)
        #expect(SocketEndpoint(parsing: "host:70000") == nil)
        #expect(SocketEndpoint.tcp(host: "::1", port: 80).description == "[::1]:80")
    }

    @Test("connecting to a port nobody listens on is a TransportError saying 'connection refused'")
    func refused() async throws {
        // A socket bound but not listening holds its port (no other test can take it) and
        // refuses connections.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        await #expect {
            try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, _ in }
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.kind == .connect && error.errno == .connectionRefused
                && error.description == "cannot connect to 127.0.0.1:\(port): connection refused"
        }
    }

    @Test("cancelling the serving task stops accepting")
    func cancelServing() async throws {
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let serving = Task { try await listener.serve { _, _ in } }
        try await Task.sleep(nanoseconds: 100_000_000)
        serving.cancel()
        let result = await serving.result
        #expect(throws: CancellationError.self) { try result.get() }
    }
}

/// A table handed out of a `@Sendable` handler.
final class Received: Sendable {
    let value = Mutex<Table?>(nil)
}
