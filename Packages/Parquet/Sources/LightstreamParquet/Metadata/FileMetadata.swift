/// The metadata of one column chunk (`ColumnMetaData` of parquet.thrift).
public struct ParquetColumnMetadata: Hashable, Sendable {
    /// The physical type of the column's values.
    public var type: ParquetPhysicalType
    /// The encodings used by the chunk's pages, values and levels.
    public var encodings: [ParquetEncoding]
    /// The column's path in the schema, from the top-level field to the leaf (`path_in_schema`).
    public var path: [String]
    /// The compression codec of the chunk's pages.
    public var codec: ParquetCompression
    /// The number of values including nulls (levels), not rows.
    public var valueCount: Int64
    /// The bytes of the chunk's pages uncompressed, headers included.
    public var totalUncompressedSize: Int64
    /// The bytes of the chunk's pages as stored, headers included.
    public var totalCompressedSize: Int64
    /// The column chunk's key-value metadata.
    public var keyValueMetadata: [ParquetKeyValue]
    /// The file offset of the chunk's first data page.
    public var dataPageOffset: Int64
    /// The file offset of the chunk's root index page, if any.
    public var indexPageOffset: Int64?
    /// The file offset of the chunk's dictionary page, if any.
    public var dictionaryPageOffset: Int64?
    /// The statistics of the whole chunk, if the writer stored them.
    public var statistics: ParquetStatistics?
    /// The file offset of the chunk's Bloom filter, if any.
    public var bloomFilterOffset: Int64?
    /// The bytes of the chunk's Bloom filter, its header included, if the writer stored the length.
    public var bloomFilterLength: Int?
}

/// A key and optional value of Parquet key-value metadata.
public struct ParquetKeyValue: Hashable, Sendable {
    /// The key.
    public var key: String
    /// The value; nil when the entry has none.
    public var value: String?

    /// Creates an entry with this key and value.
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// One column chunk of a row group (`ColumnChunk` of parquet.thrift).
public struct ParquetColumnChunk: Hashable, Sendable {
    /// Set when the chunk lives in another file (not supported for reading).
    public var filePath: String?
    /// A deprecated, inconsistently used offset (`file_offset`); 0 when no metadata is written outside the footer.
    public var fileOffset: Int64
    /// The chunk's column metadata (`meta_data`); nil when the footer lacks it, as for encrypted columns.
    public var metadata: ParquetColumnMetadata?
    /// The file offset of the chunk's offset index, if any.
    public var offsetIndexOffset: Int64?
    /// The bytes of the chunk's offset index, if any.
    public var offsetIndexLength: Int?
    /// The file offset of the chunk's column index, if any.
    public var columnIndexOffset: Int64?
    /// The bytes of the chunk's column index, if any.
    public var columnIndexLength: Int?
    /// Whether the chunk's metadata or data are encrypted.
    public var isEncrypted: Bool
}

/// One row group (`RowGroup` of parquet.thrift).
public struct ParquetRowGroup: Hashable, Sendable {
    /// The row group's column chunks, one per leaf column in schema order.
    public var columns: [ParquetColumnChunk]
    /// The bytes of all the row group's column data uncompressed.
    public var totalByteSize: Int64
    /// The number of rows in the row group.
    public var rowCount: Int64
    /// The file offset of the row group's first page (data or dictionary), if set.
    public var fileOffset: Int64?
    /// The bytes of all the row group's column data as stored, if set.
    public var totalCompressedSize: Int64?
    /// The row group's position in the file, if set.
    public var ordinal: Int?
}

/// A Parquet file's footer (`FileMetaData` of parquet.thrift).
public struct ParquetFileMetadata: Hashable, Sendable {
    /// The format version the writer declared (1 or 2, which readers treat alike).
    public var version: Int
    /// The schema tree flattened depth-first; the first element is the root.
    public var schema: [ParquetSchemaElement]
    /// The number of rows in the file.
    public var rowCount: Int64
    /// The file's row groups, in file order.
    public var rowGroups: [ParquetRowGroup]
    /// The file's key-value metadata (pyarrow stores `ARROW:schema` here).
    public var keyValueMetadata: [ParquetKeyValue]
    /// The application that wrote the file (`created_by`), e.g. `parquet-cpp-arrow version 17.0.0`.
    public var createdBy: String?
    /// Whether the footer announces encrypted columns (`encryption_algorithm` is set).
    public var isEncrypted: Bool

    /// The value of the first key-value metadata entry with this key.
    public func metadataValue(forKey key: String) -> String? {
        keyValueMetadata.first { $0.key == key }?.value
    }
}

// MARK: - Thrift decoding

extension ParquetKeyValue {
    static func list(_ r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) -> [ParquetKeyValue] {
        var pairs: [ParquetKeyValue] = []
        try r.readList(field, elementType: .struct) { r, _ throws(ParquetError) in
            var key: String?
            var value: String?
            try r.readStruct { r, f throws(ParquetError) in
                switch f.id {
                case 1: key = try r.string(f)
                case 2: value = try r.string(f)
                default: try r.skip(f.type)
                }
            }
            guard let key else { throw r.corrupt("KeyValue without a key") }
            pairs.append(ParquetKeyValue(key: key, value: value))
        }
        return pairs
    }
}

extension ParquetColumnMetadata {
    init(reading r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) {
        var type: ParquetPhysicalType?
        var codec: ParquetCompression?
        var dataPageOffset: Int64?
        var m = ParquetColumnMetadata(
            type: .boolean, encodings: [], path: [], codec: .uncompressed, valueCount: 0,
            totalUncompressedSize: 0, totalCompressedSize: 0, keyValueMetadata: [], dataPageOffset: 0)
        try r.readStruct(field) { r, f throws(ParquetError) in
            switch f.id {
            case 1: type = ParquetPhysicalType(rawValue: try r.i32(f))
            case 2: m.encodings = try r.integerList(f).map { ParquetEncoding(rawValue: Int32(truncatingIfNeeded: $0)) }
            case 3: m.path = try r.stringList(f)
            case 4: codec = ParquetCompression(rawValue: try r.i32(f))
            case 5: m.valueCount = try r.i64(f)
            case 6: m.totalUncompressedSize = try r.i64(f)
            case 7: m.totalCompressedSize = try r.i64(f)
            case 8: m.keyValueMetadata = try ParquetKeyValue.list(&r, f)
            case 9: dataPageOffset = try r.i64(f)
            case 10: m.indexPageOffset = try r.i64(f)
            case 11: m.dictionaryPageOffset = try r.i64(f)
            case 12: m.statistics = try ParquetStatistics(reading: &r, f)
            // Older writers used ids 14 and up for other fields: read them only when typed as now.
            case 14 where f.type == .i64: m.bloomFilterOffset = try r.i64(f)
            case 15 where f.type == .i32: m.bloomFilterLength = Int(try r.i32(f))
            default: try r.skip(f.type)
            }
        }
        guard let type, let codec, let dataPageOffset else {
            throw r.corrupt("ColumnMetaData without type, codec or data_page_offset")
        }
        m.type = type
        m.codec = codec
        m.dataPageOffset = dataPageOffset
        self = m
    }
}

extension ParquetColumnChunk {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        var chunk = ParquetColumnChunk(fileOffset: 0, isEncrypted: false)
        var sawFileOffset = false
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1: chunk.filePath = try r.string(f)
            case 2: chunk.fileOffset = try r.i64(f); sawFileOffset = true
            case 3: chunk.metadata = try ParquetColumnMetadata(reading: &r, f)
            case 4: chunk.offsetIndexOffset = try r.i64(f)
            case 5: chunk.offsetIndexLength = Int(try r.i32(f))
            case 6: chunk.columnIndexOffset = try r.i64(f)
            case 7: chunk.columnIndexLength = Int(try r.i32(f))
            case 8, 9: chunk.isEncrypted = true; try r.skip(f.type)
            default: try r.skip(f.type)
            }
        }
        guard sawFileOffset else { throw r.corrupt("ColumnChunk without file_offset") }
        self = chunk
    }
}

extension ParquetRowGroup {
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        var group = ParquetRowGroup(columns: [], totalByteSize: 0, rowCount: 0)
        var sawRows = false
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1:
                try r.readList(f, elementType: .struct) { r, _ throws(ParquetError) in
                    group.columns.append(try ParquetColumnChunk(reading: &r))
                }
            case 2: group.totalByteSize = try r.i64(f)
            case 3: group.rowCount = try r.i64(f); sawRows = true
            case 5: group.fileOffset = try r.i64(f)
            case 6: group.totalCompressedSize = try r.i64(f)
            case 7: group.ordinal = Int(try r.i16(f))
            default: try r.skip(f.type)
            }
        }
        guard sawRows else { throw r.corrupt("RowGroup without num_rows") }
        guard group.rowCount >= 0 else { throw r.corrupt("RowGroup with \(group.rowCount) rows") }
        self = group
    }
}

extension ParquetFileMetadata {
    /// Decodes a footer from its Thrift bytes.
    init(thrift bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var r = ThriftCompactReader(bytes)
        var m = ParquetFileMetadata(version: 0, schema: [], rowCount: 0, rowGroups: [], keyValueMetadata: [],
                                    createdBy: nil, isEncrypted: false)
        var sawSchema = false
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1: m.version = Int(try r.i32(f))
            case 2:
                sawSchema = true
                try r.readList(f, elementType: .struct) { r, _ throws(ParquetError) in
                    m.schema.append(try ParquetSchemaElement(reading: &r))
                }
            case 3: m.rowCount = try r.i64(f)
            case 4:
                try r.readList(f, elementType: .struct) { r, _ throws(ParquetError) in
                    m.rowGroups.append(try ParquetRowGroup(reading: &r))
                }
            case 5: m.keyValueMetadata = try ParquetKeyValue.list(&r, f)
            case 6: m.createdBy = try r.string(f)
            case 8: m.isEncrypted = true; try r.skip(f.type)
            default: try r.skip(f.type)
            }
        }
        guard sawSchema, !m.schema.isEmpty else { throw r.corrupt("FileMetaData without a schema") }
        self = m
    }
}
