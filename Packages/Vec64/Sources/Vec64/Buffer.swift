/// Immutable, reference-counted bytes with an owner: the currency of every Lightstream layer.
///
/// A `Buffer` is a view of `count` bytes kept alive by an owner object:
/// - its own 64-byte aligned allocation (``Vec64/freeze()``, ``init(copying:)-(UnsafeRawBufferPointer)``),
/// - or foreign memory (a memory map, a received network buffer, memory from another library),
///   kept alive by an owner you supply (``init(unsafeForeignBytes:owner:)``,
///   ``init(unsafeForeignBytes:deallocator:)``).
///
/// Slicing is O(1) and the slice keeps the owner alive, so the memory lives exactly as long as
/// any buffer points into it. The bytes are never mutated after a `Buffer` exists.
@frozen
public struct Buffer: @unchecked Sendable {
    /// Keeps the memory alive; never used otherwise.
    @usableFromInline let owner: AnyObject
    @usableFromInline let base: UnsafeRawPointer
    /// The number of bytes.
    public let count: Int

    @inlinable
    init(storage: AlignedStorage, count: Int) {
        owner = storage
        base = UnsafeRawPointer(storage.base)
        self.count = count
    }

    @inlinable
    init(owner: AnyObject, base: UnsafeRawPointer, count: Int) {
        self.owner = owner
        self.base = base
        self.count = count
    }

    /// An empty buffer (backed by one 64-byte aligned block).
    public init() {
        self.init(storage: Buffer.emptyStorage, count: 0)
    }

    @usableFromInline static let emptyStorage = AlignedStorage(byteCapacity: 0)

    /// Copies `bytes` into a new 64-byte aligned allocation.
    public init(copying bytes: UnsafeRawBufferPointer) {
        let storage = AlignedStorage(byteCapacity: bytes.count)
        if let source = bytes.baseAddress, bytes.count > 0 {
            storage.base.copyMemory(from: source, byteCount: bytes.count)
        }
        self.init(storage: storage, count: bytes.count)
    }

    /// Copies the bytes of a sequence into a new 64-byte aligned allocation.
    public init(copying bytes: some Sequence<UInt8>) {
        if let buffer = bytes.withContiguousStorageIfAvailable({ Buffer(copying: UnsafeRawBufferPointer($0)) }) {
            self = buffer
        } else {
            self = Vec64<UInt8>(bytes).freeze()
        }
    }

    /// Wraps foreign memory without copying; `owner` is retained until the last buffer or slice
    /// over this memory is gone, and must keep the memory valid and unchanged until then.
    ///
    /// Use this for memory that an object already manages (a network buffer, an array from another
    /// library).
    @inlinable
    public init(unsafeForeignBytes bytes: UnsafeRawBufferPointer, owner: some AnyObject & Sendable) {
        self.init(owner: owner, base: bytes.baseAddress ?? UnsafeRawPointer(Buffer.emptyStorage.base), count: bytes.count)
    }

    /// Wraps foreign memory without copying; `deallocator` runs exactly once, after the last
    /// buffer or slice over this memory is gone (for example `munmap` for a memory map).
    public init(
        unsafeForeignBytes bytes: UnsafeRawBufferPointer,
        deallocator: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) {
        self.init(unsafeForeignBytes: bytes, owner: ForeignMemoryOwner(bytes: bytes, deallocator: deallocator))
    }

    /// Whether the buffer has no bytes.
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The largest power of two (up to 4096) that divides the first byte's address.
    @inlinable public var alignment: Int { alignmentOf(address: UInt(bitPattern: base)) }

    /// Whether the first byte's address is a multiple of `alignment` (a power of two).
    @inlinable public func isAligned(to alignment: Int) -> Bool {
        UInt(bitPattern: base) & UInt(alignment - 1) == 0
    }

    /// Whether two buffers view the same memory (same address and length), not merely equal bytes.
    @inlinable public func isIdentical(to other: Buffer) -> Bool {
        base == other.base && count == other.count
    }

    /// Whether this buffer and `other` are backed by the same owner (the same allocation or
    /// foreign memory), as a slice and its parent are.
    @inlinable public func sharesOwner(with other: Buffer) -> Bool {
        owner === other.owner
    }

    /// The byte distance from the start of `other` to the start of this buffer, when both views
    /// share an owner; `nil` otherwise. Lets tests prove that a slice is zero-copy.
    public func byteOffset(from other: Buffer) -> Int? {
        guard sharesOwner(with: other) else { return nil }
        return base - other.base
    }

    /// The bytes `range` as a new buffer sharing this one's owner. O(1), no copy.
    ///
    /// - Precondition: `range` lies within `0..<count`. Use ``checkedSlice(_:)`` for ranges that
    ///   come from untrusted input.
    @inlinable
    public func slice(_ range: Range<Int>) -> Buffer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Buffer: slice \(range) out of bounds 0..<\(count)")
        return Buffer(owner: owner, base: base + range.lowerBound, count: range.count)
    }

    /// The bytes `offset ..< offset + length` as a new buffer, or a ``BufferError`` when the
    /// range is negative or outside the buffer. O(1), no copy.
    @inlinable
    public func checkedSlice(offset: Int, length: Int) throws(BufferError) -> Buffer {
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard offset >= 0, length >= 0, !overflow, end <= count else {
            throw BufferError.outOfBounds(offset: offset, length: length, bufferCount: count)
        }
        return Buffer(owner: owner, base: base + offset, count: length)
    }

    /// The byte at `index`.
    @inlinable
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "Buffer: index out of range")
        return base.load(fromByteOffset: index, as: UInt8.self)
    }

    /// Calls `body` with the bytes; the pointer is valid only during the call.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(owner) { () throws(E) -> R in
            try body(UnsafeRawBufferPointer(start: base, count: count))
        }
    }

    /// The bytes as a `RawSpan`, borrowed from this buffer.
    public var bytes: RawSpan {
        @_lifetime(borrow self)
        get {
            let s = RawSpan(_unsafeStart: base, byteCount: count)
            return _overrideLifetime(s, borrowing: self)
        }
    }

    /// The bytes copied into an array.
    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A copy of these bytes in a new 64-byte aligned allocation (used to realign).
    public func copied() -> Buffer {
        withUnsafeBytes { Buffer(copying: $0) }
    }
}

/// Runs a deallocator when the last buffer over foreign memory is gone.
final class ForeignMemoryOwner: Sendable {
    let start: UInt
    let count: Int
    let deallocator: @Sendable (UnsafeRawBufferPointer) -> Void

    init(bytes: UnsafeRawBufferPointer, deallocator: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        start = UInt(bitPattern: bytes.baseAddress)
        count = bytes.count
        self.deallocator = deallocator
    }

    deinit {
        deallocator(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: start), count: count))
    }
}

extension Buffer: Equatable {
    /// Two buffers are equal when their bytes are equal, wherever they live.
    public static func == (lhs: Buffer, rhs: Buffer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.base == rhs.base { return true }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.elementsEqual(b) } }
    }
}

extension Buffer: CustomStringConvertible {
    /// The byte count, alignment and the first bytes in hex.
    public var description: String {
        let shown = withUnsafeBytes { $0.prefix(16).map { String($0, radix: 16).leftPadded(to: 2) } }
        return "Buffer(\(count) bytes, align \(alignment): \(shown.joined(separator: " "))\(count > 16 ? " ..." : ""))"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
