import Vec64

extension ParquetLogicalType {
    /// The id of this type's member of the Thrift `LogicalType` union, or nil when this encoder
    /// does not write it: `.geometry` and `.geography` (the decoder drops their CRS and edge
    /// algorithm, so writing them would silently state the default `OGC:CRS84`) and `.other`
    /// (its member's contents are unknown).
    var thriftUnionID: Int16? {
        switch self {
        case .string: 1
        case .map: 2
        case .list: 3
        case .enum: 4
        case .decimal: 5
        case .date: 6
        case .time: 7
        case .timestamp: 8
        case .integer: 10
        case .unknown: 11
        case .json: 12
        case .bson: 13
        case .uuid: 14
        case .float16: 15
        case .variant: 16
        case .geometry, .geography, .other: nil
        }
    }

    /// Whether ``encode(to:)`` can write this type (see ``thriftUnionID``); a schema element
    /// whose logical type cannot be written is written without one.
    var isThriftEncodable: Bool { thriftUnionID != nil }

    /// Writes the type as a Thrift `LogicalType` union value (the caller writes the field
    /// header). Only call it when ``isThriftEncodable``; otherwise it writes an empty union,
    /// which readers reject.
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        if let id = thriftUnionID {
            w.beginStructField(id)
            switch self {
            case .decimal(let precision, let scale):
                w.writeI32(1, scale)
                w.writeI32(2, precision)
            case .time(let unit, let utc), .timestamp(let unit, let utc):
                w.writeBool(1, utc)
                w.beginStructField(2)
                switch unit {
                case .millis: w.beginStructField(1)
                case .micros: w.beginStructField(2)
                case .nanos: w.beginStructField(3)
                }
                w.endStruct()   // MilliSeconds / MicroSeconds / NanoSeconds
                w.endStruct()   // TimeUnit
            case .integer(let bitWidth, let signed):
                w.writeI8(1, Int8(bitWidth))
                w.writeBool(2, signed)
            default:
                break           // an empty member struct (VARIANT's optional version left unset)
            }
            w.endStruct()
        }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:)``.
    func thriftEncoded() -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0) }
    }
}
