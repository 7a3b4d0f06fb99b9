import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming

/// Why Arrow IPC bytes could not be read or written: what kind of problem (for a program to
/// switch on), what was wrong and where (message index, field path, byte offset where known).
public struct IPCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of IPC error.
    public enum Kind: Equatable, Sendable {
        /// The bytes break the Arrow format's rules (metadata, buffers, offsets, dictionaries).
        case invalidData
        /// Valid Arrow the library does not read (tensors, a future metadata version, an
        /// unconfigured codec).
        case unsupported
        /// The input asked for more than a configured ``IPCLimits`` bound allows.
        case limitExceeded(IPCLimits.Limit)
        /// The input ended inside a message.
        case truncated
        /// The underlying byte source or sink failed.
        case io
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// What was wrong.
    public var reason: String
    /// The index of the message in the stream or file (0 = the schema), when known.
    public var messageIndex: Int?
    /// The field path, when the problem is in one column.
    public var fieldPath: [String]

    /// An error of `kind` saying `reason`, in message `message` and field path `field` when known.
    public init(_ reason: String, kind: Kind = .invalidData, message: Int? = nil, field: [String] = []) {
        self.kind = kind
        self.reason = reason
        messageIndex = message
        fieldPath = field
    }

    /// An error saying that `what` (`value`) exceeds `limit` (`maximum`).
    public static func limitExceeded(_ limit: IPCLimits.Limit, value: Int, maximum: Int, _ what: String,
                                     message: Int? = nil, field: [String] = []) -> IPCError {
        IPCError("\(what) (\(value)) exceeds the limit \(limit.rawValue) (\(maximum))", kind: .limitExceeded(limit),
                 message: message, field: field)
    }

    /// The message index and field path, when known, then the reason, as one line.
    public var description: String {
        var parts: [String] = []
        if let messageIndex { parts.append("message \(messageIndex)") }
        if !fieldPath.isEmpty { parts.append("field '\(fieldPath.joined(separator: "."))'") }
        return (parts.isEmpty ? "" : parts.joined(separator: ", ") + ": ") + reason
    }

    /// `error` as an ``IPCError`` in message `message`.
    static func wrap(_ error: any Error, message: Int?) -> IPCError {
        switch error {
        case var e as IPCError:
            if e.messageIndex == nil { e.messageIndex = message }
            return e
        case let e as ArrowValidationError:
            return IPCError("invalid data: \(e.kind)" + (e.index.map { " at index \($0)" } ?? ""), message: message, field: e.path)
        case let e as FlatBufferError:
            return IPCError("invalid metadata: \(e)", message: message)
        case let e as FramingError:
            let kind: Kind = switch e.kind {
            case .truncatedFrame: .truncated
            case .io: .io
            case .frameTooLarge, .bufferLimitExceeded: .limitExceeded(.bodyBytes)
            default: .invalidData
            }
            return IPCError("\(e)", kind: kind, message: message)
        default:
            return IPCError("\(error)", message: message)
        }
    }
}
