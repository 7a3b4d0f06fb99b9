/// Writes DEFLATE's bit stream (least significant bit first) into memory sized in advance.
///
/// Bits collect in a 64-bit accumulator and go out four bytes at a time with one unaligned
/// 8-byte store, so the memory needs 8 writable bytes past the last byte written.
struct DeflateBitWriter {
    let base: UnsafeMutableRawPointer
    /// Whole bytes written.
    private(set) var count = 0
    private var bits: UInt64 = 0
    private var bitCount = 0

    init(_ base: UnsafeMutableRawPointer) {
        self.base = base
    }

    /// Writes the low `n` bits of `value` (n ≤ 32; the bits above n must be zero).
    @inline(__always) mutating func write(_ value: UInt32, _ n: Int) {
        bits |= UInt64(value) << UInt64(bitCount)
        bitCount += n
        if bitCount >= 32 {
            base.storeBytes(of: bits.littleEndian, toByteOffset: count, as: UInt64.self)
            count += 4
            bits >>= 32
            bitCount -= 32
        }
    }

    /// Pads with zero bits to a byte boundary and writes the buffered bytes out.
    mutating func alignToByte() {
        while bitCount > 0 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: bits), toByteOffset: count, as: UInt8.self)
            count += 1
            bits >>= 8
            bitCount -= 8
        }
        bits = 0
        bitCount = 0
    }

    /// Copies bytes as they are (after ``alignToByte()``).
    mutating func writeBytes(_ source: UnsafeRawPointer, count n: Int) {
        precondition(bitCount == 0, "DeflateBitWriter: bytes written off a byte boundary")
        (base + count).copyMemory(from: source, byteCount: n)
        count += n
    }
}
