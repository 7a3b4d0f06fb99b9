/// A Parquet physical type (the `Type` enum of parquet.thrift).
public struct ParquetPhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Single bits (`BOOLEAN`).
    public static let boolean = Self(rawValue: 0)
    /// 32-bit signed integers (`INT32`).
    public static let int32 = Self(rawValue: 1)
    /// 64-bit signed integers (`INT64`).
    public static let int64 = Self(rawValue: 2)
    /// 12-byte timestamps (nanoseconds of the day, then the Julian day), deprecated.
    public static let int96 = Self(rawValue: 3)
    /// IEEE 754 32-bit floating-point numbers (`FLOAT`).
    public static let float = Self(rawValue: 4)
    /// IEEE 754 64-bit floating-point numbers (`DOUBLE`).
    public static let double = Self(rawValue: 5)
    /// Variable-length byte strings (`BYTE_ARRAY`).
    public static let byteArray = Self(rawValue: 6)
    /// Byte strings of the element's `type_length` (`FIXED_LEN_BYTE_ARRAY`).
    public static let fixedLenByteArray = Self(rawValue: 7)

    /// The name as parquet.thrift spells it (`BYTE_ARRAY`), or `Type(n)` when unknown.
    public var description: String {
        switch rawValue {
        case 0: "BOOLEAN"
        case 1: "INT32"
        case 2: "INT64"
        case 3: "INT96"
        case 4: "FLOAT"
        case 5: "DOUBLE"
        case 6: "BYTE_ARRAY"
        case 7: "FIXED_LEN_BYTE_ARRAY"
        default: "Type(\(rawValue))"
        }
    }
}

/// The legacy annotation of a schema element (`ConvertedType` of parquet.thrift).
public struct ParquetConvertedType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// A BYTE_ARRAY of UTF-8 text (`UTF8`).
    public static let utf8 = Self(rawValue: 0)
    /// A map: a group holding a repeated key-value group (`MAP`).
    public static let map = Self(rawValue: 1)
    /// The repeated key-value group inside a map (`MAP_KEY_VALUE`).
    public static let mapKeyValue = Self(rawValue: 2)
    /// A list: a group holding a repeated field of its elements (`LIST`).
    public static let list = Self(rawValue: 3)
    /// An enum value stored as a BYTE_ARRAY (`ENUM`).
    public static let `enum` = Self(rawValue: 4)
    /// A decimal: the unscaled integer, with the element's precision and scale (`DECIMAL`).
    public static let decimal = Self(rawValue: 5)
    /// Days since the Unix epoch as INT32 (`DATE`).
    public static let date = Self(rawValue: 6)
    /// Milliseconds since midnight as INT32 (`TIME_MILLIS`).
    public static let timeMillis = Self(rawValue: 7)
    /// Microseconds since midnight as INT64 (`TIME_MICROS`).
    public static let timeMicros = Self(rawValue: 8)
    /// Milliseconds since the Unix epoch as INT64 (`TIMESTAMP_MILLIS`).
    public static let timestampMillis = Self(rawValue: 9)
    /// Microseconds since the Unix epoch as INT64 (`TIMESTAMP_MICROS`).
    public static let timestampMicros = Self(rawValue: 10)
    /// An unsigned 8-bit integer stored as INT32 (`UINT_8`).
    public static let uint8 = Self(rawValue: 11)
    /// An unsigned 16-bit integer stored as INT32 (`UINT_16`).
    public static let uint16 = Self(rawValue: 12)
    /// An unsigned 32-bit integer stored as INT32 (`UINT_32`).
    public static let uint32 = Self(rawValue: 13)
    /// An unsigned 64-bit integer stored as INT64 (`UINT_64`).
    public static let uint64 = Self(rawValue: 14)
    /// A signed 8-bit integer stored as INT32 (`INT_8`).
    public static let int8 = Self(rawValue: 15)
    /// A signed 16-bit integer stored as INT32 (`INT_16`).
    public static let int16 = Self(rawValue: 16)
    /// A signed 32-bit integer stored as INT32 (`INT_32`).
    public static let int32 = Self(rawValue: 17)
    /// A signed 64-bit integer stored as INT64 (`INT_64`).
    public static let int64 = Self(rawValue: 18)
    /// A JSON document in UTF-8 text (`JSON`).
    public static let json = Self(rawValue: 19)
    /// A BSON document in a BYTE_ARRAY (`BSON`).
    public static let bson = Self(rawValue: 20)
    /// Months, days and milliseconds as three little-endian UInt32 in 12 bytes (`INTERVAL`).
    public static let interval = Self(rawValue: 21)

    static let names = ["UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS",
                        "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32",
                        "UINT_64", "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL"]

    /// The name as parquet.thrift spells it (`TIMESTAMP_MILLIS`), or `ConvertedType(n)` when unknown.
    public var description: String {
        Self.names.indices.contains(Int(rawValue)) ? Self.names[Int(rawValue)] : "ConvertedType(\(rawValue))"
    }
}

/// Whether a schema element is required, optional or repeated.
public enum ParquetRepetition: Int32, Hashable, Sendable {
    /// Exactly one value per row (`REQUIRED`), zero or one (`OPTIONAL`), or any number (`REPEATED`).
    case required = 0, optional = 1, repeated = 2
}

/// A value or level encoding (the `Encoding` enum of parquet.thrift).
public struct ParquetEncoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Values back to back: little-endian numbers, bit-packed booleans, length-prefixed byte arrays (`PLAIN`).
    public static let plain = Self(rawValue: 0)
    /// The deprecated dictionary encoding: plain dictionary values, RLE indices (`PLAIN_DICTIONARY`).
    public static let plainDictionary = Self(rawValue: 2)
    /// The run-length / bit-packing hybrid, for levels and booleans (`RLE`).
    public static let rle = Self(rawValue: 3)
    /// Levels bit-packed without runs, deprecated in favour of `RLE` (`BIT_PACKED`).
    public static let bitPacked = Self(rawValue: 4)
    /// Delta encoding of integers in bit-packed miniblocks (`DELTA_BINARY_PACKED`).
    public static let deltaBinaryPacked = Self(rawValue: 5)
    /// Byte arrays as their delta-encoded lengths, then their bytes concatenated (`DELTA_LENGTH_BYTE_ARRAY`).
    public static let deltaLengthByteArray = Self(rawValue: 6)
    /// Byte arrays as delta-encoded shared-prefix lengths and delta-length suffixes (`DELTA_BYTE_ARRAY`).
    public static let deltaByteArray = Self(rawValue: 7)
    /// Dictionary indices in the run-length / bit-packing hybrid (`RLE_DICTIONARY`).
    public static let rleDictionary = Self(rawValue: 8)
    /// Fixed-width values with the k-th byte of each value in the k-th of separate streams (`BYTE_STREAM_SPLIT`).
    public static let byteStreamSplit = Self(rawValue: 9)

    /// The name as parquet.thrift spells it (`RLE_DICTIONARY`), or `Encoding(n)` when unknown.
    public var description: String {
        switch rawValue {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        case 10: "ALP"
        default: "Encoding(\(rawValue))"
        }
    }
}

/// A page compression codec (the `CompressionCodec` enum of parquet.thrift).
public struct ParquetCompression: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Pages stored as they are (`UNCOMPRESSED`).
    public static let uncompressed = Self(rawValue: 0)
    /// Snappy raw format (`SNAPPY`).
    public static let snappy = Self(rawValue: 1)
    /// Gzip (DEFLATE with the gzip header) (`GZIP`).
    public static let gzip = Self(rawValue: 2)
    /// LZO (`LZO`).
    public static let lzo = Self(rawValue: 3)
    /// Brotli (`BROTLI`).
    public static let brotli = Self(rawValue: 4)
    /// LZ4 with Hadoop's framing (or, from some writers, raw LZ4 blocks), deprecated.
    public static let lz4 = Self(rawValue: 5)
    /// Zstandard frames (`ZSTD`).
    public static let zstd = Self(rawValue: 6)
    /// LZ4 raw block format without framing (`LZ4_RAW`).
    public static let lz4Raw = Self(rawValue: 7)

    /// The name as parquet.thrift spells it (`ZSTD`), or `CompressionCodec(n)` when unknown.
    public var description: String {
        switch rawValue {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "CompressionCodec(\(rawValue))"
        }
    }
}

/// The kind of a page (the `PageType` enum of parquet.thrift).
public struct ParquetPageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// A data page with the version 1 header (`DATA_PAGE`).
    public static let dataPage = Self(rawValue: 0)
    /// An index page (`INDEX_PAGE`).
    public static let indexPage = Self(rawValue: 1)
    /// The column chunk's dictionary, before its data pages (`DICTIONARY_PAGE`).
    public static let dictionaryPage = Self(rawValue: 2)
    /// A data page with the version 2 header, levels stored uncompressed (`DATA_PAGE_V2`).
    public static let dataPageV2 = Self(rawValue: 3)

    /// The name as parquet.thrift spells it (`DATA_PAGE_V2`), or `PageType(n)` when unknown.
    public var description: String {
        switch rawValue {
        case 0: "DATA_PAGE"
        case 1: "INDEX_PAGE"
        case 2: "DICTIONARY_PAGE"
        case 3: "DATA_PAGE_V2"
        default: "PageType(\(rawValue))"
        }
    }
}
