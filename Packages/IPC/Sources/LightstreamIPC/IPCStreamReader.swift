import LightstreamArrow
import LightstreamFraming
import Vec64

/// Reads an Arrow IPC stream: the schema, then record batches, applying dictionary batches
/// (including deltas and replacements) as they come. Works over any synchronous ``ByteSource``.
///
/// ```swift
/// var reader = try IPCStreamReader(source: FileDescriptorSource(.standardInput))
/// while let batch = try reader.next() { print(batch) }
/// ```
public struct IPCStreamReader<Source: ByteSource> {
    var frames: FrameReader<IPCMessageDecoder, Source>
    var assembler: IPCStreamAssembler
    /// The schema with its dictionary ids.
    public let ipcSchema: IPCSchema
    var ended = false
    /// Whether the stream ended with its end-of-stream marker. After ``next()`` returned `nil`,
    /// `false` means the input stopped at a message boundary without the marker: a complete
    /// stream to pyarrow's reader (the marker is optional), but possibly a sender cut off
    /// mid-stream, which a receiver that must not save partial data should treat as truncated.
    public private(set) var sawEndOfStream = false

    /// The stream's schema.
    public var schema: Schema { ipcSchema.schema }

    /// Reads the schema message from `source`.
    public init(source: Source, options: IPCReadOptions = IPCReadOptions()) throws {
        frames = FrameReader(decoder: IPCMessageDecoder(limits: options.limits), source: source)
        assembler = IPCStreamAssembler(options: options)
        let first: IPCFrame?
        do {
            first = try frames.next()
        } catch {
            throw frames.decoder.ipcError(error, message: 0)
        }
        guard let first else { throw IPCError("the stream has no schema message", message: 0) }
        guard case let .schema(schema) = try assembler.apply(first) else {
            throw IPCError("the stream has no schema message", message: 0)
        }
        ipcSchema = schema
    }

    /// The next record batch, or `nil` at the end of the stream.
    public mutating func next() throws -> RecordBatch? {
        while !ended {
            let index = assembler.messageIndex
            let frame: IPCFrame?
            do {
                frame = try frames.next()
            } catch {
                ended = true
                throw frames.decoder.ipcError(error, message: index)
            }
            guard let frame else { ended = true; return nil }
            do {
                switch try assembler.apply(frame) {
                case let .recordBatch(batch): return batch
                case .endOfStream:
                    ended = true
                    sawEndOfStream = true
                case .dictionary, .schema: continue
                }
            } catch {
                ended = true
                throw error
            }
        }
        return nil
    }

    /// Every remaining batch as a table.
    public mutating func readAll() throws -> Table {
        var batches: [RecordBatch] = []
        while let batch = try next() { batches.append(batch) }
        return try Table(schema: schema, batches: batches)
    }

    /// The buffer between source and decoder (its statistics count bodies realigned by copying).
    public var statistics: FramingStatistics { frames.buffer.statistics }
}

extension IPCStreamReader where Source == BufferSource {
    /// Reads a stream held in memory; batches point into `bytes` without copies.
    public init(_ bytes: Buffer, options: IPCReadOptions = IPCReadOptions()) throws {
        try self.init(source: BufferSource([bytes]), options: options)
    }
}
