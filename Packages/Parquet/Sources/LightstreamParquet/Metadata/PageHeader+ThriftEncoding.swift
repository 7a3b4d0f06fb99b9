import Vec64

extension ParquetPageHeader {
    /// Writes the header as a Thrift `PageHeader` struct value: type, sizes, `crc` when set and
    /// each sub-header that is set (one, matching ``type``, in a valid header). The page's bytes
    /// follow the header in the file.
    func encode(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.writeI32(1, type.rawValue)
        w.writeI32(2, uncompressedSize)
        w.writeI32(3, compressedSize)
        if let crc { w.writeI32(4, Int32(bitPattern: crc)) }
        if let dataPage {
            w.beginStructField(5)
            w.writeI32(1, dataPage.valueCount)
            w.writeI32(2, dataPage.encoding.rawValue)
            w.writeI32(3, dataPage.definitionLevelEncoding.rawValue)
            w.writeI32(4, dataPage.repetitionLevelEncoding.rawValue)
            w.endStruct()
        }
        if let dictionaryPage {
            w.beginStructField(7)
            w.writeI32(1, dictionaryPage.valueCount)
            w.writeI32(2, dictionaryPage.encoding.rawValue)
            w.endStruct()
        }
        if let dataPageV2 {
            w.beginStructField(8)
            w.writeI32(1, dataPageV2.valueCount)
            w.writeI32(2, dataPageV2.nullCount)
            w.writeI32(3, dataPageV2.rowCount)
            w.writeI32(4, dataPageV2.encoding.rawValue)
            w.writeI32(5, dataPageV2.definitionLevelsByteLength)
            w.writeI32(6, dataPageV2.repetitionLevelsByteLength)
            w.writeBool(7, dataPageV2.isCompressed)
            w.endStruct()
        }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:)``.
    func thriftEncoded() -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0) }
    }
}
