/// A column chunk's or page's statistics as stored: min/max as the plain encoding of one value
/// (see ``ParquetValue/init(plain:type:)`` to read them typed).
public struct ParquetStatistics: Hashable, Sendable {
    /// The minimum by the column's sort order (`min_value`), or the deprecated signed `min`.
    public var min: [UInt8]?
    /// The maximum by the column's sort order (`max_value`), or the deprecated signed `max`.
    public var max: [UInt8]?
    /// Whether `min`/`max` came from the deprecated fields, whose sort order is signed byte-wise
    /// and so untrustworthy for strings and unsigned integers.
    public var isDeprecatedMinMax: Bool
    /// The number of null values, if stored (absent does not mean 0).
    public var nullCount: Int64?
    /// The number of distinct values, if stored.
    public var distinctCount: Int64?
    /// The number of NaN values of a floating-point column, if stored.
    public var nanCount: Int64?

    /// Creates statistics from stored values; each absent one stays nil.
    public init(min: [UInt8]? = nil, max: [UInt8]? = nil, isDeprecatedMinMax: Bool = false,
                nullCount: Int64? = nil, distinctCount: Int64? = nil, nanCount: Int64? = nil) {
        self.min = min
        self.max = max
        self.isDeprecatedMinMax = isDeprecatedMinMax
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.nanCount = nanCount
    }
}

extension ParquetStatistics {
    init(reading r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) {
        var stats = ParquetStatistics()
        var oldMin: [UInt8]?, oldMax: [UInt8]?
        try r.readStruct(field) { r, f throws(ParquetError) in
            switch f.id {
            case 1: oldMax = try r.binary(f)
            case 2: oldMin = try r.binary(f)
            case 3: stats.nullCount = try r.i64(f)
            case 4: stats.distinctCount = try r.i64(f)
            case 5: stats.max = try r.binary(f)
            case 6: stats.min = try r.binary(f)
            case 9: stats.nanCount = try r.i64(f)
            default: try r.skip(f.type)
            }
        }
        if stats.min == nil && stats.max == nil && (oldMin != nil || oldMax != nil) {
            stats.min = oldMin
            stats.max = oldMax
            stats.isDeprecatedMinMax = true
        }
        self = stats
    }
}

/// One value of a Parquet physical type, as statistics and page indexes store it.
public enum ParquetValue: Hashable, Sendable, CustomStringConvertible {
    /// A BOOLEAN value.
    case boolean(Bool)
    /// An INT32 value.
    case int32(Int32)
    /// An INT64 value.
    case int64(Int64)
    /// The 12 bytes of an INT96.
    case int96([UInt8])
    /// A FLOAT value.
    case float(Float)
    /// A DOUBLE value.
    case double(Double)
    /// The bytes of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value.
    case bytes([UInt8])

    /// Decodes the plain encoding of one value (statistics store bytes without a length prefix);
    /// nil when the byte count does not fit the type.
    public init?(plain bytes: [UInt8], type: ParquetPhysicalType) {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch type {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            self = .boolean(bytes[0] != 0)
        case .int32: guard let v = load(Int32.self) else { return nil }; self = .int32(v)
        case .int64: guard let v = load(Int64.self) else { return nil }; self = .int64(v)
        case .int96: guard bytes.count == 12 else { return nil }; self = .int96(bytes)
        case .float: guard let v = load(UInt32.self) else { return nil }; self = .float(Float(bitPattern: v))
        case .double: guard let v = load(UInt64.self) else { return nil }; self = .double(Double(bitPattern: v))
        default: self = .bytes(bytes)
        }
    }

    /// Numbers and booleans as Swift prints them, INT96 as hex bytes, other bytes as quoted text when single-line UTF-8, else hex.
    public var description: String {
        switch self {
        case .boolean(let v): "\(v)"
        case .int32(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .int96(let v): "int96(" + v.map { String($0, radix: 16) }.joined(separator: " ") + ")"
        case .float(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bytes(let v):
            if let text = String(validating: v, as: UTF8.self), !text.contains(where: { $0.isNewline }) {
                "\"\(text)\""
            } else {
                "0x" + v.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            }
        }
    }
}
