#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LightstreamArrow
import LightstreamFraming
import LightstreamIPC
import LightstreamMMap
import Testing
import Vec64

enum Files {
    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "lightstream-mmap-\(UInt64.random(in: 0...UInt64.max))-\(name)"
    }

    static func write(_ table: Table, to path: String, options: IPCWriteOptions = IPCWriteOptions()) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(descriptor >= 0)
        var writer = try IPCFileWriter(sink: FileDescriptorSink(.init(rawValue: descriptor)), schema: table.schema, options: options)
        try writer.write(table)
        _ = try writer.finish()
        close(descriptor)
    }

    static var corpus: String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { directory.deleteLastPathComponent() }
        // `../shared/corpus` from the repository root, and nowhere else: a missing corpus fails
        // the corpus checks instead of silently running zero cases.
        return directory.appendingPathComponent("../shared/corpus").standardizedFileURL.path
    }

    static func sampleTable(rows: Int = 1000, batches: Int = 3) throws -> Table {
        try Table(batches: (0..<batches).map { b in
            try RecordBatch([
                "id": Int64Array((0..<rows).map { Int64(b * rows + $0) }),
                "price": Float64Array((0..<rows).map { $0 % 10 == 0 ? nil : Double($0) * 0.5 }),
                "name": StringArray((0..<rows).map { "item \($0)" }),
            ])
        })
    }
}

@Suite("Memory-mapped Arrow files", .serialized)
struct MappedArrowFileTests {
    @Test("reads what was written, zero copy", arguments: [8, 64])
    func zeroCopyRead(_ alignment: Int) throws {
        let path = Files.temporary("sample.arrow")
        defer { unlink(path) }
        let table = try Files.sampleTable()
        try Files.write(table, to: path, options: IPCWriteOptions(alignment: alignment))
        let file = try MappedArrowFile(path: path)
        #expect(file.batchCount == 3)
        let read = try file.table()
        #expect(read == table)
        for batch in read.batches {
            for column in batch.columns {
                for buffer in column.buffers + [column.validity].compactMap({ $0 }) where buffer.count > 0 {
                    // The buffer lies inside the mapping: same owner, an offset within the file.
                    let offset = try #require(buffer.byteOffset(from: file.bytes))
                    #expect(offset > 0 && offset + buffer.count <= file.bytes.count)
                    #expect(buffer.isAligned(to: alignment))
                }
            }
        }
    }

    @Test func mappingLivesExactlyAsLongAsItsArrays() throws {
        let path = Files.temporary("lifetime.arrow")
        defer { unlink(path) }
        try Files.write(try Files.sampleTable(), to: path)
        let before = MemoryMap.liveMappings
        var column: Int64Array?
        do {
            let file = try MappedArrowFile(path: path)
            #expect(MemoryMap.liveMappings == before + 1)
            column = try Int64Array(try file.batch(2).columns[0]).slice(10..<20)
        }
        // The file value is gone; the slice still holds the mapping.
        #expect(MemoryMap.liveMappings == before + 1)
        #expect(column?.first == 2010)
        column = nil
        #expect(MemoryMap.liveMappings == before)
    }

    @Test func readsEveryReadableGoldFileLikeTheInMemoryReader() throws {
        let root = Files.corpus + "/arrow-ipc-stream/integration"
        var count = 0
        for producer in try FileManager.default.contentsOfDirectory(atPath: root)
        where producer != "1.0.0-bigendian" && !producer.hasSuffix(".md") {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + producer) where name.hasSuffix(".arrow_file") {
                let path = root + "/" + producer + "/" + name
                let mapped = try MappedArrowFile(path: path, options: MappedFileOptions(validation: .atOpen)).table()
                let loaded = try IPCFileReader(Buffer(copying: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))).readAll()
                #expect(mapped == loaded, "\(producer)/\(name)")
                count += 1
            }
        }
        #expect(count == 69)
    }

    /// A file whose second batch holds invalid UTF-8 (our writer does not validate).
    static func fileWithBadSecondBatch() throws -> String {
        let path = Files.temporary("bad.arrow")
        let good = try RecordBatch(["s": StringArray(["ok", "fine"])])
        let badData = ArrayData(type: .utf8, length: 2, buffers: [Buffer(values: [0, 1, 3] as [Int32]), Buffer(copying: [65, 0xC3, 0x28] as [UInt8])])
        let bad = try RecordBatch(schema: good.schema, columns: [badData])
        try Files.write(try Table(batches: [good, bad]), to: path)
        return path
    }

    @Test func lazyValidationFailsAtFirstTouchOfTheBadBatch() throws {
        let path = try Self.fileWithBadSecondBatch()
        defer { unlink(path) }
        let file = try MappedArrowFile(path: path, options: MappedFileOptions(validation: .lazily))
        #expect(try file.batch(0).length == 2)
        #expect(throws: IPCError.self) { try file.batch(1) }
        #expect(throws: IPCError.self) { try file.table() }
    }

    @Test func eagerValidationFailsAtOpen() throws {
        let path = try Self.fileWithBadSecondBatch()
        defer { unlink(path) }
        do {
            _ = try MappedArrowFile(path: path, options: MappedFileOptions(validation: .atOpen, hint: .willNeed))
            Issue.record("opened a file with invalid UTF-8")
        } catch let error as IPCError {
            #expect(error.messageIndex == 1)
            #expect(error.fieldPath == ["s"])
        }
    }

    @Test func truncatedAndCorruptFilesAreErrors() throws {
        let path = Files.temporary("truncated.arrow")
        defer { unlink(path) }
        try Files.write(try Files.sampleTable(rows: 100, batches: 2), to: path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in stride(from: 1, to: full.count, by: 97) {
            try full.prefix(cut).write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self) { _ = try MappedArrowFile(path: path).table() }
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: Files.corpus + "/malformed/ipc-file") {
            do {
                let file = try MappedArrowFile(path: Files.corpus + "/malformed/ipc-file/" + name, options: MappedFileOptions(hint: .sequential))
                _ = try file.table()
            } catch {
                #expect(error is IPCError || error is MemoryMapError)
            }
        }
    }

    @Test func unmappableFilesAreErrors() throws {
        #expect(throws: MemoryMapError.self) { try MappedArrowFile(path: "/nonexistent/file.arrow") }
        #expect(throws: MemoryMapError.self) { try MappedArrowFile(path: NSTemporaryDirectory()) }
        let empty = Files.temporary("empty.arrow")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        defer { unlink(empty) }
        #expect(throws: MemoryMapError.self) { try MappedArrowFile(path: empty) }
    }

    /// A sink that writes a known all-zero body as a hole (lseek), making a sparse file.
    struct SparseSink: ByteSink {
        let descriptor: Int32
        let zeros: Buffer
        mutating func write(_ pieces: [Buffer]) throws {
            for piece in pieces {
                if piece.isIdentical(to: zeros) {
                    lseek(descriptor, off_t(piece.count), SEEK_CUR)
                } else {
                    _ = piece.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                }
            }
        }
    }

    @Test func filesOverFourGigabytes() throws {
        // A 5 GiB column of zeros, written as a hole: the file is sparse, the mapping is not.
        let rows = 5 << 27   // 640M Int64 = 5 GiB
        let byteCount = rows * 8
        guard let region = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), region != MAP_FAILED else {
            Issue.record("cannot reserve 5 GiB of address space"); return
        }
        let zeros = Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(start: region, count: byteCount)) { munmap(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
        let column = ArrayData(type: .int64, length: rows, buffers: [zeros])
        let table = try Table(batches: [try RecordBatch(["zeros": column]), try RecordBatch(["zeros": Int64Array([7, 8, 9] as [Int64])])])
        let path = Files.temporary("big.arrow")
        defer { unlink(path) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var writer = try IPCFileWriter(sink: SparseSink(descriptor: descriptor, zeros: zeros), schema: table.schema)
        try writer.write(table)
        _ = try writer.finish()
        close(descriptor)
        let file = try MappedArrowFile(path: path)
        #expect(file.bytes.count > 5 << 30)
        let big = try Int64Array(try file.batch(0).columns[0])
        #expect(big.length == rows)
        #expect(big[rows - 1] == 0)
        // The second batch's body lies past 4 GiB in the file.
        let small = try Int64Array(try file.batch(1).columns[0])
        #expect(Array(small) == [7, 8, 9])
        #expect((small.data.buffers[0].byteOffset(from: file.bytes) ?? 0) > 4 << 30)
    }

    @Test func dictionariesAreValidatedAtOpenWhateverTheBatchValidation() throws {
        // A dictionary of one string that is not UTF-8: batches validate lazily, the dictionary
        // (read at open, indexed by every batch) must not wait for that.
        let bad = ArrayData(type: .utf8, length: 1, buffers: [Buffer(values: [Int32(0), 1]), Buffer(copying: [UInt8(0xFF)])])
        let type = DataType.dictionary(index: .int32, value: .utf8, ordered: false)
        let column = ArrayData(type: type, length: 1, buffers: [Buffer(values: [Int32(0)])], dictionary: bad)
        let table = try Table(batches: [try RecordBatch(schema: Schema([Field("d", type)]), columns: [column])])
        let path = Files.temporary("bad-dictionary.arrow")
        defer { unlink(path) }
        try Files.write(table, to: path)
        #expect(throws: IPCError.self) { _ = try MappedArrowFile(path: path) }
        #expect(throws: IPCError.self) { _ = try MappedArrowFile(path: path, options: MappedFileOptions(validation: .lazily)) }
    }
}
