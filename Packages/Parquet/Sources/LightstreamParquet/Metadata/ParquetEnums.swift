/// A Parquet physical type (the `Type` enum of parquet.thrift).
public struct ParquetPhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let boolean = Self(rawValue: 0)
    public static let int32 = Self(rawValue: 1)
    public static let int64 = Self(rawValue: 2)
    /// 12-byte timestamps (nanoseconds of the day, then the Julian day), deprecated.
    public static let int96 = Self(rawValue: 3)
    public static let float = Self(rawValue: 4)
    public static let double = Self(rawValue: 5)
    public static let byteArray = Self(rawValue: 6)
    public static let fixedLenByteArray = Self(rawValue: 7)

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

    public static let utf8 = Self(rawValue: 0)
    public static let map = Self(rawValue: 1)
    public static let mapKeyValue = Self(rawValue: 2)
    public static let list = Self(rawValue: 3)
    public static let `enum` = Self(rawValue: 4)
    public static let decimal = Self(rawValue: 5)
    public static let date = Self(rawValue: 6)
    public static let timeMillis = Self(rawValue: 7)
    public static let timeMicros = Self(rawValue: 8)
    public static let timestampMillis = Self(rawValue: 9)
    public static let timestampMicros = Self(rawValue: 10)
    public static let uint8 = Self(rawValue: 11)
    public static let uint16 = Self(rawValue: 12)
    public static let uint32 = Self(rawValue: 13)
    public static let uint64 = Self(rawValue: 14)
    public static let int8 = Self(rawValue: 15)
    public static let int16 = Self(rawValue: 16)
    public static let int32 = Self(rawValue: 17)
    public static let int64 = Self(rawValue: 18)
    public static let json = Self(rawValue: 19)
    public static let bson = Self(rawValue: 20)
    public static let interval = Self(rawValue: 21)

    static let names = ["UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS",
                        "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32",
                        "UINT_64", "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL"]

    public var description: String {
        Self.names.indices.contains(Int(rawValue)) ? Self.names[Int(rawValue)] : "ConvertedType(\(rawValue))"
    }
}

/// Whether a schema element is required, optional or repeated.
public enum ParquetRepetition: Int32, Hashable, Sendable {
    case required = 0, optional = 1, repeated = 2
}

/// A value or level encoding (the `Encoding` enum of parquet.thrift).
public struct ParquetEncoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let plain = Self(rawValue: 0)
    public static let plainDictionary = Self(rawValue: 2)
    public static let rle = Self(rawValue: 3)
    public static let bitPacked = Self(rawValue: 4)
    public static let deltaBinaryPacked = Self(rawValue: 5)
    public static let deltaLengthByteArray = Self(rawValue: 6)
    public static let deltaByteArray = Self(rawValue: 7)
    public static let rleDictionary = Self(rawValue: 8)
    public static let byteStreamSplit = Self(rawValue: 9)

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

    public static let uncompressed = Self(rawValue: 0)
    public static let snappy = Self(rawValue: 1)
    public static let gzip = Self(rawValue: 2)
    public static let lzo = Self(rawValue: 3)
    public static let brotli = Self(rawValue: 4)
    /// LZ4 with Hadoop's framing (or, from some writers, raw LZ4 blocks), deprecated.
    public static let lz4 = Self(rawValue: 5)
    public static let zstd = Self(rawValue: 6)
    public static let lz4Raw = Self(rawValue: 7)

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

    public static let dataPage = Self(rawValue: 0)
    public static let indexPage = Self(rawValue: 1)
    public static let dictionaryPage = Self(rawValue: 2)
    public static let dataPageV2 = Self(rawValue: 3)

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
