import LightstreamFraming
import SystemPackage
import Vec64

/// Bytes read asynchronously from a file descriptor: a regular file, a pipe, standard input or
/// a socket. An `AsyncSequence` of `Buffer` chunks, and an ``AsyncByteSource`` that reads
/// straight into the stream buffer (no intermediate copy).
///
/// Reading never blocks a thread of the cooperative pool while waiting for a peer, and a
/// cancelled task stops waiting at once. The descriptor is not closed by the stream unless
/// `closeWhenDone` is set, in which case it is closed at end of input or on error.
///
/// ```swift
/// for try await chunk in FileDescriptorByteStream(.standardInput) { ... }
/// ```
public struct FileDescriptorByteStream: AsyncSequence, AsyncByteSource, Sendable {
    /// The chunk type.
    public typealias Element = Buffer
    /// The descriptor read from.
    public let descriptor: FileDescriptor
    /// The most bytes one read asks for (more when a frame needs it).
    public let readSize: Int
    /// Whether the descriptor is closed at end of input or on error.
    public let closeWhenDone: Bool
    let io: DescriptorIO
    var position = 0
    var closed = false

    /// A stream reading `readSize` bytes at a time from `descriptor`.
    public init(_ descriptor: FileDescriptor, readSize: Int = 256 << 10, closeWhenDone: Bool = false) {
        precondition(readSize > 0, "FileDescriptorByteStream: read size must be positive")
        self.descriptor = descriptor
        self.readSize = readSize
        self.closeWhenDone = closeWhenDone
        io = DescriptorIO(descriptor)
    }

    /// Reads directly into `buffer`'s free memory; returns `false` at end of input.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool {
        if closed { return false }
        let wanted = Swift.min(Swift.max(readSize, minimumCapacity), Swift.max(1, buffer.maximumBytes - buffer.pendingCount))
        let space = try buffer.writableSpace(minimumCapacity: wanted)
        let count: Int
        do {
            count = try await io.read(into: UnsafeMutableRawBufferPointer(rebasing: space[..<Swift.min(space.count, Swift.max(wanted, readSize))]),
                                      position: position)
        } catch {
            buffer.didWrite(0)
            finish()
            throw error
        }
        buffer.didWrite(count)
        position += count
        if count == 0 { finish() }
        return count > 0
    }

    mutating func finish() {
        guard !closed else { return }
        closed = true
        if closeWhenDone { try? descriptor.close() }
    }

    /// Iterates over chunks of at most ``readSize`` bytes, each in fresh 64-byte aligned memory.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var stream: FileDescriptorByteStream

        /// The next chunk, or `nil` at end of input.
        public mutating func next() async throws -> Buffer? {
            if stream.closed { return nil }
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: stream.readSize, alignment: 64)
            let count: Int
            do {
                count = try await stream.io.read(into: memory, position: stream.position)
            } catch {
                memory.deallocate()
                stream.finish()
                throw error
            }
            stream.position += count
            if count == 0 {
                memory.deallocate()
                stream.finish()
                return nil
            }
            return Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(rebasing: memory[..<count])) { bytes in UnsafeMutableRawPointer(mutating: bytes.baseAddress!).deallocate() }
        }
    }

    /// An iterator over the chunks.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}

/// An asynchronous destination of bytes: what a ``FrameSink`` and a ``TableWriter`` write to.
///
/// `write` returns once the sink has taken the bytes (for a descriptor: once `write(2)`/`send(2)`
/// accepted them, i.e. they are in the kernel); `flush` makes them durable or visible where that
/// means something; `close` ends the output (closes the descriptor, half-closes a socket).
public protocol AsyncByteSink: Sendable {
    /// Writes `pieces` in order, completely.
    func write(_ pieces: [Buffer]) async throws
    /// Makes written bytes durable or visible where that means something.
    func flush() async throws
    /// Ends the output. No writes may follow.
    func close() async throws
}

/// Writes asynchronously to a file descriptor (a file, pipe, standard output or socket), each
/// piece from where it lives (no copies). A socket peer that reads slowly suspends the writer,
/// not a thread. `flush` runs `fsync` for regular files when `syncOnFlush` is set; `close`
/// closes the descriptor when `closeOnClose` is set (the default for descriptors the caller
/// hands over), and otherwise shuts down the sending side of a socket.
public struct FileDescriptorByteSink: AsyncByteSink {
    /// The descriptor written to.
    public let descriptor: FileDescriptor
    /// Whether ``close()`` closes the descriptor.
    public let closeOnClose: Bool
    /// Whether ``flush()`` runs `fsync`.
    public let syncOnFlush: Bool
    let io: DescriptorIO

    /// A sink writing to `descriptor`.
    public init(_ descriptor: FileDescriptor, closeOnClose: Bool = true, syncOnFlush: Bool = false) {
        self.descriptor = descriptor
        self.closeOnClose = closeOnClose
        self.syncOnFlush = syncOnFlush
        io = DescriptorIO(descriptor)
    }

    /// Writes each piece completely; throws ``FramingError`` (kind `.io`) when the system call
    /// fails (e.g. the peer closed the connection), `CancellationError` when the task is cancelled.
    public func write(_ pieces: [Buffer]) async throws {
        try await io.write(pieces, position: 0)
    }

    /// `fsync` when ``syncOnFlush`` is set; otherwise nothing (written bytes are already in the kernel).
    public func flush() async throws {
        guard syncOnFlush else { return }
        try io.sync()
    }

    /// Closes the descriptor (``closeOnClose``) or shuts down the sending side of a socket.
    public func close() async throws {
        if closeOnClose {
            try? descriptor.close()
        } else if io.isSocket {
            io.shutdownWrite()
        }
    }
}
