/// The decoded content of one frame; matches copy from it, so it is the whole frame (no sliding
/// window). It grows geometrically up to `maximum` bytes and always keeps ``slack`` writable
/// bytes past its capacity, so sequences can be copied in whole 8- and 16-byte chunks.
final class ZstdOutputBuffer {
    /// Writable bytes past `capacity` that chunked copies may overwrite.
    static let slack = 32

    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The bytes decoded so far.
    var count = 0
    /// The bytes that fit before the slack.
    private(set) var capacity: Int
    /// The most bytes this frame may produce: its content size when the header gives one, else the budget.
    let maximum: Int
    /// Whether `maximum` is the frame's declared content size (exceeding it is corruption).
    private let isContentSize: Bool
    /// The caller's limit, reported in the error.
    private let limit: Int
    /// Whether `base` was allocated here (else it is the caller's memory).
    private var ownsMemory = true

    /// A buffer of its own, growing up to `maximum` bytes (the declared content size when
    /// `isContentSize`, else the caller's remaining budget).
    init(maximum: Int, isContentSize: Bool, limit: Int) {
        // Start small even for a declared size: a header may lie, the input decides the growth.
        capacity = min(maximum, 1 << 16)
        base = .allocate(capacity: capacity + Self.slack)
        self.maximum = maximum
        self.isContentSize = isContentSize
        self.limit = limit
    }

    /// The caller's memory for a frame of `contentSize` bytes: `contentSize` plus ``slack``
    /// writable bytes at `memory`, which must outlive the buffer; it never grows.
    init(borrowing memory: UnsafeMutablePointer<UInt8>, contentSize: Int, limit: Int) {
        base = memory
        capacity = contentSize
        maximum = contentSize
        isContentSize = true
        self.limit = limit
        ownsMemory = false
    }

    deinit {
        if ownsMemory { base.deallocate() }
    }

    /// Makes room for `n` more bytes (plus the slack), or throws when the frame may not produce them.
    @inline(__always)
    func reserve(_ n: Int, at offset: Int) throws(CodecError) {
        if n > capacity - count { try grow(n, at: offset) }
    }

    private func grow(_ n: Int, at offset: Int) throws(CodecError) {
        guard n <= maximum - count else {
            if isContentSize { throw CodecError(.corrupt("frame decodes to more than its content size"), at: offset) }
            throw CodecError(.outputTooLarge(limit: limit), at: offset)
        }
        // Only owned buffers grow: a borrowed one holds the whole content size, its maximum.
        let newCapacity = max(count + n, min(capacity &* 2, maximum))
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.slack)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
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
