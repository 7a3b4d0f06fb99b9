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
    public var decoder: Decoder { extractor.decoder }
    /// The source bytes are read from.
    public var source: Source { _source }
    /// The buffer between source and decoder (its statistics count realigned bodies).
    public var buffer: StreamBuffer { extractor.buffer }
    @usableFromInline var extractor: FrameExtractor<Decoder>
    @usableFromInline var _source: Source
    @usableFromInline var sawEnd = false

    /// A reader that decodes frames from `source` with `decoder`, through `buffer`.
    public init(decoder: Decoder, source: Source, buffer: StreamBuffer = StreamBuffer()) {
        extractor = FrameExtractor(decoder: decoder, buffer: buffer)
        _source = source
    }

    /// The next frame, or `nil` after the last one.
    ///
    /// - Throws: ``FramingError`` for malformed or truncated input and for I/O failures of the
    ///   source (as ``FramingError/Kind/io(_:)`` when the source reports them so).
    @inlinable
    public mutating func next() throws -> Decoder.Frame? {
        while !sawEnd {
            if let frame = try extractor.nextFrame() { return frame }
            if try !_source.read(into: &extractor.buffer, minimumCapacity: extractor.wantedBytes) { sawEnd = true }
        }
        return try extractor.lastFrame()
    }

    /// Every remaining frame.
    public mutating func readAll() throws -> [Decoder.Frame] {
        var frames: [Decoder.Frame] = []
        while let frame = try next() { frames.append(frame) }
        return frames
    }
}
