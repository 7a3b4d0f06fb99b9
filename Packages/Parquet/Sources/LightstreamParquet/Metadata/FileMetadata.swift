/// The metadata of one column chunk (`ColumnMetaData` of parquet.thrift).
public struct ParquetColumnMetadata: Hashable, Sendable {
    public var type: ParquetPhysicalType
    public var encodings: [ParquetEncoding]
    public var path: [String]
    public var codec: ParquetCompression
    /// The number of values including nulls (levels), not rows.
    public var valueCount: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var keyValueMetadata: [ParquetKeyValue]
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: ParquetStatistics?
    public var bloomFilterOffset: Int64?
    public var bloomFilterLength: Int?
}

/// A key and optional value of Parquet key-value metadata.
public struct ParquetKeyValue: Hashable, Sendable {
    public var key: String
    public var value: String?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// One column chunk of a row group (`ColumnChunk` of parquet.thrift).
public struct ParquetColumnChunk: Hashable, Sendable {
    /// Set when the chunk lives in another file (not supported for reading).
    public var filePath: String?
    public var fileOffset: Int64
    public var metadata: ParquetColumnMetadata?
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int?
    /// Whether the chunk's metadata or data are encrypted.
    public var isEncrypted: Bool
}

/// One row group (`RowGroup` of parquet.thrift).
public struct ParquetRowGroup: Hashable, Sendable {
    public var columns: [ParquetColumnChunk]
    public var totalByteSize: Int64
    public var rowCount: Int64
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int?
}

/// A Parquet file's footer (`FileMetaData` of parquet.thrift).
public struct ParquetFileMetadata: Hashable, Sendable {
    public var version: Int
    /// The schema tree flattened depth-first; the first element is the root.
    public var schema: [ParquetSchemaElement]
    public var rowCount: Int64
    public var rowGroups: [ParquetRowGroup]
    public var keyValueMetadata: [ParquetKeyValue]
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
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1: chunk.filePath = try r.string(f)
            case 2: chunk.fileOffset = try r.i64(f)
            case 3: chunk.metadata = try ParquetColumnMetadata(reading: &r, f)
            case 4: chunk.offsetIndexOffset = try r.i64(f)
            case 5: chunk.offsetIndexLength = Int(try r.i32(f))
            case 6: chunk.columnIndexOffset = try r.i64(f)
            case 7: chunk.columnIndexLength = Int(try r.i32(f))
            case 8, 9: chunk.isEncrypted = true; try r.skip(f.type)
            default: try r.skip(f.type)
            }
        }
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
