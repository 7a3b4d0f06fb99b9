// lightstream-bench: the Swift half of the benchmark harness.
//
// Each benchmark runs the same work as its pyarrow twin in Tools/bench/pyarrow_bench.py and
// prints one JSON object per line: {"name", "seconds" (best of the repetitions), "bytes"}.
// Tools/bench/run.sh runs both halves in one run and reports the ratios.
// Build in release mode: `swift build -c release --product lightstream-bench`.
// Count instructions of one benchmark: valgrind --tool=callgrind .build/release/lightstream-bench 100000 build_string

import Foundation
import SystemPackage
import Lightstream

/// Keeps results alive so the optimiser cannot drop the measured work.
nonisolated(unsafe) var sink = 0

func measure(_ name: String, bytes: Int, items: Int? = nil, ratio: Double? = nil, repetitions: Int = 7, _ body: () -> Int) {
    if !wants(name) { return }
    var best = Double.infinity
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        sink &+= body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, elapsed)
    }
    print("{\"name\": \"\(name)\", \"seconds\": \(best), \"bytes\": \(bytes)\(items.map { ", \"items\": \($0)" } ?? "")\(ratio.map { ", \"ratio\": \($0)" } ?? "")}")
}

// Usage: lightstream-bench [ROWS] [NAME-FILTER]
let args = CommandLine.arguments
let rows = args.count > 1 ? Int(args[1]) ?? 10_000_000 : 10_000_000
/// Runs only the benchmarks whose name contains this (for callgrind runs of one loop).
let only: String? = args.count > 2 ? args[2] : nil

func wants(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }
/// Whether any of a group's benchmarks is wanted (to skip the group's setup otherwise).
func wantsAny(_ names: String...) -> Bool { names.contains(where: wants) }

/// The memcpy ceiling: copy 256 MiB between two aligned allocations.
func benchMemcpy() {
    guard wants("memcpy_256MiB") else { return }
    let size = 256 << 20
    let source = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    let destination = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    memset(source, 1, size)
    memset(destination, 0, size)
    measure("memcpy_256MiB", bytes: size) {
        memcpy(destination, source, size)
        return Int(destination.load(fromByteOffset: size - 1, as: UInt8.self))
    }
    source.deallocate()
    destination.deallocate()
}

/// Vec64: append `rows` Int64 values one at a time (numpy twin: np.arange).
func benchAppend(rows: Int) {
    measure("vec64_append_int64", bytes: rows * 8) {
        var v = Vec64<Int64>()
        for i in 0..<rows { v.append(Int64(i)) }
        return v.count
    }
    // The same values written in bulk into reserved space, as np.arange does.
    measure("vec64_fill_int64", bytes: rows * 8) {
        var v = Vec64<Int64>()
        v.appendUninitialized(count: rows) { out in
            for i in 0..<rows { out[i] = Int64(i) }
        }
        return v.count
    }
}

/// Vec64: bulk-append an existing array of `rows` Int64 (numpy twin: ndarray.copy).
func benchBulkAppend(rows: Int) {
    guard wants("vec64_append_bulk_int64") else { return }
    let source = (0..<rows).map(Int64.init)
    measure("vec64_append_bulk_int64", bytes: rows * 8) {
        var v = Vec64<Int64>()
        v.append(contentsOf: source)
        return v.count
    }
}

/// Bitmap: count the nulls of a `rows`-bit validity bitmap, at bit offset 0 and 3.
func benchNullCount(rows: Int) {
    guard wantsAny("bitmap_null_count", "bitmap_null_count_offset3") else { return }
    var rng = SystemRandomNumberGenerator()
    var bytes = Vec64<UInt8>()
    for _ in 0..<((rows + 7) / 8) { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
    let buffer = bytes.freeze()
    let bitmap = try! Bitmap(buffer: buffer, count: rows)
    let shifted = try! Bitmap(buffer: buffer, bitOffset: 3, count: rows - 3)
    measure("bitmap_null_count", bytes: buffer.count) { bitmap.unsetBitCount }
    measure("bitmap_null_count_offset3", bytes: buffer.count) { shifted.unsetBitCount }
}

/// Build a `rows`-row batch of Int64, Float64 and String columns from Swift arrays.
func benchBuild(rows: Int) {
    guard wantsAny("build_int64_column", "build_int64_column_zero_copy", "build_float64_column", "build_string_column", "build_batch_int64_float64_string") else { return }
    let ints = (0..<rows).map(Int64.init)
    let floats = (0..<rows).map { Double($0) * 0.5 }
    let strings = (0..<rows).map { "s\($0 % 100_000)" }
    let stringBytes = strings.reduce(0) { $0 + $1.utf8.count }
    measure("build_int64_column", bytes: rows * 8) { Int64Array(ints).length }
    let vector = Vec64<Int64>(ints)
    measure("build_int64_column_zero_copy", bytes: rows * 8) { Int64Array(vector).length }
    measure("build_float64_column", bytes: rows * 8) { Float64Array(floats).length }
    measure("build_string_column", bytes: stringBytes, repetitions: 3) {
        var builder = StringBuilder()
        for s in strings { builder.append(s) }
        return builder.finish().length
    }
    measure("build_batch_int64_float64_string", bytes: rows * 16 + stringBytes, repetitions: 3) {
        var names = StringBuilder()
        for s in strings { names.append(s) }
        let batch = try! RecordBatch(["i": Int64Array(ints), "f": Float64Array(floats), "s": names.finish()])
        return batch.length
    }
}

/// A sink that only counts, so encoding is measured without a copy into memory.
struct CountingSink: ByteSink {
    var count = 0
    mutating func write(_ pieces: [Buffer]) throws { for piece in pieces { count &+= piece.count } }
}

/// Framing: decode and encode length-prefixed and TLV frames of 16 B, 1 KiB and 1 MiB, about
/// `8 * rows` bytes of bodies per run (80 MB by default). Decoding reads the wire in 64 KiB chunks (copied into the stream
/// buffer, as from a socket) or adopts it whole (zero copy, as from a memory map).
func benchFraming(rows: Int) {
    for size in [16, 1024, 1 << 20] {
        let names = ["framing_decode_\(size)B", "framing_decode_adopted_\(size)B", "framing_encode_\(size)B", "tlv_decode_\(size)B"]
        guard names.contains(where: wants) else { continue }
        let count = max(1, rows * 8 / size)
        let body = Buffer(copying: (0..<size).map { UInt8(truncatingIfNeeded: $0) })
        let bodies = [Buffer](repeating: body, count: count)
        var lengthPrefixed = FrameWriter(encoder: LengthPrefixedFrameEncoder(LengthFieldFormat(maximumFrameLength: 2 << 20)), sink: MemorySink())
        var tlv = FrameWriter(encoder: TLVEncoder(), sink: MemorySink())
        for b in bodies {
            try! lengthPrefixed.write(b)
            try! tlv.write(TLVFrame(tag: 1, value: b))
        }
        let wire = try! lengthPrefixed.finish().buffer
        let tlvWire = try! tlv.finish().buffer
        let chunks = stride(from: 0, to: wire.count, by: 64 << 10).map { wire.slice($0..<min(wire.count, $0 + (64 << 10))) }
        let tlvChunks = stride(from: 0, to: tlvWire.count, by: 64 << 10).map { tlvWire.slice($0..<min(tlvWire.count, $0 + (64 << 10))) }
        let decoder = LengthPrefixedFrameDecoder(LengthFieldFormat(maximumFrameLength: 2 << 20))
        // Chunks are re-wrapped as copies each run so the stream buffer cannot adopt them.
        measure(names[0], bytes: wire.count, items: count, repetitions: 5) {
            var reader = FrameReader(decoder: decoder, source: CopyingSource(chunks))
            var n = 0
            while let frame = try! reader.next() { n &+= frame.count }
            return n
        }
        measure(names[1], bytes: wire.count, items: count, repetitions: 5) {
            var reader = FrameReader(decoder: decoder, source: BufferSource([wire]))
            var n = 0
            while let frame = try! reader.next() { n &+= frame.count }
            return n
        }
        measure(names[2], bytes: wire.count, items: count, repetitions: 5) {
            var writer = FrameWriter(encoder: LengthPrefixedFrameEncoder(LengthFieldFormat(maximumFrameLength: 2 << 20)), sink: CountingSink())
            for b in bodies { try! writer.write(b) }
            return try! writer.finish().count
        }
        measure(names[3], bytes: tlvWire.count, items: count, repetitions: 5) {
            var reader = FrameReader(decoder: TLVDecoder(), source: CopyingSource(tlvChunks))
            var n = 0
            while let frame = try! reader.next() { n &+= frame.value.count }
            return n
        }
    }
}

/// Delivers chunks by copying their bytes into the stream buffer, as a socket read would.
struct CopyingSource: ByteSource {
    let chunks: [Buffer]
    var next = 0
    init(_ chunks: [Buffer]) { self.chunks = chunks }
    mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool {
        guard next < chunks.count else { return false }
        try chunks[next].withUnsafeBytes { try buffer.append($0) }
        next += 1
        return true
    }
}

/// A `Vec64` of `count` values `make(i)`, written in place (the column's memory, no copy).
func vector<T>(_ count: Int, _ make: (Int) -> T) -> Vec64<T> {
    var v = Vec64<T>()
    v.appendUninitialized(count: count) { out in
        for i in 0..<count { out[i] = make(i) }
    }
    return v
}

/// The table the numeric IPC benchmarks write and read: `rows` rows of a: int64 = i,
/// b: float64 = i * 0.5, c: int32 = i, d: float32 = i * 0.25 (24 bytes of data a row), in one
/// batch that the writers split into 65536-row batches. pyarrow builds the same with numpy.
func numericTable(rows: Int) -> Table {
    let batch = try! RecordBatch([
        "a": Int64Array(vector(rows) { Int64($0) }),
        "b": Float64Array(vector(rows) { Double($0) * 0.5 }),
        "c": Int32Array(vector(rows) { Int32(truncatingIfNeeded: $0) }),
        "d": Float32Array(vector(rows) { Float($0) * 0.25 }),
    ])
    return try! Table(batches: [batch])
}

let ipcBatchRows = 65_536
let ipcWriteOptions = IPCWriteOptions(alignment: 64, maximumBatchRows: ipcBatchRows)

func writeStream(_ table: Table) -> Buffer {
    var writer = try! IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: ipcWriteOptions)
    try! writer.write(table)
    return try! writer.finish().buffer
}

/// IPC stream: write a 4-column numeric table of `rows` rows (64K-row batches) to memory, and
/// read it back from memory with and without the full validation. The read is zero copy (arrays
/// point into the stream buffer), so it costs per batch, not per row: the same read at `rows / 10`
/// rows (1M by default) shows it. Bytes are the table's data bytes (24 a row) on both sides.
func benchIPCStream(rows: Int) {
    let small = max(1, rows / 10)
    let cases = [(rows, "10M"), (small, "1M")]
    guard wantsAny("ipc_stream_write_10M", "ipc_stream_read_10M", "ipc_stream_read_10M_novalidate",
                   "ipc_stream_read_1M", "ipc_stream_read_1M_novalidate") else { return }
    for (n, label) in cases {
        let reads = ["ipc_stream_read_\(label)", "ipc_stream_read_\(label)_novalidate"]
        let write = label == "10M" ? "ipc_stream_write_10M" : nil
        guard wantsAny(reads[0], reads[1]) || write.map(wants) == true else { continue }
        let table = numericTable(rows: n)
        let bytes = n * 24
        if let write {
            measure(write, bytes: bytes, items: n, repetitions: 5) { writeStream(table).count }
        }
        let stream = writeStream(table)
        measure(reads[0], bytes: bytes, items: n) {
            var reader = try! IPCStreamReader(stream)
            return try! reader.readAll().rowCount
        }
        measure(reads[1], bytes: bytes, items: n) {
            var reader = try! IPCStreamReader(stream, options: IPCReadOptions(validate: false))
            return try! reader.readAll().rowCount
        }
    }
}

/// IPC file with strings: `rows / 10` rows (1M by default) of s: utf8 = "name-<i>" and
/// d: dictionary<int32, utf8> = "city-<i % 1000>" (1000 distinct values, in order of first
/// appearance, as pyarrow's dictionary_encode gives), in 64K-row batches (the dictionary is
/// written once). Write the file to memory; read every batch back (validating, which checks
/// UTF-8 and offsets, and not). Bytes are the Arrow data: string bytes and offsets, indices,
/// dictionary bytes and offsets.
func benchIPCFileStrings(rows: Int) {
    let names = ["ipc_file_write_strings_1M", "ipc_file_read_strings_1M", "ipc_file_read_strings_1M_novalidate"]
    guard names.contains(where: wants) else { return }
    let n = max(1, rows / 10)
    var strings = StringBuilder()
    var cities = DictionaryBuilder<Int32, String>()
    var stringBytes = 0
    for i in 0..<n {
        let s = "name-\(i)"
        stringBytes += s.utf8.count
        strings.append(s)
        cities.append("city-\(i % 1000)")
    }
    let distinct = min(n, 1000)
    let dictionaryBytes = (0..<distinct).reduce(0) { $0 + "city-\($1)".utf8.count }
    let bytes = stringBytes + 4 * (n + 1) + 4 * n + dictionaryBytes + 4 * (distinct + 1)
    let table = try! Table(batches: [RecordBatch(["s": strings.finish(), "d": cities.finish()])])
    func writeFile() -> Buffer {
        var writer = try! IPCFileWriter(sink: MemorySink(), schema: table.schema, options: ipcWriteOptions)
        try! writer.write(table)
        return try! writer.finish().buffer
    }
    measure(names[0], bytes: bytes, items: n, repetitions: 5) { writeFile().count }
    let file = writeFile()
    measure(names[1], bytes: bytes, items: n) { try! IPCFileReader(file).readAll().rowCount }
    measure(names[2], bytes: bytes, items: n) {
        try! IPCFileReader(file, options: IPCReadOptions(validate: false)).readAll().rowCount
    }
}

/// MMap: a table of 10 * ROWS rows (100M by default) of int64/float64/int32/float32 written
/// as one batch and as 64K-row batches by Lightstream (here) and by pyarrow
/// (Tools/bench/make_mmap_files.py, run first by run.sh); every file is then opened through a
/// memory map and (a) turned into a table, (b) turned into a table with column 0 summed.
/// Warm page cache: the files were just written.
func benchMMap(rows: Int) {
    let names = ["ls_1", "ls_64k", "pa_1", "pa_64k"]
    guard names.contains(where: { wantsAny("mmap_open_table_\($0)", "mmap_open_sum_\($0)") }) else { return }
    let n = rows * 10
    let directory = "/tmp/lightstream-bench-mmap"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    func column<T: ArrowNativeType>(_ type: T.Type, _ value: (Int) -> T) -> ArrayData {
        var v = Vec64<T>()
        v.appendUninitialized(count: n) { out in for i in 0..<n { out[i] = value(i) } }
        return PrimitiveArray<T>(v).data
    }
    let batch = try! RecordBatch([
        "a": column(Int64.self) { Int64($0) },
        "b": column(Double.self) { Double($0) * 0.5 },
        "c": column(Int32.self) { Int32(truncatingIfNeeded: $0) },
        "d": column(Float.self) { Float(Double($0) * 0.25) },
    ])
    let table = try! Table(batches: [batch])
    for (name, batchRows) in [("ls_1", nil), ("ls_64k", 65536)] as [(String, Int?)] {
        let path = "\(directory)/\(name).arrow"
        let descriptor = FileDescriptor(rawValue: open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644))
        var writer = try! IPCFileWriter(sink: FileDescriptorSink(descriptor), schema: table.schema, options: IPCWriteOptions(maximumBatchRows: batchRows))
        try! writer.write(table)
        _ = try! writer.finish()
        try! descriptor.close()
    }
    for name in names {
        let path = "\(directory)/\(name).arrow"
        guard FileManager.default.fileExists(atPath: path) else { continue }
        measure("mmap_open_table_\(name)", bytes: n * 24, items: n, repetitions: 5) {
            try! MappedArrowFile(path: path).table().rowCount
        }
        measure("mmap_open_sum_\(name)", bytes: n * 8, items: n, repetitions: 3) {
            let table = try! MappedArrowFile(path: path).table()
            var sum: Int64 = 0
            for chunk in table.column(0) {
                sum &+= try! Int64Array(chunk).withUnsafeValues { values in values.reduce(0, &+) }
            }
            return Int(truncatingIfNeeded: sum)
        }
    }
}

/// Codecs: compress and decompress 16 MiB of integer column data and 16 MiB of text with each
/// pure-Swift codec (twins: the C libraries through python-lz4, cramjam, zstandard and zlib).
func benchCodecs() {
    let codecs: [(String, any CompressionCodec)] = [
        ("lz4_frame", LZ4FrameCodec()), ("lz4_raw", LZ4RawCodec()), ("snappy", SnappyCodec()),
        ("zstd1", ZstdCodec(level: 1)), ("zstd3", ZstdCodec(level: 3)),
        ("gzip1", GzipCodec(level: 1)), ("gzip6", GzipCodec(level: 6)),
    ]
    guard codecs.contains(where: { c in ["ints", "text"].contains { wantsAny("codec_\(c.0)_compress_\($0)", "codec_\(c.0)_decompress_\($0)") } }) else { return }
    let count = 2 << 20
    var ints = [UInt8]()
    ints.reserveCapacity(count * 8)
    for i in 0..<count {
        withUnsafeBytes(of: Int64(i * 1000 + (i * 7919) % 1000).littleEndian) { ints.append(contentsOf: $0) }
    }
    let words = ["arrow", "columnar", "buffer", "stream", "frame", "swift", "zero", "copy", "batch", "schema", "dictionary", "offset"]
    var text = [UInt8]()
    var i = 0
    var state = 12345
    while text.count < count * 8 {
        // A linear congruential choice of words, reproduced exactly by the Python twin.
        state = (state * 1_103_515_245 + 12345) % (1 << 31)
        text.append(contentsOf: Array(words[(state >> 16) % words.count].utf8))
        text.append(i % 17 == 0 ? 10 : 32)
        i += 1
    }
    text = Array(text.prefix(count * 8))
    for (name, codec) in codecs {
        for (kind, data) in [("ints", ints), ("text", text)] {
            let compressed = try! codec.compress(data)
            let ratio = Double(compressed.count) / Double(data.count)
            measure("codec_\(name)_compress_\(kind)", bytes: data.count, ratio: ratio, repetitions: 3) {
                var out = Vec64<UInt8>()
                data.withUnsafeBytes { try! codec.compress($0, into: &out) }
                return out.count
            }
            measure("codec_\(name)_decompress_\(kind)", bytes: data.count, ratio: ratio, repetitions: 3) {
                var out = Vec64<UInt8>(minimumCapacity: data.count)
                compressed.withUnsafeBytes { try! codec.decompress($0, into: &out, limit: data.count) }
                return out.count
            }
        }
    }
}

benchMemcpy()
benchAppend(rows: rows)
benchBulkAppend(rows: rows)
benchNullCount(rows: rows)
benchBuild(rows: rows)
benchFraming(rows: rows)
benchMMap(rows: rows)
benchCodecs()
benchIPCStream(rows: rows)
benchIPCFileStrings(rows: rows)
benchCSV()
benchParquet()
await benchTransport(rows: rows)
FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)
