import Vec64

/// BYTE_STREAM_SPLIT (Parquet `BYTE_STREAM_SPLIT = 9`): for `n` values of `k` bytes, byte `b`
/// of value `i` is stored at `b * n + i` (k streams of n bytes). Works for any width: FLOAT,
/// DOUBLE, INT32, INT64, FLOAT16 and FIXED_LEN_BYTE_ARRAY(k); k = 4 and 8 have fast paths.
enum ByteStreamSplit {
    /// Reassembles `count` values of `byteWidth` bytes from the streams at the start of `bytes`
    /// into `output` (`count * byteWidth` bytes).
    ///
    /// - Returns: the bytes used, `count * byteWidth`.
    /// - Throws: `.truncated` when `bytes` is shorter than the streams.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, count n: Int, byteWidth k: Int, into output: UnsafeMutableRawPointer
    ) throws(ParquetError) -> Int {
        let (total, overflow) = n.multipliedReportingOverflow(by: k)
        guard n >= 0, k > 0, !overflow, total <= bytes.count else {
            throw ParquetError(.truncated("BYTE_STREAM_SPLIT: \(n) values of \(k) bytes need more than the \(bytes.count) bytes left"))
        }
        guard total > 0 else { return 0 }
        let s = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        switch k {
        case 4:
            let s1 = s + n, s2 = s + 2 * n, s3 = s + 3 * n
            for i in 0..<n {
                let v = UInt32(s[i]) | UInt32(s1[i]) &<< 8 | UInt32(s2[i]) &<< 16 | UInt32(s3[i]) &<< 24
                output.storeBytes(of: v.littleEndian, toByteOffset: i &* 4, as: UInt32.self)
            }
        case 8:
            let s1 = s + n, s2 = s + 2 * n, s3 = s + 3 * n, s4 = s + 4 * n, s5 = s + 5 * n, s6 = s + 6 * n, s7 = s + 7 * n
            for i in 0..<n {
                let lo = UInt64(s[i]) | UInt64(s1[i]) &<< 8 | UInt64(s2[i]) &<< 16 | UInt64(s3[i]) &<< 24
                let hi = UInt64(s4[i]) &<< 32 | UInt64(s5[i]) &<< 40 | UInt64(s6[i]) &<< 48 | UInt64(s7[i]) &<< 56
                output.storeBytes(of: (lo | hi).littleEndian, toByteOffset: i &* 8, as: UInt64.self)
            }
        default:
            let o = output.assumingMemoryBound(to: UInt8.self)
            // Blocks of values keep the k output lines in cache while each stream is read.
            var start = 0
            while start < n {
                let end = Swift.min(n, start + 1024)
                for b in 0..<k {
                    let stream = s + b &* n
                    for i in start..<end { o[i &* k &+ b] = stream[i] }
                }
                start = end
            }
        }
        return total
    }

    /// Reassembles `count` values of `byteWidth` bytes and appends their bytes to `data`.
    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, byteWidth: Int, appendingTo data: inout Vec64<UInt8>) throws(ParquetError) -> Int {
        let (total, overflow) = count.multipliedReportingOverflow(by: byteWidth)
        guard count >= 0, byteWidth > 0, !overflow, total <= bytes.count else {
            throw ParquetError(.truncated("BYTE_STREAM_SPLIT: \(count) values of \(byteWidth) bytes need more than the \(bytes.count) bytes left"))
        }
        var used = 0
        try data.appendUninitialized(count: total) { (buffer) throws(ParquetError) in
            if total > 0 { used = try decode(bytes, count: count, byteWidth: byteWidth, into: UnsafeMutableRawPointer(buffer.baseAddress!)) }
        }
        return used
    }

    /// Appends the values in `values` (a whole number of `byteWidth`-byte values) split into
    /// byte streams to `out`.
    static func encode(_ values: UnsafeRawBufferPointer, byteWidth k: Int, to out: inout Vec64<UInt8>) {
        precondition(k > 0 && values.count % k == 0, "BYTE_STREAM_SPLIT: not whole values")
        let n = values.count / k
        guard n > 0 else { return }
        let v = values.baseAddress!.assumingMemoryBound(to: UInt8.self)
        out.appendUninitialized(count: values.count) { buffer in
            let o = buffer.baseAddress!
            for b in 0..<k {
                let stream = o + b * n
                for i in 0..<n { stream[i] = v[i &* k &+ b] }
            }
        }
    }
}
