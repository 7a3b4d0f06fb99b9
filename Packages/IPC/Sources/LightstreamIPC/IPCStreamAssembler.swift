import LightstreamArrow
import LightstreamFraming
import Vec64

/// What one message of an IPC stream amounts to, for ``IPCStreamAssembler``.
public enum IPCStreamEvent: Sendable {
    /// A stream began with this schema.
    case schema(IPCSchema)
    /// A dictionary batch was applied (a delta when `isDelta`); nothing to hand out.
    case dictionary(id: Int64, isDelta: Bool)
    /// A record batch, with the dictionaries it references.
    case recordBatch(RecordBatch)
    /// The stream ended (end-of-stream marker).
    case endOfStream
}

/// Turns the messages of Arrow IPC streams into schemas and record batches, one message at a
/// time, applying dictionary batches (deltas and replacements) as they come. It reads no bytes
/// itself, so every transport shares it: the synchronous ``IPCStreamReader``, async readers and
/// NIO pipelines feed it the frames of an ``IPCMessageDecoder``.
///
/// After an end-of-stream marker the assembler expects a new schema: several streams can follow
/// each other on one connection.
///
/// Errors are ``IPCError``s naming the message index within the current stream (0 = schema).
public struct IPCStreamAssembler: Sendable {
    /// Read options (codecs, validation).
    public let options: IPCReadOptions
    /// The schema of the current stream, once its schema message arrived.
    public private(set) var schema: IPCSchema?
    /// The index of the next message within the current stream.
    public private(set) var messageIndex = 0
    var memo = DictionaryMemo()

    /// An assembler reading with `options`.
    public init(options: IPCReadOptions = IPCReadOptions()) {
        self.options = options
    }

    /// Applies one decoded frame and says what it amounts to.
    public mutating func apply(_ frame: IPCFrame) throws(IPCError) -> IPCStreamEvent {
        guard case let .message(message) = frame else {
            if schema == nil { throw IPCError("end-of-stream marker before any schema", message: messageIndex) }
            reset()
            return .endOfStream
        }
        return try apply(message)
    }

    /// Applies one message and says what it amounts to.
    public mutating func apply(_ message: IPCMessage) throws(IPCError) -> IPCStreamEvent {
        let index = messageIndex
        messageIndex += 1
        do {
            guard let schema else {
                guard message.kind == .schema else { throw IPCError("the stream starts with a \(message.kind) message, not a schema") }
                let decoded = try SchemaDecoder.decode(message.header, limits: options.limits)
                self.schema = decoded
                return .schema(decoded)
            }
            switch message.kind {
            case .dictionaryBatch:
                let (id, isDelta) = try memo.apply(message, schema: schema, options: options, allowReplacement: true)
                return .dictionary(id: id, isDelta: isDelta)
            case .recordBatch:
                try memo.resolve()
                return .recordBatch(try readRecordBatch(message, schema: schema, memo: memo, options: options))
            case .schema:
                throw IPCError("a second schema message inside the stream")
            case .tensor, .sparseTensor:
                throw IPCError("tensor messages are not supported", kind: .unsupported)
            }
        } catch {
            throw IPCError.wrap(error, message: index)
        }
    }

    /// Forgets the current stream (schema and dictionaries): the next message must be a schema.
    public mutating func reset() {
        schema = nil
        memo = DictionaryMemo()
        messageIndex = 0
    }
}
