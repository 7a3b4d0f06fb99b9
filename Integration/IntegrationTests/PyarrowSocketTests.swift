import Foundation
import Lightstream
import Synchronization
import Testing

/// A Python process (in the project's virtual environment) running alongside the test: its
/// standard output is read line by line, and its exit is awaited without blocking a thread.
final class PythonProcess: @unchecked Sendable {
    let process: Process
    let output: Pipe
    let errors: Pipe
    var pending = Data()

    init(_ script: String, arguments: [String] = []) throws {
        (process, output, errors) = try PyarrowPeer.start(script, arguments: arguments)
    }

    /// The next line of standard output (off the cooperative pool).
    func readLine() async -> String? {
        await PyarrowPeer.offPool {
            while true {
                if let newline = self.pending.firstIndex(of: 10) {
                    let line = String(decoding: self.pending[..<newline], as: UTF8.self)
                    self.pending.removeSubrange(...newline)
                    return line
                }
                let more = self.output.fileHandleForReading.availableData
                if more.isEmpty { return nil }
                self.pending.append(more)
            }
        }
    }

    /// Waits for the exit; returns the status and standard error.
    func finish() async -> (Int32, String) {
        await PyarrowPeer.offPool {
            self.process.waitUntilExit()
            let text = String(decoding: self.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (self.process.terminationStatus, text)
        }
    }
}

/// Arrow IPC streams over loopback TCP between Lightstream and pyarrow, both directions, with
/// dictionaries and body compression.
@Suite("IPC streams over TCP against pyarrow", .timeLimit(.minutes(3)))
struct PyarrowSocketTests {
    /// The table both sides use: ids, values with nulls, strings, a dictionary column whose
    /// dictionary grows (deltas) across batches, a list column.
    static let makeTable = """
    import sys, socket, pyarrow as pa
    def make_table():
        batches = []
        for b in range(4):
            n = 5000 + b
            ids = pa.array(range(b * 10000, b * 10000 + n), pa.int32())
            values = pa.array([None if i % 7 == 0 else i * 0.5 for i in range(n)], pa.float64())
            labels = pa.array([None if i % 11 == 0 else f"row_{i}" for i in range(n)], pa.utf8())
            words = ["red", "green", "blue", "cyan", "magenta"][: 3 + b // 2]
            category = pa.DictionaryArray.from_arrays(pa.array([i % len(words) for i in range(n)], pa.uint32()), pa.array(words))
            tags = pa.array([[f"t{i % 3}"] * (i % 3) for i in range(n)], pa.list_(pa.utf8()))
            batches.append(pa.record_batch([ids, values, labels, category, tags], names=["ids", "values", "labels", "category", "tags"]))
        return pa.Table.from_batches(batches)
    def save_expected(table, path):
        # A stream (with dictionary deltas): pyarrow's file writer refuses growing dictionaries.
        with pa.OSFile(path, "wb") as f:
            with pa.ipc.new_stream(f, table.schema, options=pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True)) as w:
                for batch in table.to_batches(): w.write_batch(batch)

    """

    @Test("pyarrow sends over TCP (new_stream on socket.makefile), Lightstream receives", arguments: ["none", "lz4", "zstd"])
    func pyarrowToLightstream(compression: String) async throws {
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let expectedPath = directory + "/expected.arrows"
        let listener = try await NIOTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let script = Self.makeTable + """
        table = make_table()
        save_expected(table, sys.argv[1])
        options = pa.ipc.IpcWriteOptions(compression=None if sys.argv[3] == "none" else sys.argv[3], emit_dictionary_deltas=True)
        sock = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
        out = sock.makefile("wb")
        with pa.ipc.new_stream(out, table.schema, options=options) as w:
            for batch in table.to_batches(): w.write_batch(batch)
        out.close()
        sock.close()
        print("sent")
        """
        let python = try PythonProcess(script, arguments: [expectedPath, "\(listener.port!)", compression])
        let received = ReceivedTable()
        // Serve until the table arrived; stop serving if Python fails before connecting.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.serve(connections: 1) { source, _ in
                    var reader = TableStreamReader(source: source)
                    let table = try await reader.readTable()
                    received.value.withLock { $0 = table }
                }
            }
            group.addTask {
                let (status, errors) = await python.finish()
                if status != 0 { throw PyarrowPeer.Unavailable(description: "python failed: \(errors)") }
            }
            try await group.waitForAll()
        }
        #expect(await python.readLine() == "sent")
        var expectedReader = try IPCStreamReader(try MemoryMap.map(path: expectedPath))
        let expected = try expectedReader.readAll()
        let table = try #require(received.value.withLock { $0 })
        #expect(table == expected)
        #expect(table.rowCount == 20006)
    }

    @Test("Lightstream sends over TCP, pyarrow reads with open_stream and checks equals", arguments: ["none", "lz4", "zstd"])
    func lightstreamToPyarrow(compression: String) async throws {
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let expectedPath = directory + "/expected.arrows"
        let script = Self.makeTable + """
        table = make_table()
        save_expected(table, sys.argv[1])
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        print(server.getsockname()[1], flush=True)
        conn, _ = server.accept()
        received = pa.ipc.open_stream(conn.makefile("rb")).read_all()
        received.validate(full=True)
        print(received.equals(table), received.num_rows)
        """
        let python = try PythonProcess(script, arguments: [expectedPath])
        guard let line = await python.readLine(), let port = Int(line) else {
            let (status, errors) = await python.finish()
            Issue.record("python exited (\(status)) without a port: \(errors)")
            return
        }
        var expectedReader = try IPCStreamReader(try MemoryMap.map(path: expectedPath))
        let table = try expectedReader.readAll()
        let codec: (any IPCBodyCodec)? = switch compression {
        case "lz4": CodecBodyCompression.lz4Frame
        case "zstd": CodecBodyCompression.zstd
        default: nil
        }
        try await NIOTransport.connect(to: .tcp(host: "127.0.0.1", port: port)) { _, sink in
            var writer = try TableWriter.stream(to: sink, schema: table.schema, options: IPCWriteOptions(codec: codec))
            try await writer.write(table)
            try await writer.finish()
        }
        let verdict = await python.readLine()
        let (status, errors) = await python.finish()
        #expect(status == 0, "\(errors)")
        #expect(verdict == "True 20006")
    }

    @Test("lightstream send -> lightstream recv over loopback, the received file equals the input")
    func cliSendAndReceive() async throws {
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = GoldJSONConformanceTests.integration + "/1.0.0-littleendian/generated_dictionary.arrow_file"
        let output = directory + "/received.arrows"
        let recv = Process()
        recv.executableURL = Tool.url
        recv.arguments = ["recv", "--listen", "127.0.0.1:0", output]
        let errors = Pipe()
        recv.standardError = errors
        try recv.run()
        // The first line on stderr names the bound port.
        let port: Int = await PyarrowPeer.offPool {
            var text = ""
            while !text.contains("\n") {
                let more = errors.fileHandleForReading.availableData
                if more.isEmpty { break }
                text += String(decoding: more, as: UTF8.self)
            }
            return Int(text.split(separator: ":").last?.split(separator: "\n").first ?? "") ?? 0
        }
        #expect(port > 0)
        let send = try Tool.run(["send", "127.0.0.1:\(port)", input, "--compression", "zstd"])
        #expect(send.status == 0, "\(send.output)")
        recv.waitUntilExit()
        #expect(recv.terminationStatus == 0)
        var reader = try IPCStreamReader(try MemoryMap.map(path: output))
        #expect(try reader.readAll() == (try IPCFileReader(try MemoryMap.map(path: input)).readAll()))
        let bad = try Tool.run(["send", "nowhere", input])
        #expect(bad.status == 1)
        #expect(bad.output.contains("is not HOST:PORT or unix:PATH"))
    }
}

/// The stdio transport (`NIOTransport.standardIO`) end to end: `lightstream send stdio FILE |
/// lightstream recv --listen stdio OUT`.
@Suite("IPC streams over stdio", .timeLimit(.minutes(3)))
struct StdioTransportTests {
    @Test func sendThroughAPipe() throws {
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = GoldJSONConformanceTests.integration + "/1.0.0-littleendian/generated_nested.arrow_file"
        let output = directory + "/received.arrow"
        let send = Process(), recv = Process()
        send.executableURL = Tool.url
        send.arguments = ["send", "stdio", input, "--compression", "lz4"]
        recv.executableURL = Tool.url
        recv.arguments = ["recv", "--listen", "stdio", output]
        let pipe = Pipe()
        send.standardOutput = pipe
        recv.standardInput = pipe
        try recv.run()
        try send.run()
        // Only the two children may hold the pipe, or the receiver never sees end of input.
        try pipe.fileHandleForWriting.close()
        try pipe.fileHandleForReading.close()
        send.waitUntilExit()
        recv.waitUntilExit()
        #expect(send.terminationStatus == 0)
        #expect(recv.terminationStatus == 0)
        let expected = try IPCFileReader(try MemoryMap.map(path: input)).readAll()
        #expect(try IPCFileReader(try MemoryMap.map(path: output)).readAll() == expected)
    }
}

/// A table handed out of a `@Sendable` connection handler.
final class ReceivedTable: Sendable {
    let value = Mutex<Table?>(nil)
}
