import Vec64

// The footer's structs as Thrift compact (`FileMetaData` of parquet.thrift and what it holds).
// Each `encode(to:)` writes a struct value; the caller writes its field or list header.
// Encryption is not written: ``ParquetFileMetadata/isEncrypted`` and
// ``ParquetColumnChunk/isEncrypted`` are ignored.

extension ParquetKeyValue {
    /// Writes the pair as a Thrift `KeyValue` struct value (`value` only when set).
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeString(1, key)
        if let value { w.writeString(2, value) }
        w.endStruct()
    }

    /// Writes `pairs` as list field `id`, unless there are none (readers take an absent list
    /// as empty).
    static func encode(_ pairs: [ParquetKeyValue], field id: Int16, to w: inout ThriftCompactWriter) {
        guard !pairs.isEmpty else { return }
        w.writeListHeader(id, elementType: .struct, count: pairs.count)
        for pair in pairs { pair.encode(to: &w) }
    }
}

extension ParquetColumnMetadata {
    /// Writes the metadata as a Thrift `ColumnMetaData` struct value: every required field, and
    /// each optional one that is set (key-value metadata when not empty). `alsoDeprecatedStatistics`
    /// is handed to ``ParquetStatistics/encode(to:alsoDeprecated:)``.
    func encode(to w: inout ThriftCompactWriter, alsoDeprecatedStatistics: Bool = false) {
        w.beginStruct()
        w.writeI32(1, type.rawValue)
        w.writeListHeader(2, elementType: .i32, count: encodings.count)
        for encoding in encodings { w.writeIntegerElement(Int64(encoding.rawValue)) }
        w.writeStringList(3, path)
        w.writeI32(4, codec.rawValue)
        w.writeI64(5, valueCount)
        w.writeI64(6, totalUncompressedSize)
        w.writeI64(7, totalCompressedSize)
        ParquetKeyValue.encode(keyValueMetadata, field: 8, to: &w)
        w.writeI64(9, dataPageOffset)
        if let indexPageOffset { w.writeI64(10, indexPageOffset) }
        if let dictionaryPageOffset { w.writeI64(11, dictionaryPageOffset) }
        if let statistics {
            w.writeFieldHeader(12, .struct)
            statistics.encode(to: &w, alsoDeprecated: alsoDeprecatedStatistics)
        }
        if let bloomFilterOffset { w.writeI64(14, bloomFilterOffset) }
        if let bloomFilterLength { w.writeI32(15, bloomFilterLength) }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:alsoDeprecatedStatistics:)``.
    func thriftEncoded(alsoDeprecatedStatistics: Bool = false) -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0, alsoDeprecatedStatistics: alsoDeprecatedStatistics) }
    }
}

extension ParquetColumnChunk {
    /// Writes the chunk as a Thrift `ColumnChunk` struct value: `file_path` when set,
    /// `file_offset` (required), `meta_data` when set, and the page-index offsets and lengths
    /// that are set.
    func encode(to w: inout ThriftCompactWriter, alsoDeprecatedStatistics: Bool = false) {
        w.beginStruct()
        if let filePath { w.writeString(1, filePath) }
        w.writeI64(2, fileOffset)
        if let metadata {
            w.writeFieldHeader(3, .struct)
            metadata.encode(to: &w, alsoDeprecatedStatistics: alsoDeprecatedStatistics)
        }
        if let offsetIndexOffset { w.writeI64(4, offsetIndexOffset) }
        if let offsetIndexLength { w.writeI32(5, offsetIndexLength) }
        if let columnIndexOffset { w.writeI64(6, columnIndexOffset) }
        if let columnIndexLength { w.writeI32(7, columnIndexLength) }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:alsoDeprecatedStatistics:)``.
    func thriftEncoded(alsoDeprecatedStatistics: Bool = false) -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0, alsoDeprecatedStatistics: alsoDeprecatedStatistics) }
    }
}

extension ParquetRowGroup {
    /// Writes the row group as a Thrift `RowGroup` struct value: its column chunks, byte size,
    /// row count, and `file_offset`, `total_compressed_size` and `ordinal` when set (`ordinal`
    /// is an i16: leave it nil past row group 32767).
    ///
    /// - Parameter alsoDeprecatedStatistics: whether the chunk of column `i` (its index among
    ///   the leaves) also writes its statistics' min and max to the deprecated fields.
    func encode(to w: inout ThriftCompactWriter, alsoDeprecatedStatistics: (Int) -> Bool = { _ in false }) {
        w.beginStruct()
        w.writeListHeader(1, elementType: .struct, count: columns.count)
        for (index, column) in columns.enumerated() {
            column.encode(to: &w, alsoDeprecatedStatistics: alsoDeprecatedStatistics(index))
        }
        w.writeI64(2, totalByteSize)
        w.writeI64(3, rowCount)
        if let fileOffset { w.writeI64(5, fileOffset) }
        if let totalCompressedSize { w.writeI64(6, totalCompressedSize) }
        if let ordinal { w.writeI16(7, Int16(ordinal)) }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:alsoDeprecatedStatistics:)``.
    func thriftEncoded(alsoDeprecatedStatistics: (Int) -> Bool = { _ in false }) -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0, alsoDeprecatedStatistics: alsoDeprecatedStatistics) }
    }
}

extension ParquetFileMetadata {
    /// The number of leaf columns: schema elements with a physical type.
    var leafColumnCount: Int {
        schema.reduce(0) { $0 + ($1.type != nil ? 1 : 0) }
    }

    /// Writes the footer as a Thrift `FileMetaData` struct value (the bytes between the last page
    /// or page index and the footer length): version, schema, row count, row groups, key-value
    /// metadata when not empty, `created_by` when set, and `column_orders`.
    ///
    /// - Parameters:
    ///   - typeDefinedColumnOrders: how many `TYPE_ORDER` column orders to write (one per leaf
    ///     column, in schema order); nil writes one for each of ``leafColumnCount``, 0 none.
    ///   - alsoDeprecatedStatistics: whether the chunks of leaf column `i` also write their
    ///     statistics' min and max to the deprecated fields (parquet-cpp does for columns of
    ///     signed sort order).
    func encode(to w: inout ThriftCompactWriter, typeDefinedColumnOrders: Int? = nil,
                alsoDeprecatedStatistics: (Int) -> Bool = { _ in false }) {
        w.beginStruct()
        w.writeI32(1, version)
        w.writeListHeader(2, elementType: .struct, count: schema.count)
        for element in schema { element.encode(to: &w) }
        w.writeI64(3, rowCount)
        w.writeListHeader(4, elementType: .struct, count: rowGroups.count)
        for group in rowGroups { group.encode(to: &w, alsoDeprecatedStatistics: alsoDeprecatedStatistics) }
        ParquetKeyValue.encode(keyValueMetadata, field: 5, to: &w)
        if let createdBy { w.writeString(6, createdBy) }
        let orders = typeDefinedColumnOrders ?? leafColumnCount
        if orders > 0 {
            w.writeListHeader(7, elementType: .struct, count: orders)
            for _ in 0..<orders {
                w.beginStruct()         // ColumnOrder union
                w.beginStructField(1)   // TYPE_ORDER: TypeDefinedOrder {}
                w.endStruct()
                w.endStruct()
            }
        }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:typeDefinedColumnOrders:alsoDeprecatedStatistics:)``.
    func thriftEncoded(typeDefinedColumnOrders: Int? = nil,
                       alsoDeprecatedStatistics: (Int) -> Bool = { _ in false }) -> Vec64<UInt8> {
        ThriftCompactWriter.encoded {
            encode(to: &$0, typeDefinedColumnOrders: typeDefinedColumnOrders, alsoDeprecatedStatistics: alsoDeprecatedStatistics)
        }
    }
}
