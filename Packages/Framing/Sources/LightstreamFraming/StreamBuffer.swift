import Vec64

/// Append-only memory for a stream buffer: bytes are written once past `filled` and never
/// changed, so buffers handed out over them stay valid and immutable.
@usableFromInline
final class StreamChunk: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int

    init(capacity: Int) {
        self.capacity = Self.capacity(for: capacity)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 64)
    }

    /// The capacity a chunk asked for `bytes` gets: at least 64, a multiple of 64.
    static func capacity(for bytes: Int) -> Int { paddedTo64(max(bytes, 64)) }

    deinit { base.deallocate() }

    /// A buffer over `range`, keeping this chunk alive.
    @inlinable
    func buffer(_ range: Range<Int>) -> Buffer {
        Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count), owner: self)
    }
}

/// The buffering layer between a byte source and a decoder.
///
/// - Appends incoming bytes (copying them, or adopting a ``Buffer`` without a copy when nothing
///   else is pending) and exposes the unconsumed bytes as a ``ByteWindow``.
/// - Keeps stream position and memory address congruent modulo 64 in the memory it owns, so a
///   frame body the sender aligned to 64 bytes in the stream is 64-byte aligned in memory and is
///   handed out without a copy. Bytes that arrive in adopted memory at another alignment are
///   copied once per body, when a decoder asks for alignment, and counted in ``statistics``.
/// - Makes room by moving only the pending bytes: to the start of the current memory when
///   nothing points into it any more (steady-state streaming reuses one chunk), otherwise to
///   fresh memory about twice their size, so total copying stays linear in the stream length.
/// - Grows with the bytes that actually arrived, never with a size the input announced: a frame
///   header announcing a gigabyte makes the buffer check ``maximumBytes`` (an error, not an
///   allocation) and then grow geometrically, each step at most the pending bytes plus one
///   ``chunkSize``, as the body's bytes come in.
/// - Refuses to hold more than ``maximumBytes`` (an error, not an allocation), and, when it shares
///   a ``MemoryBudget`` with other buffers (the connections of one listener), to grow past it.
public struct StreamBuffer: Sendable {
    /// The largest number of bytes this buffer will hold.
    public let maximumBytes: Int
    /// The size of a fresh chunk when little is pending.
    public let chunkSize: Int
    /// Realignment and compaction counters.
    public let statistics: FramingStatistics

    @usableFromInline var chunk: StreamChunk?
    /// This buffer's share of a memory budget, when it has one: the capacity of `chunk`.
    @usableFromInline var charge: BudgetCharge?
    /// An adopted buffer (read-only) whose bytes from `readIndex` on are all the pending bytes;
    /// exclusive with pending bytes in `chunk`.
    @usableFromInline var adopted: Buffer?
    @usableFromInline var readIndex = 0
    @usableFromInline var writeIndex = 0
    @usableFromInline var _consumedCount = 0
    /// The stream position of the first pending byte (the bytes consumed so far).
    @inlinable public var consumedCount: Int { _consumedCount }

    /// A stream buffer that holds at most `maximumBytes` and allocates `chunkSize`-byte chunks.
    /// The memory it allocates counts against `budget`, when given.
    public init(maximumBytes: Int = 1 << 30, chunkSize: Int = 64 << 10, statistics: FramingStatistics = FramingStatistics(),
                budget: MemoryBudget? = nil) {
        precondition(maximumBytes > 0 && chunkSize > 0, "StreamBuffer: sizes must be positive")
        self.maximumBytes = maximumBytes
        self.chunkSize = chunkSize
        self.statistics = statistics
        charge = budget.map(BudgetCharge.init)
    }

    /// The budget this buffer's memory counts against, if any.
    public var budget: MemoryBudget? { charge?.budget }

    /// The bytes of memory this buffer holds for pending and incoming bytes (its current chunk;
    /// memory it adopted without a copy is not counted).
    public var allocatedBytes: Int { chunk?.capacity ?? 0 }

    /// Makes the memory this buffer allocates count against `budget` from now on (with what it
    /// holds already). Does nothing when the buffer already uses `budget`.
    ///
    /// - Throws: ``FramingError/Kind/memoryBudgetExceeded(requested:budget:)`` when the memory
    ///   it holds already does not fit in `budget`.
    public mutating func useBudget(_ budget: MemoryBudget) throws(FramingError) {
        if charge?.budget === budget { return }
        let fresh = BudgetCharge(budget)
        guard fresh.recharge(to: allocatedBytes) else {
            throw FramingError(.memoryBudgetExceeded(requested: allocatedBytes, budget: budget.limit), at: consumedCount)
        }
        charge = fresh
    }

    /// The number of bytes received and not consumed.
    @inlinable public var pendingCount: Int { (adopted?.count ?? writeIndex) - readIndex }

    /// Whether no bytes are pending.
    @inlinable public var isEmpty: Bool { pendingCount == 0 }

    /// The pending bytes, for a decoder.
    @inlinable public var window: ByteWindow {
        let bytes = adopted.map { $0.slice(readIndex..<$0.count) } ?? chunk?.buffer(readIndex..<writeIndex) ?? Buffer()
        return ByteWindow(bytes, streamOffset: _consumedCount, statistics: statistics)
    }

    /// Marks the first `count` pending bytes as used.
    @inlinable
    public mutating func consume(_ count: Int) {
        precondition(count >= 0 && count <= pendingCount, "StreamBuffer: consuming \(count) of \(pendingCount) bytes")
        _consumedCount += count
        readIndex += count
        if let buffer = adopted, readIndex == buffer.count {
            adopted = nil
            readIndex = 0
            writeIndex = 0
        }
    }

    /// Appends a copy of `bytes`.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws(FramingError) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        let space = try reserveSpace(bytes.count)
        space.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
        writeIndex += bytes.count
    }

    /// Appends a copy of the bytes of a collection.
    public mutating func append(contentsOf bytes: some Collection<UInt8>) throws(FramingError) {
        let copied: Void? = try withContiguous(bytes) { (raw) throws(FramingError) in try append(raw) }
        if copied == nil { try append(contentsOf: Array(bytes)) }
    }

    /// Appends `buffer`, adopting it without a copy when no bytes are pending.
    public mutating func append(_ buffer: Buffer) throws(FramingError) {
        guard !buffer.isEmpty else { return }
        if pendingCount == 0 {
            try checkLimit(buffer.count)
            adopted = buffer
            readIndex = 0
            writeIndex = 0
            return
        }
        try buffer.withUnsafeBytes { (raw) throws(FramingError) in try append(raw) }
    }

    /// Lets `body` write straight into the buffer (for example with a `read` system call) into
    /// at least `minimumCapacity` free bytes, and keeps the number of bytes it reports writing.
    ///
    /// - Returns: the number of bytes written.
    /// - Throws: ``FramingError`` when the buffer limit would be exceeded, or what `body` throws.
    @discardableResult
    public mutating func appendReading(
        minimumCapacity: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws -> Int {
        let space = try reserveSpace(minimumCapacity)
        let written = try body(space)
        precondition(written >= 0 && written <= space.count, "StreamBuffer: body reported \(written) of \(space.count) bytes")
        writeIndex += written
        return written
    }

    /// Free memory of at least `minimumCapacity` bytes after the pending ones, for a reader that
    /// fills it later (for example an asynchronous `read`). Report what was written with
    /// ``didWrite(_:)`` before changing the buffer in any other way; the memory stays valid
    /// until then.
    ///
    /// - Throws: ``FramingError`` when the buffer limit would be exceeded.
    public mutating func writableSpace(minimumCapacity: Int) throws(FramingError) -> UnsafeMutableRawBufferPointer {
        try reserveSpace(minimumCapacity)
    }

    /// Keeps `count` bytes written into the memory ``writableSpace(minimumCapacity:)`` returned.
    public mutating func didWrite(_ count: Int) {
        precondition(count >= 0 && adopted == nil && writeIndex + count <= (chunk?.capacity ?? 0),
                     "StreamBuffer: \(count) bytes written outside the reserved space")
        writeIndex += count
    }

    /// Room for at least `extra` bytes after the pending ones, as writable memory.
    private mutating func reserveSpace(_ extra: Int) throws(FramingError) -> UnsafeMutableRawBufferPointer {
        try makeRoom(extra)
        let target = chunk!
        return UnsafeMutableRawBufferPointer(start: target.base + writeIndex, count: target.capacity - writeIndex)
    }

    /// Prepares for a frame that needs a window of `total` bytes: checks that `total` fits under
    /// ``maximumBytes`` (an error now rather than after receiving most of it), and makes room for
    /// the next bytes. A size announced by the input is not trusted with memory: the room made
    /// is at most the pending bytes plus one ``chunkSize`` (geometric growth as bytes arrive).
    public mutating func reserve(windowOf total: Int) throws(FramingError) {
        let extra = total - pendingCount
        guard extra > 0 else { return }
        try checkLimit(extra)
        // Room for a good read already (or for the rest of the frame): nothing to do. Otherwise
        // grow by the pending bytes (at least a chunk), so growing stays geometric.
        let free = adopted == nil ? (chunk?.capacity ?? 0) - writeIndex : 0
        if free >= Swift.min(extra, chunkSize) { return }
        try makeRoom(Swift.min(extra, Swift.max(pendingCount, chunkSize)))
    }

    private func checkLimit(_ extra: Int) throws(FramingError) {
        let (total, overflow) = pendingCount.addingReportingOverflow(extra)
        guard !overflow, total <= maximumBytes else {
            throw FramingError(.bufferLimitExceeded(needed: overflow ? Int.max : total, limit: maximumBytes), at: consumedCount)
        }
    }

    /// Ensures `extra` writable bytes after the pending ones in an owned chunk.
    private mutating func makeRoom(_ extra: Int) throws(FramingError) {
        try checkLimit(extra)
        let pending = pendingCount
        if adopted == nil, let current = chunk, writeIndex + extra <= current.capacity { return }
        // Reuse the current chunk when nothing points into it: move the pending bytes (if any) to
        // its start. A stream whose reader lets go of each frame then runs in one chunk.
        let alignmentShift = consumedCount & 63
        if adopted == nil, isKnownUniquelyReferenced(&chunk), let current = chunk,
           alignmentShift + pending + extra <= current.capacity {
            if pending > 0 && readIndex != alignmentShift {
                (current.base + alignmentShift).copyMemory(from: current.base + readIndex, byteCount: pending)
                statistics.countCompaction(bytes: pending)
            }
            readIndex = alignmentShift
            writeIndex = alignmentShift + pending
            return
        }
        let fresh = try freshChunk(minimum: alignmentShift + pending + extra, preferred: alignmentShift + max(pending * 2, pending + extra))
        if pending > 0 {
            let source = adopted.map { $0.slice(readIndex..<$0.count) } ?? chunk!.buffer(readIndex..<writeIndex)
            source.withUnsafeBytes { fresh.base.advanced(by: alignmentShift).copyMemory(from: $0.baseAddress!, byteCount: pending) }
            statistics.countCompaction(bytes: pending)
        }
        chunk = fresh
        adopted = nil
        readIndex = alignmentShift
        writeIndex = alignmentShift + pending
    }
}

extension StreamBuffer {
    /// A new chunk of about `preferred` bytes (at least one ``chunkSize``), or only `minimum` when
    /// the budget cannot give more, charged to the budget in place of the current chunk.
    func freshChunk(minimum: Int, preferred: Int) throws(FramingError) -> StreamChunk {
        let preferredCapacity = StreamChunk.capacity(for: max(chunkSize, preferred))
        guard let charge else { return StreamChunk(capacity: preferredCapacity) }
        if charge.recharge(to: preferredCapacity) { return StreamChunk(capacity: preferredCapacity) }
        let minimumCapacity = StreamChunk.capacity(for: minimum)
        if charge.recharge(to: minimumCapacity) { return StreamChunk(capacity: minimumCapacity) }
        throw FramingError(.memoryBudgetExceeded(requested: minimumCapacity - charge.bytes, budget: charge.budget.limit), at: consumedCount)
    }
}

/// Runs `body` over the contiguous bytes of `bytes`, if it has contiguous storage.
func withContiguous<R, E: Error>(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R? {
    var result: Result<R, E>?
    _ = bytes.withContiguousStorageIfAvailable { pointer in
        do throws(E) { result = .success(try body(UnsafeRawBufferPointer(pointer))) } catch { result = .failure(error) }
    }
    return try result?.get()
}
