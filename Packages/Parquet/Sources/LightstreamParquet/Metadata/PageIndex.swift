/// Where one page of a column chunk is (`PageLocation` of parquet.thrift).
public struct ParquetPageLocation: Hashable, Sendable {
    /// The file offset of the page.
    public var offset: Int64
    /// The bytes of the page as stored, its header included.
    public var compressedPageSize: Int
    /// The index within the row group of the page's first row.
    public var firstRowIndex: Int64
}

/// The page locations of one column chunk (`OffsetIndex` of parquet.thrift).
public struct ParquetOffsetIndex: Hashable, Sendable {
    /// The locations of the chunk's data pages, in file order.
    public var pageLocations: [ParquetPageLocation]
}

/// Per-page statistics of one column chunk (`ColumnIndex` of parquet.thrift).
public struct ParquetColumnIndex: Hashable, Sendable {
    /// Whether each page holds only nulls.
    public var nullPages: [Bool]
    /// The plain-encoded minimum of each page (empty for null pages).
    public var minValues: [[UInt8]]
    /// The plain-encoded maximum of each page (empty for null pages).
    public var maxValues: [[UInt8]]
    /// 0 unordered, 1 ascending, 2 descending.
    public var boundaryOrder: Int
    /// The number of nulls in each page, if the writer stored them.
    public var nullCounts: [Int64]?
}

extension ParquetOffsetIndex {
    init(thrift bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var r = ThriftCompactReader(bytes)
        var locations: [ParquetPageLocation] = []
        try r.readStruct { r, f throws(ParquetError) in
            guard f.id == 1 else { return try r.skip(f.type) }
            try r.readList(f, elementType: .struct) { r, _ throws(ParquetError) in
                var offset: Int64?, size: Int32?, first: Int64?
                try r.readStruct { r, f throws(ParquetError) in
                    switch f.id {
                    case 1: offset = try r.i64(f)
                    case 2: size = try r.i32(f)
                    case 3: first = try r.i64(f)
                    default: try r.skip(f.type)
                    }
                }
                guard let offset, let size, let first, size >= 0 else { throw r.corrupt("PageLocation misses a field") }
                locations.append(ParquetPageLocation(offset: offset, compressedPageSize: Int(size), firstRowIndex: first))
            }
        }
        self.init(pageLocations: locations)
    }
}

extension ParquetColumnIndex {
    init(thrift bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var r = ThriftCompactReader(bytes)
        var index = ParquetColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: 0)
        try r.readStruct { r, f throws(ParquetError) in
            switch f.id {
            case 1: try r.readList(f, elementType: .boolTrue) { r, _ throws(ParquetError) in index.nullPages.append(try r.boolElement()) }
            case 2: try r.readList(f, elementType: .binary) { r, _ throws(ParquetError) in
                    index.minValues.append(Array(UnsafeRawBufferPointer(rebasing: r.bytes[try r.binaryRange()]))) }
            case 3: try r.readList(f, elementType: .binary) { r, _ throws(ParquetError) in
                    index.maxValues.append(Array(UnsafeRawBufferPointer(rebasing: r.bytes[try r.binaryRange()]))) }
            case 4: index.boundaryOrder = Int(try r.i32(f))
            case 5: index.nullCounts = try r.integerList(f)
            default: try r.skip(f.type)
            }
        }
        guard index.minValues.count == index.nullPages.count, index.maxValues.count == index.nullPages.count else {
            throw r.corrupt("ColumnIndex lists differ in length")
        }
        self = index
    }
}
