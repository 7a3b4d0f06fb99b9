/// Where a byte stream connects or listens: a TCP host and port, or a Unix domain socket path.
public enum SocketEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// TCP; port 0 when listening picks a free port.
    case tcp(host: String, port: Int)
    /// A Unix domain socket at `path`.
    case unix(path: String)

    /// Parses `HOST:PORT` (IPv6 hosts in brackets, `[::1]:9000`) or `unix:PATH`; `nil` when
    /// the text is neither.
    public init?(parsing text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { return nil }
            self = .unix(path: path)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self = .tcp(host: host, port: port)
    }

    /// `HOST:PORT` or `unix:PATH`.
    public var description: String {
        switch self {
        case let .tcp(host, port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case let .unix(path): "unix:\(path)"
        }
    }
}
