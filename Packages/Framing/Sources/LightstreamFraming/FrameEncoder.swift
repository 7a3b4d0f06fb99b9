import Vec64

/// Turns frames into bytes: appends the bytes of one frame to a ``FrameOutput``.
///
/// Encoders that can write large bodies by reference (``FrameOutput/append(body:)``): the body
/// is not copied, the sink writes it from where it lives.
public protocol FrameEncoder {
    /// The value encoded as one frame.
    associatedtype Frame
    /// Appends the bytes of `frame` to `output`; throws when it cannot be encoded (e.g. too large).
    mutating func encode(_ frame: Frame, into output: inout FrameOutput) throws(FramingError)
}

/// The bytes of encoded frames as a list of buffers to write out in order (a gather list):
/// small pieces (headers, short bodies) are packed into 64-byte aligned memory, large bodies
/// are kept by reference.
public struct FrameOutput: Sendable {
    /// Bodies at least this large are written by reference instead of copied.
    public let referenceThreshold: Int
    @usableFromInline var pieces: [Buffer] = []
    @usableFromInline var scratch = Vec64<UInt8>()
    @usableFromInline var _count = 0
    /// The bytes appended so far.
    @inlinable public var count: Int { _count }

    /// An empty output that keeps bodies of at least `referenceThreshold` bytes by reference.
    public init(referenceThreshold: Int = 4096) {
        self.referenceThreshold = referenceThreshold
    }

    /// Appends bytes by copying.
    @inlinable
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        scratch.append(contentsOf: bytes.bindMemory(to: UInt8.self))
        _count += bytes.count
    }

    /// Appends the bytes of a collection by copying.
    public mutating func append(contentsOf bytes: some Collection<UInt8>) {
        scratch.append(contentsOf: bytes)
        _count += bytes.count
    }

    /// Appends an unsigned integer of `width` bytes (1, 2, 4 or 8) in the given byte order.
    @inlinable
    public mutating func appendInteger(_ value: UInt64, width: Int, bigEndian: Bool) {
        precondition(width == 1 || width == 2 || width == 4 || width == 8, "FrameOutput: integer width \(width) is not 1, 2, 4 or 8")
        precondition(width == 8 || value >> UInt64(width &* 8) == 0, "FrameOutput: \(value) does not fit in \(width) bytes")
        // Little-endian: the low `width` bytes; big-endian: the value shifted to the top, byte-swapped.
        let ordered = bigEndian ? (value << UInt64(64 &- width &* 8)).bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: $0.bindMemory(to: UInt8.self)[0..<width])) }
        _count &+= width
    }

    /// Appends `count` zero bytes (padding).
    public mutating func appendZeros(_ n: Int) {
        scratch.append(repeating: 0, count: n)
        _count += n
    }

    /// Appends a body: by reference (no copy) when it is at least ``referenceThreshold`` bytes,
    /// otherwise copied next to the headers around it.
    @inlinable
    public mutating func append(body: Buffer) {
        if body.count < referenceThreshold {
            body.withUnsafeBytes { append(bytes: $0) }
            return
        }
        flushScratch()
        pieces.append(body)
        _count += body.count
    }

    @usableFromInline
    mutating func flushScratch() {
        guard !scratch.isEmpty else { return }
        pieces.append(scratch.freeze())
        // Start the next run of small pieces at the size this one reached: no regrowth per flush.
        scratch = Vec64(minimumCapacity: scratch.capacity)
    }

    /// Takes the pieces appended so far, leaving the output empty.
    public mutating func takePieces() -> [Buffer] {
        flushScratch()
        defer { pieces = []; _count = 0 }
        return pieces
    }

    /// All bytes appended so far as one contiguous buffer (copies referenced bodies).
    public mutating func takeContiguous() -> Buffer {
        let all = takePieces()
        if all.count == 1 { return all[0] }
        var joined = Vec64<UInt8>(minimumCapacity: all.reduce(0) { $0 + $1.count })
        for piece in all { piece.withUnsafeBytes { joined.append(contentsOf: $0.bindMemory(to: UInt8.self)) } }
        return joined.freeze()
    }
}
