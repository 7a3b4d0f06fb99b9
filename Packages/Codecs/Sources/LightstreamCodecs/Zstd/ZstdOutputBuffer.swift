/// The decoded content of one frame, grown geometrically but never past `budget` bytes;
/// matches copy from it, so it is the whole frame (no sliding window).
final class ZstdOutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// The most bytes this frame may produce.
    let budget: Int
    /// The caller's limit, reported in the error.
    let limit: Int

    init(reserve: Int, budget: Int, limit: Int) {
        capacity = max(64, min(reserve, budget))
        base = .allocate(capacity: capacity)
        self.budget = budget
        self.limit = limit
    }

    deinit { base.deallocate() }

    @inline(__always)
    func ensure(_ n: Int, at offset: Int) throws(CodecError) {
        guard n <= budget - count else { throw CodecError(.outputTooLarge(limit: limit), at: offset) }
        if count + n > capacity {
            let newCapacity = max(count + n, min(capacity &* 2, budget))
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.initialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
    }

    func append(_ source: UnsafePointer<UInt8>, count n: Int, at offset: Int) throws(CodecError) {
        try ensure(n, at: offset)
        (base + count).initialize(from: source, count: n)
        count += n
    }

    func append(repeating byte: UInt8, count n: Int, at offset: Int) throws(CodecError) {
        try ensure(n, at: offset)
        (base + count).initialize(repeating: byte, count: n)
        count += n
    }

    /// Copies `length` bytes from `distance` bytes back (1...count), overlapping allowed.
    func copyMatch(distance: Int, length: Int, at offset: Int) throws(CodecError) {
        guard distance > 0, distance <= count else {
            throw CodecError(.corrupt("match offset \(distance) before the start of the frame"), at: offset)
        }
        try ensure(length, at: offset)
        let destination = base + count
        if distance >= length {
            destination.initialize(from: destination - distance, count: length)
        } else if distance == 1 {
            destination.initialize(repeating: destination[-1], count: length)
        } else {
            var copied = 0
            while copied < length {
                let chunk = min(distance, length - copied)
                (destination + copied).initialize(from: destination + copied - distance, count: chunk)
                copied += chunk
            }
        }
        count += length
    }
}
