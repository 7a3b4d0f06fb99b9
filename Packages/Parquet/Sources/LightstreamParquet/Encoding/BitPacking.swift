import Vec64

/// Word-at-a-time bit packing and unpacking in Parquet's order: values are packed from the least
/// significant bit of each byte upwards (the RLE/bit-packed hybrid, PLAIN booleans,
/// DELTA_BINARY_PACKED miniblocks).
///
/// Value `i` of a packed run of width `w` occupies bits `i*w ..< (i+1)*w`, where bit `b` is bit
/// `b % 8` of byte `b / 8`. Every function here reads only inside the `byteCount` bytes it is
/// given; callers check that those bytes hold the values they ask for.
enum BitPacking {
    /// The number of bytes that hold `count` values of `bitWidth` bits, or `nil` on overflow.
    @inline(__always)
    static func byteCount(values count: Int, bitWidth: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        if overflow || bits > Int.max - 7 { return nil }
        return (bits &+ 7) &>> 3
    }

    // MARK: Unpacking

    /// Unpacks `count` values of `bitWidth` (0...64) bits, starting with value number `firstValue`
    /// of the packed run at `source`, into `output` (truncating each value to `T`).
    ///
    /// The `byteCount` bytes at `source` must hold the values
    /// (`(firstValue + count) * bitWidth <= byteCount * 8`). Whole groups of 8 values are read with
    /// unaligned 64-bit loads, with the width a compile-time constant for widths 1...32 and 64.
    static func unpack<T: FixedWidthInteger>(
        _ source: UnsafeRawPointer, byteCount: Int, firstValue: Int, count: Int, bitWidth w: Int,
        into output: UnsafeMutablePointer<T>
    ) {
        assert(w >= 0 && w <= 64)
        assert(((firstValue + count) * w + 7) / 8 <= byteCount)
        if count <= 0 { return }
        if w == 0 {
            output.update(repeating: 0, count: count)
            return
        }
        let mask = BitWords.lowMask(w)
        var i = 0
        // Head: single values until the position is on a group (and so a byte) boundary.
        while i < count && (firstValue &+ i) & 7 != 0 {
            output[i] = T(truncatingIfNeeded: BitWords.load(source, byteLimit: byteCount, bit: (firstValue &+ i) &* w) & mask)
            i &+= 1
        }
        let start = ((firstValue &+ i) &* w) &>> 3
        let fullGroups = (count &- i) &>> 3
        // Groups whose loads stay in bounds: each reads at most `w + 8` bytes from its start.
        let room = byteCount &- start &- 8
        let safeGroups = room < 0 ? 0 : Swift.min(fullGroups, room / w)
        if safeGroups > 0 {
            let p = source + start
            let o = output + i
            switch w {
            case 1: groups(p, safeGroups, 1, o)
            case 2: groups(p, safeGroups, 2, o)
            case 3: groups(p, safeGroups, 3, o)
            case 4: groups(p, safeGroups, 4, o)
            case 5: groups(p, safeGroups, 5, o)
            case 6: groups(p, safeGroups, 6, o)
            case 7: groups(p, safeGroups, 7, o)
            case 8: groups(p, safeGroups, 8, o)
            case 9: groups(p, safeGroups, 9, o)
            case 10: groups(p, safeGroups, 10, o)
            case 11: groups(p, safeGroups, 11, o)
            case 12: groups(p, safeGroups, 12, o)
            case 13: groups(p, safeGroups, 13, o)
            case 14: groups(p, safeGroups, 14, o)
            case 15: groups(p, safeGroups, 15, o)
            case 16: groups(p, safeGroups, 16, o)
            case 17: groups(p, safeGroups, 17, o)
            case 18: groups(p, safeGroups, 18, o)
            case 19: groups(p, safeGroups, 19, o)
            case 20: groups(p, safeGroups, 20, o)
            case 21: groups(p, safeGroups, 21, o)
            case 22: groups(p, safeGroups, 22, o)
            case 23: groups(p, safeGroups, 23, o)
            case 24: groups(p, safeGroups, 24, o)
            case 25: groups(p, safeGroups, 25, o)
            case 26: groups(p, safeGroups, 26, o)
            case 27: groups(p, safeGroups, 27, o)
            case 28: groups(p, safeGroups, 28, o)
            case 29: groups(p, safeGroups, 29, o)
            case 30: groups(p, safeGroups, 30, o)
            case 31: groups(p, safeGroups, 31, o)
            case 32: groups(p, safeGroups, 32, o)
            case 64:
                for k in 0..<(safeGroups &* 8) {
                    o[k] = T(truncatingIfNeeded: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: k &* 8, as: UInt64.self)))
                }
            case 33...57: groups(p, safeGroups, w, o)
            default:
                // 58...63 bits: a value may span 9 bytes.
                for k in 0..<(safeGroups &* 8) {
                    o[k] = T(truncatingIfNeeded: BitWords.load(p, byteLimit: byteCount &- start, bit: k &* w) & mask)
                }
            }
            i &+= safeGroups &* 8
        }
        // Tail: values near the end of the bytes, read with bounds-checked loads.
        while i < count {
            output[i] = T(truncatingIfNeeded: BitWords.load(source, byteLimit: byteCount, bit: (firstValue &+ i) &* w) & mask)
            i &+= 1
        }
    }

    /// Unpacks `groupCount` groups of 8 values of width `w` (1...57) from byte-aligned `p`; each
    /// group reads at most `w + 8` bytes from its start. Inlined so `w` is a constant.
    @inline(__always)
    private static func groups<T: FixedWidthInteger>(
        _ p: UnsafeRawPointer, _ groupCount: Int, _ w: Int, _ o: UnsafeMutablePointer<T>
    ) {
        let mask = BitWords.lowMask(w)
        var p = p
        var o = o
        if w <= 8 {
            for _ in 0..<groupCount {
                let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                o[0] = T(truncatingIfNeeded: word & mask)
                o[1] = T(truncatingIfNeeded: (word &>> UInt64(w)) & mask)
                o[2] = T(truncatingIfNeeded: (word &>> UInt64(2 &* w)) & mask)
                o[3] = T(truncatingIfNeeded: (word &>> UInt64(3 &* w)) & mask)
                o[4] = T(truncatingIfNeeded: (word &>> UInt64(4 &* w)) & mask)
                o[5] = T(truncatingIfNeeded: (word &>> UInt64(5 &* w)) & mask)
                o[6] = T(truncatingIfNeeded: (word &>> UInt64(6 &* w)) & mask)
                o[7] = T(truncatingIfNeeded: (word &>> UInt64(7 &* w)) & mask)
                p += w
                o += 8
            }
            return
        }
        for _ in 0..<groupCount {
            o[0] = T(truncatingIfNeeded: value(p, 0, mask))
            o[1] = T(truncatingIfNeeded: value(p, w, mask))
            o[2] = T(truncatingIfNeeded: value(p, 2 &* w, mask))
            o[3] = T(truncatingIfNeeded: value(p, 3 &* w, mask))
            o[4] = T(truncatingIfNeeded: value(p, 4 &* w, mask))
            o[5] = T(truncatingIfNeeded: value(p, 5 &* w, mask))
            o[6] = T(truncatingIfNeeded: value(p, 6 &* w, mask))
            o[7] = T(truncatingIfNeeded: value(p, 7 &* w, mask))
            p += w
            o += 8
        }
    }

    /// The value at bit `bit` of `p` (at most 57 bits wide, so one unaligned load holds it).
    @inline(__always)
    private static func value(_ p: UnsafeRawPointer, _ bit: Int, _ mask: UInt64) -> UInt64 {
        (UInt64(littleEndian: p.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self)) &>> UInt64(bit & 7)) & mask
    }

    // MARK: Packing

    /// Packs `count` values of `bitWidth` (0...64) bits (bits above the width are dropped) into
    /// exactly `byteCount(values: count, bitWidth:)` bytes at `output`.
    static func pack<T: FixedWidthInteger>(
        _ values: UnsafePointer<T>, count: Int, bitWidth w: Int, into output: UnsafeMutableRawPointer
    ) {
        guard w > 0, count > 0 else { return }
        let mask = BitWords.lowMask(w)
        var accumulator: UInt64 = 0
        var bits = 0
        var o = 0
        for i in 0..<count {
            let v = UInt64(truncatingIfNeeded: values[i]) & mask
            accumulator |= v &<< UInt64(bits)
            bits &+= w
            if bits >= 64 {
                output.storeBytes(of: accumulator.littleEndian, toByteOffset: o, as: UInt64.self)
                o &+= 8
                bits &-= 64
                accumulator = bits == 0 ? 0 : v &>> UInt64(w &- bits)
            }
        }
        var k = 0
        while k < bits {
            output.storeBytes(of: UInt8(truncatingIfNeeded: accumulator), toByteOffset: o, as: UInt8.self)
            accumulator &>>= 8
            o &+= 1
            k &+= 8
        }
    }

    /// Appends `count` values packed at `bitWidth` bits to `out`.
    static func append<T: FixedWidthInteger>(
        _ values: UnsafePointer<T>, count: Int, bitWidth: Int, to out: inout Vec64<UInt8>
    ) {
        let bytes = byteCount(values: count, bitWidth: bitWidth)!
        out.appendUninitialized(count: bytes) { buffer in
            if bytes > 0 { pack(values, count: count, bitWidth: bitWidth, into: UnsafeMutableRawPointer(buffer.baseAddress!)) }
        }
    }

    // MARK: Bitmaps

    /// Grows `bits` with zero bytes so that it holds at least `bitCount` bits.
    @inline(__always)
    static func reserveBits(_ bits: inout Vec64<UInt8>, _ bitCount: Int) {
        let needed = (bitCount &+ 7) &>> 3
        if bits.count < needed {
            bits.append(repeating: 0, count: needed &- bits.count)
        }
    }

    /// Copies `count` bits from absolute bit `sourceBit` of `source` (`byteCount` readable bytes)
    /// to bits `destinationBit ..< destinationBit + count` of the bitmap `bits` (LSB-first, as
    /// Arrow validity bitmaps), growing it as needed; other bits are kept. 64 bits at a time.
    static func copyBits(
        from source: UnsafeRawPointer, byteCount: Int, sourceBit: Int, count: Int,
        into bits: inout Vec64<UInt8>, at destinationBit: Int
    ) {
        guard count > 0 else { return }
        reserveBits(&bits, destinationBit &+ count)
        bits.withUnsafeMutableBufferPointer { d in
            let base = UnsafeMutableRawPointer(d.baseAddress!)
            var i = 0
            while i < count && (destinationBit &+ i) & 7 != 0 {
                let bit = BitWords.load(source, byteLimit: byteCount, bit: sourceBit &+ i) & 1
                setBit(base, destinationBit &+ i, bit != 0)
                i &+= 1
            }
            while count &- i >= 64 {
                let word = BitWords.load(source, byteLimit: byteCount, bit: sourceBit &+ i)
                base.storeBytes(of: word.littleEndian, toByteOffset: (destinationBit &+ i) &>> 3, as: UInt64.self)
                i &+= 64
            }
            if i < count {
                let rest = count &- i
                let word = BitWords.load(source, byteLimit: byteCount, bit: sourceBit &+ i) & BitWords.lowMask(rest)
                storeLowBits(base, byteOffset: (destinationBit &+ i) &>> 3, word: word, bitCount: rest)
            }
        }
    }

    /// Sets bits `destinationBit ..< destinationBit + count` of `bits` to `value`, growing it.
    static func fillBits(_ value: Bool, count: Int, into bits: inout Vec64<UInt8>, at destinationBit: Int) {
        guard count > 0 else { return }
        reserveBits(&bits, destinationBit &+ count)
        bits.withUnsafeMutableBufferPointer { d in
            let base = UnsafeMutableRawPointer(d.baseAddress!)
            var i = 0
            while i < count && (destinationBit &+ i) & 7 != 0 {
                setBit(base, destinationBit &+ i, value)
                i &+= 1
            }
            let wholeBytes = (count &- i) &>> 3
            if wholeBytes > 0 {
                (base + ((destinationBit &+ i) &>> 3)).initializeMemory(as: UInt8.self, repeating: value ? 0xFF : 0, count: wholeBytes)
                i &+= wholeBytes &* 8
            }
            while i < count {
                setBit(base, destinationBit &+ i, value)
                i &+= 1
            }
        }
    }

    /// Writes the low `bitCount` (< 64) bits of `word` at byte `byteOffset`, keeping the bits above
    /// them in the last byte.
    @inline(__always)
    private static func storeLowBits(_ base: UnsafeMutableRawPointer, byteOffset: Int, word: UInt64, bitCount: Int) {
        var w = word
        var left = bitCount
        var o = byteOffset
        while left >= 8 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: w), toByteOffset: o, as: UInt8.self)
            w &>>= 8
            left &-= 8
            o &+= 1
        }
        if left > 0 {
            let keep = ~UInt8(truncatingIfNeeded: BitWords.lowMask(left))
            let old = base.load(fromByteOffset: o, as: UInt8.self)
            base.storeBytes(of: (old & keep) | UInt8(truncatingIfNeeded: w), toByteOffset: o, as: UInt8.self)
        }
    }

    @inline(__always)
    private static func setBit(_ base: UnsafeMutableRawPointer, _ bit: Int, _ value: Bool) {
        let mask: UInt8 = 1 &<< UInt8(truncatingIfNeeded: bit & 7)
        let old = base.load(fromByteOffset: bit &>> 3, as: UInt8.self)
        base.storeBytes(of: value ? old | mask : old & ~mask, toByteOffset: bit &>> 3, as: UInt8.self)
    }
}
