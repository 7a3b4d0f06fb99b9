import Foundation
import Lightstream

/// Parquet reads of the files Tools/bench/make_parquet_files.py wrote (the pyarrow twins read the
/// same files with `pq.read_table`): plain and dictionary-encoded pages, snappy and zstd, on one
/// thread and on all cores.
func benchParquet() {
    let directory = ProcessInfo.processInfo.environment["LIGHTSTREAM_BENCH_PARQUET"] ?? "/tmp/lightstream-bench-parquet"
    for encoding in ["plain", "dict"] {
        for codec in ["snappy", "zstd"] {
            let name = "parquet_read_\(encoding)_\(codec)"
            guard wantsAny(name, name + "_threaded") else { continue }
            let path = "\(directory)/\(encoding)_\(codec).parquet"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = attributes[.size] as? Int else {
                FileHandle.standardError.write("skipping \(name): run Tools/bench/make_parquet_files.py first\n".data(using: .utf8)!)
                continue
            }
            for threaded in [false, true] {
                var options = ParquetReadOptions()
                options.useThreads = threaded
                measure(threaded ? name + "_threaded" : name, bytes: size, repetitions: 5) {
                    try! ParquetFileReader(path: path, options: options).readAll().rowCount
                }
            }
        }
    }
}
