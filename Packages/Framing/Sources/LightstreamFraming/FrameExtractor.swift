import Vec64

/// The decode loop every frame reader shares: a ``FrameDecoder`` and the ``StreamBuffer`` in
/// front of it. Bytes go in (``buffer``, ``append(_:)``), frames come out (``nextFrame()``), and
/// when there is no frame yet, ``wantedBytes`` says how many more bytes to fetch.
///
/// The synchronous ``FrameReader``, the async `FramedByteStream` and the NIO channel handler
/// all run this one loop, so a decoder behaves the same under each of them. Use it to drive a
/// decoder from a transport of your own.
///
/// ```swift
/// var extractor = FrameExtractor(decoder: LengthPrefixedFrameDecoder())
/// try extractor.append(chunk)                       // whatever arrived
/// while let frame = try extractor.nextFrame() { handle(frame) }
/// // at end of input:
/// while let frame = try extractor.lastFrame() { handle(frame) }
/// ```
public struct FrameExtractor<Decoder: FrameDecoder> {
    /// The decoder.
    public var decoder: Decoder
    /// The bytes received and not yet decoded.
    public var buffer: StreamBuffer
    @usableFromInline var _wanted = 1
    @usableFromInline var finished = false

    /// An extractor decoding with `decoder` from the bytes in `buffer`.
    @inlinable
    public init(decoder: Decoder, buffer: StreamBuffer = StreamBuffer()) {
        self.decoder = decoder
        self.buffer = buffer
    }

    /// After ``nextFrame()`` returned `nil`: how many more bytes the decoder needs at least
    /// (1 when it does not know).
    @inlinable public var wantedBytes: Int { _wanted }

    /// Appends received bytes (adopted without a copy when nothing is pending).
    @inlinable
    public mutating func append(_ bytes: Buffer) throws(FramingError) {
        try buffer.append(bytes)
    }

    /// The next complete frame, or `nil` when more bytes are needed (then the buffer has room
    /// reserved for the frame, when its size is known, and ``wantedBytes`` is set).
    ///
    /// - Throws: the decoder's ``FramingError``, or `.bufferLimitExceeded` for a frame larger
    ///   than the buffer may hold.
    @inlinable
    public mutating func nextFrame() throws(FramingError) -> Decoder.Frame? {
        // The window goes out of scope before the buffer makes room, so the buffer can reuse its
        // memory in place when no frame points into it.
        let step: DecodeStep<Decoder.Frame>
        let available: Int
        do {
            let window = buffer.window
            available = window.count
            step = try decoder.decode(window)
        }
        switch step {
        case let .frame(frame, consumed):
            try Self.check(consumed, of: available, at: buffer.consumedCount)
            buffer.consume(consumed)
            return frame
        case let .needMoreData(minimumWindow):
            if let minimumWindow { try buffer.reserve(windowOf: minimumWindow) }
            _wanted = max(1, (minimumWindow ?? 0) &- buffer.pendingCount)
            return nil
        }
    }

    /// At end of input: the remaining frames one call at a time, then `nil`.
    ///
    /// - Throws: ``FramingError/Kind/truncatedFrame(needed:available:)`` when the input ended
    ///   inside a frame.
    public mutating func lastFrame() throws(FramingError) -> Decoder.Frame? {
        if finished { return nil }
        do throws(FramingError) {
            guard let step = try decoder.decodeLast(buffer.window) else {
                finished = true
                return nil
            }
            switch step {
            case let .frame(frame, consumed):
                try Self.check(consumed, of: buffer.pendingCount, at: buffer.consumedCount)
                buffer.consume(consumed)
                return frame
            case let .needMoreData(minimumWindow):
                throw buffer.window.error(.truncatedFrame(needed: minimumWindow, available: buffer.pendingCount), at: 0)
            }
        } catch {
            finished = true
            throw error
        }
    }

    /// A decoder must consume at least one byte per frame and no more than it was given;
    /// anything else is a decoder bug that would loop forever or read past the input.
    @inlinable
    static func check(_ consumed: Int, of available: Int, at position: Int) throws(FramingError) {
        guard consumed > 0 && consumed <= available else {
            throw FramingError(.malformed("decoder reported consuming \(consumed) of \(available) bytes"), at: position)
        }
    }
}
