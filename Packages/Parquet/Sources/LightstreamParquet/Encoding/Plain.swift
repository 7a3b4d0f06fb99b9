import Vec64

/// Arrow variable-length layout helpers shared by the byte-array decoders: `offsets` holds
/// `n + 1` offsets into `data`; new values are appended after the current last offset.
enum ByteArrayOutput {
    /// Makes sure `offsets` starts with its first offset (0 when empty) and that `extraBytes`
    /// more bytes of data keep every offset representable as `O`.
    ///
    /// - Throws: `.limitExceeded` when the data would pass `O.max` (2 GiB - 1 for Int32 offsets).
    @inline(__always)
    static func prepare<O: FixedWidthInteger & SignedInteger>(
        _ offsets: inout Vec64<O>, data: Vec64<UInt8>, extraBytes: Int, what: StaticString
    ) throws(ParquetError) {
        let (end, overflow) = data.count.addingReportingOverflow(extraBytes)
        guard !overflow, end <= Int(O.max) else {
            throw ParquetError(.limitExceeded("\(what): \(data.count) + \(extraBytes) bytes of values do not fit \(O.self) offsets"))
        }
        if offsets.isEmpty { offsets.append(O(truncatingIfNeeded: data.count)) }
    }
}

/// PLAIN BYTE_ARRAY values: each a 4-byte little-endian length, then that many bytes.
enum PlainByteArray {
    /// Walks `count` values without copying them: their total byte length and the bytes they
    /// take in `bytes` (lengths included). Cheap: one load per value.
    ///
    /// - Throws: `.truncated` when a length prefix or a value passes the end of `bytes`.
    static func scan(_ bytes: UnsafeRawBufferPointer, count: Int) throws(ParquetError) -> (valueBytes: Int, consumed: Int) {
        guard count >= 0 else { throw ParquetError(.corruptPage("negative BYTE_ARRAY value count \(count)")) }
        let n = bytes.count
        var position = 0
        var total = 0
        for i in 0..<count {
            guard n - position >= 4 else {
                throw ParquetError(.truncated("PLAIN BYTE_ARRAY value \(i) of \(count): length prefix at byte \(position) passes the end (\(n) bytes)"))
            }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            guard length <= n - position - 4 else {
                throw ParquetError(.truncated("PLAIN BYTE_ARRAY value \(i) of \(count) at byte \(position) claims \(length) bytes, \(n - position - 4) left"))
            }
            position += 4 + length
            total += length
        }
        return (total, position)
    }

    /// Decodes `count` values, appending their bytes to `data` and their end offsets to `offsets`
    /// (which gets its leading offset first when empty).
    ///
    /// - Returns: the bytes of `bytes` used.
    /// - Throws: `.truncated` for a value past the end, `.limitExceeded` when `O` offsets overflow.
    static func decode<O: FixedWidthInteger & SignedInteger>(
        _ bytes: UnsafeRawBufferPointer, count: Int, offsets: inout Vec64<O>, data: inout Vec64<UInt8>
    ) throws(ParquetError) -> Int {
        let (total, consumed) = try scan(bytes, count: count)
        try ByteArrayOutput.prepare(&offsets, data: data, extraBytes: total, what: "PLAIN BYTE_ARRAY")
        guard count > 0 else { return consumed }
        let base = bytes.baseAddress!
        var end = data.count
        data.appendUninitialized(count: total) { d in
            offsets.appendUninitialized(count: count) { o in
                var position = 0
                var out = d.baseAddress
                for i in 0..<count {
                    let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    if length > 0 {
                        out!.initialize(from: (base + position + 4).assumingMemoryBound(to: UInt8.self), count: length)
                        out! += length
                    }
                    position += 4 + length
                    end += length
                    o[i] = O(truncatingIfNeeded: end)
                }
            }
        }
        return consumed
    }

    /// Appends the values `data[offsets[i] ..< offsets[i + 1]]` PLAIN-encoded to `out`.
    ///
    /// - Throws: `.limitExceeded` when a value is longer than 4 GiB - 1.
    static func encode<O: FixedWidthInteger & SignedInteger>(
        offsets: UnsafeBufferPointer<O>, data: UnsafeRawBufferPointer, to out: inout Vec64<UInt8>
    ) throws(ParquetError) {
        guard offsets.count > 1 else { return }
        let n = offsets.count - 1
        let first = Int(offsets[0])
        let last = Int(offsets[n])
        precondition(first >= 0 && first <= last && last <= data.count, "offsets outside the data")
        for i in 0..<n where Int(offsets[i + 1]) - Int(offsets[i]) > Int(UInt32.max) {
            throw ParquetError(.limitExceeded("BYTE_ARRAY value \(i) is longer than 4 GiB - 1"))
        }
        out.appendUninitialized(count: 4 * n + last - first) { buffer in
            let o = UnsafeMutableRawPointer(buffer.baseAddress!)
            var position = 0
            for i in 0..<n {
                let start = Int(offsets[i])
                let length = Int(offsets[i + 1]) - start
                precondition(length >= 0, "offsets not monotonic")
                o.storeBytes(of: UInt32(length).littleEndian, toByteOffset: position, as: UInt32.self)
                if length > 0 { (o + position + 4).copyMemory(from: data.baseAddress! + start, byteCount: length) }
                position += 4 + length
            }
        }
    }
}

/// PLAIN BOOLEAN values: bit-packed LSB-first, one bit per value, padded to a whole byte.
enum PlainBoolean {
    /// Decodes `count` booleans into bits `bitOffset ..< bitOffset + count` of the bitmap `bits`
    /// (Arrow's LSB-first layout), growing it; 64 bits at a time.
    ///
    /// - Returns: the bytes used, `ceil(count / 8)`.
    /// - Throws: `.truncated` when `bytes` holds fewer than `count` bits.
    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into bits: inout Vec64<UInt8>, at bitOffset: Int) throws(ParquetError) -> Int {
        guard count >= 0, count <= Int.max - 7, (count + 7) / 8 <= bytes.count else {
            throw ParquetError(.truncated("PLAIN BOOLEAN: \(count) values need \(count / 8 + (count % 8 == 0 ? 0 : 1)) bytes, \(bytes.count) left"))
        }
        guard count > 0 else { return 0 }
        BitPacking.copyBits(from: bytes.baseAddress!, byteCount: bytes.count, sourceBit: 0, count: count, into: &bits, at: bitOffset)
        return (count + 7) / 8
    }

    /// Appends `count` bits of `bits`, starting at bit `bitOffset`, PLAIN-encoded to `out`.
    static func encode(bits: UnsafeRawBufferPointer, bitOffset: Int, count: Int, to out: inout Vec64<UInt8>) {
        precondition(bitOffset >= 0 && count >= 0 && (bitOffset + count + 7) / 8 <= bits.count, "bits outside the bitmap")
        guard count > 0 else { return }
        let start = out.count * 8
        BitPacking.copyBits(from: bits.baseAddress!, byteCount: bits.count, sourceBit: bitOffset, count: count, into: &out, at: start)
    }
}

/// PLAIN values of a fixed width: INT32, INT64, INT96, FLOAT, DOUBLE and FIXED_LEN_BYTE_ARRAY are
/// their little-endian bytes back to back, so decoding is a bounds check and one copy.
enum PlainFixedWidth {
    /// Appends `count` values of `byteWidth` bytes from the start of `bytes` to `data`.
    ///
    /// - Returns: the bytes used, `count * byteWidth`.
    /// - Throws: `.truncated` when `bytes` is shorter.
    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, byteWidth: Int, into data: inout Vec64<UInt8>) throws(ParquetError) -> Int {
        let (total, overflow) = count.multipliedReportingOverflow(by: byteWidth)
        guard count >= 0, byteWidth >= 0, !overflow, total <= bytes.count else {
            throw ParquetError(.truncated("PLAIN: \(count) values of \(byteWidth) bytes need more than the \(bytes.count) bytes left"))
        }
        if total > 0 { data.append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: total)) }
        return total
    }

    /// Appends `count` values of `T` (a little-endian fixed-width type such as Int32 or Double)
    /// from the start of `bytes` to `values`.
    ///
    /// - Returns: the bytes used.
    /// - Throws: `.truncated` when `bytes` is shorter.
    static func decode<T: BitwiseCopyable>(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout Vec64<T>) throws(ParquetError) -> Int {
        let width = MemoryLayout<T>.stride
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard count >= 0, !overflow, total <= bytes.count else {
            throw ParquetError(.truncated("PLAIN: \(count) values of \(width) bytes need more than the \(bytes.count) bytes left"))
        }
        guard count > 0 else { return 0 }
        values.appendUninitialized(count: count) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: bytes.baseAddress!, byteCount: total)
        }
        return total
    }
}
