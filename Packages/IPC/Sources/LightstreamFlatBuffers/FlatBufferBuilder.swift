import Vec64

/// A reference to an object already written into a ``FlatBufferBuilder`` (its distance from the
/// end of the buffer).
public struct FlatOffset: Sendable, Hashable {
    let fromEnd: Int
}

/// Builds a FlatBuffer back to front, as the FlatBuffers format requires (every offset points
/// forward). Objects are written bottom-up: strings and vectors first, then the tables that
/// refer to them, then the root.
public struct FlatBufferBuilder {
    /// Bytes are written at the end of `storage`, growing towards the front.
    private var storage: [UInt8]
    private var head: Int
    private var minimumAlignment = 1
    private var fields: [(slot: Int, fromEnd: Int)] = []
    private var tableStart = 0

    /// An empty builder with room for `initialCapacity` bytes (at least 64) before it grows.
    public init(initialCapacity: Int = 1024) {
        storage = [UInt8](repeating: 0, count: max(64, initialCapacity))
        head = storage.count
    }

    /// The bytes written so far.
    public var count: Int { storage.count - head }

    private mutating func grow(_ needed: Int) {
        let used = count
        var capacity = storage.count
        while capacity - used < needed { capacity *= 2 }
        var fresh = [UInt8](repeating: 0, count: capacity)
        fresh.withUnsafeMutableBytes { dst in
            storage.withUnsafeBytes { src in
                dst.baseAddress!.advanced(by: capacity - used).copyMemory(from: src.baseAddress!.advanced(by: head), byteCount: used)
            }
        }
        storage = fresh
        head = capacity - used
    }

    /// Pads so that after writing `additional` bytes, a value of `size` bytes is aligned.
    private mutating func prepare(_ size: Int, _ additional: Int) {
        minimumAlignment = max(minimumAlignment, size)
        let padding = (~(count + additional) &+ 1) & (size - 1)
        if head < padding + additional + size { grow(padding + additional + size) }
        for _ in 0..<padding { head -= 1; storage[head] = 0 }
    }

    private mutating func put<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        if head < size { grow(size) }
        head -= size
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { raw in
            for i in 0..<size { storage[head + i] = raw[i] }
        }
    }

    private mutating func putBytes(_ bytes: some Collection<UInt8>) {
        if head < bytes.count { grow(bytes.count) }
        head -= bytes.count
        var i = head
        for b in bytes { storage[i] = b; i += 1 }
    }

    /// Writes a string.
    public mutating func createString(_ text: String) -> FlatOffset {
        let utf8 = Array(text.utf8)
        prepare(4, utf8.count + 1)
        put(UInt8(0))
        putBytes(utf8)
        put(UInt32(utf8.count))
        return FlatOffset(fromEnd: count)
    }

    /// Writes a vector of scalars.
    public mutating func createVector<T: FixedWidthInteger>(_ values: [T]) -> FlatOffset {
        let size = MemoryLayout<T>.size
        prepare(4, values.count * size)
        prepare(size, values.count * size)
        for value in values.reversed() { put(value) }
        put(UInt32(values.count))
        return FlatOffset(fromEnd: count)
    }

    /// Writes a vector of references (tables or strings).
    public mutating func createVector(offsets: [FlatOffset]) -> FlatOffset {
        prepare(4, offsets.count * 4)
        for offset in offsets.reversed() {
            prepare(4, 0)
            put(UInt32(count + 4 - offset.fromEnd))
        }
        put(UInt32(offsets.count))
        return FlatOffset(fromEnd: count)
    }

    /// Writes a vector of structs of `structSize` bytes each, given as little-endian integer
    /// fields by `fields(index)` in declaration order (with the struct's padding as zero fields).
    public mutating func createStructVector(count elements: Int, structSize: Int, alignment: Int, fields: (Int) -> [any FixedWidthInteger]) -> FlatOffset {
        prepare(4, elements * structSize)
        prepare(alignment, elements * structSize)
        for index in (0..<elements).reversed() {
            var bytes: [UInt8] = []
            for field in fields(index) { bytes += littleEndianBytes(field) }
            precondition(bytes.count == structSize, "FlatBufferBuilder: struct fields make \(bytes.count) bytes, not \(structSize)")
            putBytes(bytes)
        }
        put(UInt32(elements))
        return FlatOffset(fromEnd: count)
    }

    private func littleEndianBytes(_ value: any FixedWidthInteger) -> [UInt8] {
        func bytes<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
            withUnsafeBytes(of: v.littleEndian) { Array($0) }
        }
        return bytes(value)
    }

    /// Starts a table; add its fields, then call ``endTable()``.
    public mutating func startTable() {
        fields = []
        tableStart = count
    }

    /// Adds a scalar field unless it equals its default.
    public mutating func add<T: FixedWidthInteger>(_ slot: Int, _ value: T, default defaultValue: T) {
        guard value != defaultValue else { return }
        prepare(MemoryLayout<T>.size, 0)
        put(value)
        fields.append((slot, count))
    }

    /// Adds a boolean field unless it equals its default.
    public mutating func add(_ slot: Int, _ value: Bool, default defaultValue: Bool = false) {
        add(slot, UInt8(value ? 1 : 0), default: UInt8(defaultValue ? 1 : 0))
    }

    /// Adds a reference field.
    public mutating func add(_ slot: Int, _ offset: FlatOffset?) {
        guard let offset else { return }
        prepare(4, 0)
        put(UInt32(count + 4 - offset.fromEnd))
        fields.append((slot, count))
    }

    /// Finishes the table started by ``startTable()`` and writes its vtable.
    public mutating func endTable() -> FlatOffset {
        prepare(4, 0)
        put(Int32(0))
        let object = count
        let slots = (fields.map(\.slot).max() ?? -1) + 1
        var entries = [UInt16](repeating: 0, count: slots)
        for field in fields { entries[field.slot] = UInt16(object - field.fromEnd) }
        for entry in entries.reversed() { put(entry) }
        put(UInt16(object - tableStart))
        put(UInt16(4 + 2 * slots))
        let vtable = count
        // The table's first word: the signed distance back to its vtable.
        let tablePosition = storage.count - object
        let distance = Int32(vtable - object)
        withUnsafeBytes(of: distance.littleEndian) { raw in
            for i in 0..<4 { storage[tablePosition + i] = raw[i] }
        }
        fields = []
        return FlatOffset(fromEnd: object)
    }

    /// Writes the root reference and returns the finished FlatBuffer, its size a multiple of the
    /// largest alignment used.
    public mutating func finish(root: FlatOffset) -> [UInt8] {
        prepare(max(minimumAlignment, 8), 4)
        put(UInt32(count + 4 - root.fromEnd))
        return Array(storage[head...])
    }
}
