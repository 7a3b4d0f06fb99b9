/// Reads a Zstandard backward bitstream (FSE and Huffman streams): the stream is written forward,
/// little-endian, closed by a 1-bit marker, and read from its end towards its start.
///
/// `bitPosition` counts the bits not yet read; reads past the start yield zero bits and drive it
/// negative, which callers check (an exact end is `bitPosition == 0`).
struct ZstdBackwardBitReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    var bitPosition: Int

    init(_ base: UnsafePointer<UInt8>, count: Int, at offset: Int) throws(CodecError) {
        guard count > 0 else { throw CodecError(.corrupt("empty bitstream"), at: offset) }
        let last = base[count - 1]
        guard last != 0 else { throw CodecError(.corrupt("bitstream without end marker"), at: offset + count - 1) }
        self.base = base
        self.count = count
        self.bitPosition = (count - 1) * 8 + (7 - last.leadingZeroBitCount)
    }

    /// The `n` (at most 56) bits starting at bit `position`; bits before the start read as zero.
    @inline(__always)
    func bits(at position: Int, _ n: Int) -> UInt64 {
        if position < 0 {
            let available = n + position
            if available <= 0 { return 0 }
            return bits(at: 0, available) << UInt64(-position)
        }
        let byte = position >> 3
        var word: UInt64
        if byte + 8 <= count {
            word = UInt64(littleEndian: UnsafeRawPointer(base + byte).loadUnaligned(as: UInt64.self))
        } else {
            word = 0
            var i = count - 1
            while i >= byte {
                word = (word << 8) | UInt64(base[i])
                i -= 1
            }
        }
        return (word >> UInt64(position & 7)) & ((1 << UInt64(n)) - 1)
    }

    /// Reads `n` (at most 56) bits.
    @inline(__always)
    mutating func read(_ n: Int) -> Int {
        if n == 0 { return 0 }
        bitPosition -= n
        return Int(truncatingIfNeeded: bits(at: bitPosition, n))
    }

    /// The next `n` bits without consuming them.
    @inline(__always)
    func peek(_ n: Int) -> Int {
        Int(truncatingIfNeeded: bits(at: bitPosition - n, n))
    }
}

/// Reads a forward little-endian bitstream (FSE table descriptions), bounds-checked.
struct ZstdForwardBitReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let origin: Int
    var bitPosition = 0

    init(_ base: UnsafePointer<UInt8>, count: Int, at origin: Int) {
        self.base = base
        self.count = count
        self.origin = origin
    }

    /// Reads `n` (at most 16) bits.
    mutating func read(_ n: Int) throws(CodecError) -> Int {
        guard bitPosition + n <= count * 8 else {
            throw CodecError(.corrupt("table description overruns its section"), at: origin + count)
        }
        var value = 0
        var got = 0
        while got < n {
            let byte = Int(base[bitPosition >> 3])
            let shift = bitPosition & 7
            let take = min(8 - shift, n - got)
            value |= ((byte >> shift) & ((1 << take) - 1)) << got
            got += take
            bitPosition += take
        }
        return value
    }

    /// Whole bytes used so far.
    var bytesConsumed: Int { (bitPosition + 7) >> 3 }
}
