extension Vec64 {
    /// Calls `body` with the elements as a buffer pointer valid only during the call.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeBufferPointer(start: elements, count: _count))
    }

    /// Calls `body` with the elements as a mutable buffer pointer valid only during the call.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        makeUniqueAndReserve(_count)
        return try body(UnsafeMutableBufferPointer(start: elements, count: _count))
    }

    /// Calls `body` with the element bytes, valid only during the call.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: byteCount))
    }

    /// The elements as a `Span`, for bounds-checked hot loops without copies.
    public var span: Span<Element> {
        @_lifetime(borrow self)
        get {
            let s = Span(_unsafeStart: elements, count: _count)
            return _overrideLifetime(s, borrowing: self)
        }
    }

    /// The elements as a `MutableSpan`; the storage is made unique first.
    public var mutableSpan: MutableSpan<Element> {
        @_lifetime(&self)
        mutating get {
            makeUniqueAndReserve(_count)
            let s = MutableSpan(_unsafeStart: elements, count: _count)
            return _overrideLifetime(s, mutating: &self)
        }
    }

    /// Sets `count` to `newCount` after `body` has initialised the elements in
    /// `count..<newCount` of the (at least `newCount` sized) uninitialised tail.
    ///
    /// This lets kernels write straight into the allocation without a fill first.
    @inlinable
    public mutating func appendUninitialized<E: Error>(
        count extra: Int, _ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> Void
    ) throws(E) {
        precondition(extra >= 0, "Vec64: negative count")
        makeUniqueAndReserve(_count + extra)
        try body(UnsafeMutableBufferPointer(start: elements + _count, count: extra))
        _count += extra
    }

    /// Turns the vector into an immutable ``Buffer`` without copying its bytes.
    ///
    /// The buffer shares the allocation; if this vector value is used again afterwards, its next
    /// mutation copies (copy-on-write), so the buffer never changes.
    @inlinable
    public func freeze() -> Buffer {
        Buffer(storage: storage, count: byteCount)
    }
}
