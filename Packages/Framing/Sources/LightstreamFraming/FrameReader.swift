import Vec64

/// Drives any ``FrameDecoder`` over any synchronous ``ByteSource``: reads only when the decoder
/// needs more bytes, hands out frames one at a time, and turns a partial frame at end of input
/// into ``FramingError/Kind/truncatedFrame(needed:available:)``.
///
/// ```swift
/// var reader = FrameReader(decoder: LengthPrefixedFrameDecoder(), source: BufferSource(bytes))
/// while let frame = try reader.next() { ... }
/// ```
public struct FrameReader<Decoder: FrameDecoder, Source: ByteSource> {
    /// The decoder frames are decoded with.
    public var decoder: Decoder { _decoder }
    /// The source bytes are read from.
    public var source: Source { _source }
    /// The buffer between source and decoder (its statistics count realigned bodies).
    public var buffer: StreamBuffer { _buffer }
    @usableFromInline var _decoder: Decoder
    @usableFromInline var _source: Source
    @usableFromInline var _buffer: StreamBuffer
    @usableFromInline var sawEnd = false
    @usableFromInline var finished = false

    /// A reader that decodes frames from `source` with `decoder`, through `buffer`.
    public init(decoder: Decoder, source: Source, buffer: StreamBuffer = StreamBuffer()) {
        _decoder = decoder
        _source = source
        _buffer = buffer
    }

    /// The next frame, or `nil` after the last one.
    ///
    /// - Throws: ``FramingError`` for malformed or truncated input and for I/O failures of the
    ///   source (as ``FramingError/Kind/io(_:)`` when the source reports them so).
    @inlinable
    public mutating func next() throws -> Decoder.Frame? {
        if finished { return nil }
        while !sawEnd {
            let window = _buffer.window
            switch try _decoder.decode(window) {
            case let .frame(frame, consumed):
                try Self.check(consumed, of: window)
                _buffer.consume(consumed)
                return frame
            case let .needMoreData(minimumWindow):
                if let minimumWindow { try _buffer.reserve(windowOf: minimumWindow) }
                let wanted = max(1, (minimumWindow ?? 0) - _buffer.pendingCount)
                if try !_source.read(into: &_buffer, minimumCapacity: wanted) { sawEnd = true }
            }
        }
        do {
            guard let step = try _decoder.decodeLast(_buffer.window) else {
                finished = true
                return nil
            }
            switch step {
            case let .frame(frame, consumed):
                try Self.check(consumed, of: _buffer.window)
                _buffer.consume(consumed)
                return frame
            case let .needMoreData(minimumWindow):
                throw _buffer.window.error(.truncatedFrame(needed: minimumWindow, available: _buffer.pendingCount), at: 0)
            }
        } catch {
            finished = true
            throw error
        }
    }

    /// A decoder must consume at least one byte per frame and no more than it was given;
    /// anything else is a decoder bug that would loop forever or read past the input.
    @inlinable
    static func check(_ consumed: Int, of window: ByteWindow) throws(FramingError) {
        guard consumed > 0 && consumed <= window.count else {
            throw window.error(.malformed("decoder reported consuming \(consumed) of \(window.count) bytes"), at: 0)
        }
    }

    /// Every remaining frame.
    public mutating func readAll() throws -> [Decoder.Frame] {
        var frames: [Decoder.Frame] = []
        while let frame = try next() { frames.append(frame) }
        return frames
    }
}
