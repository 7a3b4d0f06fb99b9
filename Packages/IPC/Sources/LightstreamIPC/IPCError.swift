import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming

/// Why Arrow IPC bytes could not be read or written: what was wrong and where (message index,
/// field path, byte offset where known).
public struct IPCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var reason: String
    /// The index of the message in the stream or file (0 = the schema), when known.
    public var messageIndex: Int?
    /// The field path, when the problem is in one column.
    public var fieldPath: [String]

    /// An error saying `reason`, in message `message` and field path `field` when known.
    public init(_ reason: String, message: Int? = nil, field: [String] = []) {
        self.reason = reason
        messageIndex = message
        fieldPath = field
    }

    /// The message index and field path, when known, then the reason, as one line.
    public var description: String {
        var parts: [String] = []
        if let messageIndex { parts.append("message \(messageIndex)") }
        if !fieldPath.isEmpty { parts.append("field '\(fieldPath.joined(separator: "."))'") }
        return (parts.isEmpty ? "" : parts.joined(separator: ", ") + ": ") + reason
    }

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
            return IPCError("\(e)", message: message)
        default:
            return IPCError("\(error)", message: message)
        }
    }
}
