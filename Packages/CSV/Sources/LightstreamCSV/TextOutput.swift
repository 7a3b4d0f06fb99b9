/// Where text renderers write bytes: a `[UInt8]` or a ``ByteWriter`` (raw memory, no
/// uniqueness or capacity check per byte once space is reserved).
protocol TextOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer)
}

extension Array: TextOutput where Element == UInt8 {}

extension TextOutput {
    /// Appends the bytes of an ASCII literal.
    @inline(__always)
    mutating func append(ascii text: StaticString) {
        append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the bytes of an array.
    @inline(__always)
    mutating func append(bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Appends `count` copies of `byte`.
    @inline(__always)
    mutating func append(repeating byte: UInt8, count: Int) {
        for _ in 0..<max(0, count) { append(byte) }
    }
}

/// A growable run of bytes in raw, 64-byte aligned memory, handed out as a ``Buffer`` without a
/// copy. The owner calls ``reserve(_:)`` before a run of appends (the appends themselves also
/// grow it when needed).
struct ByteWriter: TextOutput {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(64, capacity)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 64)
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0 else { return }
        if count + n > capacity { grow(count + n) }
        (base + count).copyMemory(from: bytes.baseAddress!, byteCount: n)
        count += n
    }

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Frees the memory (the writer must not be used afterwards).
    func deallocate() { base.deallocate() }
}
