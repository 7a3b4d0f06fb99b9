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

func measure(_ name: String, bytes: Int, repetitions: Int = 7, _ body: () -> Int) {
    if !wants(name) { return }
    var best = Double.infinity
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        sink &+= body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, elapsed)
    }
    print("{\"name\": \"\(name)\", \"seconds\": \(best), \"bytes\": \(bytes)}")
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

benchMemcpy()
benchAppend(rows: rows)
benchBulkAppend(rows: rows)
benchNullCount(rows: rows)
benchBuild(rows: rows)
FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)
