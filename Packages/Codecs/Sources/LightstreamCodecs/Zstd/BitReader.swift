/// Reads a Zstandard backward bitstream (FSE and Huffman streams): the stream is written forward,
/// little-endian, closed by a 1-bit marker, and read from its end towards its start.
///
/// The reader keeps 64 bits in `container`, loaded from `position`, and counts in `consumed` the
/// bits of it already read (from the top). ``reload()`` moves `position` back by whole bytes so at
/// most 7 bits of the container are consumed again, as long as the stream has bytes left. Reads
/// never touch memory: reading more bits than the stream holds yields garbage bits and drives
/// ``bitsRemaining`` negative, which callers check (an exact end is ``isFullyConsumed``).
/// Reading at most 56 bits between reloads is always exact while bits remain.
struct ZstdBackwardBitReader {
    /// The stream's first byte.
    let start: UnsafePointer<UInt8>
    /// Where `container` was loaded from (`start` for streams under 8 bytes).
    private(set) var position: UnsafePointer<UInt8>
    private(set) var container: UInt64
    /// Bits of `container` read so far; above 64 means more bits were read than the stream holds.
    var consumed: Int

    init(_ base: UnsafePointer<UInt8>, count: Int, at offset: Int) throws(CodecError) {
        guard count > 0 else { throw CodecError(.corrupt("empty bitstream"), at: offset) }
        let last = base[count - 1]
        guard last != 0 else { throw CodecError(.corrupt("bitstream without end marker"), at: offset + count - 1) }
        start = base
        // The marker bit and the zero bits above it are consumed from the start.
        let marker = last.leadingZeroBitCount + 1
        if count >= 8 {
            position = base + count - 8
            container = UInt64(littleEndian: UnsafeRawPointer(position).loadUnaligned(as: UInt64.self))
            consumed = marker
        } else {
            position = base
            var value: UInt64 = 0
            for i in 0..<count { value |= UInt64(base[i]) << UInt64(8 * i) }
            container = value
            consumed = marker + (8 - count) * 8
        }
    }

    /// The bits of the stream not read yet (negative after reading past its start).
    var bitsRemaining: Int { (position - start) * 8 + 64 - consumed }

    /// Whether exactly every bit of the stream has been read.
    var isFullyConsumed: Bool { position == start && consumed == 64 }

    /// The next `n` (1...64) bits without consuming them.
    @inline(__always)
    func peek(_ n: Int) -> UInt64 {
        (container &<< UInt64(truncatingIfNeeded: consumed)) &>> UInt64(truncatingIfNeeded: 64 &- n)
    }

    /// Reads `n` (0...56) bits.
    @inline(__always)
    mutating func read(_ n: Int) -> Int {
        let value = ((container &<< UInt64(truncatingIfNeeded: consumed)) &>> 1) &>> UInt64(truncatingIfNeeded: 63 &- n)
        consumed &+= n
        return Int(truncatingIfNeeded: value)
    }

    /// Refills the container: afterwards at least 57 bits can be read exactly, or every bit left.
    @inline(__always)
    mutating func reload() {
        let back = min(consumed &>> 3, position - start)
        if back > 0 {
            position -= back
            consumed &-= back &<< 3
            container = UInt64(littleEndian: UnsafeRawPointer(position).loadUnaligned(as: UInt64.self))
        }
    }

    /// The container left-aligned on its unread bits with a 1 bit just below them, so the bits
    /// read since the load are its trailing zeros; its lowest stream bit is lost, so at most
    /// 63 bits may be read before the next load. Valid for streams of 8 bytes or more, with at
    /// most 63 bits consumed.
    var sentinelContainer: UInt64 { (container | 1) &<< UInt64(truncatingIfNeeded: consumed) }

    /// Continues after reads on a ``sentinelContainer``: the container is reloaded from `position`
    /// (not before ``start``) with `consumed` of its bits read.
    mutating func resume(at position: UnsafePointer<UInt8>, consumed: Int) {
        self.position = position
        self.consumed = consumed
        container = UInt64(littleEndian: UnsafeRawPointer(position).loadUnaligned(as: UInt64.self))
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
