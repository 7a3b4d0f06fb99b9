import LightstreamArrow
import LightstreamFraming
import LightstreamFramingConformance
import LightstreamIPC
import LightstreamStreams
import LightstreamTLV
import SystemPackage
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

/// Every decoder run through `FramedByteStream` over random chunk boundaries gives the frames
/// the synchronous `FrameReader` gives.
@Suite("Framed byte streams", .timeLimit(.minutes(3)))
struct FramedByteStreamTests {
    /// Frames from the sync reader and from the async stream over random chunks, compared.
    func compare<D: FrameDecoder>(_ bytes: Buffer, decoder: D, seed: UInt64, maximumChunk: Int,
                                  _ same: (D.Frame, D.Frame) -> Bool) async throws {
        var sync = FrameReader(decoder: decoder, source: BufferSource([bytes]))
        let expected = try sync.readAll()
        var rng = seededRandom(seed)
        let chunks = randomChunks(bytes, maximum: maximumChunk, rng: &rng)
        var received: [D.Frame] = []
        for try await frame in FramedByteStream(source: MemoryByteStream(chunks: chunks), decoder: decoder) {
            received.append(frame)
        }
        #expect(received.count == expected.count, "seed \(seed)")
        for (a, b) in zip(received, expected) { #expect(same(a, b), "seed \(seed)") }
    }

    @Test("length-prefixed frames, random chunks", arguments: 0..<12)
    func lengthPrefixed(seed: Int) async throws {
        var rng = seededRandom(UInt64(seed))
        let format = LengthFieldFormat(width: [1, 2, 4, 8][seed % 4], bigEndian: seed % 2 == 0, maximumFrameLength: 255,
                                       bodyAlignment: seed % 3 == 0 ? 8 : 1)
        var writer = FrameWriter(encoder: LengthPrefixedFrameEncoder(format), sink: MemorySink())
        for _ in 0..<200 { try writer.write(Buffer(copying: randomBytes(Int.random(in: 0...255, using: &rng), rng: &rng))) }
        let bytes = try writer.finish().buffer
        try await compare(bytes, decoder: LengthPrefixedFrameDecoder(format), seed: UInt64(seed), maximumChunk: 1 + seed * 37) { $0 == $1 }
    }

    @Test("TLV frames, random chunks", arguments: 0..<12)
    func tlv(seed: Int) async throws {
        var rng = seededRandom(UInt64(seed) + 100)
        var writer = FrameWriter(encoder: TLVEncoder(), sink: MemorySink())
        for _ in 0..<200 {
            let value = Buffer(copying: randomBytes(Int.random(in: 0...5000, using: &rng), rng: &rng))
            try writer.write(TLVFrame(tag: UInt32.random(in: 0...255, using: &rng), value: value))
        }
        let bytes = try writer.finish().buffer
        try await compare(bytes, decoder: TLVDecoder(), seed: UInt64(seed), maximumChunk: 1 + seed * 997) { $0 == $1 }
    }

    @Test("IPC messages, random chunks", arguments: 0..<8)
    func ipcMessages(seed: Int) async throws {
        let table = try sampleTable(rows: 50 + seed * 10, batches: 4, seed: UInt64(seed))
        var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        let bytes = try writer.finish().buffer
        try await compare(bytes, decoder: IPCMessageDecoder(), seed: UInt64(seed), maximumChunk: 1 + seed * 300) { a, b in
            switch (a, b) {
            case (.endOfStream, .endOfStream): true
            case let (.message(x), .message(y)): x.metadata == y.metadata && x.body == y.body
            default: false
            }
        }
    }

    @Test("a partial frame at end of input is a truncation error", arguments: [1, 5, 17, 100])
    func truncated(cut: Int) async throws {
        var writer = FrameWriter(encoder: TLVEncoder(), sink: MemorySink())
        try writer.write(TLVFrame(tag: 1, value: Buffer(copying: [UInt8](repeating: 7, count: 200))))
        let bytes = try writer.finish().buffer
        let stream = FramedByteStream(source: MemoryByteStream(bytes.slice(0..<bytes.count - cut), chunkSize: 7), decoder: TLVDecoder())
        await #expect {
            for try await _ in stream {}
        } throws: { error in
            guard let error = error as? FramingError, case .truncatedFrame = error.kind else { return false }
            return true
        }
    }

    @Test("an async sequence of chunks the user already has")
    func userChunks() async throws {
        var writer = FrameWriter(encoder: TLVEncoder(), sink: MemorySink())
        for tag in 0..<10 { try writer.write(TLVFrame(tag: UInt32(tag), value: Buffer(copying: Array("frame \(tag)".utf8)))) }
        let bytes = Array(try writer.finish().buffer.withUnsafeBytes { Array($0) })
        let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
        for start in stride(from: 0, to: bytes.count, by: 3) { continuation.yield(Array(bytes[start..<Swift.min(bytes.count, start + 3)])) }
        continuation.finish()
        var tags: [UInt32] = []
        for try await frame in FramedByteStream(chunks: chunks.map { Buffer(copying: $0) }, decoder: TLVDecoder()) { tags.append(frame.tag) }
        #expect(tags == Array(0..<10))
    }

    @Test("frames through a pipe, written by a FrameSink, read by FileDescriptorByteStream")
    func throughAPipe() async throws {
        let pipe = try TestPipe()
        let count = 2000
        async let written: Void = {
            var sink = FrameSink(encoder: TLVEncoder(), sink: FileDescriptorByteSink(pipe.write), flushThreshold: 1000)
            for i in 0..<count { try await sink.write(TLVFrame(tag: UInt32(i % 256), value: Buffer(copying: Array(repeating: UInt8(i % 251), count: i % 300)))) }
            try await sink.close()
        }()
        var received = 0
        for try await frame in FramedByteStream(source: FileDescriptorByteStream(pipe.read, readSize: 4096, closeWhenDone: true), decoder: TLVDecoder()) {
            #expect(frame.tag == UInt32(received % 256))
            #expect(frame.value.count == received % 300)
            #expect(frame.value.withUnsafeBytes { $0.allSatisfy { $0 == UInt8(received % 251) } })
            received += 1
        }
        try await written
        #expect(received == count)
    }

    @Test("FileDescriptorByteStream as a plain sequence of chunks from a file")
    func chunksFromAFile() async throws {
        let path = FilePath("/tmp/lightstream-streams-test-\(getpid())-chunks")
        let fd = try FileDescriptor.open(path, .readWrite, options: [.create, .truncate], permissions: .ownerReadWrite)
        var rng = seededRandom(9)
        let bytes = randomBytes(300_000, rng: &rng)
        _ = try fd.writeAll(bytes)
        _ = try fd.seek(offset: 0, from: FileDescriptor.SeekOrigin.start)
        var read: [UInt8] = []
        for try await chunk in FileDescriptorByteStream(fd, readSize: 65_536, closeWhenDone: true) {
            #expect(chunk.count <= 65_536)
            #expect(chunk.isAligned(to: 64))
            chunk.withUnsafeBytes { read.append(contentsOf: $0) }
        }
        _ = path.withPlatformString { unlink($0) }
        #expect(read == bytes)
    }
}
