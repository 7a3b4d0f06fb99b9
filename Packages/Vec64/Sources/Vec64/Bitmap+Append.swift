extension Bitmap {
    /// Appends one bit. Amortised O(1).
    @inlinable
    public mutating func append(_ bit: Bool) {
        if _slowPath(!isWritable(bitCapacity: count &+ 1)) {
            makeWritable(bitCapacity: count &+ 1)
        }
        _count &+= 1
        setUnchecked(count &- 1, bit)
    }

    /// Appends `count` copies of `bit`, a byte at a time.
    public mutating func append(repeating bit: Bool, count n: Int) {
        precondition(n >= 0, "Bitmap: negative count")
        makeWritable(bitCapacity: count + n)
        var i = 0
        // Bit-by-bit up to a byte boundary, then whole bytes, then the tail.
        while i < n && (bitOffset + count) & 7 != 0 {
            _count += 1; setUnchecked(count - 1, bit); i += 1
        }
        let wholeBytes = (n - i) / 8
        if wholeBytes > 0 {
            let p = UnsafeMutableRawPointer(mutating: base) + (bitOffset + count) / 8
            p.initializeMemory(as: UInt8.self, repeating: bit ? 0xFF : 0, count: wholeBytes)
            _count += wholeBytes * 8
            i += wholeBytes * 8
        }
        while i < n {
            _count += 1; setUnchecked(count - 1, bit); i += 1
        }
    }

    /// Appends the bits of another bitmap, 64 at a time.
    public mutating func append(contentsOf other: Bitmap) {
        guard other.count > 0 else { return }
        makeWritable(bitCapacity: count + other.count)
        var done = 0
        // Align the destination to a byte first.
        while done < other.count && (bitOffset + count) & 7 != 0 {
            _count += 1; setUnchecked(count - 1, other.unchecked(done)); done += 1
        }
        let rest = other.count - done
        if rest > 0 {
            let destination = UnsafeMutableRawPointer(mutating: base) + (bitOffset + count) / 8
            BitWords.copy(from: other.base, byteLimit: other.byteLimit, sourceBit: other.bitOffset + done, count: rest, to: destination)
            _count += rest
        }
    }
}
