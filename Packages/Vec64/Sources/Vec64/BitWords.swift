/// Word-at-a-time reads of bit ranges in raw memory, LSB-first as Arrow specifies.
///
/// Bit `i` of a bitmap starting at (`base`, `bitOffset`) is bit `(bitOffset + i) % 8` of byte
/// `(bitOffset + i) / 8`. These helpers read 64 bits at any bit position with unaligned loads,
/// never touching a byte at or past `byteLimit`.
@usableFromInline
enum BitWords {
    /// The 64 bits starting at absolute bit position `bit` (bits past the limit read as 0).
    @inlinable @inline(__always)
    static func load(_ base: UnsafeRawPointer, byteLimit: Int, bit: Int) -> UInt64 {
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

    /// A mask of the low `n` bits (n in 0...64).
    @inlinable @inline(__always)
    static func lowMask(_ n: Int) -> UInt64 {
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
