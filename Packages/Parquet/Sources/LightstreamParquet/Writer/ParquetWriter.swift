import Dispatch
import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import Vec64

/// Writes Arrow record batches as a Parquet file to a ``ByteSink`` (a file, memory), one row
/// group at a time: batches are buffered (by reference) until a row group is full, then its
/// column chunks are encoded (concurrently) and written; ``finish()`` writes the page indexes
/// and the footer.
///
/// ```swift
/// var writer = try ParquetWriter(sink: MemorySink(), schema: table.schema)
/// try writer.write(table)
/// let bytes = try writer.finish().buffer
/// ```
///
/// The file claims to be complete only once ``finish()`` wrote the footer and the trailing
/// `PAR1`: a writer dropped before that leaves bytes every reader refuses.
public struct ParquetWriter<Sink: ByteSink> {
    /// The Arrow schema of the batches.
    public let schema: Schema
    /// The options the file is written with.
    public let options: ParquetWriteOptions
    /// The footer written by ``finish()``; nil before.
    public private(set) var fileMetadata: ParquetFileMetadata?

    private var sink: Sink?
    private let elements: [ParquetSchemaElement]
    private let leaves: [ParquetLeafPlan]
    private let settings: [ColumnWriteSettings]
    private var buffered: [RecordBatch] = []
    private var bufferedRows = 0
    private var bufferedBytes = 0
    private var position = 0
    private var rowGroups: [ParquetRowGroup] = []
    private var pageIndexes: [[(columnIndex: ParquetColumnIndex?, offsetIndex: ParquetOffsetIndex)]] = []
    private var rowCount: Int64 = 0

    /// Starts a file of `schema` on `sink` (writes the leading `PAR1`).
    ///
    /// - Throws: ``ParquetError`` (kind `.unsupported`) naming the column when a type has no
    ///   Parquet form (unions, run-end encoded, list views, intervals), or `.invalidInput` for an
    ///   option a column cannot take; the sink's error if the write fails.
    public init(sink: Sink, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        self.schema = schema
        self.options = options
        guard options.rowGroupRows > 0 else {
            throw ParquetError(.invalidInput("rowGroupRows must be positive, not \(options.rowGroupRows)"))
        }
        (elements, leaves) = try ParquetSchemaBuilder.build(schema)
        settings = leaves.map { options.settings(for: $0.descriptor.path) }
        // Check each column's codec and encoding now, not at the first row group.
        for (leaf, setting) in zip(leaves, settings) {
            _ = try ColumnChunkWriter(plan: leaf, settings: setting)
        }
        var sink = sink
        try sink.write([Buffer(copying: Array("PAR1".utf8))])
        position = 4
        self.sink = sink
    }

    /// Adds a batch; a full row group is encoded and written.
    ///
    /// - Throws: ``ParquetError`` (`.invalidInput`) for a batch of another schema, a null in a
    ///   non-nullable column, or a write after ``finish()``; the sink's error.
    public mutating func write(_ batch: RecordBatch) throws {
        guard sink != nil else { throw ParquetError(.invalidInput("the writer is finished")) }
        guard batch.schema.fields.count == schema.fields.count,
              zip(batch.schema.fields, schema.fields).allSatisfy({ $0.type == $1.type && $0.name == $1.name }) else {
            throw ParquetError(.invalidInput("a batch of schema \(batch.schema) for a writer of \(schema)"))
        }
        if options.validatesInput {
            do { try batch.validate() } catch { throw ParquetError(.invalidInput("the batch is not valid Arrow data: \(error)")) }
        }
        var rest = batch
        while rest.length > 0 {
            let room = options.rowGroupRows - bufferedRows
            let piece = rest.length <= room ? rest : rest.slice(0 ..< room)
            rest = rest.length <= room ? rest.slice(rest.length ..< rest.length) : rest.slice(room ..< rest.length)
            buffered.append(piece)
            bufferedRows += piece.length
            if let limit = options.rowGroupBytes {
                bufferedBytes += piece.columns.reduce(0) { $0 + Self.approximateBytes($1, rows: piece.length) }
                if bufferedBytes >= limit { try flushRowGroup() }
            }
            if bufferedRows >= options.rowGroupRows { try flushRowGroup() }
        }
    }

    /// Adds every batch of `table`.
    public mutating func write(_ table: Table) throws {
        for batch in table.batches { try write(batch) }
    }

    /// The bytes of Arrow buffers behind `rows` slots of `array` (shared buffers counted in
    /// proportion).
    static func approximateBytes(_ array: ArrayData, rows: Int) -> Int {
        let total = (array.validity?.count ?? 0) + array.buffers.reduce(0) { $0 + $1.count }
            + array.children.reduce(0) { $0 + approximateBytes($1, rows: $1.length) }
        let full = array.offset + array.length
        guard full > 0 else { return 0 }
        return total * rows / full
    }

    /// Ends the current row group: encodes its column chunks and writes them (nothing when no
    /// rows are buffered).
    public mutating func flushRowGroup() throws {
        guard var sink, bufferedRows > 0 else { return }
        let batches = buffered
        buffered = []
        let rows = bufferedRows
        bufferedRows = 0
        bufferedBytes = 0
        let chunks = try Self.encode(batches, leaves: leaves, settings: settings, threads: options.useThreads)
        var columns: [ParquetColumnChunk] = []
        var indexes: [(columnIndex: ParquetColumnIndex?, offsetIndex: ParquetOffsetIndex)] = []
        let groupStart = position
        var uncompressed: Int64 = 0
        for chunk in chunks {
            let start = Int64(position)
            var metadata = chunk.metadata
            metadata.dataPageOffset += start
            metadata.dictionaryPageOffset = metadata.dictionaryPageOffset.map { $0 + start }
            uncompressed += metadata.totalUncompressedSize
            try sink.write(chunk.pieces)
            position += chunk.byteCount
            columns.append(ParquetColumnChunk(filePath: nil, fileOffset: start, metadata: metadata, isEncrypted: false))
            let locations = chunk.pageLocations.map {
                ParquetPageLocation(offset: $0.offset + start, compressedPageSize: $0.compressedPageSize, firstRowIndex: $0.firstRowIndex)
            }
            indexes.append((chunk.columnIndex, ParquetOffsetIndex(pageLocations: locations)))
        }
        self.sink = sink
        rowGroups.append(ParquetRowGroup(columns: columns, totalByteSize: uncompressed, rowCount: Int64(rows),
                                         fileOffset: Int64(groupStart), totalCompressedSize: Int64(position - groupStart),
                                         ordinal: rowGroups.count <= Int(Int16.max) ? rowGroups.count : nil))
        pageIndexes.append(indexes)
        rowCount += Int64(rows)
    }

    /// Encodes the column chunks of one row group, each leaf on its own thread when allowed.
    static func encode(_ batches: [RecordBatch], leaves: [ParquetLeafPlan], settings: [ColumnWriteSettings],
                       threads: Bool) throws(ParquetError) -> [EncodedColumnChunk] {
        let results = ResultSlots<EncodedColumnChunk>(count: leaves.count)
        let encodeOne: @Sendable (Int) -> Void = { index in
            do throws(ParquetError) {
                var writer = try ColumnChunkWriter(plan: leaves[index], settings: settings[index])
                for batch in batches {
                    let leaf = try LevelShredder.shred(batch.columns[leaves[index].topLevelColumn], plan: leaves[index])
                    try writer.append(leaf)
                }
                results.set(index, .success(try writer.finish()))
            } catch {
                results.set(index, .failure(error.located(column: leaves[index].dottedPath)))
            }
        }
        if threads && leaves.count > 1 {
            DispatchQueue.concurrentPerform(iterations: leaves.count, execute: encodeOne)
        } else {
            for index in leaves.indices { encodeOne(index) }
        }
        var chunks: [EncodedColumnChunk] = []
        for index in leaves.indices {
            chunks.append(try results.get(index).get())
        }
        return chunks
    }

    /// Writes the last row group, the page indexes and the footer, and returns the sink.
    @discardableResult
    public mutating func finish() throws -> Sink {
        try flushRowGroup()
        guard var sink else { throw ParquetError(.invalidInput("the writer is finished")) }
        // Page indexes: every column index, then every offset index, before the footer (as
        // Arrow C++ places them).
        if options.pageIndex {
            for (g, group) in pageIndexes.enumerated() {
                for (c, index) in group.enumerated() {
                    guard let columnIndex = index.columnIndex else { continue }
                    let bytes = columnIndex.thriftEncoded().freeze()
                    rowGroups[g].columns[c].columnIndexOffset = Int64(position)
                    rowGroups[g].columns[c].columnIndexLength = bytes.count
                    try sink.write([bytes])
                    position += bytes.count
                }
            }
            for (g, group) in pageIndexes.enumerated() {
                for (c, index) in group.enumerated() {
                    let bytes = index.offsetIndex.thriftEncoded().freeze()
                    rowGroups[g].columns[c].offsetIndexOffset = Int64(position)
                    rowGroups[g].columns[c].offsetIndexLength = bytes.count
                    try sink.write([bytes])
                    position += bytes.count
                }
            }
        }
        var keyValues: [ParquetKeyValue] = schema.metadata.keys.sorted().map { ParquetKeyValue(key: $0, value: schema.metadata[$0]) }
        keyValues += options.keyValueMetadata
        if options.storeArrowSchema {
            let message = IPCSchema(schema: schema).encapsulatedMessage()
            keyValues.removeAll { $0.key == ArrowSchemaRestore.key }
            keyValues.append(ParquetKeyValue(key: ArrowSchemaRestore.key, value: ArrowBase64.encode(message)))
        }
        let metadata = ParquetFileMetadata(version: 2, schema: elements, rowCount: rowCount, rowGroups: rowGroups,
                                           keyValueMetadata: keyValues, createdBy: options.createdBy, isEncrypted: false)
        // Old readers know only the deprecated min/max, whose order is signed: written for
        // columns of signed order, as parquet-cpp does.
        let signed = leaves.map { ParquetSortOrder($0.descriptor.element) == .signed }
        var footer = metadata.thriftEncoded(alsoDeprecatedStatistics: { signed[$0] })
        let length = UInt32(footer.count)
        withUnsafeBytes(of: length.littleEndian) { footer.append(contentsOf: $0.bindMemory(to: UInt8.self)) }
        footer.append(contentsOf: Array("PAR1".utf8))
        try sink.write([footer.freeze()])
        position += Int(length) + 8
        try sink.flush()
        self.sink = nil
        fileMetadata = metadata
        return sink
    }
}
