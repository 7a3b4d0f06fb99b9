import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import Vec64

/// Reads Arrow IPC streams asynchronously from any ``AsyncByteSource``: batches one at a time
/// (an `AsyncSequence` of `RecordBatch`), or whole tables; several streams back to back on one
/// connection when the caller asks for the next one.
///
/// Batches point into the received memory without copies when the sender aligned its bodies
/// (every Arrow writer does, to 8 or 64 bytes).
///
/// ```swift
/// var reader = TableStreamReader(source: FileDescriptorByteStream(socket))
/// for try await batch in reader { print(batch.length) }
/// // or: let table = try await reader.readTable()
/// ```
///
/// A stream that ends without its end-of-stream marker after a complete message ends cleanly
/// (as pyarrow's reader allows) unless `requireEndOfStream` is set, when it throws `IPCError`
/// saying "truncated"; input ending inside a message throws `IPCError` saying "truncated frame".
/// A stream buffer that cannot grow within its memory budget (a listener's) throws
/// `FramingError` with kind `.memoryBudgetExceeded`. Cancelling the task stops the read.
public struct TableStreamReader<Source: AsyncByteSource>: AsyncSequence, AsyncIteratorProtocol {
    /// The batch type.
    public typealias Element = RecordBatch
    var frames: AsyncFrameReader<Source, IPCMessageDecoder>
    var assembler: IPCStreamAssembler
    var inStream = false
    var inputEnded = false
    let requireEndOfStream: Bool
    /// The schema of the current (or last) stream, once read.
    public private(set) var schema: Schema?

    /// A reader of the IPC streams in `source`.
    ///
    /// - Parameters:
    ///   - options: how messages are read and checked, with the limits input must keep to (use
    ///     `IPCLimits.network` for bytes from a peer).
    ///   - decoder: the message framing; by default one that enforces the metadata and body
    ///     limits of `options.limits`.
    ///   - buffer: the stream buffer between source and decoder.
    ///   - requireEndOfStream: whether input that ends without a stream's end-of-stream marker
    ///     is an error (a connection cut short) rather than a clean end.
    public init(source: Source, options: IPCReadOptions = IPCReadOptions(), decoder: IPCMessageDecoder? = nil,
                buffer: StreamBuffer = StreamBuffer(), requireEndOfStream: Bool = false) {
        frames = AsyncFrameReader(source: source, decoder: decoder ?? IPCMessageDecoder(limits: options.limits), buffer: buffer)
        assembler = IPCStreamAssembler(options: options)
        self.requireEndOfStream = requireEndOfStream
    }

    /// The buffer between source and decoder (its statistics count bodies realigned by copying).
    public var statistics: FramingStatistics { frames.buffer.statistics }

    /// Moves to the next stream and returns its schema, or `nil` when the input ended before
    /// another stream began. Batches left in the current stream are skipped.
    public mutating func nextStream() async throws -> Schema? {
        while inStream { _ = try await next() }
        guard let event = try await nextEvent() else { return nil }
        guard case let .schema(schema) = event else { throw IPCError("the stream starts without a schema", message: 0) }
        self.schema = schema.schema
        inStream = true
        return schema.schema
    }

    /// The schema of the current stream, reading it first if no stream has begun.
    public mutating func readSchema() async throws -> Schema {
        if !inStream, try await nextStream() == nil { throw IPCError("the input holds no stream", message: 0) }
        return schema!
    }

    /// The next batch of the current stream (starting the first stream if none has begun), or
    /// `nil` at the end of the stream.
    public mutating func next() async throws -> RecordBatch? {
        if !inStream {
            guard schema == nil, try await nextStream() != nil else { return nil }
        }
        while let event = try await nextEvent() {
            switch event {
            case let .recordBatch(batch): return batch
            case .endOfStream: inStream = false; return nil
            case .dictionary, .schema: continue
            }
        }
        inStream = false
        if requireEndOfStream {
            throw IPCError("truncated stream: the input ended after \(frames.position) bytes without the end-of-stream marker",
                           kind: .truncated, message: assembler.messageIndex)
        }
        return nil
    }

    /// The rest of the current stream as a table (the whole next stream once the current one
    /// ended), or `nil` when the input holds no further stream.
    public mutating func readTable() async throws -> Table? {
        if !inStream, try await nextStream() == nil { return nil }
        var batches: [RecordBatch] = []
        while let batch = try await next() { batches.append(batch) }
        return try Table(schema: schema!, batches: batches)
    }

    /// Returns the reader itself: iterating yields the batches of the current stream.
    public func makeAsyncIterator() -> Self { self }

    mutating func nextEvent() async throws -> IPCStreamEvent? {
        if inputEnded { return nil }
        let frame: IPCFrame?
        do {
            frame = try await frames.next()
        } catch let error as FramingError {
            inputEnded = true
            // Running out of the receive budget is the receiver's limit, not a fault of the data.
            if case .memoryBudgetExceeded = error.kind { throw error }
            throw frames.extractor.decoder.ipcError(error, message: assembler.messageIndex)
        } catch {
            inputEnded = true
            throw error
        }
        guard let frame else { inputEnded = true; return nil }
        do {
            return try assembler.apply(frame)
        } catch {
            inputEnded = true
            throw error
        }
    }
}
