import Vec64

extension ParquetSchemaElement {
    /// Writes the element as a Thrift `SchemaElement` struct value (the caller writes the field
    /// header or list header). A logical type this encoder cannot write
    /// (``ParquetLogicalType/isThriftEncodable``) is left out.
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        if let type { w.writeI32(1, type.rawValue) }
        if let typeLength { w.writeI32(2, typeLength) }
        if let repetition { w.writeI32(3, repetition.rawValue) }
        w.writeString(4, name)
        if let childCount { w.writeI32(5, childCount) }
        if let convertedType { w.writeI32(6, convertedType.rawValue) }
        if let scale { w.writeI32(7, scale) }
        if let precision { w.writeI32(8, precision) }
        if let fieldID { w.writeI32(9, fieldID) }
        if let logicalType, logicalType.isThriftEncodable {
            w.writeFieldHeader(10, .struct)
            logicalType.encode(to: &w)
        }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:)``.
    func thriftEncoded() -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0) }
    }
}
