// lightstream-bench: the Swift half of the benchmark harness.
//
// Each benchmark runs the same work as its pyarrow twin in Tools/bench/pyarrow_bench.py and
// prints one JSON object per line: {"name", "seconds" (best of the repetitions), "bytes"}.
// Tools/bench/run.sh runs both halves in one run and reports the ratios.
// Build in release mode: `swift build -c release --product lightstream-bench`.
// Count instructions of one benchmark: valgrind --tool=callgrind .build/release/lightstream-bench 100000 build_string

import Foundation
import Lightstream

/// Keeps results alive so the optimiser cannot drop the measured work.
nonisolated(unsafe) var sink = 0

func measure(_ name: String, bytes: Int, items: Int? = nil, repetitions: Int = 7, _ body: () -> Int) {
    if !wants(name) { return }
    var best = Double.infinity
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        sink &+= body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, elapsed)
    }
    print("{\"name\": \"\(name)\", \"seconds\": \(best), \"bytes\": \(bytes)\(items.map { ", \"items\": \($0)" } ?? "")}")
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

benchMemcpy()
benchAppend(rows: rows)
benchBulkAppend(rows: rows)
benchNullCount(rows: rows)
benchBuild(rows: rows)
benchFraming(rows: rows)
FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)
