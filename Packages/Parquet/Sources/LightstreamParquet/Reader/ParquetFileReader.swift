import Dispatch
import Synchronization
import LightstreamArrow
import Vec64

/// Reads a Parquet file held in memory or mapped from disk into Arrow record batches.
///
/// The footer is decoded once at opening; row groups are decoded on demand, their columns
/// concurrently (``ParquetReadOptions/useThreads``), each column chunk in memory once. Value
/// buffers of fixed-width columns are built directly in 64-byte aligned memory; string values
/// keep the bytes the pages decoded to, without a second copy.
///
/// ```swift
/// let reader = try ParquetFileReader(path: "trips.parquet")
/// print(reader.schema, reader.metadata.rowCount)
/// for batch in try reader.batches() { ... }
/// ```
public final class ParquetFileReader: Sendable {
    /// The file's bytes.
    public let file: Buffer
    /// The decoded footer.
    public let metadata: ParquetFileMetadata
    /// The Parquet schema with levels and leaf columns.
    public let parquetSchema: ParquetSchema
    /// The Arrow schema of what ``readRowGroup(_:)`` returns (projected, with `ARROW:schema`
    /// types restored).
    public let schema: Schema
    /// The options the reader was opened with.
    public let options: ParquetReadOptions
    let plans: [ColumnPlan]
    /// The footer's length in bytes.
    let footerLength: Int
    /// The leaf columns the projection needs.
    let neededColumns: [Int]
    /// The final leaf type of each needed column (decides offsets width and kept dictionaries).
    let leafTypes: [Int: DataType]
    /// Bytes a page may pass its chunk's declared end (100 for old parquet-mr files, else 0).
    let chunkSlack: Int

    /// Opens the Parquet file at `path` through a read-only memory map.
    public convenience init(path: String, options: ParquetReadOptions = ParquetReadOptions()) throws {
        try self.init(buffer: MemoryMap.map(path: path, hint: .sequential), options: options)
    }

    /// Opens a Parquet file whose bytes are `buffer` (a mapped file, a file read into memory, a
    /// received object).
    public init(buffer: Buffer, options: ParquetReadOptions = ParquetReadOptions()) throws(ParquetError) {
        file = buffer
        self.options = options
        let size = buffer.count
        guard size >= 12 else { throw ParquetError(.notParquet("\(size) bytes is shorter than the 12 of an empty Parquet file")) }
        let (head, tail, footerLength): ([UInt8], [UInt8], Int) = buffer.withUnsafeBytes { bytes in
            (Array(bytes[0..<4]), Array(bytes[(size - 4)..<size]),
             Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 8, as: UInt32.self))))
        }
        if tail == Array("PARE".utf8) {
            throw ParquetError(.unsupported("encrypted Parquet is not supported (encrypted footer)"))
        }
        guard head == Array("PAR1".utf8), tail == Array("PAR1".utf8) else {
            throw ParquetError(.notParquet("no PAR1 magic at both ends"))
        }
        guard footerLength <= size - 12 else {
            throw ParquetError(.notParquet("footer of \(footerLength) bytes does not fit a file of \(size)"), offset: size - 8)
        }
        guard footerLength <= options.maximumFooterBytes else {
            throw ParquetError(.limitExceeded("footer of \(footerLength) bytes; maximumFooterBytes is \(options.maximumFooterBytes)"))
        }
        let footerStart = size - 8 - footerLength
        self.footerLength = footerLength
        let metadata = try buffer.withUnsafeBytes { (bytes) throws(ParquetError) in
            do throws(ParquetError) {
                return try ParquetFileMetadata(thrift: UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(size - 8)]))
            } catch {
                throw error.located(offset: footerStart + (error.offset ?? 0))
            }
        }
        if metadata.isEncrypted {
            throw ParquetError(.unsupported("encrypted Parquet is not supported (encrypted columns)"))
        }
        self.metadata = metadata
        let parquetSchema = try ParquetSchema(elements: metadata.schema)
        self.parquetSchema = parquetSchema
        for (index, group) in metadata.rowGroups.enumerated() where group.columns.count != parquetSchema.columns.count {
            throw ParquetError(.corruptMetadata("row group has \(group.columns.count) column chunks, the schema \(parquetSchema.columns.count) leaves"),
                               rowGroup: index)
        }

        var mapping = try ArrowSchemaMapping(parquetSchema)
        var schemaMetadata: [String: String] = [:]
        for pair in metadata.keyValueMetadata where pair.key != ArrowSchemaRestore.key { schemaMetadata[pair.key] = pair.value ?? "" }
        if options.useArrowSchema, let stored = ArrowSchemaRestore.storedSchema(metadata),
           stored.fields.count == mapping.fields.count {
            for i in mapping.fields.indices where stored.fields[i].name == mapping.fields[i].name {
                let restored = ArrowSchemaRestore.restore(mapping.fields[i], stored: stored.fields[i])
                if restored.type != mapping.fields[i].type {
                    mapping.plans[i] = mapping.plans[i].retargeted(to: restored.type)
                }
                mapping.fields[i] = restored
            }
            schemaMetadata = stored.metadata
        }
        for i in mapping.fields.indices where options.dictionaryColumns.contains(mapping.fields[i].name) {
            let type = mapping.fields[i].type
            if type == .utf8 || type == .binary || type == .largeUtf8 || type == .largeBinary {
                // As pyarrow's read_dictionary: 32-bit offsets in the dictionary, whatever the
                // stored Arrow type.
                let value: DataType = type == .largeUtf8 ? .utf8 : type == .largeBinary ? .binary : type
                let dictionary = DataType.dictionary(index: .int32, value: value, ordered: false)
                mapping.fields[i].type = dictionary
                mapping.plans[i] = mapping.plans[i].retargeted(to: dictionary)
            }
        }
        let (fields, plans) = try Self.project(mapping, parquetSchema, options.columns)
        self.plans = plans
        schema = Schema(fields, metadata: schemaMetadata)
        neededColumns = plans.flatMap(\.columns)
        var leafTypes: [Int: DataType] = [:]
        for column in neededColumns { leafTypes[column] = plans.lazy.compactMap { $0.leafType(column) }.first }
        self.leafTypes = leafTypes
        chunkSlack = Self.writtenByOldParquetMR(metadata: metadata) ? 100 : 0
    }

    /// Keeps the fields (and struct members) the projection names, in the order it names them.
    private static func project(_ mapping: ArrowSchemaMapping, _ schema: ParquetSchema, _ names: [String]?) throws(ParquetError) -> ([Field], [ColumnPlan]) {
        guard let names else { return (mapping.fields, mapping.plans) }
        var keep = Set<Int>()
        // The position of the first name that selects each leaf: fields come in that order.
        var firstMention: [Int: Int] = [:]
        for (position, name) in names.enumerated() {
            let matches = schema.columns.indices.filter {
                let path = schema.columns[$0].path
                return path.first == name || schema.columns[$0].dottedPath == name
                    || schema.columns[$0].dottedPath.hasPrefix(name + ".")
            }
            guard !matches.isEmpty else { throw ParquetError(.notFound("no column named \(name)")) }
            keep.formUnion(matches)
            for leaf in matches where firstMention[leaf] == nil { firstMention[leaf] = position }
        }
        var kept: [(field: Field, plan: ColumnPlan, position: Int)] = []
        for (field, plan) in zip(mapping.fields, mapping.plans) {
            if let (f, p) = plan.pruned(field, keeping: keep) {
                kept.append((f, p, p.columns.compactMap { firstMention[$0] }.min() ?? names.count))
            }
        }
        // As pyarrow: the fields in the order the names ask for them, not the file's.
        kept = kept.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element)
        return (kept.map(\.field), kept.map(\.plan))
    }

    /// Whether the file comes from parquet-mr before 1.2.9 (or an unversioned parquet-mr), whose
    /// chunk sizes may leave out up to 100 bytes of the dictionary page header.
    static func writtenByOldParquetMR(metadata: ParquetFileMetadata) -> Bool {
        guard let createdBy = metadata.createdBy, createdBy.hasPrefix("parquet-mr") else { return false }
        let words = createdBy.split(separator: " ")
        guard let at = words.firstIndex(of: "version"), at + 1 < words.count else { return true }
        let numbers = words[at + 1].prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
        return numbers.lexicographicallyPrecedes([1, 2, 9])
    }

    /// The number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// Decodes one row group (the projected columns) into one record batch.
    public func readRowGroup(_ index: Int) throws(ParquetError) -> RecordBatch {
        guard metadata.rowGroups.indices.contains(index) else {
            throw ParquetError(.notFound("row group \(index) of \(metadata.rowGroups.count)"))
        }
        let group = metadata.rowGroups[index]
        let rows = Int(group.rowCount)
        let columns = neededColumns
        let results = ResultSlots<DecodedColumnChunk>(count: columns.count)
        let decodeOne: @Sendable (Int) -> Void = { [self] k in
            let column = columns[k]
            results.set(k, Result { () throws(ParquetError) -> DecodedColumnChunk in try decodeChunk(group: group, groupIndex: index, column: column) })
        }
        if options.useThreads && columns.count > 1 {
            DispatchQueue.concurrentPerform(iterations: columns.count, execute: decodeOne)
        } else {
            for k in columns.indices { decodeOne(k) }
        }
        var chunks: [Int: DecodedColumnChunk] = [:]
        for (k, column) in columns.enumerated() {
            switch results.get(k) {
            case .success(let chunk): chunks[column] = chunk
            case .failure(let error): throw error.located(rowGroup: index)
            }
        }
        var assembler = LevelAssembler(chunks: chunks, descriptors: parquetSchema.columns)
        assembler.maximumBytes = options.maximumChunkBytes
        var arrays: [ArrayData] = []
        for (field, plan) in zip(schema.fields, plans) {
            do throws(ParquetError) {
                var array = try assembler.assemble(plan)
                array = try ArrayRetyping.finish(array, as: field.type)
                guard array.length == rows else {
                    throw ParquetError(.corruptPage("column holds \(array.length) rows, the row group \(rows)"),
                                       column: field.name)
                }
                arrays.append(array)
            } catch {
                throw error.located(rowGroup: index)
            }
        }
        do {
            return try RecordBatch(schema: schema, columns: arrays, length: rows)
        } catch {
            throw ParquetError(.corruptPage("\(error)"), rowGroup: index)
        }
    }

    private func decodeChunk(group: ParquetRowGroup, groupIndex: Int, column: Int) throws(ParquetError) -> DecodedColumnChunk {
        let descriptor = parquetSchema.columns[column]
        let chunk = group.columns[column]
        guard chunk.filePath == nil else {
            throw ParquetError(.unsupported("column chunk in another file (\(chunk.filePath!))"), column: descriptor.dottedPath)
        }
        if chunk.isEncrypted { throw ParquetError(.unsupported("encrypted Parquet is not supported"), column: descriptor.dottedPath) }
        guard let metadata = chunk.metadata else {
            throw ParquetError(.corruptMetadata("column chunk without metadata"), column: descriptor.dottedPath)
        }
        let leafType = leafTypes[column]
        var large = false
        var keepDictionary = false
        switch leafType {
        case .largeUtf8?, .largeBinary?: large = true
        case .dictionary(_, let value, _)?:
            keepDictionary = true
            large = value == .largeUtf8 || value == .largeBinary
        default: break
        }
        var decoder = ColumnChunkDecoder(descriptor: descriptor, options: options, largeOffsets: large, keepDictionary: keepDictionary)
        decoder.dataEnd = file.count - 8 - footerLength
        decoder.chunkSlack = chunkSlack
        do throws(ParquetError) {
            return try file.withUnsafeBytes { (bytes) throws(ParquetError) in
                try decoder.decode(file: bytes, fileBuffer: file, metadata: metadata)
            }
        } catch {
            throw error.located(rowGroup: groupIndex, column: descriptor.dottedPath)
        }
    }

    /// The page locations of a column chunk, when the writer stored an offset index.
    public func offsetIndex(rowGroup: Int, column: Int) throws(ParquetError) -> ParquetOffsetIndex? {
        let chunk = try columnChunk(rowGroup, column)
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength else { return nil }
        return try withIndexBytes(offset, length, rowGroup, column) { (bytes) throws(ParquetError) in try ParquetOffsetIndex(thrift: bytes) }
    }

    /// The per-page statistics of a column chunk, when the writer stored a column index.
    public func columnIndex(rowGroup: Int, column: Int) throws(ParquetError) -> ParquetColumnIndex? {
        let chunk = try columnChunk(rowGroup, column)
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        return try withIndexBytes(offset, length, rowGroup, column) { (bytes) throws(ParquetError) in try ParquetColumnIndex(thrift: bytes) }
    }

    private func columnChunk(_ rowGroup: Int, _ column: Int) throws(ParquetError) -> ParquetColumnChunk {
        guard metadata.rowGroups.indices.contains(rowGroup), parquetSchema.columns.indices.contains(column) else {
            throw ParquetError(.notFound("column \(column) of row group \(rowGroup)"))
        }
        return metadata.rowGroups[rowGroup].columns[column]
    }

    private func withIndexBytes<T>(_ offset: Int64, _ length: Int, _ rowGroup: Int, _ column: Int,
                                   _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> T) throws(ParquetError) -> T {
        let path = parquetSchema.columns[column].dottedPath
        guard offset >= 4, length >= 0, offset <= Int64(file.count), Int64(length) <= Int64(file.count) - offset else {
            throw ParquetError(.corruptMetadata("page index at \(offset) of \(length) bytes lies outside the file"),
                               rowGroup: rowGroup, column: path)
        }
        do throws(ParquetError) {
            return try file.withUnsafeBytes { (bytes) throws(ParquetError) in
                try body(UnsafeRawBufferPointer(rebasing: bytes[Int(offset)..<(Int(offset) + length)]))
            }
        } catch {
            throw error.located(rowGroup: rowGroup, column: path, offset: Int(offset))
        }
    }

    /// Reads every selected row group into one table (one batch per row group).
    public func readAll() throws(ParquetError) -> Table {
        var batches: [RecordBatch] = []
        for index in options.rowGroups ?? Array(metadata.rowGroups.indices) {
            batches.append(try readRowGroup(index))
        }
        do {
            return try Table(schema: schema, batches: batches)
        } catch {
            throw ParquetError(.corruptPage("\(error)"))
        }
    }

    /// The selected row groups as batches of at most ``ParquetReadOptions/batchSize`` rows; one
    /// row group is decoded at a time.
    public func batches() -> ParquetBatchIterator {
        ParquetBatchIterator(reader: self, groups: options.rowGroups ?? Array(metadata.rowGroups.indices))
    }
}

/// Iterates a Parquet file's batches, decoding one row group at a time.
public struct ParquetBatchIterator: Sendable {
    let reader: ParquetFileReader
    let groups: [Int]
    var nextGroup = 0
    var current: RecordBatch?
    var position = 0

    /// The next batch, or nil after the last.
    public mutating func next() throws(ParquetError) -> RecordBatch? {
        while true {
            if let batch = current, position < batch.length {
                let size = min(max(reader.options.batchSize, 1), batch.length - position)
                let slice = position == 0 && size == batch.length ? batch : batch.slice(position..<(position + size))
                position += size
                return slice
            }
            guard nextGroup < groups.count else { return nil }
            current = try reader.readRowGroup(groups[nextGroup])
            nextGroup += 1
            position = 0
        }
    }
}
