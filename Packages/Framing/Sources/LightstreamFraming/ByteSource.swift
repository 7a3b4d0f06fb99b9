import SystemPackage
import Vec64

/// A synchronous source of bytes for a ``FrameReader``.
public protocol ByteSource {
    /// Appends the next bytes to `buffer` (at most what `buffer` allows); returns `false` at end
    /// of input. `minimumCapacity` is how many bytes the decoder is waiting for, when known.
    mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool
}

/// Bytes from memory, delivered as a sequence of chunks (adopted without a copy when possible).
public struct BufferSource: ByteSource {
    private var chunks: [Buffer]
    private var next = 0

    /// Delivers `chunks` one by one.
    public init(_ chunks: [Buffer]) { self.chunks = chunks }

    /// Delivers `bytes` in chunks of at most `chunkSize` bytes (all at once by default).
    public init(_ bytes: some Collection<UInt8>, chunkSize: Int = .max) {
        precondition(chunkSize > 0, "BufferSource: chunk size must be positive")
        let all = Buffer(copying: bytes)
        chunks = stride(from: 0, to: all.count, by: chunkSize).map { all.slice($0..<min(all.count, $0 &+ chunkSize)) }
    }

    /// Delivers each collection of bytes as one chunk (e.g. `[UInt8]`s or `Data`s).
    public init<C: Collection<UInt8>>(chunks: some Sequence<C>) {
        self.chunks = chunks.map { Buffer(copying: $0) }
    }

    /// Appends the next chunk to `buffer`; returns `false` once every chunk was delivered.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool {
        guard next < chunks.count else { return false }
        try buffer.append(chunks[next])
        next += 1
        return true
    }
}

/// Bytes read from a file descriptor (a file, pipe, socket or standard input) with `read(2)`
/// straight into the stream buffer, retrying on `EINTR`.
public struct FileDescriptorSource: ByteSource {
    /// The descriptor read from; the source does not close it.
    public let descriptor: FileDescriptor
    /// The most bytes one `read` asks for.
    public let readSize: Int

    /// A source reading from `descriptor`, `readSize` bytes per `read` (more when a frame needs it).
    public init(_ descriptor: FileDescriptor, readSize: Int = 256 << 10) {
        precondition(readSize > 0, "FileDescriptorSource: read size must be positive")
        self.descriptor = descriptor
        self.readSize = readSize
    }

    /// Reads once into `buffer`; returns `false` at end of input. Throws ``FramingError`` (kind
    /// `.io`) when `read(2)` fails.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool {
        let descriptor = self.descriptor
        let position = buffer.consumedCount + buffer.pendingCount
        // `minimumCapacity` comes from a size the input announced: it may read into memory the
        // buffer has already, but only `readSize` is ever reserved for it (the buffer grows with
        // the bytes that arrive).
        let wanted = max(readSize, minimumCapacity)
        let count = try buffer.appendReading(minimumCapacity: min(readSize, max(1, buffer.maximumBytes - buffer.pendingCount))) { space in
            do {
                return try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: space[..<min(space.count, wanted)]),
                                           retryOnInterrupt: true)
            } catch {
                throw FramingError(.io("read from descriptor \(descriptor.rawValue): \(error)"), at: position)
            }
        }
        return count > 0
    }
}
