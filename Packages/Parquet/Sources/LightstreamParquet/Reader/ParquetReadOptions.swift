/// How a ``ParquetFileReader`` reads: which columns and row groups, batch size, threads, checks
/// and the limits that bound what a hostile file can make it allocate.
public struct ParquetReadOptions: Sendable {
    /// Rows per record batch when iterating (pyarrow's `iter_batches` default); a batch never
    /// spans two row groups.
    public var batchSize = 65_536
    /// The columns to read, by top-level name or dotted leaf path (`a.b.c` selects the leaf and
    /// keeps its ancestors); nil reads all. Fields come in the order of the first name that selects
    /// each (as pyarrow's `columns`).
    public var columns: [String]?
    /// The row groups to read, in this order; nil reads all.
    public var rowGroups: [Int]?
    /// Top-level string or binary columns to read as `dictionary<int32, …>` (pyarrow's
    /// `read_dictionary`); when every page of a chunk is dictionary-encoded the file's dictionary
    /// is used without decoding each value.
    public var dictionaryColumns: Set<String> = []
    /// Check each page's CRC32 when the writer stored one (pyarrow's
    /// `page_checksum_verification`, off by default as there).
    public var verifyChecksums = false
    /// Decode the columns of a row group concurrently.
    public var useThreads = true
    /// Restore the exact Arrow types from the `ARROW:schema` key that pyarrow and arrow-rs write.
    public var useArrowSchema = true
    /// The largest footer accepted.
    public var maximumFooterBytes = 256 << 20
    /// The largest uncompressed page accepted.
    public var maximumPageBytes = 1 << 30
    /// The most values (levels) one page may announce; bounds the level buffers a tiny RLE run
    /// could otherwise ask for.
    public var maximumPageValues = 1 << 26
    /// The most values (levels) one column chunk may announce: bounds what a small file of many
    /// tiny run-length pages can make the reader allocate for one column.
    public var maximumChunkValues = 1 << 28
    /// The most bytes one column chunk may decode to (values after dictionary gathering, prefix
    /// expansion and null slots): bounds what a few bytes of runs or prefixes can ask for.
    public var maximumChunkBytes = 4 << 30

    /// Creates options with the defaults: all columns and row groups, threads on, checksums off.
    public init() {}
}
