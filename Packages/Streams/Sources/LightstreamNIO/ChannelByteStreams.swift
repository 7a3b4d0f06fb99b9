import LightstreamFraming
import LightstreamStreams
import NIOCore
import Vec64

/// The bytes a NIO channel receives, as an ``AsyncByteSource`` for `FramedByteStream`,
/// `TableStreamReader` or `MessageReceiver`. Each received `ByteBuffer` is handed to the stream
/// buffer without a copy (adopted when no partial frame is pending); the buffer grows with the
/// bytes that arrive, whatever a frame header announced.
public struct NIOByteSource: AsyncByteSource {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    /// The memory budget the stream buffers this source fills count against, if any (a
    /// listener's, shared by its connections).
    public let budget: MemoryBudget?

    /// The bytes of `inbound`; with `budget`, the stream buffers they go to count against it.
    public init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, budget: MemoryBudget? = nil) {
        iterator = inbound.makeAsyncIterator()
        self.budget = budget
    }

    /// Appends the next received bytes; returns `false` when the peer closed its side.
    ///
    /// - Throws: `FramingError` (kind `.memoryBudgetExceeded`) when the buffer cannot take the
    ///   bytes within ``budget``; the channel's errors.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool {
        if let budget { try buffer.useBudget(budget) }
        while let bytes = try await iterator.next() {
            guard bytes.readableBytes > 0 else { continue }
            try buffer.append(Buffer(byteBuffer: bytes))
            return true
        }
        return false
    }
}

/// A NIO channel's outbound side as an ``AsyncByteSink``: `write` returns once the channel wrote
/// the bytes to the socket (so a slow peer suspends the writer), and NIO sends only memory it
/// allocated, so each piece is copied once into a `ByteBuffer`. `close` half-closes the
/// connection after every pending write (the peer reads end of input).
public struct NIOByteSink: AsyncByteSink {
    let channel: any Channel

    /// A sink writing to `channel` (bytes go from the pipeline's tail, through any outbound
    /// handlers, to the socket).
    public init(channel: any Channel) {
        self.channel = channel
    }

    /// Writes the pieces in order and waits until the channel wrote them.
    public func write(_ pieces: [Buffer]) async throws {
        let total = pieces.reduce(0) { $0 + $1.count }
        guard total > 0 else { return }
        let allocator = channel.allocator
        // Small pieces are gathered into one ByteBuffer; large ones go as they are.
        var batch: [ByteBuffer] = []
        var small = allocator.buffer(capacity: Swift.min(total, 64 << 10))
        for piece in pieces where !piece.isEmpty {
            if piece.count < 64 << 10 {
                piece.withUnsafeBytes { _ = small.writeBytes($0) }
                continue
            }
            if small.readableBytes > 0 {
                batch.append(small)
                small = allocator.buffer(capacity: 64 << 10)
            }
            batch.append(ByteBuffer(copying: piece, allocator: allocator))
        }
        if small.readableBytes > 0 { batch.append(small) }
        let written = batch.map { channel.write($0) }
        channel.flush()
        for future in written { try await future.get() }
    }

    /// Nothing: `write` returns once the bytes are written.
    public func flush() async throws {}

    /// Half-closes the connection once every pending write is done.
    public func close() async throws {
        do {
            try await channel.close(mode: .output)
        } catch ChannelError.outputClosed, ChannelError.alreadyClosed {
            // Closed already: nothing left to do.
        }
    }
}
