/// The unit of a Parquet TIME or TIMESTAMP logical type.
public enum ParquetTimeUnit: Hashable, Sendable {
    /// Milliseconds (`MILLIS`), microseconds (`MICROS`) or nanoseconds (`NANOS`).
    case millis, micros, nanos
}

/// A Parquet logical type annotation (the `LogicalType` union of parquet.thrift).
public enum ParquetLogicalType: Hashable, Sendable {
    /// UTF-8 text (`STRING`), a map (`MAP`), a list (`LIST`) or an enum stored as a BYTE_ARRAY (`ENUM`).
    case string, map, list, `enum`
    /// A decimal of `precision` digits, `scale` of them after the point (`DECIMAL`).
    case decimal(precision: Int, scale: Int)
    /// Days since the Unix epoch (`DATE`).
    case date
    /// A time of day in `unit` since midnight, local or UTC-adjusted (`TIME`).
    case time(unit: ParquetTimeUnit, adjustedToUTC: Bool)
    /// An instant or local date-time in `unit` since the Unix epoch (`TIMESTAMP`).
    case timestamp(unit: ParquetTimeUnit, adjustedToUTC: Bool)
    /// A signed or unsigned integer of 8, 16, 32 or 64 bits (`INTEGER`).
    case integer(bitWidth: Int, signed: Bool)
    /// Only nulls are stored (`UNKNOWN` in the specification).
    case unknown
    /// A JSON document (`JSON`), a BSON document (`BSON`), a 16-byte UUID (`UUID`) or a half float in 2 bytes (`FLOAT16`).
    case json, bson, uuid, float16
    /// A semi-structured value in the Variant binary encoding (`VARIANT`).
    case variant
    /// Geospatial features in WKB with planar (`GEOMETRY`) or non-planar edges (`GEOGRAPHY`).
    case geometry, geography
    /// A union member this reader does not know (its field id).
    case other(Int16)
}

extension ParquetLogicalType {
    init(reading r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) {
        var result: ParquetLogicalType?
        try r.readStruct(field) { r, member throws(ParquetError) in
            switch member.id {
            case 1: result = .string; try r.skip(member.type)
            case 2: result = .map; try r.skip(member.type)
            case 3: result = .list; try r.skip(member.type)
            case 4: result = .enum; try r.skip(member.type)
            case 5:
                var scale: Int32 = 0, precision: Int32 = 0
                try r.readStruct(member) { r, f throws(ParquetError) in
                    switch f.id {
                    case 1: scale = try r.i32(f)
                    case 2: precision = try r.i32(f)
                    default: try r.skip(f.type)
                    }
                }
                result = .decimal(precision: Int(precision), scale: Int(scale))
            case 6: result = .date; try r.skip(member.type)
            case 7, 8:
                var utc = false
                var unit = ParquetTimeUnit.millis
                try r.readStruct(member) { r, f throws(ParquetError) in
                    switch f.id {
                    case 1: utc = try r.bool(f)
                    case 2: unit = try Self.timeUnit(&r, f)
                    default: try r.skip(f.type)
                    }
                }
                result = member.id == 7 ? .time(unit: unit, adjustedToUTC: utc) : .timestamp(unit: unit, adjustedToUTC: utc)
            case 10:
                var width: Int8 = 0, signed = true
                try r.readStruct(member) { r, f throws(ParquetError) in
                    switch f.id {
                    case 1: width = try r.i8(f)
                    case 2: signed = try r.bool(f)
                    default: try r.skip(f.type)
                    }
                }
                result = .integer(bitWidth: Int(width), signed: signed)
            case 11: result = .unknown; try r.skip(member.type)
            case 12: result = .json; try r.skip(member.type)
            case 13: result = .bson; try r.skip(member.type)
            case 14: result = .uuid; try r.skip(member.type)
            case 15: result = .float16; try r.skip(member.type)
            case 16: result = .variant; try r.skip(member.type)
            case 17: result = .geometry; try r.skip(member.type)
            case 18: result = .geography; try r.skip(member.type)
            default: result = .other(member.id); try r.skip(member.type)
            }
        }
        guard let result else { throw r.corrupt("empty LogicalType union") }
        self = result
    }

    private static func timeUnit(_ r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) -> ParquetTimeUnit {
        var unit: ParquetTimeUnit?
        try r.readStruct(field) { r, f throws(ParquetError) in
            switch f.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try r.skip(f.type)
        }
        guard let unit else { throw r.corrupt("TimeUnit union without a known member") }
        return unit
    }
}
