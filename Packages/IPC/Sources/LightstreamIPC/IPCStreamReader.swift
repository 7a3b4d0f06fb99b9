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
    /// The schema with its dictionary ids.
    public let ipcSchema: IPCSchema
    let options: IPCReadOptions
    var memo = DictionaryMemo()
    var messageIndex = 1
    var ended = false

    /// The stream's schema.
    public var schema: Schema { ipcSchema.schema }

    /// Reads the schema message from `source`.
    public init(source: Source, options: IPCReadOptions = IPCReadOptions()) throws {
        frames = FrameReader(decoder: IPCMessageDecoder(), source: source)
        self.options = options
        do {
            guard case let .message(message)? = try frames.next() else { throw IPCError("the stream has no schema message") }
            guard message.kind == .schema else { throw IPCError("the stream starts with a \(message.kind) message, not a schema") }
            ipcSchema = try SchemaDecoder.decode(message.header)
        } catch {
            throw IPCError.wrap(error, message: 0)
        }
    }

    /// The next record batch, or `nil` at the end of the stream.
    public mutating func next() throws -> RecordBatch? {
        while !ended {
            let index = messageIndex
            do {
                guard let frame = try frames.next() else { ended = true; return nil }
                messageIndex += 1
                guard case let .message(message) = frame else { ended = true; return nil }
                switch message.kind {
                case .dictionaryBatch:
                    try memo.apply(message, schema: ipcSchema, options: options, allowReplacement: true)
                case .recordBatch:
                    return try readRecordBatch(message, schema: ipcSchema, memo: memo, options: options)
                case .schema:
                    throw IPCError("a second schema message inside the stream")
                case .tensor, .sparseTensor:
                    throw IPCError("tensor messages are not supported")
                }
            } catch {
                ended = true
                throw IPCError.wrap(error, message: index)
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
