import Vec64

/// DELTA_LENGTH_BYTE_ARRAY (Parquet `DELTA_LENGTH_BYTE_ARRAY = 6`): the value lengths
/// DELTA_BINARY_PACKED, then all the value bytes back to back.
enum DeltaLengthByteArray {
    /// Decodes the `count` lengths at the start of `bytes` and checks them against the data after
    /// them.
    ///
    /// - Returns: the lengths, the offset where the value bytes start and their total.
    /// - Throws: `.corruptPage` when the header's count is not `count` or a length is negative,
    ///   `.truncated` when the lengths or the value bytes pass the end.
    static func lengths(_ bytes: UnsafeRawBufferPointer, count: Int, what: StaticString = "DELTA_LENGTH_BYTE_ARRAY")
        throws(ParquetError) -> (lengths: Vec64<Int32>, dataStart: Int, dataBytes: Int)
    {
        var decoder = try DeltaBinaryPackedDecoder<Int32>(bytes: bytes)
        guard decoder.totalCount == count else {
            throw ParquetError(.corruptPage("\(what): the lengths header holds \(decoder.totalCount) values, \(count) expected"))
        }
        var lengths = Vec64<Int32>()
        try decoder.decode(count: count, appendingTo: &lengths)
        let dataStart = decoder.bytesConsumed
        var total = 0
        try lengths.withUnsafeBufferPointer { (l) throws(ParquetError) in
            var negative = false
            for length in l {
                negative = negative || length < 0
                total &+= Int(length)  // at most 2^31 values of at most 2^31: no overflow in Int64.
            }
            if negative, let i = l.firstIndex(where: { $0 < 0 }) {
                throw ParquetError(.corruptPage("\(what): value \(i) has negative length \(l[i])"))
            }
        }
        guard total <= bytes.count - dataStart else {
            throw ParquetError(.truncated("\(what): the lengths add up to \(total) bytes, \(bytes.count - dataStart) left"))
        }
        return (lengths, dataStart, total)
    }

    /// Decodes `count` values, appending their bytes to `data` and their end offsets to `offsets`
    /// (which gets its leading offset first when empty).
    ///
    /// - Returns: the bytes of `bytes` used.
    /// - Throws: as ``lengths(_:count:what:)``, and `.limitExceeded` when `O` offsets overflow.
    static func decode<O: FixedWidthInteger & SignedInteger>(
        _ bytes: UnsafeRawBufferPointer, count: Int, offsets: inout Vec64<O>, data: inout Vec64<UInt8>
    ) throws(ParquetError) -> Int {
        let (lengths, dataStart, total) = try lengths(bytes, count: count)
        try ByteArrayOutput.prepare(&offsets, data: data, extraBytes: total, what: "DELTA_LENGTH_BYTE_ARRAY")
        var end = data.count
        if total > 0 {
            data.append(contentsOf: UnsafeBufferPointer(start: (bytes.baseAddress! + dataStart).assumingMemoryBound(to: UInt8.self), count: total))
        }
        lengths.withUnsafeBufferPointer { l in
            offsets.appendUninitialized(count: count) { o in
                for i in 0..<count {
                    end &+= Int(l[i])
                    o[i] = O(truncatingIfNeeded: end)
                }
            }
        }
        return dataStart + total
    }

    /// Appends the values `data[offsets[i] ..< offsets[i + 1]]` DELTA_LENGTH_BYTE_ARRAY-encoded.
    ///
    /// - Throws: `.limitExceeded` when a value is longer than `Int32.max` bytes.
    static func encode<O: FixedWidthInteger & SignedInteger>(
        offsets: UnsafeBufferPointer<O>, data: UnsafeRawBufferPointer, to out: inout Vec64<UInt8>
    ) throws(ParquetError) {
        let n = Swift.max(offsets.count - 1, 0)
        var lengths = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let length = Int(offsets[i + 1]) - Int(offsets[i])
            precondition(length >= 0, "offsets not monotonic")
            guard length <= Int(Int32.max) else {
                throw ParquetError(.limitExceeded("BYTE_ARRAY value \(i) is longer than 2 GiB - 1"))
            }
            lengths[i] = Int32(length)
        }
        lengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &out) }
        if n > 0 {
            let first = Int(offsets[0])
            let last = Int(offsets[n])
            out.append(contentsOf: UnsafeBufferPointer(start: (data.baseAddress! + first).assumingMemoryBound(to: UInt8.self), count: last - first))
        }
    }
}
