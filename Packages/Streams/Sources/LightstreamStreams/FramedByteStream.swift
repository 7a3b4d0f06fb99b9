import LightstreamFraming
import Vec64

/// Frames decoded from an asynchronous byte source: any ``AsyncByteSource`` and any
/// `FrameDecoder` (the same decoders the synchronous `FrameReader` uses, unchanged), buffered
/// through a `StreamBuffer`, so aligned frame bodies come out without copies.
///
/// ```swift
/// let frames = FramedByteStream(source: FileDescriptorByteStream(fd), decoder: TLVDecoder())
/// for try await frame in frames { ... }
/// ```
///
/// A partial frame at end of input throws `FramingError` with kind `.truncatedFrame`.
/// Cancelling the task stops a pending read at once.
public struct FramedByteStream<Source: AsyncByteSource, Decoder: FrameDecoder>: AsyncSequence {
    /// The frame type.
    public typealias Element = Decoder.Frame
    let source: Source
    let decoder: Decoder
    let buffer: StreamBuffer

    /// Frames from `source`, decoded by `decoder`, through `buffer`.
    public init(source: Source, decoder: Decoder, buffer: StreamBuffer = StreamBuffer()) {
        self.source = source
        self.decoder = decoder
        self.buffer = buffer
    }

    /// Frames from an `AsyncSequence` of byte chunks.
    public init<Chunks>(chunks: Chunks, decoder: Decoder, buffer: StreamBuffer = StreamBuffer())
    where Source == AsyncChunkSource<Chunks> {
        self.init(source: AsyncChunkSource(chunks), decoder: decoder, buffer: buffer)
    }

    /// Iterates over the frames.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var reader: AsyncFrameReader<Source, Decoder>

        /// The next frame, or `nil` after the last.
        public mutating func next() async throws -> Decoder.Frame? {
            try await reader.next()
        }
    }

    /// An iterator over the frames.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: AsyncFrameReader(source: source, decoder: decoder, buffer: buffer))
    }
}

/// Reads frames from an ``AsyncByteSource``: the async counterpart of `FrameReader`, on the same
/// `FrameExtractor` loop. ``FramedByteStream`` iterates with it; readers of richer formats
/// (``TableStreamReader``, ``MessageReceiver``) build on it.
public struct AsyncFrameReader<Source: AsyncByteSource, Decoder: FrameDecoder> {
    var extractor: FrameExtractor<Decoder>
    var source: Source
    var sawEnd = false

    /// A reader decoding `source` with `decoder`, through `buffer`.
    public init(source: Source, decoder: Decoder, buffer: StreamBuffer = StreamBuffer()) {
        extractor = FrameExtractor(decoder: decoder, buffer: buffer)
        self.source = source
    }

    /// The buffer between source and decoder (its statistics count realigned bodies).
    public var buffer: StreamBuffer { extractor.buffer }

    /// The position in the stream of the first byte not yet decoded.
    public var position: Int { extractor.buffer.consumedCount }

    /// The next frame, or `nil` after the last one.
    ///
    /// - Throws: `FramingError` for malformed or truncated input and for I/O failures of the
    ///   source; `CancellationError` when the task is cancelled.
    public mutating func next() async throws -> Decoder.Frame? {
        while !sawEnd {
            if let frame = try extractor.nextFrame() { return frame }
            try Task.checkCancellation()
            if try await !source.read(into: &extractor.buffer, minimumCapacity: extractor.wantedBytes) { sawEnd = true }
        }
        return try extractor.lastFrame()
    }
}
