extension Buffer {
    /// Checks that the bytes can be viewed as `T` values: aligned for `T` and a whole number of them.
    @inlinable
    public func checkTyped<T: BitwiseCopyable>(as type: T.Type) throws(BufferError) {
        guard isAligned(to: MemoryLayout<T>.alignment) else {
            throw .misaligned(address: UInt(bitPattern: base), required: MemoryLayout<T>.alignment)
        }
        guard count % MemoryLayout<T>.stride == 0 else {
            throw .lengthNotMultiple(byteCount: count, elementSize: MemoryLayout<T>.stride)
        }
    }

    /// Calls `body` with the bytes viewed as `T` values, after checking alignment and length.
    @inlinable
    public func withUnsafeBufferPointer<T: BitwiseCopyable, R>(
        as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) throws -> R {
        try checkTyped(as: T.self)
        return try withExtendedLifetime(owner) {
            try body(UnsafeBufferPointer(
                start: base.bindMemory(to: T.self, capacity: count / MemoryLayout<T>.stride), count: count / MemoryLayout<T>.stride))
        }
    }

    /// The bytes as a `Span<T>` borrowed from this buffer, after checking alignment and length.
    @_lifetime(borrow self)
    public func span<T: BitwiseCopyable>(as type: T.Type) throws(BufferError) -> Span<T> {
        try checkTyped(as: T.self)
        let s = Span(_unsafeStart: base.bindMemory(to: T.self, capacity: count / MemoryLayout<T>.stride), count: count / MemoryLayout<T>.stride)
        return _overrideLifetime(s, borrowing: self)
    }

    /// The `T` value at element index `index` (unaligned load; bounds checked).
    @inlinable
    public func load<T: BitwiseCopyable>(_ type: T.Type, at index: Int) -> T {
        precondition(index >= 0 && (index + 1) * MemoryLayout<T>.stride <= count, "Buffer: element index out of range")
        return base.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
    }

    /// The `T` value whose first byte is at `offset` (unaligned load; bounds checked).
    @inlinable
    public func load<T: BitwiseCopyable>(_ type: T.Type, fromByteOffset offset: Int) -> T {
        precondition(offset >= 0 && offset <= count &- MemoryLayout<T>.size, "Buffer: byte offset \(offset) out of range")
        return base.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    /// The `T` value at element index `index` without a bounds check: only for indices that a
    /// validation step has already proved in range.
    @inlinable
    public func loadUnchecked<T: BitwiseCopyable>(_ type: T.Type, at index: Int) -> T {
        base.loadUnaligned(fromByteOffset: index &* MemoryLayout<T>.stride, as: T.self)
    }

    /// A buffer holding a copy of `values` (64-byte aligned).
    public init<T: BitwiseCopyable>(values: some Sequence<T>) {
        self = Vec64<T>(values).freeze()
    }
}
