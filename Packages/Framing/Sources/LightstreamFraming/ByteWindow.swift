import Vec64

/// The unconsumed bytes a decoder is handed: a read-only view that can hand out frame bodies as
/// zero-copy ``Buffer`` slices, realigning them (one counted copy) when asked for an alignment the
/// bytes do not have.
public struct ByteWindow: Sendable {
    /// The bytes, as a buffer over the stream buffer's memory.
    public let bytes: Buffer
    /// The position of the window's first byte in the whole stream.
    public let streamOffset: Int
    @usableFromInline let statistics: FramingStatistics?

    /// A window over `bytes`, which start at byte `streamOffset` of the stream.
    public init(_ bytes: Buffer, streamOffset: Int = 0) {
        self.init(bytes, streamOffset: streamOffset, statistics: nil)
    }

    @inlinable
    init(_ bytes: Buffer, streamOffset: Int, statistics: FramingStatistics?) {
        self.bytes = bytes
        self.streamOffset = streamOffset
        self.statistics = statistics
    }

    /// The number of bytes available.
    @inlinable public var count: Int { bytes.count }
    /// Whether no bytes are available.
    @inlinable public var isEmpty: Bool { bytes.isEmpty }

    /// The byte at `index`.
    @inlinable public subscript(index: Int) -> UInt8 { bytes[index] }

    /// Reads an unsigned integer of `width` bytes (1, 2, 4 or 8) at `offset` in the given byte
    /// order. The caller checks that `offset + width <= count`.
    @inlinable
    public func readInteger(width: Int, at offset: Int, bigEndian: Bool) -> UInt64 {
        switch width {
        case 1: return UInt64(bytes.load(UInt8.self, fromByteOffset: offset))
        case 2:
            let raw = bytes.load(UInt16.self, fromByteOffset: offset)
            return UInt64(bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw))
        case 4:
            let raw = bytes.load(UInt32.self, fromByteOffset: offset)
            return UInt64(bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
        case 8:
            let raw = bytes.load(UInt64.self, fromByteOffset: offset)
            return bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
        default:
            preconditionFailure("ByteWindow: integer width \(width) is not 1, 2, 4 or 8")
        }
    }

    /// The bytes `range` as a buffer: a zero-copy slice when its first byte is aligned to
    /// `alignment` (a power of two), otherwise a copy into 64-byte aligned memory, counted in
    /// ``FramingStatistics/realignedBodies``.
    @inlinable
    public func body(_ range: Range<Int>, alignment: Int = 1) -> Buffer {
        let slice = bytes.slice(range)
        if alignment <= 1 || slice.isAligned(to: alignment) { return slice }
        statistics?.countRealignment(bytes: slice.count)
        return slice.copied()
    }

    /// An error of `kind` for the frame starting `offset` bytes into this window.
    @inlinable
    public func error(_ kind: FramingError.Kind, at offset: Int) -> FramingError {
        FramingError(kind, at: streamOffset + offset)
    }
}
