import Vec64

extension ParquetStatistics {
    /// Writes the statistics as a Thrift `Statistics` struct value (the caller writes the field
    /// header): `max_value` (5) and `min_value` (6), `null_count` (3), `distinct_count` (4) and
    /// `nan_count` (9) when set.
    ///
    /// With `alsoDeprecated`, min and max are also written to the deprecated `max` (1) and `min`
    /// (2) fields, as parquet-cpp does for columns of signed sort order so that old readers use
    /// them. Statistics that came from the deprecated fields (``isDeprecatedMinMax``) are written
    /// back there only, so they decode as they were.
    func encode(to w: inout ThriftCompactWriter, alsoDeprecated: Bool = false) {
        w.beginStruct()
        if isDeprecatedMinMax || alsoDeprecated {
            if let max { w.writeBinary(1, max) }
            if let min { w.writeBinary(2, min) }
        }
        if let nullCount { w.writeI64(3, nullCount) }
        if let distinctCount { w.writeI64(4, distinctCount) }
        if !isDeprecatedMinMax {
            if let max { w.writeBinary(5, max) }
            if let min { w.writeBinary(6, min) }
        }
        if let nanCount { w.writeI64(9, nanCount) }
        w.endStruct()
    }

    /// The Thrift compact bytes of ``encode(to:alsoDeprecated:)``.
    func thriftEncoded(alsoDeprecated: Bool = false) -> Vec64<UInt8> {
        ThriftCompactWriter.encoded { encode(to: &$0, alsoDeprecated: alsoDeprecated) }
    }
}
