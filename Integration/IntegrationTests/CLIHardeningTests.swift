import Foundation
import Lightstream
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `lightstream` tool as a careless user and a hostile peer meet it: every failure is one
/// line that says what went wrong, with exit status 1; nothing traps, hangs or is saved as
/// complete when it is not.
@Suite("lightstream fails cleanly", .timeLimit(.minutes(3)))
struct CLIHardeningTests {
    static let gold = GoldJSONConformanceTests.integration
    static let primitive = gold + "/cpp-21.0.0/generated_primitive.stream"

    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "lightstream-hardening-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func table(_ path: String) throws -> Table {
        let bytes = try MemoryMap.map(path: path)
        if bytes.count >= 6, bytes.slice(0..<6).array == Array("ARROW1".utf8) { return try IPCFileReader(bytes).readAll() }
        var reader = try IPCStreamReader(bytes)
        return try reader.readAll()
    }

    @Test("non-Arrow input is named, not parsed as a frame of 744631393 bytes")
    func sniffsOtherFormats() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cases: [(String, [UInt8], String)] = [
            ("data.dat", Array("a,b,c\n1,2,3\n".utf8), "looks like CSV, not Arrow IPC"),   // .csv is read as CSV
            ("notes.txt", Array("just some words\n".utf8), "looks like text, not Arrow IPC"),
            ("data.json", Array("{\"a\": 1}\n".utf8), "looks like JSON, not Arrow IPC"),
            ("empty.arrow", [], "is empty"),
        ]
        for (name, bytes, message) in cases {
            let path = folder + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            for command in ["cat", "validate", "schema"] {
                let result = try Tool.run([command, path])
                #expect(result.status == 1)
                #expect(result.output == "error: \(path) \(message)\n" || result.output.hasPrefix("error: \(path) \(message)"), "\(command) \(name): \(result.output)")
            }
        }
        // Parquet content is read as Parquet (whatever the name), so a cut file is named as such.
        let parquet = folder + "/data.dat"
        _ = FileManager.default.createFile(atPath: parquet, contents: Data(Array("PAR1".utf8) + [0, 0, 0, 0]))
        for command in ["cat", "validate", "schema"] {
            let result = try Tool.run([command, parquet])
            #expect(result.status == 1)
            #expect(result.output.hasPrefix("lightstream: \(parquet): not a Parquet file") && result.output.contains("probably truncated"),
                    "\(command): \(result.output)")
        }
    }

    @Test("unwritable outputs, refused connections and busy ports are one plain line each")
    func plainMessages() throws {
        let noFolder = try Tool.run(["convert", Self.primitive, "/nonexistent/folder/out.arrow"])
        #expect(noFolder.status == 1)
        #expect(noFolder.output == "error: cannot write /nonexistent/folder/out.arrow: no such directory\n", "\(noFolder.output)")
        let refused = try Tool.run(["send", "127.0.0.1:1", Self.primitive])
        #expect(refused.status == 1)
        #expect(refused.output == "error: cannot connect to 127.0.0.1:1: connection refused\n", "\(refused.output)")
        let holder = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        defer { holder.close() }
        let port = holder.port!
        let busy = try Tool.run(["recv", "--listen", "127.0.0.1:\(port)", "/tmp/unused.arrows"])
        #expect(busy.status == 1)
        #expect(busy.output == "error: 127.0.0.1:\(port) is in use\n", "\(busy.output)")
        let recvNoFolder = try Tool.run(["recv", "--listen", "127.0.0.1:0", "/nonexistent/folder/in.arrows"])
        #expect(recvNoFolder.output == "error: cannot write /nonexistent/folder/in.arrows: no such directory\n", "\(recvNoFolder.output)")
        for output in [noFolder.output, refused.output, busy.output] {
            #expect(!output.contains("NSCocoaErrorDomain") && !output.contains("SingleConnectionFailure"))
        }
    }

    @Test("conformance without --corpus says where it looked")
    func conformanceWithoutCorpus() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = Tool.url
        process.arguments = ["conformance"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LIGHTSTREAM_CORPUS" }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let expectedPlace = URL(fileURLWithPath: folder + "/../shared/corpus/arrow-ipc-stream/integration").standardizedFileURL.path
        #expect(output.hasPrefix("error: no Arrow gold files found: looked in \(expectedPlace)"), "\(output)")
        #expect(output.contains("pass --corpus DIR"))
    }

    @Test("schema prints batches, rows and compression; convert ends with a summary line")
    func schemaAndConvertSummaries() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let compressed = folder + "/zstd.arrows"
        let convert = try Tool.run(["convert", Self.primitive, compressed, "--compression", "zstd", "--batch-rows", "10"])
        #expect(convert.status == 0)
        let table = try Self.table(Self.primitive)
        let size = try FileManager.default.attributesOfItem(atPath: compressed)[.size] as? Int
        let summary = try #require(convert.output.split(separator: "\n").last.map(String.init))
        #expect(summary.hasPrefix("converted \(table.rowCount) rows: \(table.batches.count) batches, "), "\(summary)")
        #expect(summary.contains("\(size ?? -1) bytes out (\(compressed)) in "), "\(summary)")
        #expect(summary.hasSuffix(" s"))
        let batches = try Self.table(compressed).batches.count
        let schema = try Tool.run(["schema", compressed])
        #expect(schema.status == 0)
        #expect(schema.output.contains("-- stream: \(batches) batches, \(table.rowCount) rows, 0 dictionary batches, compression: zstd"), "\(schema.output)")
        let plain = try Tool.run(["schema", Self.gold + "/cpp-21.0.0/generated_primitive.arrow_file"])
        #expect(plain.output.contains("-- file: \(table.batches.count) batches, \(table.rowCount) rows, 0 dictionary batches, compression: none"), "\(plain.output)")
    }

    /// `send stdio` and `recv --listen stdio` trapped inside SwiftNIO (exit 132) with /dev/null
    /// or a regular file on either side: descriptors serve them all.
    @Test("stdio with /dev/null, regular files and pipes on either side")
    func stdioRedirections() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let expected = try Self.table(Self.primitive)
        // send stdio < /dev/null > regular file
        let streamFile = folder + "/sent.arrows"
        let send = try Tool.run(["send", "stdio", Self.primitive], input: "/dev/null", output: streamFile)
        #expect(send.status == 0, "\(send.errors)")
        #expect(try Self.table(streamFile) == expected)
        // send stdio > /dev/null
        let toNull = try Tool.run(["send", "stdio", Self.primitive], input: "/dev/null", output: "/dev/null")
        #expect(toNull.status == 0, "\(toNull.errors)")
        // recv --listen stdio < regular file > /dev/null
        let received = folder + "/received.arrow"
        let recv = try Tool.run(["recv", "--listen", "stdio", received], input: streamFile, output: "/dev/null")
        #expect(recv.status == 0, "\(recv.errors)")
        #expect(try Self.table(received) == expected)
        // send stdio < /dev/null | cat-like pipe into recv --listen stdio > /dev/null
        let sender = Process(), receiver = Process()
        sender.executableURL = Tool.url
        sender.arguments = ["send", "stdio", Self.primitive]
        sender.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        receiver.executableURL = Tool.url
        receiver.arguments = ["recv", "--listen", "stdio", folder + "/piped.arrows"]
        receiver.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let pipe = Pipe()
        sender.standardOutput = pipe
        receiver.standardInput = pipe
        try receiver.run()
        try sender.run()
        try pipe.fileHandleForWriting.close()
        try pipe.fileHandleForReading.close()
        sender.waitUntilExit()
        receiver.waitUntilExit()
        #expect(sender.terminationStatus == 0 && receiver.terminationStatus == 0)
        #expect(try Self.table(folder + "/piped.arrows") == expected)
        // /dev/null as input: no stream, a message, status 1.
        let empty = try Tool.run(["recv", "--listen", "stdio", folder + "/none.arrows"], input: "/dev/null", output: "/dev/null")
        #expect(empty.status == 1)
        #expect(empty.errors == "error: standard input sent no stream (the input is empty)\n", "\(empty.errors)")
    }

    @Test("a stream cut short on stdin is reported as truncated and not saved")
    func truncatedStdinIsNotSaved() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.primitive))
        let cut = folder + "/cut.arrows"
        // Everything but the 8-byte end-of-stream marker: whole messages, no marker.
        try bytes.prefix(bytes.count - 8).write(to: URL(fileURLWithPath: cut))
        let output = folder + "/out.arrow"
        let result = try Tool.run(["recv", "--listen", "stdio", output], input: cut, output: "/dev/null")
        #expect(result.status == 1)
        #expect(result.errors.contains("truncated stream"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// Connects to `port`, sends `bytes` (or nothing and waits `silence` seconds), and closes;
    /// with blocking calls on a thread of its own, so a cooperative pool kept busy by other tests
    /// (which wait for the tool synchronously) cannot delay it past the receiver's idle timeout.
    static func rawClient(port: Int, bytes: [UInt8], silence: Double = 0) async throws {
        let failed: String? = await PyarrowPeer.offPool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return "socket failed" }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else { return "connect failed" }
            var sent = 0
            while sent < bytes.count {
                let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return "send failed" }
                sent += n
            }
            if silence > 0 { usleep(UInt32(silence * 1_000_000)) }
            return nil
        }
        if let failed { throw ClientFailure(failed) }
    }

    @Test("recv --count: bad connections are reported, the good ones saved, and the status is 1 at the end")
    func badConnectionsDoNotStopTheServer() async throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recv = Process()
        recv.executableURL = Tool.url
        recv.arguments = ["recv", "--listen", "127.0.0.1:0", folder + "/got-{n}.arrows", "--count", "5", "--idle-timeout", "3"]
        let errors = Pipe()
        recv.standardError = errors
        try recv.run()
        let port: Int = await PyarrowPeer.offPool {
            var text = ""
            while !text.contains("\n") {
                let more = errors.fileHandleForReading.availableData
                if more.isEmpty { break }
                text += String(decoding: more, as: UTF8.self)
            }
            return Int(text.split(separator: ":").last?.split(separator: "\n").first ?? "") ?? 0
        }
        try #require(port > 0)
        let stream = try Array(Data(contentsOf: URL(fileURLWithPath: Self.primitive)))
        // In turn: HTTP, a stream cut inside a message, a good stream, silence (idle timeout), a good stream.
        try await Self.rawClient(port: port, bytes: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        try await Self.rawClient(port: port, bytes: Array(stream.prefix(3000)))
        try await Self.rawClient(port: port, bytes: stream)
        try await Self.rawClient(port: port, bytes: [], silence: 5)
        try await Self.rawClient(port: port, bytes: stream)
        let log: String = await PyarrowPeer.offPool {
            let rest = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            recv.waitUntilExit()
            return rest
        }
        // (A loaded machine can delay a client past a tight timeout: 3 s leaves room.)
        #expect(recv.terminationStatus == 1, "\(log)")
        #expect(log.contains("error: connection 1: the peer sent something that looks like HTTP, not Arrow IPC"), "\(log)")
        #expect(log.contains("error: connection 2: ") && log.contains("truncated frame"), "\(log)")
        #expect(log.contains("error: connection 4: no bytes arrived from 127.0.0.1:") && log.contains("for 3 s (idle timeout)"), "\(log)")
        #expect(log.contains("error: 3 of 5 connections failed"), "\(log)")
        let expected = try Self.table(Self.primitive)
        #expect(try Self.table(folder + "/got-3.arrows") == expected)
        #expect(try Self.table(folder + "/got-5.arrows") == expected)
        for bad in [1, 2, 4] { #expect(!FileManager.default.fileExists(atPath: folder + "/got-\(bad).arrows")) }
    }

    @Test("send to a peer that never reads ends with the idle timeout instead of blocking forever")
    func sendToAPeerThatNeverReads() async throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 48 MB of doubles: far more than the two socket buffers hold.
        let big = folder + "/big.arrows"
        let batch = try RecordBatch(["x": Float64Array((0..<2_000_000).map { Double($0) })])
        var writer = try IPCStreamWriter(sink: MemorySink(), schema: batch.schema)
        for _ in 0..<3 { try writer.write(batch) }
        try writer.finish().buffer.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: big)) }
        let listener = try SocketTransport.listen(on: .tcp(host: "127.0.0.1", port: 0))
        let port = listener.port!
        let release = AsyncRelease()
        let serving = Task { try await listener.serve(connections: 1) { _, _ in await release.wait() } }
        let start = ContinuousClock.now
        let send: (status: Int32, output: String) = try await PyarrowPeer.offPool {
            Result { try Tool.run(["send", "127.0.0.1:\(port)", big, "--idle-timeout", "1"]) }
        }.get()
        #expect(ContinuousClock.now - start < .seconds(60))
        release.open()
        try await serving.value
        #expect(send.status == 1)
        #expect(send.output == "error: 127.0.0.1:\(port) took no bytes for 1 s (idle timeout): the peer is not reading\n", "\(send.output)")
    }
}

/// A failure of a test helper.
struct ClientFailure: Error {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A gate a connection handler waits at until the test opens it.
final class AsyncRelease: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
