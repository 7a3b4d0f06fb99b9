import Vec64

/// DELTA_BYTE_ARRAY (Parquet `DELTA_BYTE_ARRAY = 7`, front coding): the lengths of the prefixes
/// shared with the previous value DELTA_BINARY_PACKED, then the suffixes DELTA_LENGTH_BYTE_ARRAY.
enum DeltaByteArray {
    /// Decodes `count` values, appending their bytes to `data` and their end offsets to `offsets`
    /// (which gets its leading offset first when empty). The first value of `bytes` has no
    /// previous value (its prefix must be 0).
    ///
    /// - Returns: the bytes of `bytes` used.
    /// - Throws: `.corruptPage` for a prefix longer than the previous value or a negative length,
    ///   `.truncated` for data past the end, `.limitExceeded` when `O` offsets overflow.
    static func decode<O: FixedWidthInteger & SignedInteger>(
        _ bytes: UnsafeRawBufferPointer, count: Int, offsets: inout Vec64<O>, data: inout Vec64<UInt8>,
        maximumBytes: Int = .max
    ) throws(ParquetError) -> Int {
        var prefixDecoder = try DeltaBinaryPackedDecoder<Int32>(bytes: bytes)
        guard prefixDecoder.totalCount == count else {
            throw ParquetError(.corruptPage("DELTA_BYTE_ARRAY: the prefix lengths header holds \(prefixDecoder.totalCount) values, \(count) expected"))
        }
        var prefixes = Vec64<Int32>()
        try prefixDecoder.decode(count: count, appendingTo: &prefixes)
        let suffixStart = prefixDecoder.bytesConsumed
        let rest = UnsafeRawBufferPointer(rebasing: bytes[suffixStart...])
        let (suffixes, dataStart, suffixBytes) = try DeltaLengthByteArray.lengths(rest, count: count, what: "DELTA_BYTE_ARRAY suffixes")

        // Check every prefix against the previous value's length and add up the output.
        var total = 0
        try prefixes.withUnsafeBufferPointer { (p) throws(ParquetError) in
            try suffixes.withUnsafeBufferPointer { (s) throws(ParquetError) in
                var previous = 0
                for i in 0..<count {
                    let prefix = Int(p[i])
                    guard prefix >= 0 && prefix <= previous else {
                        throw ParquetError(.corruptPage("DELTA_BYTE_ARRAY: value \(i) has prefix length \(prefix), the previous value has \(previous) bytes"))
                    }
                    previous = prefix + Int(s[i])
                    let (sum, overflow) = total.addingReportingOverflow(previous)
                    guard !overflow else {
                        throw ParquetError(.limitExceeded("DELTA_BYTE_ARRAY: values add up to more than Int.max bytes"))
                    }
                    total = sum
                }
            }
        }
        // Prefixes repeat earlier bytes, so the output is not backed by the input: bound it.
        guard total <= maximumBytes - data.count else {
            throw ParquetError(.limitExceeded("DELTA_BYTE_ARRAY: values expand to \(total) bytes; the limit is \(maximumBytes)"))
        }
        try ByteArrayOutput.prepare(&offsets, data: data, extraBytes: total, what: "DELTA_BYTE_ARRAY")
        guard count > 0 else { return suffixStart + dataStart + suffixBytes }
        let firstOffset = data.count
        let suffixData = rest.baseAddress! + dataStart
        prefixes.withUnsafeBufferPointer { p in
            suffixes.withUnsafeBufferPointer { s in
                data.appendUninitialized(count: total) { d in
                    offsets.appendUninitialized(count: count) { o in
                        let out = UnsafeMutableRawPointer(d.baseAddress!)
                        var write = 0
                        var previousStart = 0
                        var read = 0
                        for i in 0..<count {
                            let prefix = Int(p[i])
                            let suffix = Int(s[i])
                            if prefix > 0 { (out + write).copyMemory(from: out + previousStart, byteCount: prefix) }
                            if suffix > 0 { (out + write + prefix).copyMemory(from: suffixData + read, byteCount: suffix) }
                            previousStart = write
                            write += prefix + suffix
                            read += suffix
                            o[i] = O(truncatingIfNeeded: firstOffset + write)
                        }
                    }
                }
            }
        }
        return suffixStart + dataStart + suffixBytes
    }

    /// Appends the values `data[offsets[i] ..< offsets[i + 1]]` DELTA_BYTE_ARRAY-encoded, each
    /// value's prefix being the longest it shares with the previous value.
    ///
    /// - Throws: `.limitExceeded` when a value is longer than `Int32.max` bytes.
    static func encode<O: FixedWidthInteger & SignedInteger>(
        offsets: UnsafeBufferPointer<O>, data: UnsafeRawBufferPointer, to out: inout Vec64<UInt8>
    ) throws(ParquetError) {
        let n = Swift.max(offsets.count - 1, 0)
        var prefixes = [Int32](repeating: 0, count: n)
        var suffixOffsets = [Int](repeating: 0, count: n + 1)
        var suffixData = Vec64<UInt8>()
        let bytes = data.bindMemory(to: UInt8.self)
        var previousStart = 0
        var previousLength = 0
        for i in 0..<n {
            let start = Int(offsets[i])
            let length = Int(offsets[i + 1]) - start
            precondition(length >= 0, "offsets not monotonic")
            guard length <= Int(Int32.max) else {
                throw ParquetError(.limitExceeded("BYTE_ARRAY value \(i) is longer than 2 GiB - 1"))
            }
            var prefix = 0
            let limit = Swift.min(length, previousLength)
            while prefix < limit && bytes[start + prefix] == bytes[previousStart + prefix] { prefix += 1 }
            prefixes[i] = Int32(prefix)
            if length > prefix {
                suffixData.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + prefix) ..< (start + length)]))
            }
            suffixOffsets[i + 1] = suffixData.count
            previousStart = start
            previousLength = length
        }
        prefixes.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &out) }
        try suffixOffsets.withUnsafeBufferPointer { (so) throws(ParquetError) in
            try suffixData.withUnsafeBytes { (sd) throws(ParquetError) in
                try DeltaLengthByteArray.encode(offsets: so, data: sd, to: &out)
            }
        }
    }
}
