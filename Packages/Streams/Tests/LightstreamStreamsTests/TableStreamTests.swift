import LightstreamArrow
import LightstreamFraming
import LightstreamFramingConformance
import LightstreamIPC
import LightstreamStreams
import SystemPackage
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

@Suite("Async table streams", .timeLimit(.minutes(3)))
struct TableStreamTests {
    /// An IPC stream of `table`, written synchronously.
    func streamBytes(_ table: Table, options: IPCWriteOptions = IPCWriteOptions()) throws -> Buffer {
        var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: options)
        try writer.write(table)
        return try writer.finish().buffer
    }

    @Test("TableStreamReader over random chunks equals the sync reader", arguments: 0..<6)
    func randomChunks(seed: Int) async throws {
        let table = try sampleTable(rows: 100 + seed * 50, batches: 3, seed: UInt64(seed))
        let bytes = try streamBytes(table, options: IPCWriteOptions(alignment: seed % 2 == 0 ? 64 : 8, codec: seed % 3 == 0 ? CodecBodyCompression.zstd : nil))
        var rng = seededRandom(UInt64(seed))
        let reader = TableStreamReader(source: MemoryByteStream(chunks: LightstreamStreamsTests.randomChunks(bytes, maximum: 1 + seed * 700, rng: &rng)))
        var batches: [RecordBatch] = []
        for try await batch in reader { batches.append(batch) }
        #expect(try Table(schema: table.schema, batches: batches) == table)
    }

    @Test("TableWriter -> pipe -> TableStreamReader, stream and back-to-back streams")
    func throughAPipe() async throws {
        let pipe = try TestPipe()
        let first = try sampleTable(rows: 5000, batches: 4, seed: 1)
        let second = try sampleTable(rows: 10, batches: 2, seed: 2)
        async let written: Void = {
            // Two streams back to back on one descriptor, then close.
            let sink = FileDescriptorByteSink(pipe.write, closeOnClose: false)
            var a = try TableWriter.stream(to: sink, schema: first.schema)
            try await a.write(first)
            try await a.finish()
            var b = try TableWriter.stream(to: sink, schema: second.schema, options: IPCWriteOptions(codec: CodecBodyCompression.lz4Frame))
            try await b.write(second)
            try await b.finish()
            try pipe.write.close()
        }()
        var reader = TableStreamReader(source: FileDescriptorByteStream(pipe.read, closeWhenDone: true))
        let one = try await reader.readTable()
        let two = try await reader.readTable()
        let three = try await reader.readTable()
        try await written
        #expect(one == first)
        #expect(two == second)
        #expect(three == nil)
    }

    @Test("TableWriter writes IPC files the file reader reads")
    func fileFormat() async throws {
        // One batch: the sample's batches each have their own dictionary, which a file cannot replace.
        let table = try sampleTable(rows: 300, batches: 1)
        let collecting = CollectingSink()
        var writer = try TableWriter.file(to: collecting, schema: table.schema)
        try await writer.write(table)
        try await writer.finish()
        #expect(try IPCFileReader(collecting.bytes).readAll() == table)
        #expect(collecting.isClosed)
    }

    @Test("batches read from memory point into it (zero copy)")
    func zeroCopy() async throws {
        let table = try sampleTable(rows: 1000, batches: 2)
        let bytes = try streamBytes(table)
        var reader = TableStreamReader(source: MemoryByteStream(bytes, chunkSize: bytes.count))
        let back = try #require(try await reader.readTable())
        let range = bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress!)..<UInt(bitPattern: $0.baseAddress! + $0.count) }
        for column in back.batches[0].columns {
            for buffer in column.buffers {
                #expect(buffer.withUnsafeBytes { range.contains(UInt(bitPattern: $0.baseAddress!)) })
            }
        }
        #expect(reader.statistics.realignedBodies == 0)
    }

    @Test("a stream cut inside a message is a truncation error naming the message", arguments: [1, 9, 200])
    func truncated(cut: Int) async throws {
        let bytes = try streamBytes(try sampleTable(rows: 100, batches: 2))
        // Drop the end-of-stream marker (8 bytes) and `cut` more bytes.
        var reader = TableStreamReader(source: MemoryByteStream(bytes.slice(0..<bytes.count - 8 - cut), chunkSize: 100))
        await #expect {
            while try await reader.next() != nil {}
        } throws: { error in
            guard let error = error as? IPCError else { return false }
            return error.reason.contains("truncated") && error.messageIndex != nil
        }
    }

    @Test("a stream without end-of-stream marker ends cleanly after its last complete message")
    func missingEndMarker() async throws {
        let table = try sampleTable(rows: 100, batches: 2)
        let bytes = try streamBytes(table)
        var reader = TableStreamReader(source: MemoryByteStream(bytes.slice(0..<bytes.count - 8)))
        #expect(try await reader.readTable() == table)
        #expect(try await reader.readTable() == nil)
        // A receiver that needs the marker (a connection cut short is not a whole table) says so.
        var strict = TableStreamReader(source: MemoryByteStream(bytes.slice(0..<bytes.count - 8)), requireEndOfStream: true)
        await #expect { _ = try await strict.readTable() } throws: { error in
            guard let error = error as? IPCError else { return false }
            return error.kind == .truncated && error.reason.contains("truncated stream")
        }
        var complete = TableStreamReader(source: MemoryByteStream(bytes), requireEndOfStream: true)
        #expect(try await complete.readTable() == table)
        #expect(try await complete.readTable() == nil)
    }

    @Test("the reader's limits (IPCReadOptions.limits) bound what a message may announce, as a typed error")
    func limitsApply() async throws {
        let bytes = try streamBytes(try sampleTable(rows: 1000, batches: 1))
        var limits = IPCLimits.network
        limits.maximumBodyBytes = 1024
        var reader = TableStreamReader(source: MemoryByteStream(bytes), options: IPCReadOptions(limits: limits))
        await #expect { _ = try await reader.readTable() } throws: { error in
            (error as? IPCError)?.kind == .limitExceeded(.bodyBytes)
        }
        var cut = TableStreamReader(source: MemoryByteStream(bytes.slice(0..<bytes.count / 2)))
        await #expect { _ = try await cut.readTable() } throws: { error in
            (error as? IPCError)?.kind == .truncated
        }
    }

    @Test("garbage is a typed error")
    func garbage() async throws {
        var rng = seededRandom(5)
        var reader = TableStreamReader(source: MemoryByteStream(Buffer(copying: randomBytes(4096, rng: &rng))))
        await #expect(throws: IPCError.self) { _ = try await reader.readTable() }
    }

    /// A reader waiting on a silent pipe stops when its task is cancelled, and closes the
    /// descriptor it owns: the writer then sees a broken pipe.
    @Test("cancellation stops a read promptly and releases the descriptor")
    func cancellation() async throws {
        let pipe = try TestPipe()
        let readFD = pipe.read
        let task = Task {
            var reader = TableStreamReader(source: FileDescriptorByteStream(readFD, closeWhenDone: true))
            return try await reader.readTable()
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        // The read end is closed: the write end reports an error condition (no reader left).
        // (Checked with poll, not a write: the process's SIGPIPE handling is not ours to change.)
        var entry = pollfd(fd: pipe.write.rawValue, events: Int16(POLLOUT), revents: 0)
        #expect(poll(&entry, 1, 1000) == 1)
        #expect(entry.revents & Int16(POLLERR) != 0)
        try pipe.write.close()
    }
}
