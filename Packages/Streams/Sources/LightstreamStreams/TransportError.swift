import SystemPackage

/// Why a connection could not be made, accepted or kept going: what kind of failure (for a
/// program to switch on), the endpoint, and the system's error number when there is one.
///
/// Its description is one line for people: "cannot connect to 127.0.0.1:1: connection
/// refused", "127.0.0.1:9000 is in use", "no bytes could be sent to 127.0.0.1:9000 for 30 s".
public struct TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of transport failure.
    public enum Kind: Equatable, Sendable {
        /// The host name could not be resolved (`getaddrinfo`).
        case resolve
        /// Connecting failed (`socket`, `connect`); ``TransportError/errno`` says why, e.g.
        /// `ECONNREFUSED`.
        case connect
        /// Binding or listening failed (`bind`, `listen`); `EADDRINUSE` means the address is in use.
        case listen
        /// Accepting a connection failed (`accept`).
        case accept
        /// Nothing happened within a timeout: connecting (``TransportError/Operation/connect``),
        /// or no byte received or sent (``TransportError/Operation/receive``, ``TransportError/Operation/send``).
        case timedOut(Operation, seconds: Double)
        /// The descriptor is of a kind this transport cannot serve (SwiftNIO's pipe channels
        /// refuse regular files and `/dev/null`; use `FileDescriptorByteStream`/`Sink` for them).
        case unsupportedDescriptor
    }

    /// What timed out.
    public enum Operation: String, Equatable, Sendable {
        /// Establishing the connection.
        case connect
        /// Waiting for bytes from the peer.
        case receive
        /// Waiting for the peer to take bytes.
        case send
    }

    /// What kind of failure.
    public var kind: Kind
    /// The endpoint or descriptor concerned (`HOST:PORT`, `unix:PATH`, `descriptor 0`).
    public var endpoint: String
    /// The system's error number, when a system call failed.
    public var errno: Errno?
    /// More about the failure, when the error number does not say it (a resolver message).
    public var detail: String?

    /// A failure of `kind` at `endpoint`, with the system call's error number when there is one.
    public init(_ kind: Kind, endpoint: String, errno: Errno? = nil, detail: String? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.errno = errno
        self.detail = detail
    }

    /// The failure as one line.
    public var description: String {
        let why = detail ?? errno.map(Self.lowercased) ?? "failed"
        switch kind {
        case .resolve:
            return "cannot resolve \(endpoint): \(why)"
        case .connect:
            return "cannot connect to \(endpoint): \(why)"
        case .listen:
            if errno == .addressInUse { return "\(endpoint) is in use" }
            return "cannot listen on \(endpoint): \(why)"
        case .accept:
            return "cannot accept a connection on \(endpoint): \(why)"
        case let .timedOut(operation, seconds):
            let time = seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
            switch operation {
            case .connect: return "cannot connect to \(endpoint): no answer within \(time) (connect timeout)"
            case .receive: return "no bytes arrived from \(endpoint) for \(time) (idle timeout)"
            case .send: return "\(endpoint) took no bytes for \(time) (idle timeout): the peer is not reading"
            }
        case .unsupportedDescriptor:
            return "\(endpoint) cannot be used here: \(why)"
        }
    }

    /// "Connection refused" as "connection refused".
    static func lowercased(_ errno: Errno) -> String {
        let text = errno.description
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
