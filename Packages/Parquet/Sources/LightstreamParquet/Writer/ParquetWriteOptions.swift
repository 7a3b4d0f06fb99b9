/// The data page format: version 1 (levels and values compressed together; what every reader
/// takes, pyarrow's default) or version 2 (levels uncompressed in front of the values, row
/// counts in the header).
public enum ParquetDataPageVersion: Int, Sendable, Hashable {
    case v1 = 1
    case v2 = 2
}

/// Options of one column (a leaf, or every leaf under a group), overriding the file's.
public struct ParquetColumnOptions: Sendable, Hashable {
    /// The codec of the column's pages.
    public var compression: ParquetCompression?
    /// The codec's level (zstd 1...22, gzip 0...9).
    public var compressionLevel: Int?
    /// Whether values are dictionary-encoded while the dictionary stays under its size limit.
    public var dictionary: Bool?
    /// The encoding of values that are not dictionary-encoded: PLAIN, DELTA_BINARY_PACKED,
    /// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY or BYTE_STREAM_SPLIT.
    public var encoding: ParquetEncoding?
    /// Whether min/max/null-count statistics are written.
    public var statistics: Bool?

    /// Options that override only what is given.
    public init(compression: ParquetCompression? = nil, compressionLevel: Int? = nil, dictionary: Bool? = nil,
                encoding: ParquetEncoding? = nil, statistics: Bool? = nil) {
        self.compression = compression
        self.compressionLevel = compressionLevel
        self.dictionary = dictionary
        self.encoding = encoding
        self.statistics = statistics
    }
}

/// How ``ParquetWriter`` writes: pyarrow's `pq.write_table` defaults unless set otherwise.
public struct ParquetWriteOptions: Sendable, Hashable {
    /// The most rows in a row group (pyarrow: 1,048,576). The writer buffers one row group.
    public var rowGroupRows: Int = 1 << 20
    /// End a row group once its batches hold this many bytes of Arrow buffers (nil: rows only).
    public var rowGroupBytes: Int?
    /// A data page ends once its values reach about this many bytes (pyarrow: 1 MiB).
    public var dataPageBytes: Int = 1 << 20
    /// The most rows in a data page (Arrow C++: 20,000).
    public var dataPageRows: Int = 20_000
    /// The data page format (pyarrow: 1).
    public var dataPageVersion: ParquetDataPageVersion = .v1
    /// The codec of every column's pages (pyarrow: snappy): uncompressed, snappy, zstd, gzip,
    /// lz4Raw.
    public var compression: ParquetCompression = .snappy
    /// The codec's level; nil for the codec's default (zstd 1 as Arrow C++, gzip 6).
    public var compressionLevel: Int?
    /// Whether values are dictionary-encoded (pyarrow: yes), falling back to ``encoding`` for
    /// the rest of a column chunk once the dictionary page passes ``dictionaryPageBytes``.
    public var dictionary = true
    /// The dictionary page size limit (pyarrow: 1 MiB).
    public var dictionaryPageBytes: Int = 1 << 20
    /// The encoding of values that are not dictionary-encoded (PLAIN).
    public var encoding: ParquetEncoding = .plain
    /// Whether min/max/null-count statistics are written per column chunk (pyarrow: yes).
    public var statistics = true
    /// Chunk statistics whose min or max is longer are left out (Arrow C++: 4096 bytes).
    public var maximumStatisticsBytes = 4096
    /// Whether the page index (ColumnIndex and OffsetIndex) is written (pyarrow: no).
    public var pageIndex = false
    /// Whether each page header carries the CRC32 of its page (pyarrow: no).
    public var pageChecksums = false
    /// Key-value metadata of the file, after the schema's own metadata.
    public var keyValueMetadata: [ParquetKeyValue] = []
    /// Whether the Arrow schema is stored under `ARROW:schema`, so pyarrow and this reader
    /// restore the exact Arrow types (pyarrow: yes).
    public var storeArrowSchema = true
    /// The `created_by` string of the footer.
    public var createdBy = "lightstream version 0.1.0"
    /// Whether the column chunks of a row group are encoded on several threads.
    public var useThreads = true
    /// Whether each batch is validated (`RecordBatch.validate()`: offsets, lengths, UTF-8)
    /// before it is encoded, so a malformed array is an error rather than a crash. Turn it off
    /// only for batches that are known valid (read by this library's readers, built by its
    /// builders).
    public var validatesInput = true
    /// Per-column overrides, by dotted leaf path (`a.b`) or the name of a group above leaves
    /// (`a`); the longest matching path wins.
    public var columns: [String: ParquetColumnOptions] = [:]

    /// pyarrow's defaults.
    public init() {}
}

extension ParquetWriteOptions {
    /// The settings of the leaf at `path`.
    func settings(for path: [String]) -> ColumnWriteSettings {
        var settings = ColumnWriteSettings(
            compression: compression, compressionLevel: compressionLevel, dictionary: dictionary, encoding: encoding,
            statistics: statistics, dataPageBytes: Swift.min(Swift.max(1, dataPageBytes), 1 << 30),
            dataPageRows: Swift.min(Swift.max(1, dataPageRows), 1 << 30),
            dictionaryPageBytes: Swift.min(Swift.max(0, dictionaryPageBytes), 1 << 30), pageVersion: dataPageVersion, pageIndex: pageIndex,
            checksums: pageChecksums, maximumStatisticsBytes: maximumStatisticsBytes)
        // Apply matching overrides from the shortest prefix to the longest.
        for length in stride(from: 1, through: path.count, by: 1) {
            guard let column = columns[path.prefix(length).joined(separator: ".")] else { continue }
            if let c = column.compression { settings.compression = c }
            if let l = column.compressionLevel { settings.compressionLevel = l }
            if let d = column.dictionary { settings.dictionary = d }
            if let e = column.encoding { settings.encoding = e }
            if let s = column.statistics { settings.statistics = s }
        }
        return settings
    }
}
