/// The unit of a time, timestamp or duration value.
public enum TimeUnit: String, Hashable, Sendable, CaseIterable {
    /// Seconds (`s`), milliseconds (`ms`), microseconds (`us`) or nanoseconds (`ns`).
    case second = "s", millisecond = "ms", microsecond = "us", nanosecond = "ns"
}

/// The unit of an interval value.
public enum IntervalUnit: String, Hashable, Sendable, CaseIterable {
    /// Months, as one `Int32`.
    case yearMonth = "month_interval"
    /// Days and milliseconds, as two `Int32`s.
    case dayTime = "day_time_interval"
    /// Months, days (`Int32`) and nanoseconds (`Int64`).
    case monthDayNano = "month_day_nano_interval"
}

/// Whether a union stores a value for every child at every slot (sparse) or one offset per slot
/// into the chosen child (dense).
public enum UnionMode: String, Hashable, Sendable {
    /// Sparse: every child has a value at every slot. Dense: an `Int32` offset per slot into its child.
    case sparse, dense
}

/// An Arrow logical type: every type of the Arrow columnar format, version 1.5.
///
/// Nested types carry their child ``Field``s. Extension types are not a case: they are a storage
/// type plus field metadata (see ``Field/extensionName``), as the format specifies.
public indirect enum DataType: Hashable, Sendable {
    /// No values: every slot is null and there are no buffers.
    case null
    /// Bit-packed booleans.
    case boolean
    /// Signed integers of 8, 16, 32 and 64 bits.
    case int8, int16, int32, int64
    /// Unsigned integers of 8, 16, 32 and 64 bits.
    case uint8, uint16, uint32, uint64
    /// IEEE 754 floating point of half, single and double precision.
    case float16, float32, float64
    /// A decimal stored in 4 bytes (precision 1...9).
    case decimal32(precision: Int, scale: Int)
    /// A decimal stored in 8 bytes (precision 1...18).
    case decimal64(precision: Int, scale: Int)
    /// A decimal stored in 16 bytes (precision 1...38).
    case decimal128(precision: Int, scale: Int)
    /// A decimal stored in 32 bytes (precision 1...76).
    case decimal256(precision: Int, scale: Int)
    /// Days since the UNIX epoch, `Int32`.
    case date32
    /// Milliseconds since the UNIX epoch, `Int64`.
    case date64
    /// Time of day in seconds or milliseconds, `Int32`.
    case time32(TimeUnit)
    /// Time of day in microseconds or nanoseconds, `Int64`.
    case time64(TimeUnit)
    /// Time since the UNIX epoch, `Int64`, with an optional IANA time zone or offset.
    case timestamp(TimeUnit, timezone: String?)
    /// An elapsed time, `Int64`.
    case duration(TimeUnit)
    /// A calendar interval in the given unit (see ``IntervalUnit``).
    case interval(IntervalUnit)
    /// Bytes with 32-bit offsets.
    case binary
    /// Bytes with 64-bit offsets.
    case largeBinary
    /// UTF-8 text with 32-bit offsets.
    case utf8
    /// UTF-8 text with 64-bit offsets.
    case largeUtf8
    /// Bytes in the 16-byte view layout (inline up to 12 bytes, else buffer index and offset).
    case binaryView
    /// UTF-8 text in the 16-byte view layout.
    case utf8View
    /// Values of exactly `byteWidth` bytes.
    case fixedSizeBinary(byteWidth: Int)
    /// Variable-length lists with 32-bit offsets.
    case list(Field)
    /// Variable-length lists with 64-bit offsets.
    case largeList(Field)
    /// Lists given by 32-bit offsets and sizes (out of order allowed).
    case listView(Field)
    /// Lists given by 64-bit offsets and sizes.
    case largeListView(Field)
    /// Lists of exactly `listSize` values.
    case fixedSizeList(Field, listSize: Int)
    /// One child array per field, all of the struct's length.
    case `struct`([Field])
    /// A value of one of the children per slot, chosen by an `Int8` type id.
    case union(UnionMode, [Field], typeIDs: [Int8])
    /// A list of key-value entries; `entries` is a non-nullable struct field of `key` and `value`.
    case map(entries: Field, keysSorted: Bool)
    /// Integer indices into a dictionary of values.
    case dictionary(index: DataType, value: DataType, ordered: Bool)
    /// Runs of equal values: a `runEnds` child (int16/32/64) and a `values` child.
    case runEndEncoded(runEnds: Field, values: Field)
}

extension DataType {
    /// The child fields of a nested type (empty for flat types and dictionaries).
    public var children: [Field] {
        switch self {
        case let .list(f), let .largeList(f), let .listView(f), let .largeListView(f), let .fixedSizeList(f, _):
            [f]
        case let .struct(fs), let .union(_, fs, _):
            fs
        case let .map(entries, _):
            [entries]
        case let .runEndEncoded(runEnds, values):
            [runEnds, values]
        default:
            []
        }
    }

    /// Whether the type is a signed or unsigned integer type.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }

    /// Whether the type is one of the nested types (list, struct, union, map, run-end encoded).
    public var isNested: Bool { !children.isEmpty }

    /// A map type of `key` to `value` with the standard field names (`entries`, `key`, `value`).
    public static func map(key: DataType, value: DataType, valueNullable: Bool = true, keysSorted: Bool = false) -> DataType {
        .map(entries: Field("entries", .struct([Field("key", key, nullable: false), Field("value", value, nullable: valueNullable)]), nullable: false),
             keysSorted: keysSorted)
    }

    /// A list type whose items are `item` (named `item`, nullable).
    public static func list(of item: DataType, nullable: Bool = true) -> DataType {
        .list(Field("item", item, nullable: nullable))
    }

    /// A large list type whose items are `item` (named `item`, nullable).
    public static func largeList(of item: DataType, nullable: Bool = true) -> DataType {
        .largeList(Field("item", item, nullable: nullable))
    }
}
