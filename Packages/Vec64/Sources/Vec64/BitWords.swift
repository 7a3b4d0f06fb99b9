/// Word-at-a-time reads of bit ranges in raw memory, LSB-first as Arrow specifies.
///
/// Bit `i` of a bitmap starting at (`base`, `bitOffset`) is bit `(bitOffset + i) % 8` of byte
/// `(bitOffset + i) / 8`. These helpers read 64 bits at any bit position with unaligned loads,
/// never touching a byte at or past `byteLimit`.
///
/// ``load(_:byteLimit:bit:)`` and ``lowMask(_:)`` are public for the packages above that read
/// LSB-first bit streams (Parquet's bit-packed runs and bitmaps); the rest serves ``Bitmap``.
public enum BitWords {
    /// The 64 bits starting at absolute bit position `bit` (bit 0 of the result is that bit;
    /// bits at or past byte `byteLimit` read as 0). No byte at or past `byteLimit` is read, so
    /// `base` needs only `byteLimit` readable bytes; `bit` must not be negative.
    @inlinable @inline(__always)
    public static func load(_ base: UnsafeRawPointer, byteLimit: Int, bit: Int) -> UInt64 {
        let byte = bit &>> 3
        let shift = UInt64(bit & 7)
        var word: UInt64
        if byte &+ 8 <= byteLimit {
            word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        } else {
            word = 0
            var i = 0
            while byte &+ i < byteLimit && i < 8 {
                word |= UInt64(base.load(fromByteOffset: byte &+ i, as: UInt8.self)) &<< UInt64(i &* 8)
                i &+= 1
            }
        }
        if shift != 0 {
            word &>>= shift
            if byte &+ 8 < byteLimit {
                word |= UInt64(base.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< (64 &- shift)
            }
        }
        return word
    }

    /// A mask of the low `n` bits (`n` in 0...64; 64 gives all ones).
    @inlinable @inline(__always)
    public static func lowMask(_ n: Int) -> UInt64 {
        n >= 64 ? ~0 : (UInt64(1) &<< UInt64(n)) &- 1
    }

    /// The number of set bits among `count` bits from absolute bit position `start`.
    @inlinable
    static func popcount(_ base: UnsafeRawPointer, byteLimit: Int, start: Int, count: Int) -> Int {
        var total = 0
        var bit = start
        let end = start &+ count
        // Head: bring `bit` to a byte boundary so the body loads are plain (unshifted) words.
        if bit & 7 != 0 {
            let n = Swift.min(8 &- (bit & 7), end &- bit)
            total &+= (load(base, byteLimit: byteLimit, bit: bit) & lowMask(n)).nonzeroBitCount
            bit &+= n
        }
        // Body: 16 bytes at a time with a vector SWAR count (portable: it needs no POPCNT
        // instruction, which Swift's baseline x86-64 target cannot assume).
        let bodyBytes = ((end &- bit) &>> 3) & ~15
        if bodyBytes > 0 {
            total &+= popcountBytes(base + (bit &>> 3), count: bodyBytes)
            bit &+= bodyBytes &* 8
        }
        while end &- bit >= 64 {
            let word = base.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self)
            total &+= word.nonzeroBitCount
            bit &+= 64
        }
        if bit < end {
            total &+= (load(base, byteLimit: byteLimit, bit: bit) & lowMask(end &- bit)).nonzeroBitCount
        }
        return total
    }

    /// The number of set bits in `count` bytes (a multiple of 16) from `start`.
    ///
    /// Per-byte counts are accumulated in a 16-lane vector for up to 31 blocks (31 * 8 < 256),
    /// then widened and summed, so the inner loop is a handful of vector operations per 16 bytes.
    @inlinable
    static func popcountBytes(_ start: UnsafeRawPointer, count: Int) -> Int {
        // SWAR on two 64-bit lanes; the masks keep every step inside its byte, so the lanes
        // hold 16 per-byte counts (0...8) that can be summed 31 times before a byte overflows.
        let m1 = SIMD2<UInt64>(repeating: 0x5555_5555_5555_5555)
        let m2 = SIMD2<UInt64>(repeating: 0x3333_3333_3333_3333)
        let m4 = SIMD2<UInt64>(repeating: 0x0F0F_0F0F_0F0F_0F0F)
        var total = 0
        var offset = 0
        while offset < count {
            var accumulator = SIMD2<UInt64>()
            let blockEnd = Swift.min(count, offset &+ 31 &* 16)
            while offset < blockEnd {
                var x = SIMD2<UInt64>(
                    start.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                    start.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self))
                x = x &- ((x &>> 1) & m1)
                x = (x & m2) &+ ((x &>> 2) & m2)
                x = (x &+ (x &>> 4)) & m4
                accumulator &+= x
                offset &+= 16
            }
            // Sum the 16 byte counts: fold bytes into 16-bit halves, then multiply-accumulate.
            let bytes = accumulator
            let pairs = (bytes & SIMD2(repeating: 0x00FF_00FF_00FF_00FF)) &+ ((bytes &>> 8) & SIMD2(repeating: 0x00FF_00FF_00FF_00FF))
            let lanes = (pairs &* SIMD2(repeating: 0x0001_0001_0001_0001)) &>> 48
            total &+= Int(lanes[0] &+ lanes[1])
        }
        return total
    }

    /// Copies `count` bits from absolute bit `sourceBit` of `source` to bit 0 of `destination`
    /// (which must hold `(count + 7) / 8` bytes); bits past `count` in the last byte are zeroed.
    @inlinable
    static func copy(
        from source: UnsafeRawPointer, byteLimit: Int, sourceBit: Int, count: Int,
        to destination: UnsafeMutableRawPointer
    ) {
        var written = 0
        while count &- written >= 64 {
            let word = load(source, byteLimit: byteLimit, bit: sourceBit &+ written)
            destination.storeBytes(of: word.littleEndian, toByteOffset: written &>> 3, as: UInt64.self)
            written &+= 64
        }
        if written < count {
            let word = load(source, byteLimit: byteLimit, bit: sourceBit &+ written) & lowMask(count &- written)
            let bytes = (count &- written &+ 7) &>> 3
            for i in 0..<bytes {
                destination.storeBytes(of: UInt8(truncatingIfNeeded: word &>> UInt64(i &* 8)), toByteOffset: (written &>> 3) &+ i, as: UInt8.self)
            }
        }
    }
}
