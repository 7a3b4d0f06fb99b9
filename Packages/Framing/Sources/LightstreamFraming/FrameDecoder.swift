import Vec64

/// The answer of a decoder to the bytes received so far.
public enum DecodeStep<Frame> {
    /// One frame, decoded from the first `consumed` bytes.
    case frame(Frame, consumed: Int)
    /// Not enough bytes for a frame yet; when known, the total number of bytes the window must
    /// hold before the next attempt can succeed.
    case needMoreData(minimumWindow: Int?)
}

extension DecodeStep: Sendable where Frame: Sendable {}

/// Turns bytes into frames. A decoder never reads and never blocks: it is handed the bytes
/// received so far and answers with one frame and how many bytes it used, or with "need more
/// data", or throws a ``FramingError``.
///
/// The same decoder serves the synchronous ``FrameReader``, async streams and NIO pipelines.
/// It keeps no copy of bytes it did not consume: everything it needs is in the window.
///
/// Compare swift-nio's `NIOSingleStepByteToMessageDecoder`.
public protocol FrameDecoder {
    /// The value one frame decodes to.
    associatedtype Frame

    /// Decodes the first frame of `window`, or answers ``DecodeStep/needMoreData(minimumWindow:)``.
    mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Frame>

    /// Called once at end of input with the leftover bytes (possibly none). Returns the last
    /// frames one call at a time, `nil` when there are no more, and throws
    /// ``FramingError/Kind/truncatedFrame(needed:available:)`` for a partial frame.
    ///
    /// The default decodes complete frames and treats anything else as truncation.
    mutating func decodeLast(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Frame>?
}

extension FrameDecoder {
    /// Decodes one complete frame from the leftover bytes; anything else is
    /// ``FramingError/Kind/truncatedFrame(needed:available:)``.
    public mutating func decodeLast(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Frame>? {
        if window.isEmpty { return nil }
        switch try decode(window) {
        case let .frame(frame, consumed):
            return .frame(frame, consumed: consumed)
        case let .needMoreData(minimum):
            throw window.error(.truncatedFrame(needed: minimum, available: window.count), at: 0)
        }
    }
}
