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

