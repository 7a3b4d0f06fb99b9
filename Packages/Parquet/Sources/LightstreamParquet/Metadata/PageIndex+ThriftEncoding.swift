import Vec64

extension ParquetPageLocation {
    /// Writes the location as a Thrift `PageLocation` struct value.
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeI64(1, offset)
        w.writeI32(2, compressedPageSize)
        w.writeI64(3, firstRowIndex)
        w.endStruct()
    }
}

extension ParquetOffsetIndex {
    /// Writes the index as a Thrift `OffsetIndex` struct value (a whole page-index entry).
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeListHeader(1, elementType: .struct, count: pageLocations.count)
        for location in pageLocations { location.encode(to: &w) }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:)``.
    func thriftEncoded() -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0) }
    }
}

extension ParquetColumnIndex {
    /// Writes the index as a Thrift `ColumnIndex` struct value (a whole page-index entry):
    /// `null_pages`, `min_values`, `max_values`, `boundary_order` and, when set, `null_counts`.
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeListHeader(1, elementType: .boolTrue, count: nullPages.count)
        for isNull in nullPages { w.writeBoolElement(isNull) }
        w.writeListHeader(2, elementType: .binary, count: minValues.count)
        for value in minValues { w.writeBinaryElement(value) }
        w.writeListHeader(3, elementType: .binary, count: maxValues.count)
        for value in maxValues { w.writeBinaryElement(value) }
        w.writeI32(4, boundaryOrder)
        if let nullCounts { w.writeI64List(5, nullCounts) }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:)``.
    func thriftEncoded() -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0) }
    }
}
