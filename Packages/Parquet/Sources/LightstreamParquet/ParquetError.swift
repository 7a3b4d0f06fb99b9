import LightstreamCodecs

/// Why a Parquet file could not be read: what was wrong and where (row group, column path, page,
/// byte offset in the file), as far as the reader knew when it stopped.
public struct ParquetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The categories of failure, each with its reason where there is one.
    public enum Kind: Equatable, Sendable {
        /// The bytes are not a Parquet file (no `PAR1` magic at both ends, footer out of range).
        case notParquet(String)
        /// The input ends before a structure it announces.
        case truncated(String)
        /// The Thrift metadata (footer, page header, index) breaks its format.
        case corruptMetadata(String)
        /// A page's levels or values break their encoding.
        case corruptPage(String)
        /// The schema tree is malformed or cannot be mapped to Arrow.
        case invalidSchema(String)
        /// A page's CRC32 does not match its bytes.
        case checksumMismatch
        /// A size, count or depth beyond what the reader accepts or the input can back.
        case limitExceeded(String)
        /// A valid feature this reader does not implement (a codec, an encoding, encryption).
        case unsupported(String)
        /// A page could not be decompressed.
        case codec(CodecError)
        /// A column or row group that the caller asked for does not exist.
        case notFound(String)
        /// Data or a call the writer cannot take (a null in a non-nullable column, a batch of
        /// another schema, a write after `finish`).
        case invalidInput(String)
    }

    /// What was wrong.
    public var kind: Kind
    /// The row group being read, if any.
    public var rowGroup: Int?
    /// The dotted path of the column being read, if any.
    public var column: String?
    /// The index of the page within its column chunk, if any.
    public var page: Int?
    /// The byte offset in the file (or the structure being decoded), if known.
    public var offset: Int?

    /// Creates an error of this kind at the given location, any part of which may be unknown.
    public init(_ kind: Kind, rowGroup: Int? = nil, column: String? = nil, page: Int? = nil, offset: Int? = nil) {
        self.kind = kind
        self.rowGroup = rowGroup
        self.column = column
        self.page = page
        self.offset = offset
    }

    /// This error with the location fields that are still unknown filled in.
    func located(rowGroup: Int? = nil, column: String? = nil, page: Int? = nil, offset: Int? = nil) -> ParquetError {
        var copy = self
        if copy.rowGroup == nil { copy.rowGroup = rowGroup }
        if copy.column == nil { copy.column = column }
        if copy.page == nil { copy.page = page }
        if copy.offset == nil { copy.offset = offset }
        return copy
    }

    /// The kind and its reason, then the known location, as one line.
    public var description: String {
        var text: String
        switch kind {
        case .notParquet(let why): text = "not a Parquet file: \(why)"
        case .truncated(let why): text = "truncated: \(why)"
        case .corruptMetadata(let why): text = "corrupt metadata: \(why)"
        case .corruptPage(let why): text = "corrupt page: \(why)"
        case .invalidSchema(let why): text = "invalid schema: \(why)"
        case .checksumMismatch: text = "page CRC32 mismatch"
        case .limitExceeded(let why): text = "limit exceeded: \(why)"
        case .unsupported(let why): text = "unsupported: \(why)"
        case .codec(let error): text = "decompression failed: \(error)"
        case .notFound(let why): text = "not found: \(why)"
        case .invalidInput(let why): text = "invalid input: \(why)"
        }
        var place: [String] = []
        if let rowGroup { place.append("row group \(rowGroup)") }
        if let column { place.append("column \(column)") }
        if let page { place.append("page \(page)") }
        if let offset { place.append("byte \(offset)") }
        if !place.isEmpty { text += " (" + place.joined(separator: ", ") + ")" }
        return text
    }
}
