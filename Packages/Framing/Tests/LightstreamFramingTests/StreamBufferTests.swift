#if canImport(Glibc)
import Glibc
#endif
import LightstreamFraming
import LightstreamFramingConformance
import SystemPackage
import Testing
import Vec64

@Suite("StreamBuffer")
struct StreamBufferTests {
    /// Frames whose bodies sit at 64-byte aligned stream positions: an 8-byte length field
    /// followed by 56 bytes of padding that the format counts as part of the header.
    struct PaddedDecoder: FrameDecoder {
        mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Buffer> {
            guard window.count >= 64 else { return .needMoreData(minimumWindow: 64) }
            let length = Int(window.readInteger(width: 8, at: 0, bigEndian: false))
            let total = 64 + paddedTo64(length)
            guard window.count >= total else { return .needMoreData(minimumWindow: total) }
            return .frame(window.body(64..<(64 + length), alignment: 64), consumed: total)
        }
    }

    static func paddedStream(_ bodies: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (i, n) in bodies.enumerated() {
            withUnsafeBytes(of: UInt64(n).littleEndian) { bytes += $0 }
            bytes += [UInt8](repeating: 0, count: 56)
            bytes += [UInt8](repeating: UInt8(i & 0xFF), count: n) + [UInt8](repeating: 0, count: paddedTo64(n) - n)
        }
        return bytes
    }

    @Test("aligned bodies stay aligned through copying, whatever the chunking", arguments: [1, 7, 64, 100, 4096])
    func alignmentSurvivesCompaction(_ chunkSize: Int) throws {
        let sizes = [0, 1, 63, 64, 65, 1000, 5000, 3]
        let stream = Self.paddedStream(sizes)
        var reader = FrameReader(
            decoder: PaddedDecoder(),
            source: BufferSource(chunks: stride(from: 0, to: stream.count, by: chunkSize).map { Array(stream[$0..<min(stream.count, $0 + chunkSize)]) }),
            buffer: StreamBuffer(chunkSize: 256))
        let frames = try reader.readAll()
        #expect(frames.map(\.count) == sizes)
        #expect(frames.allSatisfy { $0.isAligned(to: 64) })
        #expect(reader.buffer.statistics.realignedBodies == 0)
        // Compaction moves only pending bytes into chunks that double: linear in the stream.
        #expect(reader.buffer.statistics.compactedBytes <= 4 * stream.count)
    }

    @Test func misalignedAdoptedBytesAreCopiedOnceAndCounted() throws {
        let stream = Self.paddedStream([100])
        let storage = Buffer(copying: [0xEE] + stream)
        var reader = FrameReader(decoder: PaddedDecoder(), source: BufferSource([storage.slice(1..<storage.count)]))
        let body = try #require(try reader.next())
        #expect(body.isAligned(to: 64))
        #expect(!body.sharesOwner(with: storage))
        #expect(reader.buffer.statistics.realignedBodies == 1)
        #expect(reader.buffer.statistics.realignedBytes == 100)
    }

    @Test func limitRefusesToGrowPastMaximum() {
        var buffer = StreamBuffer(maximumBytes: 100)
        #expect(throws: FramingError(.bufferLimitExceeded(needed: 101, limit: 100), at: 0)) {
            try buffer.append(contentsOf: [UInt8](repeating: 1, count: 101))
        }
        #expect(throws: FramingError.self) { try buffer.reserve(windowOf: 1 << 32) }
    }

    /// The 4-byte big-endian header of a length-prefixed frame announcing `length` bytes.
    static func header(announcing length: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(length).bigEndian) { Array($0) }
    }

    @Test("a header announcing a gigabyte reserves nothing like it: memory grows with the bytes that arrive")
    func announcedSizeIsNotReserved() throws {
        let chunk = 64 << 10
        var extractor = FrameExtractor(decoder: LengthPrefixedFrameDecoder(LengthFieldFormat(maximumFrameLength: 1 << 30)),
                                       buffer: StreamBuffer(chunkSize: chunk))
        try extractor.append(Buffer(copying: Self.header(announcing: 1 << 29) + [UInt8](repeating: 7, count: 1000)))
        #expect(try extractor.nextFrame() == nil)
        #expect(extractor.wantedBytes == (1 << 29) + 4 - 1004)
        #expect(extractor.buffer.allocatedBytes <= 2 * chunk)
        // 4 MiB more, in 64 KiB pieces: the buffer stays within about twice what really arrived.
        var received = 1004
        var peak = 0
        for _ in 0..<64 {
            try extractor.append(Buffer(copying: [UInt8](repeating: 9, count: chunk)))
            received += chunk
            #expect(try extractor.nextFrame() == nil)
            peak = max(peak, extractor.buffer.allocatedBytes)
            #expect(extractor.buffer.allocatedBytes <= 2 * received + 2 * chunk)
        }
        #expect(peak >= received)
        // Growth is geometric: the bytes moved stay linear in the bytes received.
        #expect(extractor.buffer.statistics.compactedBytes <= 3 * received)
    }

    @Test("a sync descriptor source reads a gigabyte announcement without reserving it")
    func descriptorSourceDoesNotTrustAnnouncedSizes() throws {
        let path = FilePath("/tmp/lightstream-announce-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).bin")
        defer { unlink(path.string) }
        let out = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        _ = try out.writeAll(Self.header(announcing: 1 << 30) + [UInt8](repeating: 1, count: 100))
        try out.close()
        let input = try FileDescriptor.open(path, .readOnly)
        defer { try? input.close() }
        var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(LengthFieldFormat(maximumFrameLength: 1 << 30)),
                                 source: FileDescriptorSource(input, readSize: 4096))
        #expect(throws: FramingError.self) { try reader.readAll() }
        #expect(reader.buffer.allocatedBytes <= 1 << 20)
    }

    @Test("an announced frame over the buffer's maximum is an error before any byte of it arrives")
    func announcedOverMaximumFailsEarly() throws {
        var extractor = FrameExtractor(decoder: LengthPrefixedFrameDecoder(LengthFieldFormat(maximumFrameLength: 1 << 30)),
                                       buffer: StreamBuffer(maximumBytes: 1 << 20))
        try extractor.append(Buffer(copying: Self.header(announcing: 1 << 29)))
        #expect(throws: FramingError(.bufferLimitExceeded(needed: (1 << 29) + 4, limit: 1 << 20), at: 0)) {
            try extractor.nextFrame()
        }
    }

    @Test("buffers sharing a MemoryBudget hold no more than it together, and give it back")
    func sharedBudget() throws {
        let budget = MemoryBudget(limit: 1 << 20)
        var first = StreamBuffer(chunkSize: 4096, budget: budget)
        try first.append(contentsOf: [UInt8](repeating: 1, count: 600 << 10))
        #expect(budget.usedBytes == first.allocatedBytes)
        #expect(budget.usedBytes >= 600 << 10)
        var second = StreamBuffer(chunkSize: 4096, budget: budget)
        #expect(throws: FramingError(.memoryBudgetExceeded(requested: 600 << 10, budget: 1 << 20), at: 0)) {
            try second.append(contentsOf: [UInt8](repeating: 2, count: 600 << 10))
        }
        #expect(second.isEmpty)
        // The error names the limit.
        let message = FramingError(.memoryBudgetExceeded(requested: 600 << 10, budget: 1 << 20), at: 0).description
        #expect(message.contains("memory budget") && message.contains("\(1 << 20)"))
        // Dropping the first buffer gives its memory back; then the second fits.
        first = StreamBuffer()
        #expect(budget.usedBytes == 0)
        try second.append(contentsOf: [UInt8](repeating: 2, count: 600 << 10))
        #expect(budget.usedBytes == second.allocatedBytes)
        // A buffer that joins a budget later brings what it holds; joining twice changes nothing.
        var third = StreamBuffer(chunkSize: 4096)
        try third.append(contentsOf: [UInt8](repeating: 3, count: 100 << 10))
        try third.useBudget(budget)
        try third.useBudget(budget)
        #expect(budget.usedBytes == second.allocatedBytes + third.allocatedBytes)
        #expect(third.budget === budget)
        var fourth = StreamBuffer(chunkSize: 4096)
        try fourth.append(contentsOf: [UInt8](repeating: 4, count: 600 << 10))
        #expect(throws: FramingError.self) { try fourth.useBudget(budget) }
    }

    @Test func consumeAndReuse() throws {
        var buffer = StreamBuffer(chunkSize: 64)
        for round in 0..<100 {
            try buffer.append(contentsOf: [UInt8](repeating: UInt8(round), count: 40))
            #expect(buffer.window.bytes.array == [UInt8](repeating: UInt8(round), count: 40))
            buffer.consume(40)
        }
        #expect(buffer.consumedCount == 4000)
        #expect(buffer.isEmpty)
    }

    @Test func decoderThatConsumesNothingIsAnError() {
        struct Stuck: FrameDecoder {
            mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Int> {
                window.isEmpty ? .needMoreData(minimumWindow: 1) : .frame(0, consumed: 0)
            }
        }
        var reader = FrameReader(decoder: Stuck(), source: BufferSource([1, 2, 3] as [UInt8]))
        #expect(throws: FramingError.self) { try reader.readAll() }
    }

    @Test func readsAndWritesFileDescriptors() throws {
        let path = FilePath("/tmp/lightstream-framing-\(UInt64.random(in: 0...UInt64.max)).bin")
        defer { _ = try? FileDescriptor.open(path, .readOnly).close(); unlink(path.string) }
        let bodies = (0..<500).map { i in Buffer(copying: [UInt8](repeating: UInt8(i & 0xFF), count: i * 37 % 3000)) }
        let out = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        var writer = FrameWriter(encoder: LengthPrefixedFrameEncoder(), sink: FileDescriptorSink(out), flushThreshold: 4096)
        for body in bodies { try writer.write(body) }
        _ = try writer.finish()
        try out.close()
        let input = try FileDescriptor.open(path, .readOnly)
        defer { try? input.close() }
        var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(), source: FileDescriptorSource(input, readSize: 1000))
        #expect(try reader.readAll() == bodies)
    }
}

