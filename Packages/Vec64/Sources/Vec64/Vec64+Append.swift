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
        let n = source.count
        guard n > 0 else { return }
        if _slowPath(_count &+ n > capacity || !isKnownUniquelyReferenced(&storage)) {
            makeUniqueAndReserve(_count + n)
        }
        let destination = elements + _count
        if n <= 16 {
            // Short values (strings, small binaries): an inline loop beats a memcpy call.
            for i in 0..<n { (destination + i).initialize(to: source[i]) }
        } else {
            UnsafeMutableRawPointer(destination).copyMemory(
                from: source.baseAddress!, byteCount: n * MemoryLayout<Element>.stride)
        }
        _count &+= n
    }

    /// Appends the bytes of `buffer` as elements with one bulk copy (whatever type the bytes were
    /// written as); `buffer.count` must be a multiple of the element stride.
    @inlinable
    public mutating func append(bytesOf buffer: Buffer) {
        let n = buffer.count / MemoryLayout<Element>.stride
        precondition(n * MemoryLayout<Element>.stride == buffer.count, "Vec64: \(buffer.count) bytes are not whole elements")
        guard n > 0 else { return }
        if _slowPath(_count &+ n > capacity || !isKnownUniquelyReferenced(&storage)) {
            makeUniqueAndReserve(_count + n)
        }
        let destination = UnsafeMutableRawPointer(elements + _count)
        buffer.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: buffer.count) }
        _count &+= n
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
