import Vec64

/// Decodes the value section of a page in any encoding into a ``ValueBuffer``.
enum ValueDecoding {
    /// PLAIN values (data pages and dictionary pages); returns the bytes used.
    static func plain(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ValueBuffer) throws(ParquetError) -> Int {
        let used: Int
        switch values.kind {
        case .fixed(let width):
            used = try PlainFixedWidth.decode(bytes, count: count, byteWidth: width, into: &values.data)
        case .boolean:
            used = try PlainBoolean.decode(bytes, count: count, into: &values.data, at: values.count)
        case .byteArray(let large):
            used = large ? try PlainByteArray.decode(bytes, count: count, offsets: &values.offsets64, data: &values.data)
                : try PlainByteArray.decode(bytes, count: count, offsets: &values.offsets32, data: &values.data)
        }
        values.count += count
        return used
    }

    /// Values in `encoding`; returns the bytes used where the encoding knows it.
    static func decode(_ bytes: UnsafeRawBufferPointer, _ encoding: ParquetEncoding, count: Int,
                       physical: ParquetPhysicalType, into values: inout ValueBuffer,
                       maximumBytes: Int = .max) throws(ParquetError) -> Int {
        switch (encoding, values.kind) {
        case (.plain, _):
            return try plain(bytes, count: count, into: &values)
        case (.rle, .boolean):
            let (runs, consumed) = try RLEBitPackedHybridDecoder.lengthPrefixed(bytes)
            var decoder = try RLEBitPackedHybridDecoder(bytes: runs, bitWidth: 1)
            let got = try decoder.decodeBooleans(count: count, into: &values.data, at: values.count)
            guard got == count else { throw ParquetError(.truncated("RLE booleans hold \(got) values, \(count) expected")) }
            values.count += count
            return consumed
        case (.deltaBinaryPacked, .fixed(let width)) where physical == .int32 || physical == .int64:
            let used = width == 4 ? try deltaBinaryPacked(bytes, count: count, into: &values.data, as: Int32.self)
                : try deltaBinaryPacked(bytes, count: count, into: &values.data, as: Int64.self)
            values.count += count
            return used
        case (.deltaLengthByteArray, .byteArray(let large)):
            let used = large ? try DeltaLengthByteArray.decode(bytes, count: count, offsets: &values.offsets64, data: &values.data)
                : try DeltaLengthByteArray.decode(bytes, count: count, offsets: &values.offsets32, data: &values.data)
            values.count += count
            return used
        case (.deltaByteArray, .byteArray(let large)):
            let used = large ? try DeltaByteArray.decode(bytes, count: count, offsets: &values.offsets64, data: &values.data, maximumBytes: maximumBytes)
                : try DeltaByteArray.decode(bytes, count: count, offsets: &values.offsets32, data: &values.data, maximumBytes: maximumBytes)
            values.count += count
            return used
        case (.deltaByteArray, .fixed(let width)) where physical == .fixedLenByteArray:
            var offsets = Vec64<Int32>()
            var data = Vec64<UInt8>()
            let used = try DeltaByteArray.decode(bytes, count: count, offsets: &offsets, data: &data, maximumBytes: maximumBytes)
            try offsets.withUnsafeBufferPointer { (o) throws(ParquetError) in
                for i in 0..<count where o[i + 1] - o[i] != Int32(width) {
                    throw ParquetError(.corruptPage("DELTA_BYTE_ARRAY value \(i) has \(o[i + 1] - o[i]) bytes, FIXED_LEN_BYTE_ARRAY(\(width))"))
                }
            }
            values.data.append(contentsOf: data)
            values.count += count
            return used
        case (.byteStreamSplit, .fixed(let width)):
            // The streams' length is the value count: a section of any other size is not this page's.
            guard count.multipliedReportingOverflow(by: width) == (bytes.count, false) else {
                throw ParquetError(.corruptPage("BYTE_STREAM_SPLIT section of \(bytes.count) bytes for \(count) values of \(width) bytes"))
            }
            let used = try ByteStreamSplit.decode(bytes, count: count, byteWidth: width, appendingTo: &values.data)
            values.count += count
            return used
        default:
            throw ParquetError(.unsupported("encoding \(encoding) for \(physical) values"))
        }
    }

    /// DELTA_BINARY_PACKED integers appended to `data` as little-endian `T`s.
    private static func deltaBinaryPacked<T: FixedWidthInteger & SignedInteger & BitwiseCopyable>(
        _ bytes: UnsafeRawBufferPointer, count: Int, into data: inout Vec64<UInt8>, as: T.Type
    ) throws(ParquetError) -> Int {
        var decoder = try DeltaBinaryPackedDecoder<T>(bytes: bytes)
        guard decoder.totalCount >= count else {
            throw ParquetError(.corruptPage("DELTA_BINARY_PACKED header holds \(decoder.totalCount) values, \(count) expected"))
        }
        var got = 0
        try data.appendUninitialized(count: count * MemoryLayout<T>.size) { (buffer) throws(ParquetError) in
            let typed = UnsafeMutableRawPointer(buffer.baseAddress!).bindMemory(to: T.self, capacity: count)
            do throws(ParquetError) {
                got = try decoder.decode(into: typed, count: count)
            } catch {
                buffer.initialize(repeating: 0)
                throw error
            }
            if got < count { (typed + got).initialize(repeating: 0, count: count - got) }
        }
        guard got == count else {
            throw ParquetError(.truncated("DELTA_BINARY_PACKED holds \(got) values, \(count) expected"))
        }
        return decoder.bytesConsumed
    }
}
