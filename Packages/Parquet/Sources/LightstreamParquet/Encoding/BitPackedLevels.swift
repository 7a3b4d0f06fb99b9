import Vec64

/// The deprecated BIT_PACKED level encoding (Parquet `BIT_PACKED = 4`): values packed back to
/// back from the most significant bit of each byte down (the opposite of the hybrid's order),
/// the last byte padded with zeros, no header.
enum BitPackedLevels {
    /// Decodes `count` levels of `bitWidth` (0...16) bits from the start of `bytes` into `output`.
    ///
    /// - Returns: the bytes used, `ceil(count * bitWidth / 8)`.
    /// - Throws: `.corruptPage` for a bad width, `.truncated` when `bytes` is too short.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, count: Int, bitWidth: Int, into output: UnsafeMutablePointer<UInt16>
    ) throws(ParquetError) -> Int {
        guard bitWidth >= 0 && bitWidth <= 16 else {
            throw ParquetError(.corruptPage("BIT_PACKED level bit width \(bitWidth) is outside 0...16"))
        }
        guard count >= 0, let needed = BitPacking.byteCount(values: count, bitWidth: bitWidth), needed <= bytes.count else {
            throw ParquetError(.truncated("BIT_PACKED levels: \(count) values of \(bitWidth) bits need more than the \(bytes.count) bytes left"))
        }
        if bitWidth == 0 || count == 0 {
            output.update(repeating: 0, count: count)
            return 0
        }
        let base = bytes.baseAddress!
        let w = UInt64(bitWidth)
        var i = 0
        // Fast: big-endian 64-bit loads while 8 bytes are readable.
        while i < count {
            let bit = i &* bitWidth
            let byte = bit &>> 3
            if byte &+ 8 > bytes.count { break }
            let word = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            output[i] = UInt16(truncatingIfNeeded: (word &<< UInt64(bit & 7)) &>> (64 &- w))
            i &+= 1
        }
        while i < count {
            let bit = i &* bitWidth
            var value: UInt16 = 0
            for b in bit ..< bit &+ bitWidth {
                let set = base.load(fromByteOffset: b &>> 3, as: UInt8.self) &>> UInt8(7 &- (b & 7)) & 1
                value = value &<< 1 | UInt16(set)
            }
            output[i] = value
            i &+= 1
        }
        return needed
    }

    /// Encodes levels MSB-first at `bitWidth` (0...16) bits, appending them to `out`.
    static func encode(_ levels: UnsafeBufferPointer<UInt16>, bitWidth: Int, to out: inout Vec64<UInt8>) {
        precondition(bitWidth >= 0 && bitWidth <= 16)
        let bytes = BitPacking.byteCount(values: levels.count, bitWidth: bitWidth)!
        out.appendUninitialized(count: bytes) { buffer in
            guard bytes > 0 else { return }
            buffer.update(repeating: 0)
            for (i, level) in levels.enumerated() {
                for k in 0..<bitWidth where level >> UInt16(bitWidth - 1 - k) & 1 != 0 {
                    let b = i * bitWidth + k
                    buffer[b >> 3] |= 0x80 >> UInt8(b & 7)
                }
            }
        }
    }
}
