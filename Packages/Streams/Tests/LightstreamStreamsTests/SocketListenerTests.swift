import LightstreamFraming
import LightstreamStreams
import Synchronization
import SystemPackage
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

/// A hostile or careless peer cannot make a listener buffer without bound, hang it, or keep it
/// serving after a handler failed.
@Suite("Socket listeners under misbehaving peers", .timeLimit(.minutes(2)))
struct SocketListenerTests {
    /// A 4-byte big-endian length-prefixed frame header announcing `length` bytes.
    static func header(announcing length: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(length).bigEndian) { Array($0) }
    }

    static let frames = LengthPrefixedFrameDecoder(LengthFieldFormat(maximumFrameLength: 1 << 30))

    /// Reads frames until the input ends; the error, if any.
    static func drain(_ source: FileDescriptorByteStream) async -> (any Error)? {
        var reader = AsyncFrameReader(source: source, decoder: frames)
        do {
            while try await reader.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test("a frame header announcing a gigabyte does not make the receiver reserve it")
    func announcedSizeIsNotReserved() async throws {
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let allocated = Atomic<Int>(0)
        async let served: Void = listener.serve(connections: 1) { source, _ in
            var reader = AsyncFrameReader(source: source, decoder: Self.frames)
            await #expect(throws: FramingError.self) { _ = try await reader.next() }
            allocated.store(reader.buffer.allocatedBytes, ordering: .relaxed)
        }
        try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
            try await sink.write([Buffer(copying: Self.header(announcing: 1000 << 20) + [UInt8](repeating: 1, count: 10_000))])
            try await sink.close()
        }
        try await served
        // The reader held the bytes that arrived (about 10 KB), not 1000 MiB.
        #expect(allocated.load(ordering: .relaxed) > 0)
        #expect(allocated.load(ordering: .relaxed) <= 1 << 20)
    }

    @Test("connections share the listener's memory budget; the one that passes it fails with a typed error, the others go on")
    func sharedBudget() async throws {
        let budget = MemoryBudget(limit: 4 << 20)
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0), memoryBudget: budget)
        let port = listener.port!
        let outcomes = Mutex<[String]>([])
        let peak = Atomic<Int>(0)
        async let served: Void = listener.serve(connections: 3) { source, _ in
            let error = await Self.drain(source)
            _ = peak.max(budget.usedBytes, ordering: .relaxed)
            let outcome: String
            if let error = error as? FramingError, case let .memoryBudgetExceeded(_, limit) = error.kind {
                outcome = "budget \(limit)"
            } else {
                outcome = error.map { "\($0)" } ?? "complete"
            }
            outcomes.withLock { $0.append(outcome) }
        }
        // Two peers announce 1000 MiB and send 3 MiB each (together over the 4 MiB budget); a third
        // sends a small complete frame.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try? await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
                        try await sink.write([Buffer(copying: Self.header(announcing: 1000 << 20))])
                        for _ in 0..<48 { try await sink.write([Buffer(copying: [UInt8](repeating: 2, count: 64 << 10))]) }
                        try await sink.close()
                    }
                }
            }
            try await group.waitForAll()
        }
        try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
            try await sink.write([Buffer(copying: Self.header(announcing: 5) + [1, 2, 3, 4, 5])])
            try await sink.close()
        }
        try await served
        let all = outcomes.withLock { $0 }
        #expect(all.count == 3)
        #expect(all.contains("budget \(4 << 20)"), "\(all)")
        #expect(all.contains("complete"), "\(all)")
        #expect(budget.usedBytes == 0)
        #expect(peak.load(ordering: .relaxed) <= 4 << 20)
    }

    @Test("a handler's error ends serving at once, even with connections still to come")
    func handlerErrorEndsServing() async throws {
        struct Refused: Error {}
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let serving = Task { try await listener.serve(connections: 5) { _, _ in throw Refused() } }
        try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, _ in }
        await #expect(throws: Refused.self) { try await serving.value }
    }

    @Test("a handler that keeps its errors serves every connection of its count")
    func badConnectionDoesNotStopTheOthers() async throws {
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let results = Mutex<[String]>([])
        async let served: Void = listener.serve(connections: 3) { source, _ in
            let error = await Self.drain(source)
            results.withLock { $0.append(error == nil ? "ok" : "failed") }
        }
        for bytes in [Self.header(announcing: 2) + [1, 2], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Self.header(announcing: 1) + [9]] {
            try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
                try await sink.write([Buffer(copying: bytes)])
                try await sink.close()
            }
        }
        try await served
        #expect(results.withLock { $0.sorted() } == ["failed", "ok", "ok"])
    }

    @Test("a peer that never reads makes a write with an idle timeout fail instead of blocking forever")
    func sendIdleTimeout() async throws {
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let release = OnceSignal()
        async let served: Void = listener.serve(connections: 1) { _, _ in await release.wait() }
        let start = ContinuousClock.now
        await #expect {
            try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port), idleTimeout: .milliseconds(300)) { _, sink in
                let chunk = Buffer(copying: [UInt8](repeating: 3, count: 1 << 20))
                for _ in 0..<512 { try await sink.write([chunk]) }
            }
        } throws: { error in
            guard let error = error as? TransportError, case .timedOut(.send, _) = error.kind else { return false }
            return error.description.contains("the peer is not reading")
        }
        #expect(ContinuousClock.now - start < .seconds(30))
        release.signal()
        try await served
    }

    @Test("a silent peer makes a read with an idle timeout fail")
    func receiveIdleTimeout() async throws {
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0), idleTimeout: .milliseconds(200))
        let port = listener.port!
        let release = OnceSignal()
        async let served: Void = listener.serve(connections: 1) { source, _ in
            let error = await Self.drain(source)
            #expect((error as? TransportError)?.kind == .timedOut(.receive, seconds: 0.2), "\(String(describing: error))")
            release.signal()
        }
        try await SocketTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, _ in await release.wait() }
        try await served
    }

    @Test("listening on an address in use says so")
    func addressInUse() throws {
        let first = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        defer { first.close() }
        let port = first.port!
        #expect {
            _ = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: port))
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.kind == .listen && error.errno == .addressInUse && error.description == "127.0.0.1:\(port) is in use"
        }
    }
}

/// A one-time signal a test task waits for.
final class OnceSignal: Sendable {
    private let state = Mutex<(set: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func signal() {
        let waiters = state.withLock { state in
            state.set = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.set { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
