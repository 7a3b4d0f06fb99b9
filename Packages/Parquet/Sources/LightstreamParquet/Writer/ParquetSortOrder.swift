/// How the values of a column compare for statistics and the column index: the order that
/// `ColumnOrder.TYPE_ORDER` of parquet.thrift defines for a leaf's physical and logical type.
///
/// The statistics a writer stores in `min_value`/`max_value` (and the page bounds of a column
/// index) are the least and greatest values by this order. Where the order is ``undefined``
/// (INT96, INTERVAL, nested or unknown annotations) no min/max may be written.
enum ParquetSortOrder: Hashable, Sendable {
    /// Signed integers (INT32, INT64, also DATE, TIME, TIMESTAMP, INT_n, DECIMAL on INT32/INT64).
    case signed
    /// Unsigned integers (UINT_n, INTEGER(signed: false)) compared by bit pattern; also BOOLEAN,
    /// ordered false < true as 0 < 1.
    case unsigned
    /// IEEE 754 numbers (FLOAT, DOUBLE) by value: NaN left out, -0.0 equal to +0.0.
    case float
    /// Half floats (FIXED_LEN_BYTE_ARRAY(2) with the FLOAT16 logical type, little-endian) by value,
    /// with the same NaN and zero rules as ``float``.
    case float16
    /// Unsigned lexicographic bytes, a prefix before the longer value: strings, binary, UUID, JSON,
    /// BSON, ENUM and fixed-length bytes without annotation.
    case bytesUnsigned
    /// DECIMAL on BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY: big-endian two's complement integers compared
    /// by value, values of different lengths after sign extension (an empty value is zero).
    case decimalBytes
    /// No order (INT96, INTERVAL, LIST, MAP, VARIANT, GEOMETRY, GEOGRAPHY, unknown annotations):
    /// no min/max.
    case undefined
}

extension ParquetSortOrder {
    /// The sort order of a leaf by parquet.thrift's `ColumnOrder` rules: its logical type decides,
    /// else its converted type, else its physical type. An annotation the physical type cannot
    /// carry (DATE on BYTE_ARRAY, FLOAT16 on anything but FIXED_LEN_BYTE_ARRAY(2)) gives
    /// ``undefined``, and so does a group (no physical type).
    init(_ element: ParquetSchemaElement) {
        guard let physical = element.type else {
            self = .undefined
            return
        }
        let order: ParquetSortOrder
        if let logical = element.logicalType {
            order = Self.order(logical, physical: physical, typeLength: element.typeLength)
        } else if let converted = element.convertedType {
            order = Self.order(converted, physical: physical)
        } else {
            order = Self.order(physical)
        }
        self = order.fits(physical, typeLength: element.typeLength) ? order : .undefined
    }

    /// The order of a physical type without annotation.
    static func order(_ physical: ParquetPhysicalType) -> ParquetSortOrder {
        switch physical {
        case .boolean: .unsigned
        case .int32, .int64: .signed
        case .float, .double: .float
        case .byteArray, .fixedLenByteArray: .bytesUnsigned
        default: .undefined    // INT96 and unknown physical types
        }
    }

    private static func order(_ logical: ParquetLogicalType, physical: ParquetPhysicalType, typeLength: Int?) -> ParquetSortOrder {
        switch logical {
        case .string, .enum, .json, .bson, .uuid: .bytesUnsigned
        case .decimal: physical == .int32 || physical == .int64 ? .signed : .decimalBytes
        case .date, .time, .timestamp: .signed
        case .integer(_, let signed): signed ? .signed : .unsigned
        case .float16: .float16
        case .unknown: order(physical)    // only nulls: the physical type's order is harmless
        case .map, .list, .variant, .geometry, .geography, .other: .undefined
        }
    }

    private static func order(_ converted: ParquetConvertedType, physical: ParquetPhysicalType) -> ParquetSortOrder {
        switch converted {
        case .utf8, .enum, .json, .bson: .bytesUnsigned
        case .decimal: physical == .int32 || physical == .int64 ? .signed : .decimalBytes
        case .date, .timeMillis, .timeMicros, .timestampMillis, .timestampMicros,
             .int8, .int16, .int32, .int64: .signed
        case .uint8, .uint16, .uint32, .uint64: .unsigned
        default: .undefined    // INTERVAL, MAP, MAP_KEY_VALUE, LIST and unknown values
        }
    }

    /// Whether values of this physical type (and FIXED_LEN_BYTE_ARRAY width) can be compared by
    /// this order; ``StatisticsBuilder`` accepts exactly these combinations.
    func fits(_ physical: ParquetPhysicalType, typeLength: Int?) -> Bool {
        switch self {
        case .undefined: true
        case .signed: physical == .int32 || physical == .int64
        case .unsigned: physical == .int32 || physical == .int64 || physical == .boolean
        case .float: physical == .float || physical == .double
        case .float16: physical == .fixedLenByteArray && (typeLength == nil || typeLength == 2)
        case .bytesUnsigned, .decimalBytes: physical == .byteArray || physical == .fixedLenByteArray
        }
    }
}
