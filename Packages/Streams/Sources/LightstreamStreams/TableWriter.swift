import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import Vec64

/// Writes Arrow data asynchronously as an IPC stream or file to any ``AsyncByteSink``, with the
/// backpressure of a ``FrameSink``: at most `maximumUnsentBytes` encoded and not yet taken by
/// the sink. Bodies are written by reference from the arrays' memory, without copies.
///
/// ```swift
/// var writer = try TableWriter.stream(to: FileDescriptorByteSink(socket), schema: table.schema)
/// try await writer.write(table)
/// try await writer.finish()
/// ```
///
/// ``finish(closeSink:)`` writes the end-of-stream marker (and for files the footer), waits until
/// the sink took every byte, and closes the sink.
public struct TableWriter<Sink: AsyncByteSink> {
    enum Format {
        case stream(IPCStreamWriter<PieceCollector>)
        case file(IPCFileWriter<PieceCollector>)
    }

    var format: Format?
    let collector = PieceCollector()
    var pipeline: SinkPipeline<Sink>

    /// Bytes written, peak unsent bytes, backpressure waits.
    public var statistics: SinkStatistics { pipeline.statistics }

    init(sink: Sink, maximumUnsentBytes: Int, make: (PieceCollector) throws -> Format) throws {
        pipeline = SinkPipeline(sink: sink, maximumUnsentBytes: maximumUnsentBytes, flushThreshold: 64 << 10, statistics: SinkStatistics())
        format = try make(collector)
        collector.drain(into: &pipeline.output)
    }

    /// A writer of an IPC stream of `schema` to `sink`.
    public static func stream(to sink: Sink, schema: Schema, options: IPCWriteOptions = IPCWriteOptions(),
                              maximumUnsentBytes: Int = 16 << 20) throws -> TableWriter {
        try TableWriter(sink: sink, maximumUnsentBytes: maximumUnsentBytes) { .stream(try IPCStreamWriter(sink: $0, schema: schema, options: options)) }
    }

    /// A writer of an IPC file of `schema` to `sink` (the footer is written by ``finish()``).
    public static func file(to sink: Sink, schema: Schema, options: IPCWriteOptions = IPCWriteOptions(),
                            maximumUnsentBytes: Int = 16 << 20) throws -> TableWriter {
        try TableWriter(sink: sink, maximumUnsentBytes: maximumUnsentBytes) { .file(try IPCFileWriter(sink: $0, schema: schema, options: options)) }
    }

    /// Writes a batch (and any dictionaries it needs); suspends while the unsent bytes are at
    /// the bound.
    public mutating func write(_ batch: RecordBatch) async throws {
        switch format {
        case var .stream(writer):
            format = nil
            defer { format = .stream(writer) }
            try writer.write(batch)
        case var .file(writer):
            format = nil
            defer { format = .file(writer) }
            try writer.write(batch)
        case nil:
            throw IPCError("the writer is finished")
        }
        collector.drain(into: &pipeline.output)
        try await pipeline.didAppend()
    }

    /// Writes every batch of `table`.
    public mutating func write(_ table: Table) async throws {
        for batch in table.batches { try await write(batch) }
    }

    /// Returns once every byte written so far was taken by the sink.
    public mutating func flush() async throws {
        try await pipeline.flush()
    }

    /// Ends the stream (end-of-stream marker) or file (footer), waits until the sink took every
    /// byte, and closes the sink, unless `closeSink` is `false` (to write another stream after
    /// this one on the same connection).
    public mutating func finish(closeSink: Bool = true) async throws {
        switch format {
        case let .stream(writer): _ = try writer.finish()
        case let .file(writer): _ = try writer.finish()
        case nil: throw IPCError("the writer is finished")
        }
        format = nil
        collector.drain(into: &pipeline.output)
        if closeSink { try await pipeline.close() } else { try await pipeline.flush() }
    }
}

/// A synchronous byte sink that keeps the pieces an IPC writer produces, by reference, until the
/// async pipeline takes them.
final class PieceCollector: ByteSink {
    var pieces: [Buffer] = []

    func write(_ pieces: [Buffer]) throws {
        self.pieces.append(contentsOf: pieces)
    }

    /// Moves the collected pieces into `output` (large ones by reference).
    func drain(into output: inout FrameOutput) {
        for piece in pieces { output.append(body: piece) }
        pieces.removeAll(keepingCapacity: true)
    }
}
