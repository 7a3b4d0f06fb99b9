import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import LightstreamTLV
import Vec64

/// The frame layout of connections: `[tag: UInt8][payload length: UInt32 little-endian][payload]`.
func connectionFrameFormat(maximumPayloadLength: Int) -> TLVFormat {
    TLVFormat(tagWidth: 1, lengthWidth: 4, bigEndian: false, maximumValueLength: maximumPayloadLength)
}

/// Appends a frame header: the tag, then the payload length (UInt32 little-endian).
func appendConnectionHeader(tag: UInt8, length: Int, into output: inout FrameOutput) {
    output.appendInteger(UInt64(tag), width: 1, bigEndian: false)
    output.appendInteger(UInt64(length), width: 4, bigEndian: false)
}

/// The sending half of a message connection: messages and Arrow tables under registered type
/// names, framed as `[tag: UInt8][length: UInt32 LE][payload]`, with backpressure.
///
/// A table type's schema is sent once, before its first table; each table then travels as the
/// IPC stream messages of its batches (dictionaries once, then deltas), followed by an empty
/// frame under its tag that ends the table.
///
/// ```swift
/// var sender = MessageSender(types: types, sink: connection.outbound)
/// try await sender.send(name: "hello", Greeting(text: "hi"))
/// try await sender.sendTable(name: "trades", table)
/// try await sender.close()
/// ```
public struct MessageSender<Sink: AsyncByteSink> {
    /// The registered types.
    public let types: ConnectionTypes
    let coder: any MessageCoder
    let format: TLVFormat
    let options: IPCWriteOptions
    var pipeline: SinkPipeline<Sink>
    var tableWriters: [UInt8: IPCStreamWriter<PieceCollector>] = [:]
    let collector = PieceCollector()

    /// Bytes written, peak unsent bytes, backpressure waits.
    public var statistics: SinkStatistics { pipeline.statistics }

    /// A sender of `types` to `sink`. Payloads larger than `maximumPayloadLength` are refused
    /// (tables are split over several frames instead).
    public init(types: ConnectionTypes, sink: Sink, coder: any MessageCoder = JSONMessageCoder(),
                options: IPCWriteOptions = IPCWriteOptions(), maximumPayloadLength: Int = 64 << 20,
                maximumUnsentBytes: Int = 16 << 20) {
        precondition(maximumPayloadLength > 0 && maximumPayloadLength <= Int(UInt32.max), "MessageSender: payload limit must fit UInt32")
        self.types = types
        self.coder = coder
        self.options = options
        format = connectionFrameFormat(maximumPayloadLength: maximumPayloadLength)
        pipeline = SinkPipeline(sink: sink, maximumUnsentBytes: maximumUnsentBytes, flushThreshold: 64 << 10, statistics: SinkStatistics())
    }

    /// Sends `payload` as a message of type `name`.
    public mutating func send(name: String, _ payload: Buffer) async throws {
        let (tag, kind) = try types.lookup(name)
        guard kind == .message else { throw ConnectionError(.wrongKind(name: name)) }
        var encoder = TLVEncoder(format)
        try encoder.encode(TLVFrame(tag: UInt32(tag), value: payload), into: &pipeline.output)
        try await pipeline.didAppend()
    }

    /// Sends `value`, encoded by the connection's ``MessageCoder`` (JSON by default).
    public mutating func send<T: Encodable>(name: String, _ value: T) async throws {
        try await send(name: name, Buffer(copying: try coder.encode(value)))
    }

    /// Sends `table` as a table of type `name`; its schema must be the registered one.
    public mutating func sendTable(name: String, _ table: Table) async throws {
        let (tag, kind) = try types.lookup(name)
        guard case let .table(schema) = kind else { throw ConnectionError(.wrongKind(name: name)) }
        guard table.schema == schema else {
            throw ConnectionError(.schemaMismatch(name: name, expected: schema, received: table.schema))
        }
        var writer = try tableWriters[tag] ?? IPCStreamWriter(sink: collector, schema: schema, options: options)
        tableWriters[tag] = nil
        defer { tableWriters[tag] = writer }
        for batch in table.batches { try writer.write(batch) }
        try await sendCollected(tag: tag)
        // The end of the table: an empty frame under its tag.
        appendConnectionHeader(tag: tag, length: 0, into: &pipeline.output)
        try await pipeline.didAppend()
    }

    /// Sends the IPC bytes collected so far under `tag`, as frames of at most the payload limit.
    mutating func sendCollected(tag: UInt8) async throws {
        var frame: [Buffer] = []
        var frameLength = 0
        func emit(_ pipeline: inout SinkPipeline<Sink>) {
            guard frameLength > 0 else { return }
            appendConnectionHeader(tag: tag, length: frameLength, into: &pipeline.output)
            for piece in frame { pipeline.output.append(body: piece) }
            frame.removeAll(keepingCapacity: true)
            frameLength = 0
        }
        let pieces = collector.pieces
        collector.pieces.removeAll(keepingCapacity: true)
        for piece in pieces {
            var start = 0
            while start < piece.count {
                let take = Swift.min(piece.count - start, format.maximumValueLength - frameLength)
                frame.append(start == 0 && take == piece.count ? piece : piece.slice(start..<start + take))
                frameLength += take
                start += take
                if frameLength == format.maximumValueLength { emit(&pipeline) }
            }
        }
        emit(&pipeline)
        try await pipeline.didAppend()
    }

    /// Returns once every byte sent so far was taken by the sink.
    public mutating func flush() async throws {
        try await pipeline.flush()
    }

    /// Flushes and closes the sink (the peer's receiver then ends).
    public mutating func close() async throws {
        try await pipeline.close()
    }
}

/// The receiving half of a message connection: an `AsyncSequence` of ``ReceivedMessage``s
/// (messages and whole tables with their type names) from any ``AsyncByteSource``.
///
/// Unknown tags, payloads over the limit, and tables whose schema differs from their
/// registration are errors (``ConnectionError``, `FramingError`); after an error the receiver
/// yields nothing more, and the caller should close the connection.
public struct MessageReceiver<Source: AsyncByteSource>: AsyncSequence, AsyncIteratorProtocol {
    /// The element type.
    public typealias Element = ReceivedMessage

    struct TableState {
        var extractor: FrameExtractor<IPCMessageDecoder>
        var assembler: IPCStreamAssembler
        var batches: [RecordBatch] = []
        var schema: Schema?
    }

    /// The registered types.
    public let types: ConnectionTypes
    let coder: any MessageCoder
    let options: IPCReadOptions
    var frames: AsyncFrameReader<Source, TLVDecoder>
    var tables: [UInt8: TableState] = [:]
    var failed = false

    /// A receiver of `types` from `source`; frames announcing more than `maximumPayloadLength`
    /// bytes are errors.
    public init(types: ConnectionTypes, source: Source, coder: any MessageCoder = JSONMessageCoder(),
                options: IPCReadOptions = IPCReadOptions(), maximumPayloadLength: Int = 64 << 20) {
        self.types = types
        self.coder = coder
        self.options = options
        frames = AsyncFrameReader(source: source, decoder: TLVDecoder(connectionFrameFormat(maximumPayloadLength: maximumPayloadLength)))
    }

    /// Decodes a message's payload with the connection's ``MessageCoder``.
    public func decode<T: Decodable>(_ type: T.Type, from payload: Buffer) throws -> T {
        try coder.decode(type, from: payload)
    }

    /// The next message or complete table, or `nil` when the input ends cleanly.
    public mutating func next() async throws -> ReceivedMessage? {
        if failed { return nil }
        do {
            return try await receive()
        } catch {
            failed = true
            throw error
        }
    }

    /// Returns the receiver itself.
    public func makeAsyncIterator() -> Self { self }

    mutating func receive() async throws -> ReceivedMessage? {
        while true {
            let offset = frames.position
            guard let frame = try await frames.next() else {
                if let (tag, _) = tables.first(where: { !$0.value.batches.isEmpty || !$0.value.extractor.buffer.isEmpty }) {
                    throw ConnectionError(.incompleteTable(name: types.names[Int(tag)]), at: offset)
                }
                return nil
            }
            let tag = UInt8(frame.tag)
            guard Int(tag) < types.names.count else { throw ConnectionError(.unknownTag(tag), at: offset) }
            let name = types.names[Int(tag)]
            guard case let .table(expected) = types.kinds[Int(tag)] else {
                return .message(name: name, payload: frame.value)
            }
            // A table's IPC bytes collect in a buffer of its own, under the connection's budget.
            var state = tables[tag] ?? TableState(extractor: FrameExtractor(decoder: IPCMessageDecoder(limits: options.limits),
                                                                                buffer: StreamBuffer(budget: frames.buffer.budget)),
                                                  assembler: IPCStreamAssembler(options: options))
            tables[tag] = nil
            defer { tables[tag] = state }
            if frame.value.isEmpty {
                guard let schema = state.schema, state.extractor.buffer.isEmpty else {
                    throw ConnectionError(.incompleteTable(name: name), at: offset)
                }
                let table = try Table(schema: schema, batches: state.batches)
                state.batches = []
                return .table(name: name, table: table)
            }
            try state.extractor.append(frame.value)
            while let message = try state.extractor.nextFrame() {
                switch try state.assembler.apply(message) {
                case let .schema(schema):
                    guard schema.schema == expected else {
                        throw ConnectionError(.schemaMismatch(name: name, expected: expected, received: schema.schema), at: offset)
                    }
                    state.schema = schema.schema
                case let .recordBatch(batch):
                    state.batches.append(batch)
                case .dictionary:
                    break
                case .endOfStream:
                    state.schema = nil
                }
            }
        }
    }
}
