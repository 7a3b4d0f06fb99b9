/// Why bytes could not be framed: what was wrong and at which byte of the stream.
public struct FramingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the bytes.
    public enum Kind: Equatable, Sendable {
        /// Input ended inside a frame: `available` bytes of a frame that needs `needed` (if known).
        case truncatedFrame(needed: Int?, available: Int)
        /// A frame announced `length` bytes, more than the `maximum` allowed.
        case frameTooLarge(length: UInt64, maximum: Int)
        /// A length field does not fit in `Int` (or goes negative after the length adjustment).
        case lengthOverflow(UInt64)
        /// Buffering the next frame would need more than the buffer's limit.
        case bufferLimitExceeded(needed: Int, limit: Int)
        /// Growing the buffer by `requested` bytes would pass the ``MemoryBudget`` of `budget`
        /// bytes it shares with other buffers (the connections of one listener).
        case memoryBudgetExceeded(requested: Int, budget: Int)
        /// Bytes remained after the last frame where the format allows none.
        case trailingBytes(count: Int)
        /// A frame's type tag has no registered codec.
        case unknownTag(UInt64)
        /// The bytes break the format's rules; the text says which.
        case malformed(String)
        /// Reading from or writing to the underlying byte source or sink failed.
        case io(String)
    }

    /// What was wrong.
    public var kind: Kind
    /// The byte of the stream (counted from the start of input) where the offending frame starts.
    public var byteOffset: Int

    /// An error of `kind` for the frame starting at `byteOffset`.
    @inlinable
    public init(_ kind: Kind, at byteOffset: Int) {
        self.kind = kind
        self.byteOffset = byteOffset
    }

    /// The problem and the byte offset of the frame, as one line.
    public var description: String {
        let what: String = switch kind {
        case let .truncatedFrame(needed, available):
            "truncated frame: input ended after \(available) of \(needed.map(String.init) ?? "more") bytes"
        case let .frameTooLarge(length, maximum): "frame of \(length) bytes exceeds the maximum of \(maximum)"
        case let .lengthOverflow(value): "length field \(value) does not fit in a frame length"
        case let .bufferLimitExceeded(needed, limit): "a frame needs \(needed) buffered bytes, over the limit of \(limit)"
        case let .memoryBudgetExceeded(requested, budget):
            "buffering \(requested) more bytes would pass the receive memory budget (MemoryBudget.limit) of \(budget) bytes shared by the listener's connections"
        case let .trailingBytes(count): "\(count) trailing bytes after the last frame"
        case let .unknownTag(tag): "no codec registered for tag \(tag)"
        case let .malformed(why): why
        case let .io(why): "I/O failed: \(why)"
        }
        return "\(what) (frame at byte \(byteOffset))"
    }
}
