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

/// A timeout option in seconds: `nil` for 0 (wait forever).
func timeout(_ seconds: Double, _ option: String) throws -> Duration? {
    guard seconds >= 0, seconds.isFinite else { throw CLIError("\(option) must be a number of seconds, 0 or more") }
    return seconds == 0 ? nil : .milliseconds(Int64((seconds * 1000).rounded(.up)))
}

/// Writes a line to standard error.
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// `lightstream send HOST:PORT FILE`: sends an IPC file or stream as an IPC stream.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send an IPC file or stream to HOST:PORT (or unix:PATH) as an Arrow IPC stream.",
        discussion: """
        With stdio as the destination the stream goes to standard output (a pipe, a file or /dev/null). \
        A peer that does not accept the connection within --connect-timeout, or stops reading for \
        --idle-timeout seconds, ends the command with an error.
        """
    )

    @Argument(help: "Where to send: HOST:PORT, unix:PATH, or stdio (standard output).") var destination: String
    @Argument(help: "IPC file or stream (told apart by content), or - for a stream on stdin.") var input: String
    @Option(help: "Body compression: none, lz4 or zstd.") var compression: String = "none"
    @Option(help: "Seconds to wait for the peer to accept the connection (0: the system's limit).") var connectTimeout: Double = 10
    @Option(help: "Seconds the peer may take no bytes before giving up (0: wait forever).") var idleTimeout: Double = 30

    func run() async throws {
        try await reportingErrors {
            let codec = try bodyCodec(compression)
            let connectLimit = try timeout(connectTimeout, "--connect-timeout")
            let idleLimit = try timeout(idleTimeout, "--idle-timeout")
            let target = destination == "stdio" ? nil : try endpoint(destination)
            let table = try ArrowIO.readTable(input)
            @Sendable func send(_ sink: FileDescriptorByteSink) async throws -> Int {
                var writer = try TableWriter.stream(to: sink, schema: table.schema, options: IPCWriteOptions(codec: codec))
                try await writer.write(table)
                try await writer.finish()
                return writer.statistics.bytesWritten
            }
            let bytes: Int
            if let target {
                bytes = try await SocketTransport.connect(to: target, connectTimeout: connectLimit, idleTimeout: idleLimit) { _, sink in
                    try await send(sink)
                }
            } else {
                // Descriptors serve every kind of standard output: pipes, files, /dev/null, terminals.
                bytes = try await send(FileDescriptorByteSink(.standardOutput, closeOnClose: false, idleTimeout: idleLimit))
            }
            note("sent \(table.rowCount) rows in \(table.batches.count) batches (\(bytes) bytes) to \(destination)")
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
        port; the bound address is printed on standard error as 'listening on HOST:PORT'. \
        A connection that fails (not Arrow, cut short before the end-of-stream marker, silent for --idle-timeout \
        seconds, over the receive memory budget) is reported on standard error and not saved; the others are \
        served, and the command exits with status 1 at the end if any failed.
        """
    )

    @Option(name: .long, help: "Where to listen: HOST:PORT, unix:PATH, or stdio (one stream on standard input).") var listen: String
    @Argument(help: "Output path.") var output: String
    @Option(help: "Number of connections to receive.") var count: Int = 1
    @Option(help: "Seconds a connection may send nothing before it is dropped (0: wait forever).") var idleTimeout: Double = 30
    @Option(help: "MiB of received, not yet decoded bytes all connections may buffer together.")
    var memoryBudget: Int = SocketTransport.defaultReceiveBudget >> 20

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard memoryBudget > 0 else { throw ValidationError("--memory-budget must be positive") }
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
        note("received \(table.rowCount) rows in \(table.batches.count) batches -> \(path)")
    }

    /// Reads one whole stream (it must end with its end-of-stream marker) from `source`; names
    /// input that plainly is not Arrow IPC.
    static func receive<Source: AsyncByteSource>(_ source: Source, from peer: String) async throws -> Table {
        let head = HeadRecorder()
        // Bytes from a peer: the network limits (smaller messages and decompression budgets).
        var reader = TableStreamReader(source: RecordingSource(source, into: head), options: IPCReadOptions(limits: .network),
                                       requireEndOfStream: true)
        do {
            guard let table = try await reader.readTable() else { throw CLIError("\(peer) sent no stream (the input is empty)") }
            return table
        } catch let error as IPCError {
            if let what = ArrowIO.sniff(head.bytes) { throw CLIError("\(peer) sent something that \(what)") }
            throw error
        } catch let error as FramingError {
            if let what = ArrowIO.sniff(head.bytes) { throw CLIError("\(peer) sent something that \(what)") }
            throw error
        }
    }

    func run() async throws {
        try await reportingErrors {
            let paths = (1...count).map(path)
            for path in paths {
                _ = try ArrowIO.format(of: path)
                try ArrowIO.checkWritable(path)
            }
            let idleLimit = try timeout(idleTimeout, "--idle-timeout")
            if listen == "stdio" {
                guard count == 1 else { throw CLIError("--listen stdio receives one stream: --count must be 1") }
                // Descriptors serve every kind of standard input: pipes, files, /dev/null, terminals.
                let source = FileDescriptorByteStream(.standardInput, idleTimeout: idleLimit)
                try Self.save(try await Self.receive(source, from: "standard input"), to: output)
                return
            }
            let endpoint = try endpoint(listen)
            let listener = try SocketTransport.listen(on: endpoint, memoryBudget: MemoryBudget(limit: memoryBudget << 20), idleTimeout: idleLimit)
            let shown: SocketEndpoint = if case let .tcp(host, _) = endpoint, let port = listener.port { .tcp(host: host, port: port) } else { endpoint }
            note("listening on \(shown)")
            let next = Atomic<Int>(0)
            let failures = Atomic<Int>(0)
            // A bad connection is reported and the others are still served: the handler keeps
            // its errors, so serving goes on until `count` connections were handled.
            try await listener.serve(connections: count) { source, _ in
                let index = next.add(1, ordering: .relaxed).newValue
                do {
                    try Self.save(try await Self.receive(source, from: "the peer"), to: paths[index - 1])
                } catch {
                    failures.add(1, ordering: .relaxed)
                    note("error: connection \(index): \(describe(error))")
                }
            }
            let failed = failures.load(ordering: .relaxed)
            if failed > 0 {
                throw CLIError("\(failed) of \(count) connection\(count == 1 ? "" : "s") failed")
            }
        }
    }
}

/// The first bytes a connection sent, kept to name what arrived when it is not Arrow IPC.
final class HeadRecorder: Sendable {
    private let head = Mutex<[UInt8]>([])
    static let size = 512

    var bytes: Buffer { Buffer(copying: head.withLock { $0 }) }
    var isFull: Bool { head.withLock { $0.count >= Self.size } }

    func record(_ window: ByteWindow, from start: Int) {
        head.withLock { head in
            guard head.count < Self.size, start <= window.count else { return }
            let end = min(window.count, start + Self.size - head.count)
            head += window.bytes.slice(start..<end).array
        }
    }
}

/// A source that keeps the first bytes it delivers in a ``HeadRecorder``.
struct RecordingSource<Base: AsyncByteSource>: AsyncByteSource {
    var base: Base
    let recorder: HeadRecorder

    init(_ base: Base, into recorder: HeadRecorder) {
        self.base = base
        self.recorder = recorder
    }

    mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) async throws -> Bool {
        let before = buffer.consumedCount + buffer.pendingCount
        let more = try await base.read(into: &buffer, minimumCapacity: minimumCapacity)
        if !recorder.isFull, before < HeadRecorder.size {
            // The window starts at the first unconsumed byte; the new bytes start at `before`.
            recorder.record(buffer.window, from: before - buffer.consumedCount)
        }
        return more
    }
}
