import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming
import Vec64

/// Options for IPC writers.
public struct IPCWriteOptions: Sendable {
    /// Buffer and body alignment: 64 (the default, for SIMD) or 8 (the format's minimum).
    public var alignment: Int
    /// Body compression, or `nil` for none.
    public var codec: (any IPCBodyCodec)?
    /// Tables are split into batches of at most this many rows (`nil`: keep the batches).
    public var maximumBatchRows: Int?

    /// Options; by default 64-byte alignment, no compression and the batches kept as they are.
    public init(alignment: Int = 64, codec: (any IPCBodyCodec)? = nil, maximumBatchRows: Int? = nil) {
        precondition(alignment == 8 || alignment == 64, "IPCWriteOptions: alignment must be 8 or 64")
        precondition(maximumBatchRows.map { $0 > 0 } ?? true, "IPCWriteOptions: batch rows must be positive")
        self.alignment = alignment
        self.codec = codec
        self.maximumBatchRows = maximumBatchRows
    }
}

/// What stream and file writers share: the schema, the message writer, and the dictionaries
/// already sent (each is sent once; a later batch that only appends sends a delta).
struct IPCWriterCore {
    let ipcSchema: IPCSchema
    let options: IPCWriteOptions
    let allowReplacement: Bool
    var messages: IPCMessageEncoder
    var sent: [Int64: ArrayData] = [:]
    var output = FrameOutput()
    /// Blocks (offset, metadata length, body length) of dictionary and record batch messages.
    var dictionaryBlocks: [(Int, Int, Int)] = []
    var recordBatchBlocks: [(Int, Int, Int)] = []

    init(schema: Schema, options: IPCWriteOptions, allowReplacement: Bool, startPosition: Int) {
        ipcSchema = IPCSchema(schema: schema)
        self.options = options
        self.allowReplacement = allowReplacement
        messages = IPCMessageEncoder(alignment: options.alignment, position: startPosition)
    }

    /// Passes the bytes encoded so far to `sink`.
    mutating func drain(into sink: inout some ByteSink) throws {
        let pieces = output.takePieces()
        if !pieces.isEmpty { try sink.write(pieces) }
    }

    mutating func writeEndOfStream() {
        messages.encode(.endOfStream, into: &output)
    }

    /// Writes one message; returns its prefix + padded metadata length.
    mutating func write(metadata: [UInt8], body: [Buffer], bodyLength: Int) -> Int {
        messages.encode(.message(metadata: metadata, body: body, bodyLength: bodyLength), into: &output)
        return messages.lastMetadataLength
    }

    mutating func writeSchema() {
        let metadata = messageMetadata(.schema, bodyLength: 0) { builder in SchemaEncoder.encode(ipcSchema, into: &builder) }
        _ = write(metadata: metadata, body: [], bodyLength: 0)
    }

    mutating func write(_ batch: RecordBatch) throws {
        guard batch.schema == ipcSchema.schema else { throw IPCError("the batch's schema differs from the writer's") }
        let rows = options.maximumBatchRows ?? max(batch.length, 1)
        var start = 0
        repeat {
            let part = batch.length <= rows && start == 0 ? batch : batch.slice(start..<min(batch.length, start + rows))
            try writeDictionaries(of: part)
            var encoder = RecordBatchEncoder(alignment: options.alignment, codec: options.codec)
            for column in part.columns { try encoder.append(column) }
            let metadata = messageMetadata(.recordBatch, bodyLength: encoder.bodyLength) { builder in
                encoder.header(length: part.length, into: &builder)
            }
            let position = messages.position
            let metadataLength = write(metadata: metadata, body: encoder.pieces, bodyLength: encoder.bodyLength)
            recordBatchBlocks.append((position, metadataLength, encoder.bodyLength))
            start += rows
        } while start < batch.length
    }

    mutating func writeDictionaries(of batch: RecordBatch) throws {
        var found: [([Int], ArrayData)] = []
        for (i, column) in batch.columns.enumerated() { collectDictionaries(column, path: [i], into: &found) }
        for (path, values) in found {
            guard let id = ipcSchema.dictionaryIDs[path] else { continue }
            var toWrite = values
            var isDelta = false
            if let previous = sent[id] {
                if previous.logicallyEquals(values) { continue }
                if values.length > previous.length, values.slice(0..<previous.length).logicallyEquals(previous) {
                    toWrite = values.slice(previous.length..<values.length)
                    isDelta = true
                } else if !allowReplacement {
                    throw IPCError("dictionary \(id) changes between batches, and the IPC file format does not allow replacing a dictionary; write a stream, or unify the dictionaries first")
                }
            }
            var encoder = RecordBatchEncoder(alignment: options.alignment, codec: options.codec)
            try encoder.append(toWrite)
            let metadata = messageMetadata(.dictionaryBatch, bodyLength: encoder.bodyLength) { builder in
                let data = encoder.header(length: toWrite.length, into: &builder)
                builder.startTable()
                builder.add(0, id, default: Int64(-1))
                builder.add(1, data)
                builder.add(2, isDelta)
                return builder.endTable()
            }
            let position = messages.position
            let metadataLength = write(metadata: metadata, body: encoder.pieces, bodyLength: encoder.bodyLength)
            dictionaryBlocks.append((position, metadataLength, encoder.bodyLength))
            sent[id] = values
        }
    }

    /// Finds the dictionaries of `data` and its children (inner ones first), with field paths.
    func collectDictionaries(_ data: ArrayData, path: [Int], into found: inout [([Int], ArrayData)]) {
        if case .dictionary = data.type, let values = data.dictionary {
            for (i, child) in values.children.enumerated() { collectDictionaries(child, path: path + [i], into: &found) }
            found.append((path, values))
        } else {
            for (i, child) in data.children.enumerated() { collectDictionaries(child, path: path + [i], into: &found) }
        }
    }
}

/// A writer of record batches (``IPCStreamWriter``, ``IPCFileWriter``).
public protocol IPCBatchWriter {
    /// Writes a batch, after any dictionaries it needs.
    mutating func write(_ batch: RecordBatch) throws
}

extension IPCBatchWriter {
    /// Writes every batch of a table.
    public mutating func write(_ table: Table) throws {
        for batch in table.batches { try write(batch) }
    }
}

/// Writes an Arrow IPC stream: the schema, dictionaries (once, then deltas or replacements),
/// record batches and the end-of-stream marker, into any ``ByteSink``. Bodies of large buffers
/// are written by reference, without copies.
///
/// ```swift
/// var writer = try IPCStreamWriter(sink: FileDescriptorSink(.standardOutput), schema: batch.schema)
/// try writer.write(batch)
/// _ = try writer.finish()
/// ```
public struct IPCStreamWriter<Sink: ByteSink>: IPCBatchWriter {
    var core: IPCWriterCore
    var sink: Sink

    /// Writes the schema message.
    public init(sink: Sink, schema: Schema, options: IPCWriteOptions = IPCWriteOptions()) throws {
        self.sink = sink
        core = IPCWriterCore(schema: schema, options: options, allowReplacement: true, startPosition: 0)
        core.writeSchema()
        try flush()
    }

    /// Writes a batch (split by ``IPCWriteOptions/maximumBatchRows``), after any dictionaries it needs.
    public mutating func write(_ batch: RecordBatch) throws {
        try core.write(batch)
        try flush()
    }

    mutating func flush() throws {
        try core.drain(into: &sink)
    }

    /// Writes the end-of-stream marker, flushes and returns the sink.
    public consuming func finish() throws -> Sink {
        core.writeEndOfStream()
        try flush()
        try sink.flush()
        return sink
    }
}

/// Writes an Arrow IPC file: magic, the stream content, then the footer with the schema and
/// the dictionary and record batch blocks. Dictionaries may grow by deltas but not be replaced.
public struct IPCFileWriter<Sink: ByteSink>: IPCBatchWriter {
    var core: IPCWriterCore
    var sink: Sink

    /// Writes the magic and the schema message.
    public init(sink: Sink, schema: Schema, options: IPCWriteOptions = IPCWriteOptions()) throws {
        self.sink = sink
        core = IPCWriterCore(schema: schema, options: options, allowReplacement: false, startPosition: 8)
        core.output.append(contentsOf: arrowMagic + [0, 0])
        core.writeSchema()
        try flush()
    }

    /// Writes a batch (split by ``IPCWriteOptions/maximumBatchRows``), after any dictionaries it needs.
    public mutating func write(_ batch: RecordBatch) throws {
        try core.write(batch)
        try flush()
    }

    mutating func flush() throws {
        try core.drain(into: &sink)
    }

    /// Writes the end-of-stream marker, the footer, its length and the closing magic; flushes
    /// and returns the sink. Until this runs, the file is incomplete and readers reject it.
    public consuming func finish() throws -> Sink {
        core.writeEndOfStream()
        var builder = FlatBufferBuilder()
        let schema = SchemaEncoder.encode(core.ipcSchema, into: &builder)
        func blocks(_ list: [(Int, Int, Int)]) -> FlatOffset {
            builder.createStructVector(count: list.count, structSize: 24, alignment: 8) { i in
                [Int64(list[i].0), Int32(list[i].1), Int32(0), Int64(list[i].2)]
            }
        }
        let dictionaries = blocks(core.dictionaryBlocks)
        let batches = blocks(core.recordBatchBlocks)
        builder.startTable()
        builder.add(0, Int16(4), default: Int16(-1))
        builder.add(1, schema)
        builder.add(2, dictionaries)
        builder.add(3, batches)
        let footer = builder.finish(root: builder.endTable())
        core.output.append(contentsOf: footer)
        core.output.appendInteger(UInt64(footer.count), width: 4, bigEndian: false)
        core.output.append(contentsOf: arrowMagic)
        try flush()
        try sink.flush()
        return sink
    }
}
