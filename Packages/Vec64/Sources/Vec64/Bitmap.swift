/// A sequence of bits in Arrow's layout (LSB-first within each byte): validity bitmaps and
/// boolean values.
///
/// A bitmap can view any ``Buffer`` at any bit offset without a copy
/// (``init(buffer:bitOffset:count:)``); slicing is O(1) at any bit offset. Mutation
/// (`append`, setting a bit) copies the bits into a 64-byte aligned allocation of its own the first
/// time, unless the bitmap already holds the only reference to its storage (copy-on-write).
///
/// Counting set bits (``setBitCount``, the complement of an Arrow null count) and
/// and-/or-combination work 64 bits at a time.
@frozen
public struct Bitmap: @unchecked Sendable {
    /// The allocation this bitmap may write in place when it holds the only reference; `nil` when
    /// it views memory it does not own (it copies before its first write then).
    @usableFromInline var storage: AlignedStorage?
    /// Keeps viewed memory alive when `storage` is `nil`.
    @usableFromInline var foreignOwner: AnyObject?
    /// The byte holding bit `bitOffset` is at `base`; bits are counted from `base`'s bit 0.
    @usableFromInline var base: UnsafeRawPointer
    @usableFromInline var bitOffset: Int
    /// Bytes readable from `base`.
    @usableFromInline var byteLimit: Int
    @usableFromInline var _count: Int
    /// The number of bits.
    @inlinable public var count: Int { _count }

    /// An empty bitmap.
    public init() {
        self.init(storage: AlignedStorage(byteCapacity: 0), count: 0)
    }

    init(storage: AlignedStorage, count: Int) {
        self.storage = storage
        foreignOwner = nil
        base = UnsafeRawPointer(storage.base)
        bitOffset = 0
        byteLimit = storage.byteCapacity
        self._count = count
    }

    /// A bitmap of `count` bits all equal to `value`.
    public init(repeating value: Bool, count: Int) {
        precondition(count >= 0, "Bitmap: negative count")
        let storage = AlignedStorage(byteCapacity: (count + 7) / 8)
        storage.base.initializeMemory(as: UInt8.self, repeating: value ? 0xFF : 0, count: storage.byteCapacity)
        self.init(storage: storage, count: count)
        if value { clearPadding() }
    }

    /// A bitmap holding `bits` in order.
    public init(_ bits: some Sequence<Bool>) {
        self.init()
        reserveCapacity(bits.underestimatedCount)
        for bit in bits { append(bit) }
    }

    /// Views `count` bits of `buffer` starting at bit `bitOffset`, without copying.
    ///
    /// - Throws: ``BufferError/outOfBounds(offset:length:bufferCount:)`` when the buffer holds
    ///   fewer than `bitOffset + count` bits.
    public init(buffer: Buffer, bitOffset: Int = 0, count: Int) throws(BufferError) {
        let (end, overflow) = bitOffset.addingReportingOverflow(count)
        guard bitOffset >= 0, count >= 0, !overflow, end / 8 + (end & 7 == 0 ? 0 : 1) <= buffer.count else {
            throw .outOfBounds(offset: bitOffset / 8, length: count / 8 &+ 1, bufferCount: buffer.count)
        }
        storage = nil
        foreignOwner = buffer.owner
        base = buffer.base + bitOffset / 8
        self.bitOffset = bitOffset & 7
        byteLimit = buffer.count - bitOffset / 8
        self._count = count
    }

    /// The bytes that hold the bits and the bit offset of the first bit in them. No copy.
    public var buffer: (buffer: Buffer, bitOffset: Int) {
        let bytes = Swift.min(byteLimit, (bitOffset + count + 7) / 8)
        return (Buffer(owner: owner, base: base, count: bytes), bitOffset)
    }

    /// What keeps the bits' memory alive.
    var owner: AnyObject {
        storage ?? foreignOwner!
    }

    /// The bits as a buffer whose bit 0 is this bitmap's first bit, padded with zero bits to a
    /// whole byte. No copy when the bitmap already starts on a byte boundary and its padding is
    /// clear; otherwise the bits are copied once into an aligned allocation.
    public func alignedBuffer() -> Buffer {
        let bytes = (count + 7) / 8
        if bitOffset == 0 && (count & 7 == 0 || padBitsAreClear) {
            return Buffer(owner: owner, base: base, count: bytes)
        }
        let storage = AlignedStorage(byteCapacity: bytes)
        BitWords.copy(from: base, byteLimit: byteLimit, sourceBit: bitOffset, count: count, to: storage.base)
        return Buffer(storage: storage, count: bytes)
    }

    private var padBitsAreClear: Bool {
        let end = bitOffset + count
        guard end & 7 != 0 else { return true }
        let last = base.load(fromByteOffset: end / 8, as: UInt8.self)
        return last >> UInt8(end & 7) == 0
    }

    /// The bit at `index`.
    @inlinable
    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "Bitmap: index \(index) out of range 0..<\(count)")
            return unchecked(index)
        }
        set {
            precondition(index >= 0 && index < count, "Bitmap: index \(index) out of range 0..<\(count)")
            makeWritable(bitCapacity: count)
            setUnchecked(index, newValue)
        }
    }

    /// The bit at `index` without a bounds check.
    @inlinable @inline(__always)
    public func unchecked(_ index: Int) -> Bool {
        let bit = bitOffset &+ index
        return base.load(fromByteOffset: bit &>> 3, as: UInt8.self) & (1 &<< UInt8(bit & 7)) != 0
    }

    @inlinable @inline(__always)
    mutating func setUnchecked(_ index: Int, _ value: Bool) {
        let bit = bitOffset &+ index
        let p = UnsafeMutableRawPointer(mutating: base) + (bit &>> 3)
        let mask: UInt8 = 1 &<< UInt8(bit & 7)
        let byte = p.load(as: UInt8.self)
        p.storeBytes(of: value ? byte | mask : byte & ~mask, as: UInt8.self)
    }

    /// Whether this value may write `bitCapacity` bits in place.
    @inlinable
    mutating func isWritable(bitCapacity: Int) -> Bool {
        guard (bitOffset &+ bitCapacity &+ 7) / 8 <= byteLimit else { return false }
        return isKnownUniquelyReferenced(&storage)
    }

    /// Ensures the storage is uniquely owned and writable for at least `bitCapacity` bits.
    @usableFromInline
    mutating func makeWritable(bitCapacity: Int) {
        if isWritable(bitCapacity: bitCapacity) { return }
        let needed = Swift.max(bitCapacity, count)
        let currentBits = byteLimit * 8 - bitOffset
        let grown = needed > currentBits ? Swift.max(needed, currentBits * 2) : needed
        let storage = AlignedStorage(byteCapacity: (grown + 7) / 8)
        storage.base.initializeMemory(as: UInt8.self, repeating: 0, count: storage.byteCapacity)
        BitWords.copy(from: base, byteLimit: byteLimit, sourceBit: bitOffset, count: count, to: storage.base)
        self.storage = storage
        foreignOwner = nil
        base = UnsafeRawPointer(storage.base)
        bitOffset = 0
        byteLimit = storage.byteCapacity
    }

    /// Reserves room for `bitCapacity` bits.
    public mutating func reserveCapacity(_ bitCapacity: Int) {
        makeWritable(bitCapacity: bitCapacity)
    }

    /// Zeroes the bits between `count` and the end of the last byte, so the bytes compare and
    /// serialise deterministically.
    mutating func clearPadding() {
        let end = bitOffset + count
        guard end & 7 != 0 else { return }
        let p = UnsafeMutableRawPointer(mutating: base) + end / 8
        p.storeBytes(of: p.load(as: UInt8.self) & UInt8((1 << (end & 7)) - 1), as: UInt8.self)
    }
}
