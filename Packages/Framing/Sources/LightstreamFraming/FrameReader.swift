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
    public private(set) var decoder: Decoder
    public private(set) var source: Source
    /// The buffer between source and decoder (its statistics count realigned bodies).
    public private(set) var buffer: StreamBuffer
    private var sawEnd = false
    private var finished = false

    public init(decoder: Decoder, source: Source, buffer: StreamBuffer = StreamBuffer()) {
        self.decoder = decoder
        self.source = source
        self.buffer = buffer
    }

    /// The next frame, or `nil` after the last one.
    ///
    /// - Throws: ``FramingError`` for malformed or truncated input and for I/O failures of the
    ///   source (as ``FramingError/Kind/io(_:)`` when the source reports them so).
    public mutating func next() throws -> Decoder.Frame? {
        if finished { return nil }
        while !sawEnd {
            let window = buffer.window
            switch try decoder.decode(window) {
            case let .frame(frame, consumed):
                try Self.check(consumed, of: window)
                buffer.consume(consumed)
                return frame
            case let .needMoreData(minimumWindow):
                if let minimumWindow { try buffer.reserve(windowOf: minimumWindow) }
                let wanted = max(1, (minimumWindow ?? 0) - buffer.pendingCount)
                if try !source.read(into: &buffer, minimumCapacity: wanted) { sawEnd = true }
            }
        }
        do {
            guard let step = try decoder.decodeLast(buffer.window) else {
                finished = true
                return nil
            }
            switch step {
            case let .frame(frame, consumed):
                try Self.check(consumed, of: buffer.window)
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
