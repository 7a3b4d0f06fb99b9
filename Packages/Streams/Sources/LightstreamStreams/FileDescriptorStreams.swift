import LightstreamFraming
import SystemPackage
import Vec64

/// Bytes read asynchronously from a file descriptor: a regular file, a pipe, standard input or
/// a socket. An `AsyncSequence` of `Buffer` chunks, and an ``AsyncByteSource`` that reads
/// straight into the stream buffer (no intermediate copy).
///
/// Reading never blocks a thread of the cooperative pool while waiting for a peer, and a
/// cancelled task stops waiting at once. The descriptor is not closed by the stream unless
/// `closeWhenDone` is set, in which case it is closed at end of input or on error (or when the
/// last copy of the stream is gone, if neither came). Copies of a
/// stream (its iterator, too) share one owner of the descriptor: it is closed once, and no copy
/// reads it after that.
///
/// A read asks the stream buffer for ``readSize`` bytes of room, whatever size a frame header
/// announced (the buffer grows with the bytes that arrive); with a ``budget`` (a listener's), the
/// buffer's memory counts against it.
///
/// ```swift
/// for try await chunk in FileDescriptorByteStream(.standardInput) { ... }
/// ```
public struct FileDescriptorByteStream: AsyncSequence, AsyncByteSource, Sendable {
    /// The chunk type.
    public typealias Element = Buffer
    /// The most bytes one read asks for (more when a frame needs it and the buffer has room).
    public let readSize: Int
    /// The memory budget the stream buffers this stream fills count against, if any.
    public let budget: MemoryBudget?
    /// Whether the descriptor is closed at end of input or on error.
    public let closeWhenDone: Bool
    let io: DescriptorIO
    var position = 0
    var ended = false

    /// A stream reading `readSize` bytes at a time from `descriptor`. With `idleTimeout`, waiting
    /// longer than that for bytes throws ``TransportError`` (kind `.timedOut`); with `budget`,
    /// the stream buffers it fills count against that budget.
    public init(_ descriptor: FileDescriptor, readSize: Int = 256 << 10, closeWhenDone: Bool = false,
                idleTimeout: Duration? = nil, budget: MemoryBudget? = nil) {
        self.init(DescriptorHandle(descriptor, ownsDescriptor: closeWhenDone), readSize: readSize, closeWhenDone: closeWhenDone,
                  idleTimeout: idleTimeout, budget: budget, peer: nil)
    }

    init(_ handle: DescriptorHandle, readSize: Int = 256 << 10, closeWhenDone: Bool, idleTimeout: Duration?, budget: MemoryBudget?,
         peer: String?) {
        precondition(readSize > 0, "FileDescriptorByteStream: read size must be positive")
        self.readSize = readSize
        self.budget = budget
        self.closeWhenDone = closeWhenDone
        io = DescriptorIO(handle, idleTimeout: idleTimeout, peer: peer)
    }

    /// The descriptor read from.
    public var descriptor: FileDescriptor { io.descriptor }
    /// How long one wait for bytes may last, if limited.
    public var idleTimeout: Duration? { io.idleTimeout }

    /// Reads directly into `buffer`'s free memory; returns `false` at end of input.
    ///
    /// - Throws: ``FramingError`` (kind `.io`) when `read`/`recv` fails, (kind
    ///   `.memoryBudgetExceeded`) when the buffer cannot grow within ``budget``;
    ///   ``TransportError`` after ``idleTimeout``; `CancellationError`.
    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool {
        if ended || io.handle.isClosed { return false }
        let space: UnsafeMutableRawBufferPointer
        do {
            if let budget { try buffer.useBudget(budget) }
            // `minimumCapacity` may come from a size the peer announced: reads may fill memory the
            // buffer has already, but only `readSize` is reserved for them.
            let room = Swift.max(1, buffer.maximumBytes - buffer.pendingCount)
            space = try buffer.writableSpace(minimumCapacity: Swift.min(readSize, room))
        } catch {
            finish()
            throw error
        }
        let count: Int
        do {
            let wanted = Swift.min(space.count, Swift.max(readSize, minimumCapacity))
            count = try await io.read(into: UnsafeMutableRawBufferPointer(rebasing: space[..<wanted]), position: position)
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
        ended = true
        if closeWhenDone { io.handle.close() }
    }

    /// Iterates over chunks of at most ``readSize`` bytes, each in fresh 64-byte aligned memory.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var stream: FileDescriptorByteStream

        /// The next chunk, or `nil` at end of input.
        public mutating func next() async throws -> Buffer? {
            if stream.ended || stream.io.handle.isClosed { return nil }
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
/// hands over; the sink then owns the descriptor, and closes it when its last copy is gone if
/// `close` was not called), and otherwise shuts down the sending side of a socket.
///
/// Copies of a sink share one owner of the descriptor: ``close()`` closes it once, however many
/// copies call it, and writes after that fail instead of reaching a reused descriptor number.
/// Writing to a reader that went away is a ``FramingError`` (`EPIPE`), never a `SIGPIPE`.
public struct FileDescriptorByteSink: AsyncByteSink {
    /// Whether ``flush()`` runs `fsync`.
    public let syncOnFlush: Bool
    /// Whether ``close()`` closes the descriptor.
    public let closeOnClose: Bool
    let io: DescriptorIO

    /// A sink writing to `descriptor`. With `idleTimeout`, a peer that takes no bytes for that
    /// long makes a write throw ``TransportError`` (kind `.timedOut`); writes to pipes and files
    /// already under way are not interrupted.
    public init(_ descriptor: FileDescriptor, closeOnClose: Bool = true, syncOnFlush: Bool = false, idleTimeout: Duration? = nil) {
        self.init(DescriptorHandle(descriptor, ownsDescriptor: closeOnClose), closeOnClose: closeOnClose, syncOnFlush: syncOnFlush,
                  idleTimeout: idleTimeout, peer: nil)
    }

    init(_ handle: DescriptorHandle, closeOnClose: Bool, syncOnFlush: Bool = false, idleTimeout: Duration?, peer: String?) {
        self.closeOnClose = closeOnClose
        self.syncOnFlush = syncOnFlush
        io = DescriptorIO(handle, idleTimeout: idleTimeout, peer: peer)
    }

    /// The descriptor written to.
    public var descriptor: FileDescriptor { io.descriptor }

    /// Writes each piece completely; throws ``FramingError`` (kind `.io`) when the system call
    /// fails (e.g. the peer closed the connection), ``TransportError`` after the idle timeout,
    /// `CancellationError` when the task is cancelled.
    public func write(_ pieces: [Buffer]) async throws {
        try await io.write(pieces, position: 0)
    }

    /// `fsync` when ``syncOnFlush`` is set; otherwise nothing (written bytes are already in the kernel).
    public func flush() async throws {
        guard syncOnFlush else { return }
        try io.sync()
    }

    /// Closes the descriptor (``closeOnClose``; once, whichever copy asks) or shuts down the
    /// sending side of a socket.
    public func close() async throws {
        if closeOnClose {
            io.handle.close()
        } else if io.isSocket {
            io.shutdownWrite()
        }
    }
}
