import LightstreamFraming
import Vec64

/// An asynchronous source of bytes for a ``FramedByteStream`` or a ``TableStreamReader``: the
/// async counterpart of `ByteSource`.
///
/// Sources that can read straight into the stream buffer's memory (file descriptors) do so, so
/// bytes are written once, where the decoder reads them. Any `AsyncSequence` of `Buffer` chunks
/// becomes a source with ``AsyncChunkSource``.
public protocol AsyncByteSource {
    /// Appends the next bytes to `buffer`; returns `false` at end of input. `minimumCapacity` is
    /// how many bytes the decoder is waiting for, when known.
    mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool
}

/// Any `AsyncSequence` of `Buffer` chunks as an ``AsyncByteSource``. A chunk is adopted without
/// a copy when no partial frame is pending, and copied behind the pending bytes otherwise.
///
/// Chunks of another byte type become `Buffer`s with `map`:
/// ```swift
/// let source = AsyncChunkSource(myByteArrays.map { Buffer(copying: $0) })
/// ```
public struct AsyncChunkSource<Chunks: AsyncSequence>: AsyncByteSource where Chunks.Element == Buffer {
    var iterator: Chunks.AsyncIterator

    /// A source delivering the chunks of `chunks`.
    public init(_ chunks: Chunks) {
        iterator = chunks.makeAsyncIterator()
    }

    /// Appends the next non-empty chunk; returns `false` when the sequence ends.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool {
        while let chunk = try await iterator.next() {
            if chunk.isEmpty { continue }
            try buffer.append(chunk)
            return true
        }
        return false
    }
}

/// Bytes held in memory as an `AsyncSequence` of chunks of at most `chunkSize` bytes (zero-copy
/// slices), and as an ``AsyncByteSource``. For tests and for data already in memory.
public struct MemoryByteStream: AsyncSequence, AsyncByteSource, Sendable {
    /// The chunk type.
    public typealias Element = Buffer
    let chunks: [Buffer]
    var next = 0

    /// The bytes of `bytes` in chunks of at most `chunkSize` bytes.
    public init(_ bytes: Buffer, chunkSize: Int = 64 << 10) {
        precondition(chunkSize > 0, "MemoryByteStream: chunk size must be positive")
        chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { bytes.slice($0..<Swift.min(bytes.count, $0 &+ chunkSize)) }
    }

    /// The given chunks, in order.
    public init(chunks: [Buffer]) {
        self.chunks = chunks
    }

    /// Iterates over the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: [Buffer]
        var index = 0

        /// The next chunk, or `nil` after the last.
        public mutating func next() async -> Buffer? {
            guard index < chunks.count else { return nil }
            defer { index += 1 }
            return chunks[index]
        }
    }

    /// An iterator over the chunks.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: chunks) }

    /// Appends the next chunk; returns `false` after the last.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool {
        while next < chunks.count {
            let chunk = chunks[next]
            next += 1
            if chunk.isEmpty { continue }
            try buffer.append(chunk)
            return true
        }
        return false
    }
}
