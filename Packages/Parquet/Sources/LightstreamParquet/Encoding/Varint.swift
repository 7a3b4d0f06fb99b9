import Vec64

/// ULEB128 and zigzag integers, as Parquet's encodings (RLE run headers, DELTA_BINARY_PACKED
/// headers) store them.
enum Varint {
    /// Reads a ULEB128 integer of at most `maxBytes` bytes (10 for 64 bits, 5 for 32 bits) at
    /// `position`, advancing it.
    ///
    /// - Throws: `.truncated` when the bytes end inside the integer, `.corruptPage` when it is
    ///   longer than `maxBytes` or its value does not fit in 64 bits.
    @inline(__always)
    static func read(
        _ bytes: UnsafeRawBufferPointer, at position: inout Int, maxBytes: Int = 10, what: StaticString
    ) throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        let end = bytes.count
        while true {
            guard p < end else {
                throw ParquetError(.truncated("input ends inside the varint \(what) at byte \(position)"))
            }
            let byte = bytes.load(fromByteOffset: p, as: UInt8.self)
            p &+= 1
            if shift == 63 && byte > 1 {
                throw ParquetError(.corruptPage("varint \(what) at byte \(position) overflows 64 bits"))
            }
            result |= UInt64(byte & 0x7F) &<< shift
            if byte & 0x80 == 0 { break }
            shift &+= 7
            guard p - position < maxBytes else {
                throw ParquetError(.corruptPage("varint \(what) at byte \(position) is longer than \(maxBytes) bytes"))
            }
        }
        position = p
        return result
    }

    /// Appends `value` as ULEB128.
    @inline(__always)
    static func append(_ value: UInt64, to out: inout Vec64<UInt8>) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v &>>= 7
        }
        out.append(UInt8(truncatingIfNeeded: v))
    }

    /// Zigzag-encodes a signed 64-bit integer (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...).
    @inline(__always)
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    /// The inverse of ``zigzag(_:)``.
    @inline(__always)
    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value &>> 1) ^ -Int64(bitPattern: value & 1)
    }
}
