import ArgumentParser
import Foundation
import Lightstream
import Synchronization

/// The endpoint in a command-line argument.
func endpoint(_ text: String) throws -> SocketEndpoint {
    guard let endpoint = SocketEndpoint(parsing: text) else {
        throw CLIError("'\(text)' is not HOST:PORT or unix:PATH")
    }
    return endpoint
}

/// `lightstream send HOST:PORT FILE`: sends an IPC file or stream as an IPC stream.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send an IPC file or stream to HOST:PORT (or unix:PATH) as an Arrow IPC stream."
    )

    @Argument(help: "Where to send: HOST:PORT, unix:PATH, or stdio (standard output).") var destination: String
    @Argument(help: "IPC file or stream (told apart by content), or - for a stream on stdin.") var input: String
    @Option(help: "Body compression: none, lz4 or zstd.") var compression: String = "none"

    func run() async throws {
        try await reportingErrors {
            let codec = try bodyCodec(compression)
            let table = try ArrowIO.readTable(input)
            @Sendable func send(_ sink: NIOByteSink) async throws -> Int {
                var writer = try TableWriter.stream(to: sink, schema: table.schema, options: IPCWriteOptions(codec: codec))
                try await writer.write(table)
                try await writer.finish()
                return writer.statistics.bytesWritten
            }
            let bytes: Int
            if destination == "stdio" {
                bytes = try await NIOTransport.standardIO { _, sink in try await send(sink) }
            } else {
                bytes = try await NIOTransport.connect(to: try endpoint(destination)) { _, sink in try await send(sink) }
            }
            FileHandle.standardError.write("sent \(table.rowCount) rows in \(table.batches.count) batches (\(bytes) bytes) to \(destination)\n".data(using: .utf8)!)
        }
    }
}

/// `lightstream recv --listen HOST:PORT OUT [--count N]`: receives IPC streams and writes them.
struct Recv: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Listen on HOST:PORT (or unix:PATH), receive one Arrow IPC stream per connection and write it to OUT.",
        discussion: """
        OUT is written as an IPC file (.arrow, .feather, .ipc) or stream (.arrows, .stream). With --count N above 1, \
        connection i is written to OUT with {n} replaced by i, or with -i before the extension. Port 0 picks a free \
        port; the bound address is printed on standard error as 'listening on HOST:PORT'.
        """
    )

    @Option(name: .long, help: "Where to listen: HOST:PORT, unix:PATH, or stdio (one stream on standard input).") var listen: String
    @Argument(help: "Output path.") var output: String
    @Option(help: "Number of connections to receive.") var count: Int = 1

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
    }

    /// The output path of connection `index` (1-based).
    func path(_ index: Int) -> String {
        if output.contains("{n}") { return output.replacingOccurrences(of: "{n}", with: "\(index)") }
        guard count > 1 else { return output }
        let url = URL(fileURLWithPath: output)
        let stem = url.deletingPathExtension().path
        return url.pathExtension.isEmpty ? "\(stem)-\(index)" : "\(stem)-\(index).\(url.pathExtension)"
    }

    /// Writes a received table to `path` and says so on standard error.
    static func save(_ table: Table, to path: String) throws {
        try ArrowIO.write(table, to: path, options: IPCWriteOptions())
        FileHandle.standardError.write("received \(table.rowCount) rows in \(table.batches.count) batches -> \(path)\n".data(using: .utf8)!)
    }

    func run() async throws {
        try await reportingErrors {
            let paths = (1...count).map(path)
            for path in paths { _ = try ArrowIO.format(of: path) }
            if listen == "stdio" {
                guard count == 1 else { throw CLIError("--listen stdio receives one stream: --count must be 1") }
                let table = try await NIOTransport.standardIO { source, _ in
                    var reader = TableStreamReader(source: source)
                    return try await reader.readTable()
                }
                guard let table else { throw CLIError("standard input holds no stream") }
                try Self.save(table, to: output)
                return
            }
            let endpoint = try endpoint(listen)
            let listener = try await NIOTransport.listen(on: endpoint)
            let shown: SocketEndpoint = if case let .tcp(host, _) = endpoint, let port = listener.port { .tcp(host: host, port: port) } else { endpoint }
            FileHandle.standardError.write("listening on \(shown)\n".data(using: .utf8)!)
            let next = Atomic<Int>(0)
            try await listener.serve(connections: count) { source, _ in
                let index = next.add(1, ordering: .relaxed).newValue
                var reader = TableStreamReader(source: source)
                guard let table = try await reader.readTable() else { throw CLIError("connection \(index) sent no stream") }
                try Self.save(table, to: paths[index - 1])
            }
        }
    }
}
