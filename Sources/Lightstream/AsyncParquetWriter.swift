import Synchronization

/// Writes a Parquet file to an ``AsyncByteSink`` (a socket, a pipe, a file descriptor): the
/// async twin of ``ParquetWriter``. Each row group is encoded as ``ParquetWriter`` encodes it
/// and handed to the sink when complete, so memory stays bounded by one row group, and the
/// writer suspends while the sink takes it.
///
/// ```swift
/// var writer = try AsyncParquetWriter(sink: FileDescriptorByteSink(socket), schema: table.schema)
/// try await writer.write(table)
/// try await writer.finish()
/// ```
///
/// It lives in the umbrella module because the Parquet layer never imports the Streams layer.
public struct AsyncParquetWriter<Sink: AsyncByteSink> {
    private var writer: ParquetWriter<PieceQueue>
    private let queue: PieceQueue
    private let sink: Sink

    /// Starts a file of `schema` on `sink`; see ``ParquetWriter/init(sink:schema:options:)``.
    public init(sink: Sink, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) async throws {
        let queue = PieceQueue()
        writer = try ParquetWriter(sink: queue, schema: schema, options: options)
        self.queue = queue
        self.sink = sink
        try await drain()
    }

    /// The footer written by ``finish(closeSink:)``; nil before.
    public var fileMetadata: ParquetFileMetadata? { writer.fileMetadata }

    private func drain() async throws {
        let pieces = queue.take()
        if !pieces.isEmpty { try await sink.write(pieces) }
    }

    /// Adds a batch; a full row group is encoded and sent to the sink.
    public mutating func write(_ batch: RecordBatch) async throws {
        try writer.write(batch)
        try await drain()
    }

    /// Adds every batch of `table`.
    public mutating func write(_ table: Table) async throws {
        for batch in table.batches { try await write(batch) }
    }

    /// Ends the current row group and sends it to the sink.
    public mutating func flushRowGroup() async throws {
        try writer.flushRowGroup()
        try await drain()
    }

    /// Writes the last row group and the footer, flushes the sink and closes it unless
    /// `closeSink` is false.
    public mutating func finish(closeSink: Bool = true) async throws {
        try writer.finish()
        try await drain()
        try await sink.flush()
        if closeSink { try await sink.close() }
    }
}

/// A synchronous sink that keeps written pieces, by reference, until they are taken.
final class PieceQueue: ByteSink, Sendable {
    private let pieces = Mutex<[Buffer]>([])

    func write(_ pieces: [Buffer]) throws {
        self.pieces.withLock { $0.append(contentsOf: pieces) }
    }

    func take() -> [Buffer] {
        pieces.withLock { pieces in
            defer { pieces.removeAll() }
            return pieces
        }
    }
}
