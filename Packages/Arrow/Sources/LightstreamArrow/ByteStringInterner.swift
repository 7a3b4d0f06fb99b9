import Vec64

/// Interns byte strings: each distinct value gets the next id (0, 1, 2, ...), and the distinct
/// values are kept in Arrow's offsets + data layout, ready to be a dictionary of `utf8`/`binary`
/// (`Offset` = `Int32`) or `large_utf8`/`large_binary` (`Int64`) values.
///
/// For readers that dictionary-encode strings (CSV and JSON Lines dictionary columns, Parquet
/// `read_dictionary`). An open-addressing table (linear probing, at most half full) holds each
/// value's id with 32 bits of its hash, so growing never rehashes the bytes and most probes that
/// miss are told apart without comparing bytes. No per-value allocation.
///
/// ```swift
/// var interner = ByteStringInterner<Int32>()
/// let a = interner.intern(UnsafeRawBufferPointer(...))   // 0
/// let dictionary = interner.values(as: .utf8)
/// ```
public struct ByteStringInterner<Offset: FixedWidthInteger & BitwiseCopyable & Sendable>: Sendable {
    /// `count + 1` offsets into ``data``, the first 0.
    public private(set) var offsets: Vec64<Offset>
    /// The distinct values' bytes, in id order.
    public private(set) var data: Vec64<UInt8>
    /// Per slot: 0 when empty, else the high 32 bits of the value's hash above `id + 1`.
    @usableFromInline var slots: [UInt64]

    /// An empty interner with room for about `minimumCapacity` distinct values before it grows.
    public init(minimumCapacity: Int = 0) {
        offsets = Vec64(minimumCapacity: minimumCapacity + 1)
        offsets.append(0)
        data = Vec64()
        var size = 64
        while size < minimumCapacity * 2 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
    }

    /// The number of distinct values.
    @inlinable public var count: Int { offsets.count - 1 }

    /// The id of `value`, added as the next id if it is new; `nil` (nothing added) when a new
    /// value would make more than `Int32.max` values or more data bytes than `Offset` can reach.
    @inlinable
    public mutating func intern(_ value: UnsafeRawBufferPointer) -> Int32? {
        let hash = Self.hash(value)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count &- 1
        var slot = Int(truncatingIfNeeded: hash &>> 32) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                if matches(id, value) { return Int32(truncatingIfNeeded: id) }
            }
            slot = (slot &+ 1) & mask
        }
        return insert(value, tag: tag, at: slot)
    }

    /// The distinct values as an array of `type` (a string or binary type whose offsets are
    /// `Offset`); it shares the interner's buffers until the interner changes (copy-on-write).
    public func values(as type: DataType) -> ArrayData {
        ArrayData(type: type, length: count, buffers: [offsets.freeze(), data.freeze()], nullCount: 0)
    }

    @inlinable
    func matches(_ id: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        offsets.withUnsafeBufferPointer { o in
            let start = Int(o[id]), length = Int(o[id &+ 1]) &- start
            guard length == value.count else { return false }
            guard length > 0 else { return true }
            return data.withUnsafeBytes { Self.equal($0.baseAddress! + start, value.baseAddress!, length) }
        }
    }

    @usableFromInline
    mutating func insert(_ value: UnsafeRawBufferPointer, tag: UInt64, at slot: Int) -> Int32? {
        let id = count
        guard id < Int(Int32.max), value.count <= Int(Offset.max) &- data.count else { return nil }
        slots[slot] = tag | UInt64(id &+ 1)
        data.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
        offsets.append(Offset(truncatingIfNeeded: data.count))
        if (id &+ 1) &* 2 > slots.count { grow() }
        return Int32(id)
    }

    /// Doubles the table, placing each entry by the hash bits it keeps.
    mutating func grow() {
        var grown = [UInt64](repeating: 0, count: slots.count &* 2)
        let mask = grown.count &- 1
        for entry in slots where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry &>> 32) & mask
            while grown[slot] != 0 { slot = (slot &+ 1) & mask }
            grown[slot] = entry
        }
        slots = grown
    }

    /// A 64-bit hash of `bytes`, eight bytes at a time (splitmix64-style mixing).
    @inlinable
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i &+ 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 31
            i &+= 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(bytes[i]) &<< shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h &>> 31
        }
        h = (h ^ (h &>> 30)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h &>> 29)
    }

    /// Whether `count` bytes at `a` and `b` are the same, eight at a time.
    @inlinable
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var i = 0
        while i &+ 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }
}
