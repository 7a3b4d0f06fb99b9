import ArgumentParser
import Lightstream
import Synchronization

/// `lightstream demo`: shows what the library does today, on data built in memory.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build an Arrow table in memory, validate, slice and print it, and move it through TLV frames, an IPC stream and a loopback TCP connection."
    )

    @Option(name: .long, help: "Number of rows to generate.")
    var rows: Int = 1_000

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
    }

    func run() async throws {
        print("Lightstream \(LightstreamVersion.current): Arrow in Swift, no copies\n")

        // 1. Build columns with builders; every buffer is 64-byte aligned.
        var ids = PrimitiveBuilder<Int64>(capacity: rows)
        var prices = PrimitiveBuilder<Double>(capacity: rows)
        var names = StringBuilder()
        var cities = DictionaryBuilder<Int8, String>()
        var tags = ListBuilder(StringBuilder())
        let cityNames = ["Lisbon", "Oslo", "Kyoto", "Lima"]
        for i in 0..<rows {
            ids.append(Int64(i))
            if i % 7 == 3 { prices.appendNull() } else { prices.append(Double(i) * 1.25) }
            names.append("item-\(i)")
            cities.append(i % 11 == 5 ? nil : cityNames[i % cityNames.count])
            if i % 5 == 0 { tags.appendNull() } else { tags.append { $0.append("t\(i % 3)"); if i % 2 == 0 { $0.append("even") } } }
        }
        let batch = try RecordBatch([
            "id": ids.finish(), "price": prices.finish(), "name": names.finish(),
            "city": cities.finish(), "tags": tags.finish(),
        ])
        try batch.validate()
        let table = try Table(name: "demo", batches: [batch.slice(0..<(rows / 2)), batch.slice((rows / 2)..<rows)])

        print("Schema:\n\(table.schema)\n")
        print(table.formatted(maxRows: 8))

        // 2. Zero-copy slicing: the slice's buffers point into the batch's memory.
        let price = batch.columns[1]
        let slice = price.slice(min(10, rows)..<min(20, rows))
        print("""

        Zero copy: price[10..<20] is a view of the batch's value buffer (same memory: \
        \(slice.buffers[0].isIdentical(to: price.buffers[0])), starting at slot \(slice.offset)); \
        the buffer is \(price.buffers[0].isAligned(to: 64) ? "" : "not ")64-byte aligned.
        Null counts by word-at-a-time popcount: price \(price.nullCount), city \(batch.columns[3].nullCount), tags \(batch.columns[4].nullCount).
        Validation: every column checked (offsets, UTF-8, dictionary indices, child lengths).
        Equality: the two-batch table equals the one-batch table: \(table == (try Table(batches: [batch]))).
        """)

        try tlvRoundTrip(price: price)
        try ipcRoundTrip(table)
        try await loopback(table)
    }

    /// The table as an IPC stream over a loopback TCP connection: a listener reads it with the
    /// async `TableStreamReader` while a client sends it with `TableWriter`.
    func loopback(_ table: Table) async throws {
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        async let received: (Table?, Int) = {
            let result = Mutex<(Table?, Int)>((nil, 0))
            try await listener.serve(connections: 1) { source, _ in
                var reader = TableStreamReader(source: source)
                let table = try await reader.readTable()
                result.withLock { $0 = (table, reader.statistics.realignedBodies) }
            }
            return result.withLock { $0 }
        }()
        let sent = try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
            var writer = try TableWriter.stream(to: sink, schema: table.schema, options: IPCWriteOptions(codec: CodecBodyCompression.lz4Frame))
            try await writer.write(table)
            try await writer.finish()
            return writer.statistics.bytesWritten
        }
        let (back, realigned) = try await received
        print("""

        Async IPC stream over loopback TCP (127.0.0.1:\(port), LZ4-compressed bodies): \(sent) bytes sent, \
        \(back?.batches.count ?? 0) batches received, equal: \(back == table); bodies realigned by copying: \(realigned)
        """)
    }

    /// The table through an Arrow IPC stream in memory, read back without copying buffers.
    func ipcRoundTrip(_ table: Table) throws {
        var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        let bytes = try writer.finish().buffer
        var reader = try IPCStreamReader(bytes)
        let back = try reader.readAll()
        let zeroCopy = back.batches.first.map { batch in batch.columns[0].buffers[0].sharesOwner(with: bytes) } ?? true
        print("""

        Arrow IPC stream: \(bytes.count) bytes, \(back.batches.count) batches read back, equal: \(back == table); \
        columns point into the received bytes (zero copy): \(zeroCopy); bodies realigned by copying: \(reader.statistics.realignedBodies)
        """)
    }

    /// Control messages and a column's bytes in one TLV stream, decoded from small chunks.
    func tlvRoundTrip(price: ArrayData) throws {
        var registry = TLVRegistry<DemoMessage>()
        registry.register(tag: 1, String.self, embed: DemoMessage.hello) { if case let .hello(v) = $0 { v } else { nil } }
        registry.register(tag: 2, UInt64.self, embed: DemoMessage.rowCount) { if case let .rowCount(v) = $0 { v } else { nil } }
        registry.register(tag: 3, Buffer.self, embed: DemoMessage.columnBytes) { if case let .columnBytes(v) = $0 { v } else { nil } }
        let sent: [DemoMessage] = [.hello("price column follows"), .rowCount(UInt64(price.length)), .columnBytes(price.buffers[0])]

        var writer = FrameWriter(encoder: TLVMessageEncoder(registry), sink: MemorySink())
        for message in sent { try writer.write(message) }
        let wire = try writer.finish().buffer

        var reader = FrameReader(decoder: TLVMessageDecoder(registry), source: BufferSource(wire.array, chunkSize: 7))
        let received = try reader.readAll()
        print("""

        TLV round trip: \(sent.count) messages (1-byte tag, 4-byte little-endian length), \(wire.count) bytes on the wire, \
        read back in 7-byte chunks:
        """)
        for message in received { print("  \(message)") }
        print("  equal to what was sent: \(received == sent); bodies realigned by copying: \(reader.buffer.statistics.realignedBodies)")
    }
}

/// The messages of the demo's TLV stream.
enum DemoMessage: Equatable, CustomStringConvertible {
    case hello(String)
    case rowCount(UInt64)
    case columnBytes(Buffer)

    var description: String {
        switch self {
        case let .hello(text): "hello(\"\(text)\")"
        case let .rowCount(n): "rowCount(\(n))"
        case let .columnBytes(bytes): "columnBytes(\(bytes.count) bytes)"
        }
    }
}
