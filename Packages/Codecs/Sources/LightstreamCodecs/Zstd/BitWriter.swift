/// Writes a little-endian bitstream forward; Zstandard's backward streams are written this way
/// and closed with a 1-bit marker (``finishWithMarker()``).
struct ZstdBitWriter {
    var bytes: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var pending = 0

    init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    /// Appends the low `n` (at most 32) bits of `value`.
    @inline(__always)
    mutating func write(_ value: Int, _ n: Int) {
        if n == 0 { return }
        accumulator |= (UInt64(truncatingIfNeeded: value) & ((1 << UInt64(n)) - 1)) << UInt64(pending)
        pending += n
        while pending >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            pending -= 8
        }
    }

    /// Pads to a whole byte with zero bits.
    mutating func alignToByte() {
        if pending > 0 {
            bytes.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator = 0
            pending = 0
        }
    }

    /// Writes the closing 1-bit and pads the byte: the end of a backward stream.
    mutating func finishWithMarker() {
        write(1, 1)
        alignToByte()
    }
}
