extension Vec64 {
    /// Appends one element. Amortised O(1).
    @inlinable
    public mutating func append(_ element: Element) {
        if _slowPath(_count == capacity || !isKnownUniquelyReferenced(&storage)) {
            makeUniqueAndReserve(_count + 1)
        }
        (elements + _count).initialize(to: element)
        _count += 1
    }

    /// Appends the elements of a buffer with one bulk copy.
    @inlinable
    public mutating func append(contentsOf source: UnsafeBufferPointer<Element>) {
        guard source.count > 0 else { return }
        makeUniqueAndReserve(_count + source.count)
        UnsafeMutableRawPointer(elements + _count).copyMemory(
            from: source.baseAddress!, byteCount: source.count * MemoryLayout<Element>.stride)
        _count += source.count
    }

    /// Appends the elements of a span with one bulk copy.
    @inlinable
    public mutating func append(contentsOf source: Span<Element>) {
        source.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends the elements of any sequence; contiguous collections are copied in bulk.
    @inlinable
    public mutating func append(contentsOf source: some Sequence<Element>) {
        let done: Void? = source.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if done != nil { return }
        makeUniqueAndReserve(_count + source.underestimatedCount)
        for element in source { append(element) }
    }

    /// Appends `count` copies of `value`.
    @inlinable
    public mutating func append(repeating value: Element, count: Int) {
        precondition(count >= 0, "Vec64: negative count")
        resize(to: _count + count, fill: value)
    }
}
