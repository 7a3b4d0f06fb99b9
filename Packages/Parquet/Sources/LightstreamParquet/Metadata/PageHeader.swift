/// A page header (`PageHeader` of parquet.thrift) with the sub-header of its kind.
struct ParquetPageHeader: Hashable, Sendable {
    var type: ParquetPageType
    var uncompressedSize: Int
    var compressedSize: Int
    var crc: UInt32?
    var dataPage: DataPage?
    var dictionaryPage: DictionaryPage?
    var dataPageV2: DataPageV2?

    struct DataPage: Hashable, Sendable {
        var valueCount: Int
        var encoding: ParquetEncoding
        var definitionLevelEncoding: ParquetEncoding
        var repetitionLevelEncoding: ParquetEncoding
    }

    struct DictionaryPage: Hashable, Sendable {
        var valueCount: Int
        var encoding: ParquetEncoding
    }

    struct DataPageV2: Hashable, Sendable {
        var valueCount: Int
        var nullCount: Int
        var rowCount: Int
        var encoding: ParquetEncoding
        var definitionLevelsByteLength: Int
        var repetitionLevelsByteLength: Int
        var isCompressed: Bool
    }
}

extension ParquetPageHeader {
    /// Decodes a page header; `r` is left after it.
    init(reading r: inout ThriftCompactReader) throws(ParquetError) {
        var type: ParquetPageType?
        var uncompressed: Int32?
        var compressed: Int32?
        var header = ParquetPageHeader(type: .dataPage, uncompressedSize: 0, compressedSize: 0)
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1: type = ParquetPageType(rawValue: try r.i32(f))
            case 2: uncompressed = try r.i32(f)
            case 3: compressed = try r.i32(f)
            case 4: header.crc = UInt32(bitPattern: try r.i32(f))
            case 5: header.dataPage = try Self.dataPage(&r, f)
            case 7: header.dictionaryPage = try Self.dictionaryPage(&r, f)
            case 8: header.dataPageV2 = try Self.dataPageV2(&r, f)
            default: try r.skip(f.type)
            }
        }
        guard let type, let uncompressed, let compressed else {
            throw r.corrupt("PageHeader without type or sizes")
        }
        guard uncompressed >= 0, compressed >= 0 else {
            throw r.corrupt("page sizes \(compressed)/\(uncompressed) are negative")
        }
        header.type = type
        header.uncompressedSize = Int(uncompressed)
        header.compressedSize = Int(compressed)
        self = header
    }

    private static func count(_ value: Int32, _ what: String, _ r: ThriftCompactReader) throws(ParquetError) -> Int {
        guard value >= 0 else { throw r.corrupt("\(what) is \(value)") }
        return Int(value)
    }

    private static func dataPage(_ r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) -> DataPage {
        var values: Int32?, encoding: Int32?
        var definition: Int32 = ParquetEncoding.rle.rawValue, repetition: Int32 = ParquetEncoding.rle.rawValue
        try r.readStruct(field) { r, f throws(ParquetError) in
            switch f.id {
            case 1: values = try r.i32(f)
            case 2: encoding = try r.i32(f)
            case 3: definition = try r.i32(f)
            case 4: repetition = try r.i32(f)
            default: try r.skip(f.type)
            }
        }
        guard let values, let encoding else { throw r.corrupt("DataPageHeader without num_values or encoding") }
        return DataPage(valueCount: try count(values, "num_values", r), encoding: ParquetEncoding(rawValue: encoding),
                        definitionLevelEncoding: ParquetEncoding(rawValue: definition),
                        repetitionLevelEncoding: ParquetEncoding(rawValue: repetition))
    }

    private static func dictionaryPage(_ r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) -> DictionaryPage {
        var values: Int32?, encoding: Int32 = ParquetEncoding.plain.rawValue
        try r.readStruct(field) { r, f throws(ParquetError) in
            switch f.id {
            case 1: values = try r.i32(f)
            case 2: encoding = try r.i32(f)
            default: try r.skip(f.type)
            }
        }
        guard let values else { throw r.corrupt("DictionaryPageHeader without num_values") }
        return DictionaryPage(valueCount: try count(values, "dictionary num_values", r), encoding: ParquetEncoding(rawValue: encoding))
    }

    private static func dataPageV2(_ r: inout ThriftCompactReader, _ field: ThriftField) throws(ParquetError) -> DataPageV2 {
        var values: Int32?, nulls: Int32?, rows: Int32?, encoding: Int32?, defLength: Int32?, repLength: Int32?
        var compressed = true
        try r.readStruct(field) { r, f throws(ParquetError) in
            switch f.id {
            case 1: values = try r.i32(f)
            case 2: nulls = try r.i32(f)
            case 3: rows = try r.i32(f)
            case 4: encoding = try r.i32(f)
            case 5: defLength = try r.i32(f)
            case 6: repLength = try r.i32(f)
            case 7: compressed = try r.bool(f)
            default: try r.skip(f.type)
            }
        }
        guard let values, let nulls, let rows, let encoding, let defLength, let repLength else {
            throw r.corrupt("DataPageHeaderV2 misses a required field")
        }
        return DataPageV2(
            valueCount: try count(values, "num_values", r), nullCount: try count(nulls, "num_nulls", r),
            rowCount: try count(rows, "num_rows", r), encoding: ParquetEncoding(rawValue: encoding),
            definitionLevelsByteLength: try count(defLength, "definition_levels_byte_length", r),
            repetitionLevelsByteLength: try count(repLength, "repetition_levels_byte_length", r),
            isCompressed: compressed)
    }
}
