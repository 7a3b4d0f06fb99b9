import LightstreamFraming
import Vec64

/// Maps TLV tags to Swift types, so a stream of TLV frames reads as a stream of `Message`
/// values (typically the cases of an enum) and back.
///
/// ```swift
/// enum Message: Equatable { case ping(UInt64), log(String), payload(Buffer) }
/// var registry = TLVRegistry<Message>()
/// registry.register(tag: 1, UInt64.self, embed: Message.ping) { if case let .ping(v) = $0 { v } else { nil } }
/// registry.register(tag: 2, String.self, embed: Message.log) { if case let .log(v) = $0 { v } else { nil } }
/// ```
public struct TLVRegistry<Message>: Sendable {
    struct Entry: Sendable {
        let tag: UInt32
        let decode: @Sendable (Buffer) throws(FramingError) -> Message
        let encode: @Sendable (Message) -> Buffer?
    }

    private var byTag: [UInt32: Entry] = [:]
    private var entries: [Entry] = []

    /// An empty registry.
    public init() {}

    /// Registers `type` under `tag`: `embed` wraps a decoded value into a message, `extract`
    /// returns the value of messages of this kind (and `nil` for others).
    public mutating func register<V: TLVValue>(
        tag: UInt32, _ type: V.Type,
        embed: @escaping @Sendable (V) -> Message, extract: @escaping @Sendable (Message) -> V?
    ) {
        precondition(byTag[tag] == nil, "TLVRegistry: tag \(tag) registered twice")
        let entry = Entry(
            tag: tag,
            decode: { (value) throws(FramingError) in embed(try V.decodeTLV(value)) },
            encode: { extract($0)?.encodeTLV() })
        byTag[tag] = entry
        entries.append(entry)
    }

    /// The registered tags, in registration order.
    public var tags: [UInt32] { entries.map(\.tag) }

    /// The message a frame carries. Throws ``FramingError/Kind/unknownTag(_:)`` for an
    /// unregistered tag and the value type's error for malformed values.
    public func decode(_ frame: TLVFrame) throws(FramingError) -> Message {
        guard let entry = byTag[frame.tag] else { throw FramingError(.unknownTag(UInt64(frame.tag)), at: 0) }
        return try entry.decode(frame.value)
    }

    /// The frame for a message; throws when no registration extracts it.
    public func encode(_ message: Message) throws(FramingError) -> TLVFrame {
        for entry in entries {
            if let value = entry.encode(message) { return TLVFrame(tag: entry.tag, value: value) }
        }
        throw FramingError(.malformed("no TLV registration encodes \(message)"), at: 0)
    }
}

/// Decodes TLV frames straight into registered messages.
public struct TLVMessageDecoder<Message>: FrameDecoder, Sendable {
    /// The decoder of the underlying TLV frames.
    public var frames: TLVDecoder
    /// The registry that turns frames into messages.
    public let registry: TLVRegistry<Message>

    /// A decoder of messages registered in `registry`, in frames of `format`.
    public init(_ registry: TLVRegistry<Message>, format: TLVFormat = TLVFormat()) {
        self.registry = registry
        frames = TLVDecoder(format)
    }

    /// Decodes the first frame into a message; unknown tags and malformed values are errors at the
    /// frame's offset.
    public mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<Message> {
        switch try frames.decode(window) {
        case let .needMoreData(minimum):
            return .needMoreData(minimumWindow: minimum)
        case let .frame(frame, consumed):
            do {
                return .frame(try registry.decode(frame), consumed: consumed)
            } catch {
                throw window.error(error.kind, at: 0)
            }
        }
    }
}

/// Encodes registered messages as TLV frames.
public struct TLVMessageEncoder<Message>: FrameEncoder, Sendable {
    /// The encoder of the underlying TLV frames.
    public var frames: TLVEncoder
    /// The registry that turns messages into frames.
    public let registry: TLVRegistry<Message>

    /// An encoder of messages registered in `registry`, in frames of `format`.
    public init(_ registry: TLVRegistry<Message>, format: TLVFormat = TLVFormat()) {
        self.registry = registry
        frames = TLVEncoder(format)
    }

    /// Appends the frame of `message`; throws when no registration extracts it or the frame cannot
    /// be encoded.
    public mutating func encode(_ message: Message, into output: inout FrameOutput) throws(FramingError) {
        var frame: TLVFrame
        do {
            frame = try registry.encode(message)
        } catch {
            throw FramingError(error.kind, at: output.count)
        }
        try frames.encode(frame, into: &output)
    }
}
