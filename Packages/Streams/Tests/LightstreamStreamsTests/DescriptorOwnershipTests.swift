import LightstreamFraming
import LightstreamStreams
import SystemPackage
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

/// One owner per descriptor: copies close once, and nothing touches a descriptor number after it
/// was closed (the system may have given it to another file).
@Suite("Descriptor ownership", .timeLimit(.minutes(1)))
struct DescriptorOwnershipTests {
    /// Whether `descriptor` is open.
    func isOpen(_ descriptor: Int32) -> Bool { fcntl(descriptor, F_GETFD) != -1 }

    @Test("copies of a sink close its descriptor once; a reused descriptor number is left alone")
    func sinkCopiesCloseOnce() async throws {
        let pipe = try TestPipe()
        let sink = FileDescriptorByteSink(pipe.write)
        let copy = sink
        try await sink.close()
        #expect(!isOpen(pipe.write.rawValue))
        // The system hands out the lowest free number: the next pipe very likely reuses it.
        let next = try TestPipe()
        defer { try? next.read.close(); try? next.write.close(); try? pipe.read.close() }
        try await copy.close()
        #expect(isOpen(next.read.rawValue) && isOpen(next.write.rawValue))
        // Writing through a closed sink is an error, not a write to whatever holds the number now.
        await #expect { try await copy.write([Buffer(copying: [1])]) } throws: { error in
            "\(error)".contains("is closed")
        }
    }

    @Test("a stream that closes when done closes once, even when its iterator (a copy) finished it")
    func streamCopiesCloseOnce() async throws {
        let pipe = try TestPipe()
        _ = try pipe.write.writeAll([1, 2, 3])
        try pipe.write.close()
        var stream = FileDescriptorByteStream(pipe.read, closeWhenDone: true)
        var chunks: [Buffer] = []
        for try await chunk in stream { chunks.append(chunk) }
        #expect(chunks.map(\.array) == [[1, 2, 3]])
        #expect(!isOpen(pipe.read.rawValue))
        let next = try TestPipe()
        defer { try? next.read.close(); try? next.write.close() }
        // The original value reads nothing more: its descriptor was closed by the iterator.
        var buffer = StreamBuffer()
        #expect(try await stream.read(into: &buffer, minimumCapacity: 1) == false)
        #expect(isOpen(next.read.rawValue) && isOpen(next.write.rawValue))
    }

    @Test("closing a listener twice closes its socket once")
    func listenerClosesOnce() throws {
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        #expect(listener.port != nil)
        listener.close()
        let next = try TestPipe()
        defer { try? next.read.close(); try? next.write.close() }
        listener.close()
        #expect(isOpen(next.read.rawValue) && isOpen(next.write.rawValue))
        #expect(listener.port == nil)
    }

    @Test("a gather write of many pieces (more than one system call's vectors) arrives in order", arguments: [1, 63, 64, 65, 700])
    func gatherWrite(pieces: Int) async throws {
        var rng = seededRandom(UInt64(pieces))
        let parts = (0..<pieces).map { _ in Buffer(copying: randomBytes(Int.random(in: 1...3000, using: &rng), rng: &rng)) }
        let expected = parts.flatMap(\.array)
        let pipe = try TestPipe()
        let readFD = pipe.read
        let reader = Task {
            var received: [UInt8] = []
            for try await chunk in FileDescriptorByteStream(readFD, closeWhenDone: true) { received += chunk.array }
            return received
        }
        let sink = FileDescriptorByteSink(pipe.write)
        try await sink.write(parts)
        try await sink.close()
        #expect(try await reader.value == expected)
    }
}
