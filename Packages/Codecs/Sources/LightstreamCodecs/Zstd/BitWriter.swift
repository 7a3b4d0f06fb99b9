/// Writes a little-endian bitstream forward into memory of a fixed capacity; Zstandard's
/// backward streams are written this way and closed with a 1-bit marker (``writeEndMark()``).
///
/// Bits gather in a 64-bit accumulator that is stored 4 bytes at a time; running out of capacity
/// is a programming error (callers size the memory for their worst case) and traps.
struct ZstdBitWriter {
    private let end: UnsafeMutablePointer<UInt8>
    private let start: UnsafeMutablePointer<UInt8>
    private var next: UnsafeMutablePointer<UInt8>
    private var accumulator: UInt64 = 0
    private var pending = 0

    private init(_ memory: UnsafeMutableBufferPointer<UInt8>) {
        start = memory.baseAddress!
        next = start
        end = start + memory.count
    }

    /// The bytes `body` writes, in memory of `capacity` bytes, the last byte padded with zero bits.
    static func bytes(capacity: Int, _ body: (inout ZstdBitWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: max(capacity, 8)) { memory, count in
            var writer = ZstdBitWriter(memory)
            body(&writer)
            count = writer.finish()
        }
    }

    /// Appends the low `n` (at most 32) bits of `value`.
    @inline(__always)
    mutating func write(_ value: Int, _ n: Int) {
        let mask = (1 as UInt64 &<< UInt64(truncatingIfNeeded: n)) &- 1
        accumulator |= (UInt64(truncatingIfNeeded: value) & mask) &<< UInt64(truncatingIfNeeded: pending)
        pending &+= n
        if pending >= 32 {
            precondition(end - next >= 4, "ZstdBitWriter: capacity exceeded")
            UnsafeMutableRawPointer(next).storeBytes(of: UInt32(truncatingIfNeeded: accumulator).littleEndian, as: UInt32.self)
            next += 4
            accumulator &>>= 32
            pending &-= 32
        }
    }

    /// Writes the closing 1-bit of a backward stream.
    mutating func writeEndMark() { write(1, 1) }

    /// Stores the pending bits, the last byte padded with zero bits; returns the bytes written.
    private mutating func finish() -> Int {
        while pending > 0 {
            precondition(next < end, "ZstdBitWriter: capacity exceeded")
            next.initialize(to: UInt8(truncatingIfNeeded: accumulator))
            next += 1
            accumulator &>>= 8
            pending -= 8
        }
        pending = 0
        return next - start
    }
}
