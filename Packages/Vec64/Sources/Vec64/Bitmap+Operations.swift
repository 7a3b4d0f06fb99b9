extension Bitmap {
    /// The number of bits that are set, counted 64 bits at a time. For a validity bitmap this is
    /// the number of valid slots; ``unsetBitCount`` is the null count.
    public var setBitCount: Int {
        BitWords.popcount(base, byteLimit: byteLimit, start: bitOffset, count: count)
    }

    /// The number of bits that are clear (the null count of a validity bitmap).
    public var unsetBitCount: Int { count - setBitCount }

    /// The number of set bits in `range`.
    public func setBitCount(in range: Range<Int>) -> Int {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Bitmap: range out of bounds")
        return BitWords.popcount(base, byteLimit: byteLimit, start: bitOffset + range.lowerBound, count: range.count)
    }

    /// The bits in `range` as a bitmap sharing this one's storage. O(1), at any bit offset.
    public func slice(_ range: Range<Int>) -> Bitmap {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Bitmap: slice \(range) out of bounds 0..<\(count)")
        var result = self
        let bit = bitOffset + range.lowerBound
        result.base = base + bit / 8
        result.byteLimit = byteLimit - bit / 8
        result.bitOffset = bit & 7
        result._count = range.count
        return result
    }

    /// The 64 bits starting at bit `index` (bits past the end read as 0).
    @inlinable
    public func word(at index: Int) -> UInt64 {
        precondition(index >= 0 && index <= count, "Bitmap: word index \(index) out of range 0...\(count)")
        let word = BitWords.load(base, byteLimit: byteLimit, bit: bitOffset &+ index)
        return word & BitWords.lowMask(count &- index)
    }

    /// Combines two bitmaps of equal length word by word into a new bitmap.
    func combined(with other: Bitmap, _ op: (UInt64, UInt64) -> UInt64) -> Bitmap {
        precondition(count == other.count, "Bitmap: combining bitmaps of \(count) and \(other.count) bits")
        let words = (count + 63) / 64
        let storage = AlignedStorage(byteCapacity: words * 8)
        let out = storage.base.bindMemory(to: UInt64.self, capacity: storage.byteCapacity / 8)
        for w in 0..<words {
            out[w] = (op(word(at: w * 64), other.word(at: w * 64)) & BitWords.lowMask(count - w * 64)).littleEndian
        }
        return Bitmap(storage: storage, count: count)
    }

    /// The bitwise AND of two bitmaps of equal length (a slot is valid when valid in both).
    public static func & (lhs: Bitmap, rhs: Bitmap) -> Bitmap { lhs.combined(with: rhs, &) }

    /// The bitwise OR of two bitmaps of equal length.
    public static func | (lhs: Bitmap, rhs: Bitmap) -> Bitmap { lhs.combined(with: rhs, |) }

    /// The bitwise XOR of two bitmaps of equal length.
    public static func ^ (lhs: Bitmap, rhs: Bitmap) -> Bitmap { lhs.combined(with: rhs, ^) }

    /// The bitwise complement.
    public static prefix func ~ (bitmap: Bitmap) -> Bitmap { bitmap.combined(with: bitmap) { a, _ in ~a } }
}

extension Bitmap: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>
    /// Always 0: bit indices count from the bitmap's first bit, whatever its bit offset.
    @inlinable public var startIndex: Int { 0 }
    /// The number of bits.
    @inlinable public var endIndex: Int { count }
}

extension Bitmap: Equatable {
    /// Two bitmaps are equal when they hold the same bits, whatever their offsets and padding.
    public static func == (lhs: Bitmap, rhs: Bitmap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var i = 0
        while i < lhs.count {
            if lhs.word(at: i) != rhs.word(at: i) { return false }
            i += 64
        }
        return true
    }
}

extension Bitmap: ExpressibleByArrayLiteral {
    /// Creates a bitmap of the literal's bits, first bit first.
    public init(arrayLiteral elements: Bool...) { self.init(elements) }
}

extension Bitmap: CustomStringConvertible {
    /// The bits as `0`/`1` characters, first bit first.
    public var description: String {
        String(map { $0 ? "1" : "0" })
    }
}
