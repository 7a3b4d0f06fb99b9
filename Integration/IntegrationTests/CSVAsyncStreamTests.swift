import Lightstream
import LightstreamFramingConformance
import Synchronization
import Testing

/// The CSV and JSON Lines decoders and encoders run unchanged on the async Streams layer: a
/// `FramedByteStream` (sockets, stdin) and a `FrameSink` (any `AsyncByteSink`).
@Suite struct CSVAsyncStreamTests {
    /// Collects what a `FrameSink` writes.
    final class CollectingSink: AsyncByteSink {
        let pieces = Mutex<[UInt8]>([])
        func write(_ pieces: [Buffer]) async throws { self.pieces.withLock { bytes in for piece in pieces { bytes.append(contentsOf: piece.array) } } }
        func flush() async throws {}
        func close() async throws {}
    }

    static func chunks(_ bytes: [UInt8], seed: UInt64) -> AsyncStream<Buffer> {
        var random = SplitMix64(seed: seed)
        var pieces: [Buffer] = []
        var at = 0
        while at < bytes.count {
            let size = Int(random.next() % 300) + 1
            pieces.append(Buffer(copying: bytes[at..<min(bytes.count, at + size)]))
            at += size
        }
        return AsyncStream { continuation in
            for piece in pieces { continuation.yield(piece) }
            continuation.finish()
        }
    }

    static let text: String = {
        var text = "id,name,when\n"
        for i in 0..<3000 { text += "\(i),\"n,\(i)\",2024-01-01 00:00:\(String(i % 50 + 10))\n" }
        return text
    }()

    @Test(arguments: [UInt64(1), 2, 3])
    func csvOverAFramedByteStream(_ seed: UInt64) async throws {
        var options = CSVReadOptions()
        options.blockSize = 4096
        var reader = try CSVReader(text: Self.text, options: options)
        let expected = try reader.readAll()
        var batches: [RecordBatch] = []
        for try await batch in FramedByteStream(chunks: Self.chunks(Array(Self.text.utf8), seed: seed), decoder: try CSVDecoder(options: options)) {
            batches.append(batch)
        }
        #expect(try Table(schema: expected.schema, batches: batches) == expected)
    }

    @Test func jsonLinesOverAFramedByteStream() async throws {
        let lines = (0..<2000).map { "{\"id\": \($0), \"tags\": [\"a\", \"b\"], \"p\": {\"x\": \(Double($0) / 4)}}" }.joined(separator: "\n")
        var options = JSONLinesReadOptions()
        options.blockSize = 4096
        var reader = try JSONLinesReader(text: lines, options: options)
        let expected = try reader.readAll()
        var batches: [RecordBatch] = []
        for try await batch in FramedByteStream(chunks: Self.chunks(Array(lines.utf8), seed: 9), decoder: try JSONLinesDecoder(options: options)) {
            batches.append(batch)
        }
        #expect(try Table(schema: expected.schema, batches: batches) == expected)
    }

    @Test func csvThroughAFrameSink() async throws {
        var reader = try CSVReader(text: Self.text)
        let table = try reader.readAll()
        var writer = try CSVWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        let expected = try writer.finish().buffer.array
        let sink = CollectingSink()
        var frames = FrameSink(encoder: try CSVEncoder(schema: table.schema), sink: sink)
        for batch in table.batches { try await frames.write(batch) }
        try await frames.close()
        #expect(sink.pieces.withLock { $0 } == expected)
    }
}
