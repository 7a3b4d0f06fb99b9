import SystemPackage
import Vec64

/// A synchronous destination of bytes for a ``FrameWriter``.
public protocol ByteSink {
    /// Writes `pieces` in order, completely.
    mutating func write(_ pieces: [Buffer]) throws
    /// Makes written bytes durable or visible where that means something (a no-op by default).
    mutating func flush() throws
}

extension ByteSink {
    /// Does nothing.
    public mutating func flush() throws {}
}

/// Collects written bytes in memory. Pieces are kept by reference as they arrive and joined
/// when ``buffer`` is read (read it once), so collecting costs one copy in all.
public struct MemorySink: ByteSink, Sendable {
    private var pieces: [Buffer] = []
    /// The number of bytes written.
    public private(set) var count = 0

    /// Creates an empty sink.
    public init() {}

    /// Keeps references to the non-empty `pieces`; never throws.
    public mutating func write(_ pieces: [Buffer]) throws {
        for piece in pieces where !piece.isEmpty {
            self.pieces.append(piece)
            count += piece.count
        }
    }

    /// The bytes written so far as one contiguous 64-byte aligned buffer.
    public var buffer: Buffer {
        get {
            if pieces.count == 1 && pieces[0].isAligned(to: 64) { return pieces[0] }
            var joined = Vec64<UInt8>(minimumCapacity: count)
            joined.appendUninitialized(count: count) { out in
                var at = 0
                for piece in pieces {
                    piece.withUnsafeBytes { UnsafeMutableRawBufferPointer(out).baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: piece.count) }
                    at += piece.count
                }
            }
            return joined.freeze()
        }
    }
}

/// Writes to a file descriptor with `write(2)`, each piece completely (retrying short writes
/// and `EINTR`).
public struct FileDescriptorSink: ByteSink, Sendable {
    /// The descriptor written to; the sink does not close it.
    public let descriptor: FileDescriptor
    /// A sink writing to `descriptor`.
    public init(_ descriptor: FileDescriptor) { self.descriptor = descriptor }

    /// Writes each piece completely; throws ``FramingError`` (kind `.io`) when `write(2)` fails.
    public mutating func write(_ pieces: [Buffer]) throws {
        for piece in pieces {
            try piece.withUnsafeBytes { raw in
                do {
                    _ = try descriptor.writeAll(raw)
                } catch {
                    throw FramingError(.io("write to descriptor \(descriptor.rawValue): \(error)"), at: 0)
                }
            }
        }
    }
}

/// Drives a ``FrameEncoder`` into a ``ByteSink``, batching small frames and writing large
/// bodies by reference.
public struct FrameWriter<Encoder: FrameEncoder, Sink: ByteSink> {
    /// The encoder frames are encoded with.
    public var encoder: Encoder { _encoder }
    /// The sink bytes are written to.
    public var sink: Sink { _sink }
    @usableFromInline var _encoder: Encoder
    @usableFromInline var _sink: Sink
    @usableFromInline var output: FrameOutput
    /// Buffered bytes at which `write` passes them to the sink.
    public let flushThreshold: Int

    /// A writer that encodes with `encoder` into `sink`, passing bytes on once `flushThreshold`
    /// of them are buffered.
    public init(encoder: Encoder, sink: Sink, flushThreshold: Int = 64 << 10) {
        _encoder = encoder
        _sink = sink
        self.flushThreshold = flushThreshold
        output = FrameOutput()
    }

    /// Encodes `frame`; passes buffered bytes to the sink once they reach ``flushThreshold``.
    @inlinable
    public mutating func write(_ frame: Encoder.Frame) throws {
        try _encoder.encode(frame, into: &output)
        if output.count >= flushThreshold { try _sink.write(output.takePieces()) }
    }

    /// Passes every buffered byte to the sink and flushes it.
    public mutating func flush() throws {
        if output.count > 0 { try _sink.write(output.takePieces()) }
        try _sink.flush()
    }

    /// Flushes and returns the sink.
    public consuming func finish() throws -> Sink {
        try flush()
        return _sink
    }
}
