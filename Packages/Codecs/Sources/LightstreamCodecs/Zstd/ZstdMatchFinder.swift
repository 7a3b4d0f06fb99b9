/// Finds a block's LZ77 sequences greedily over hash tables of recent positions, kept across the
/// blocks of a frame: a short table (4-byte keys; 6-byte keys below level 3, which find longer
/// matches) and, at level 3 and above, a long table of 8-byte keys that remembers long matches the
/// short table has overwritten. Level 3 and above index every position inside matches; below,
/// three per match. The block's literals and sequences land in buffers reused across blocks.
final class ZstdMatchFinder {
    /// The literals of the last block searched (``literalCount`` of them).
    let literals: UnsafeMutablePointer<UInt8>
    /// The sequences of the last block searched (``sequenceCount`` of them).
    let sequences: UnsafeMutablePointer<ZstdEncoder.Sequence>
    private(set) var literalCount = 0
    private(set) var sequenceCount = 0

    private let short: UnsafeMutablePointer<Int32>
    private let shortShift: UInt64
    private let shortKeyIsSixBytes: Bool
    /// Empty below level 3.
    private let long: UnsafeMutablePointer<Int32>
    private let longShift: UInt64
    private let usesLong: Bool
    private let indexesWholeMatches: Bool

    init(level: Int, blockSize: Int) {
        let shortLog = level <= 2 ? 16 : 17
        let longLog = level >= 3 ? 17 : 0
        short = .allocate(capacity: 1 << shortLog)
        short.initialize(repeating: -1, count: 1 << shortLog)
        shortShift = UInt64(64 - shortLog)
        shortKeyIsSixBytes = level <= 2
        usesLong = longLog > 0
        long = .allocate(capacity: usesLong ? 1 << longLog : 1)
        long.initialize(repeating: -1, count: usesLong ? 1 << longLog : 1)
        longShift = UInt64(64 - max(longLog, 1))
        indexesWholeMatches = level >= 3
        literals = .allocate(capacity: blockSize)
        // Every match is at least 4 bytes long.
        sequences = .allocate(capacity: blockSize / 4 + 1)
    }

    deinit {
        short.deallocate()
        long.deallocate()
        literals.deallocate()
        sequences.deallocate()
    }

    @inline(__always)
    private static func load32(_ s: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(s + i).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ s: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self))
    }

    /// The short-table slot of position `i` (`i + 4 <= end`).
    @inline(__always)
    private func shortSlot(_ s: UnsafePointer<UInt8>, _ i: Int, end: Int) -> Int {
        if shortKeyIsSixBytes && i + 8 <= end {
            return Int(truncatingIfNeeded: ((Self.load64(s, i) &<< 16) &* 0xCF1B_BCDC_B7A5_6463) &>> shortShift)
        }
        return Int(truncatingIfNeeded: (UInt64(Self.load32(s, i)) &* 0x9E37_79B1_85EB_CA87) &>> shortShift)
    }

    /// The long-table slot of position `i` (`i + 8 <= end`).
    @inline(__always)
    private func longSlot(_ s: UnsafePointer<UInt8>, _ i: Int) -> Int {
        Int(truncatingIfNeeded: (Self.load64(s, i) &* 0x9E37_79B1_85EB_CA87) &>> longShift)
    }

    /// How far the bytes at `at` and at `from` (before it) agree, up to `end`; the first 4 are known equal.
    @inline(__always)
    private static func matchLength(_ s: UnsafePointer<UInt8>, _ at: Int, _ from: Int, end: Int) -> Int {
        var length = 4
        while at + length + 8 <= end {
            let difference = load64(s, at + length) ^ load64(s, from + length)
            if difference != 0 { return length + difference.trailingZeroBitCount >> 3 }
            length += 8
        }
        while at + length < end && s[at + length] == s[from + length] { length += 1 }
        return length
    }

    @inline(__always)
    private func insert(_ s: UnsafePointer<UInt8>, _ i: Int, end: Int) {
        short[shortSlot(s, i, end: end)] = Int32(truncatingIfNeeded: i)
        if usesLong && i + 8 <= end { long[longSlot(s, i)] = Int32(truncatingIfNeeded: i) }
    }

    /// Indexes position `i` if it lies inside a match (after its start) and has 4 bytes before `end`.
    @inline(__always)
    private func insert(_ s: UnsafePointer<UInt8>, _ i: Int, inside match: Range<Int>, end: Int) {
        if i > match.lowerBound && i < match.upperBound && i + 4 <= end { insert(s, i, end: end) }
    }

    /// Finds the sequences of `s[start..<end]`, matching no further back than `maxDistance`, and
    /// fills ``literals`` and ``sequences``; `repeats` follows the offsets as the decoder will.
    func findSequences(_ s: UnsafePointer<UInt8>, start: Int, end: Int, maxDistance: Int, repeats: inout (Int, Int, Int)) {
        var literalCount = 0
        var sequenceCount = 0
        var anchor = start
        var position = start
        while position + 4 <= end {
            let current = Self.load32(s, position)
            var distance = 0
            var length = 0
            let rep = repeats.0
            if rep <= maxDistance && position - rep >= 0 && position > anchor && Self.load32(s, position - rep) == current {
                distance = rep
                length = Self.matchLength(s, position, position - rep, end: end)
            }
            if usesLong && position + 8 <= end {
                let slot = longSlot(s, position)
                let candidate = Int(long[slot])
                long[slot] = Int32(truncatingIfNeeded: position)
                if candidate >= 0 && candidate < position && position - candidate <= maxDistance
                    && Self.load64(s, candidate) == Self.load64(s, position) {
                    let l = Self.matchLength(s, position, candidate, end: end)
                    if l > length {
                        distance = position - candidate
                        length = l
                    }
                }
            }
            let slot = shortSlot(s, position, end: end)
            let candidate = Int(short[slot])
            short[slot] = Int32(truncatingIfNeeded: position)
            if length < 8 && candidate >= 0 && candidate < position && position - candidate <= maxDistance
                && Self.load32(s, candidate) == current {
                let l = Self.matchLength(s, position, candidate, end: end)
                if l > length {
                    distance = position - candidate
                    length = l
                }
            }
            if distance == 0 {
                position += 1 + ((position - anchor) >> 7)
                continue
            }
            while position > anchor && position - distance > 0 && s[position - 1] == s[position - 1 - distance] {
                position -= 1
                length += 1
            }
            let literalLength = position - anchor
            (literals + literalCount).update(from: s + anchor, count: literalLength)
            literalCount += literalLength
            let value = ZstdEncoder.offsetValue(distance: distance, literalLength: literalLength, repeats: &repeats)
            sequences[sequenceCount] = ZstdEncoder.Sequence(
                literalLength: UInt32(literalLength), offsetValue: UInt32(value), matchLength: UInt32(length))
            sequenceCount += 1
            let matchEnd = position + length
            if indexesWholeMatches {
                var i = position + 1
                while i < matchEnd && i + 4 <= end {
                    insert(s, i, end: end)
                    i += 1
                }
            } else {
                insert(s, position + 2, inside: position..<matchEnd, end: end)
                insert(s, matchEnd - 2, inside: position..<matchEnd, end: end)
                insert(s, matchEnd - 1, inside: position..<matchEnd, end: end)
            }
            position = matchEnd
            anchor = matchEnd
        }
        (literals + literalCount).update(from: s + anchor, count: end - anchor)
        self.literalCount = literalCount + end - anchor
        self.sequenceCount = sequenceCount
    }
}
