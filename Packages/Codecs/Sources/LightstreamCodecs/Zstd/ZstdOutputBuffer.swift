/// The decoded content of one frame; matches copy from it, so it is the whole frame (no sliding
/// window). It lives in the caller's output vector: ``ZstdDecoder`` grows that vector between
/// blocks (never past the frame's ``maximum``) and lends the memory again before each block, so
/// the buffer itself never allocates. It always has ``slack`` writable bytes past its capacity,
/// so sequences can be copied in whole 8- and 16-byte chunks.
final class ZstdOutputBuffer {
    /// Writable bytes past `capacity` that chunked copies may overwrite.
    static let slack = 32

    /// The frame's first byte, valid while the memory is lent (one block).
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The bytes decoded so far.
    var count = 0
    /// The bytes that fit before the slack.
    private(set) var capacity: Int
    /// The most bytes this frame may produce: its content size when the header gives one, else
    /// the caller's remaining budget.
    let maximum: Int
    /// Whether `maximum` is the frame's declared content size (exceeding it is corruption).
    private let isContentSize: Bool
    /// The caller's limit, reported in the error.
    private let limit: Int

    /// A frame's output in `capacity` bytes (plus ``slack``) at `memory`.
    init(lending memory: UnsafeMutablePointer<UInt8>, capacity: Int, maximum: Int, isContentSize: Bool, limit: Int) {
        base = memory
        self.capacity = capacity
        self.maximum = maximum
        self.isContentSize = isContentSize
        self.limit = limit
    }

    /// Moves the frame to `memory`, which holds the `count` bytes decoded so far and has room for
    /// `capacity` bytes plus ``slack``.
    func lend(_ memory: UnsafeMutablePointer<UInt8>, capacity: Int) {
        precondition(capacity >= count && capacity <= maximum, "ZstdOutputBuffer: capacity \(capacity) for \(count) of \(maximum) bytes")
        base = memory
        self.capacity = capacity
    }

    /// Checks that `n` more bytes fit, or throws what producing them would mean: past the frame's
    /// maximum, or (the decoder lends room for a whole block) past the block maximum.
    @inline(__always)
    func reserve(_ n: Int, at offset: Int) throws(CodecError) {
        if n > capacity - count { throw overflow(n, at: offset) }
    }

    private func overflow(_ n: Int, at offset: Int) -> CodecError {
        if n > maximum - count {
            if isContentSize { return CodecError(.corrupt("frame decodes to more than its content size"), at: offset) }
            return CodecError(.outputTooLarge(limit: limit), at: offset)
        }
        return CodecError(.corrupt("block decodes to more than the block maximum"), at: offset)
    }

    func append(_ source: UnsafePointer<UInt8>, count n: Int, at offset: Int) throws(CodecError) {
        try reserve(n, at: offset)
        (base + count).initialize(from: source, count: n)
        count += n
    }

    func append(repeating byte: UInt8, count n: Int, at offset: Int) throws(CodecError) {
        try reserve(n, at: offset)
        (base + count).initialize(repeating: byte, count: n)
        count += n
    }
}
