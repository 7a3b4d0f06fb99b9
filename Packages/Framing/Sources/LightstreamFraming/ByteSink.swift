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
    public mutating func flush() throws {}
}

/// Collects written bytes in memory.
public struct MemorySink: ByteSink, Sendable {
    public private(set) var bytes = Vec64<UInt8>()
    public init() {}

    public mutating func write(_ pieces: [Buffer]) throws {
        for piece in pieces { piece.withUnsafeBytes { bytes.append(contentsOf: $0.bindMemory(to: UInt8.self)) } }
    }

    /// The bytes written so far as a buffer (no copy).
    public var buffer: Buffer { bytes.freeze() }
}

/// Writes to a file descriptor with `write(2)`, each piece completely (retrying short writes
/// and `EINTR`).
public struct FileDescriptorSink: ByteSink, Sendable {
    public let descriptor: FileDescriptor
    public init(_ descriptor: FileDescriptor) { self.descriptor = descriptor }

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
    public var encoder: Encoder { _encoder }
    public var sink: Sink { _sink }
    @usableFromInline var _encoder: Encoder
    @usableFromInline var _sink: Sink
    @usableFromInline var output: FrameOutput
    /// Buffered bytes at which `write` passes them to the sink.
    public let flushThreshold: Int

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
