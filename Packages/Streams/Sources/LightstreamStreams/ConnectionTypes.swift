#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LightstreamArrow
import Vec64

/// The message and table types two peers exchange over a connection, registered in the same
/// order on both sides: the n-th registration gets tag n (one byte, so at most 256 types).
///
/// ```swift
/// var types = ConnectionTypes()
/// types.registerMessage("hello")                        // tag 0
/// types.registerTable("trades", schema: tradeSchema)    // tag 1
/// ```
public struct ConnectionTypes: Sendable {
    /// What travels under a tag.
    public enum Kind: Sendable, Equatable {
        /// Opaque bytes (or a `Codable` value encoded by the connection's ``MessageCoder``).
        case message
        /// Arrow tables of this schema, as IPC stream messages.
        case table(Schema)
    }

    /// The registered names in tag order.
    public private(set) var names: [String] = []
    var kinds: [Kind] = []
    var tags: [String: UInt8] = [:]

    /// No types yet.
    public init() {}

    /// Registers a message type under the next tag.
    public mutating func registerMessage(_ name: String) {
        register(name, .message)
    }

    /// Registers a table type of `schema` under the next tag.
    public mutating func registerTable(_ name: String, schema: Schema) {
        register(name, .table(schema))
    }

    mutating func register(_ name: String, _ kind: Kind) {
        precondition(names.count < 256, "ConnectionTypes: at most 256 types fit a one-byte tag")
        precondition(tags[name] == nil, "ConnectionTypes: '\(name)' is registered twice")
        tags[name] = UInt8(names.count)
        names.append(name)
        kinds.append(kind)
    }

    /// The tag and kind of `name`.
    func lookup(_ name: String) throws(ConnectionError) -> (UInt8, Kind) {
        guard let tag = tags[name] else { throw ConnectionError(.unregisteredName(name)) }
        return (tag, kinds[Int(tag)])
    }
}

/// Why a connection could not send or receive.
public struct ConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// A frame arrived with a tag no type is registered under.
        case unknownTag(UInt8)
        /// `send` named a type that is not registered.
        case unregisteredName(String)
        /// A message was sent under a table type's name, or a table under a message type's name.
        case wrongKind(name: String)
        /// A table's schema differs from the one its type was registered with.
        case schemaMismatch(name: String, expected: Schema, received: Schema)
        /// The input ended in the middle of a table.
        case incompleteTable(name: String)
    }

    /// What went wrong.
    public var kind: Kind
    /// Where in the received byte stream the offending frame starts, when receiving.
    public var byteOffset: Int?

    /// An error of `kind`, at `byteOffset` of the received stream when known.
    public init(_ kind: Kind, at byteOffset: Int? = nil) {
        self.kind = kind
        self.byteOffset = byteOffset
    }

    /// The problem, and where, as one line.
    public var description: String {
        let what: String = switch kind {
        case let .unknownTag(tag): "no message or table type is registered under tag \(tag)"
        case let .unregisteredName(name): "no message or table type is registered as '\(name)'"
        case let .wrongKind(name): "'\(name)' is registered as the other kind (message vs table)"
        case let .schemaMismatch(name, expected, received):
            "table '\(name)' arrived with schema \(received), but it is registered with \(expected)"
        case let .incompleteTable(name): "the input ended in the middle of table '\(name)'"
        }
        return byteOffset.map { "\(what) (frame at byte \($0))" } ?? what
    }
}

/// Turns `Codable` values into message payloads and back. ``JSONMessageCoder`` is the default;
/// plug in any other encoding.
public protocol MessageCoder: Sendable {
    /// The payload for `value`.
    func encode<T: Encodable>(_ value: T) throws -> [UInt8]
    /// The value in `payload`.
    func decode<T: Decodable>(_ type: T.Type, from payload: Buffer) throws -> T
}

/// JSON payloads, through Foundation's `JSONEncoder`/`JSONDecoder`.
public struct JSONMessageCoder: MessageCoder {
    /// A JSON coder.
    public init() {}

    /// The JSON for `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONEncoder().encode(value))
    }

    /// The value the JSON in `payload` describes.
    public func decode<T: Decodable>(_ type: T.Type, from payload: Buffer) throws -> T {
        try payload.withUnsafeBytes { try JSONDecoder().decode(type, from: Data($0)) }
    }
}

/// One thing received over a connection, with its registered type name.
public enum ReceivedMessage: Sendable {
    /// A message: its payload (decode `Codable` values with ``MessageReceiver/decode(_:from:)``).
    case message(name: String, payload: Buffer)
    /// A table.
    case table(name: String, table: Table)

    /// The registered type name.
    public var name: String {
        switch self {
        case let .message(name, _), let .table(name, _): name
        }
    }
}
