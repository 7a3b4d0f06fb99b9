import Foundation
import Lightstream

/// CSV read and write of the file Tools/bench/make_csv_files.py wrote (the pyarrow twins read and
/// write the same bytes): the whole file from memory to a table, and the table back to text.
func benchCSV() {
    guard wantsAny("csv_read_mixed", "csv_read_mixed_threaded", "csv_write_mixed") else { return }
    let path = ProcessInfo.processInfo.environment["LIGHTSTREAM_BENCH_CSV"] ?? "/tmp/lightstream-bench-csv/mixed.csv"
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write("skipping CSV benchmarks: run Tools/bench/make_csv_files.py first\n".data(using: .utf8)!)
        return
    }
    let bytes = Buffer(copying: data)
    func read(threads: Int) -> Table {
        var options = CSVReadOptions()
        options.threads = threads
        return try! CSVReader.readTable(bytes, options: options)
    }
    measure("csv_read_mixed", bytes: bytes.count, repetitions: 5) { read(threads: 1).rowCount }
    measure("csv_read_mixed_threaded", bytes: bytes.count, repetitions: 5) { read(threads: 0).rowCount }
    let table = read(threads: 1)
    measure("csv_write_mixed", bytes: bytes.count, repetitions: 5) {
        var writer = try! CSVWriter(sink: CountingSink(), schema: table.schema)
        try! writer.write(table)
        return try! writer.finish().count
    }
}
