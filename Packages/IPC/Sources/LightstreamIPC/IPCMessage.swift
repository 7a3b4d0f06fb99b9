import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming
import Vec64

/// The kinds of message an Arrow IPC stream carries.
public enum IPCMessageKind: UInt8, Sendable {
    /// The `MessageHeader` union of Message.fbs; raw values are its type tags.
    case schema = 1, dictionaryBatch = 2, recordBatch = 3, tensor = 4, sparseTensor = 5
}

/// One encapsulated IPC message: metadata (a `Message` FlatBuffer) and its body, which is a
/// zero-copy slice of the received bytes when they were 8-byte aligned.
public struct IPCMessage: Sendable {
    /// The metadata version (V4 = 3, V5 = 4).
    public let version: Int16
    /// What the header is.
    public let kind: IPCMessageKind
    /// The header table (a Schema, DictionaryBatch or RecordBatch).
    public let header: FlatTable
    /// The `Message` FlatBuffer.
    public let metadata: Buffer
    /// The message body (empty for a schema).
    public let body: Buffer
    /// The message's custom key-value metadata.
    public let customMetadata: [String: String]

    /// Parses the metadata FlatBuffer of a message whose body is `body`.
    public init(metadata: Buffer, body: Buffer) throws {
        let root = try FlatBuffer(metadata).root()
        version = try root.scalar(0, default: Int16(0))
        guard version >= 3 else { throw IPCError("metadata version V\(version + 1) is older than V4 and not supported", kind: .unsupported) }
        guard version <= 4 else { throw IPCError("metadata version \(version) is newer than V5 (4) and not supported", kind: .unsupported) }
        let rawKind = try root.scalar(1, default: UInt8(0))
        guard let kind = IPCMessageKind(rawValue: rawKind) else { throw IPCError("unknown message header type \(rawKind)") }
        guard let header = try root.table(2) else { throw IPCError("message has no header") }
        self.kind = kind
        self.header = header
        self.metadata = metadata
        self.body = body
        customMetadata = try SchemaDecoder.metadata(root, slot: 4)
    }

    /// The body length a message's metadata announces.
    static func bodyLength(metadata: Buffer) throws -> Int {
        let length = try FlatBuffer(metadata).root().scalar(3, default: Int64(0))
        guard length >= 0 else { throw IPCError("negative body length \(length)") }
        return Int(length)
    }
}

/// What the IPC message decoder produces.
public enum IPCFrame: Sendable {
    /// One message: metadata and body.
    case message(IPCMessage)
    /// The end-of-stream marker.
    case endOfStream
}

/// Decodes encapsulated IPC messages on the Framing protocols: continuation marker
/// `0xFFFFFFFF`, metadata length, metadata (padded to 8), body; also the pre-0.15 form without the
/// continuation marker, and the end-of-stream marker.
public struct IPCMessageDecoder: FrameDecoder, Sendable {
    /// The largest metadata accepted.
    public var maximumMetadataLength: Int
    /// The largest body accepted.
    public var maximumBodyLength: Int
    /// The last framing error this decoder threw with what it means for IPC (which limit, or the
    /// message's own error and kind), for ``ipcError(_:message:)``.
    private var lastRefusal: (framing: FramingError, ipc: IPCError)?

    /// A decoder with the given limits on metadata (default 64 MiB) and body (default 1 TiB) length.
    public init(maximumMetadataLength: Int = 64 << 20, maximumBodyLength: Int = 1 << 40) {
        self.maximumMetadataLength = maximumMetadataLength
        self.maximumBodyLength = maximumBodyLength
    }

    /// A decoder with the metadata and body limits of `limits`.
    public init(limits: IPCLimits) {
        self.init(maximumMetadataLength: limits.maximumMetadataBytes, maximumBodyLength: limits.maximumBodyBytes)
    }

    /// Decodes the first message or end-of-stream marker; the body is handed out 8-byte aligned
    /// (copied only when misaligned).
    public mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<IPCFrame> {
        guard window.count >= 4 else { return .needMoreData(minimumWindow: 4) }
        var prefix = 4
        var length = Int(Int32(bitPattern: UInt32(window.readInteger(width: 4, at: 0, bigEndian: false))))
        if length == -1 {
            guard window.count >= 8 else { return .needMoreData(minimumWindow: 8) }
            prefix = 8
            length = Int(Int32(bitPattern: UInt32(window.readInteger(width: 4, at: 4, bigEndian: false))))
        }
        if length == 0 { return .frame(.endOfStream, consumed: prefix) }
        guard length > 0 else { throw window.error(.malformed("negative metadata length \(length)"), at: 0) }
        guard length <= maximumMetadataLength else {
            throw refuse(window.error(.frameTooLarge(length: UInt64(length), maximum: maximumMetadataLength), at: 0), as: .limitExceeded(.metadataBytes))
        }
        guard window.count >= prefix + length else { return .needMoreData(minimumWindow: prefix + length) }
        let metadata = window.bytes.slice(prefix..<(prefix + length))
        let bodyLength: Int
        do {
            bodyLength = try IPCMessage.bodyLength(metadata: metadata)
        } catch {
            throw refuse(window.error(.malformed("\(error)"), at: 0), because: error)
        }
        guard bodyLength <= maximumBodyLength else {
            throw refuse(window.error(.frameTooLarge(length: UInt64(bodyLength), maximum: maximumBodyLength), at: 0), as: .limitExceeded(.bodyBytes))
        }
        let total = prefix + length + bodyLength
        guard window.count >= total else { return .needMoreData(minimumWindow: total) }
        do {
            let message = try IPCMessage(metadata: metadata, body: window.body((prefix + length)..<total, alignment: 8))
            return .frame(.message(message), consumed: total)
        } catch {
            throw refuse(window.error(.malformed("\(error)"), at: 0), because: error)
        }
    }

    /// Records that `framing` is an IPC error of `kind` with the same text, and returns it to throw.
    private mutating func refuse(_ framing: FramingError, as kind: IPCError.Kind) -> FramingError {
        lastRefusal = (framing, IPCError("\(framing)", kind: kind))
        return framing
    }

    /// Records that `framing` stands for the message's own error `cause`, and returns it to throw.
    private mutating func refuse(_ framing: FramingError, because cause: any Error) -> FramingError {
        lastRefusal = (framing, IPCError.wrap(cause, message: nil))
        return framing
    }

    /// `error`, thrown while reading with this decoder, as an ``IPCError`` in message `message`:
    /// for the decoder's own refusals the limit it breached or the message's own error (kind
    /// included), for anything else (truncation, I/O) the framing error's meaning.
    public func ipcError(_ error: any Error, message: Int?) -> IPCError {
        if let refusal = lastRefusal, let framing = error as? FramingError, framing == refusal.framing {
            var own = refusal.ipc
            own.messageIndex = own.messageIndex ?? message
            return own
        }
        return IPCError.wrap(error, message: message)
    }
}

/// An encoded message ready to write: its `Message` FlatBuffer and its body pieces (already
/// padded to the alignment), or the end-of-stream marker.
public enum IPCOutgoingMessage: Sendable {
    /// A message: its `Message` FlatBuffer, its body pieces and their total length.
    case message(metadata: [UInt8], body: [Buffer], bodyLength: Int)
    /// The end-of-stream marker.
    case endOfStream
}

/// Encodes IPC messages on the Framing protocols: continuation marker, metadata length,
/// metadata padded so that every body starts at a multiple of `alignment` from the start of
/// the stream (or file, given where writing started), then the body by reference.
public struct IPCMessageEncoder: FrameEncoder, Sendable {
    /// Bodies start at a multiple of this many bytes (8 or 64) from the start of the stream.
    public let alignment: Int
    /// Bytes written so far, from the start of the stream or file.
    public private(set) var position: Int
    /// The prefix + padded metadata length of the last message (a file footer block needs it).
    public private(set) var lastMetadataLength = 0

    /// An encoder aligning to `alignment` (8 or 64) whose output starts at byte `position`.
    public init(alignment: Int = 64, position: Int = 0) {
        precondition(alignment == 8 || alignment == 64, "IPCMessageEncoder: alignment must be 8 or 64")
        self.alignment = alignment
        self.position = position
    }

    /// Appends the continuation marker, padded metadata length, metadata and body of `message`,
    /// or the end-of-stream marker.
    public mutating func encode(_ message: IPCOutgoingMessage, into output: inout FrameOutput) {
        switch message {
        case .endOfStream:
            output.appendInteger(0xFFFF_FFFF, width: 4, bigEndian: false)
            output.appendInteger(0, width: 4, bigEndian: false)
            position += 8
        case let .message(metadata, body, bodyLength):
            var paddedLength = metadata.count
            while (position + 8 + paddedLength) % alignment != 0 { paddedLength += 1 }
            output.appendInteger(0xFFFF_FFFF, width: 4, bigEndian: false)
            output.appendInteger(UInt64(paddedLength), width: 4, bigEndian: false)
            output.append(contentsOf: metadata)
            output.appendZeros(paddedLength - metadata.count)
            for piece in body { output.append(body: piece) }
            position += 8 + paddedLength + bodyLength
            lastMetadataLength = 8 + paddedLength
        }
    }
}

/// Builds the `Message` FlatBuffer around a header.
func messageMetadata(_ kind: IPCMessageKind, bodyLength: Int, _ header: (inout FlatBufferBuilder) -> FlatOffset) -> [UInt8] {
    var builder = FlatBufferBuilder()
    let headerOffset = header(&builder)
    builder.startTable()
    builder.add(0, Int16(4), default: Int16(-1))
    builder.add(1, kind.rawValue, default: 0)
    builder.add(2, headerOffset)
    builder.add(3, Int64(bodyLength), default: Int64(0))
    return builder.finish(root: builder.endTable())
}
