import Foundation
import Lightstream
import LightstreamFramingConformance
import Testing

/// CSV against a live pyarrow: the same inferred types and values on the same text, and random
/// tables written by one side read back equal by the other.
@Suite struct PyarrowCSVTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "lightstream-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func save(_ bytes: Buffer, _ path: String) throws {
        try Data(bytes.array).write(to: URL(fileURLWithPath: path))
    }

    static func arrowFile(_ table: Table) throws -> Buffer {
        var file = try IPCFileWriter(sink: MemorySink(), schema: table.schema)
        try file.write(table)
        return try file.finish().buffer
    }

    /// Column `index` of `table` as pyarrow prints its values.
    static func texts(_ table: Table, _ index: Int) -> [String] {
        table.batches.flatMap { batch in (0..<batch.length).map { batch.columns[index].formatValue(at: $0) } }
    }

    /// One column per case: pyarrow's inference rules at their edges.
    static let inferenceCases: [[String]] = [
        ["1", "-2", "007"], ["1", "+3"], [" 1", "2\t"], ["0x10", "0XfF", "0xFFFFFFFFFFFFFFFF"], ["-0x10", "1"],
        ["9223372036854775807", "-9223372036854775808"], ["9223372036854775808"], ["-9223372036854775809"],
        ["1.5", ".5", "5.", "1e5", "-1E-3", "1e400", "4.9e-324"], ["inf", "-Infinity", "+inf", "iNf"], ["nan", "1.5"], ["NAN", "2"],
        ["1.5e", "1"], [".", "1"], ["-", "1"], ["0x", "1"], ["1_000"],
        ["True", "FALSE", "true", "0"], ["1", "true"], ["0", "1"], [" true", "false"], ["yes", "no"],
        ["2020-01-01", " 2020-02-29 "], ["2021-02-29"], ["2020-1-1"], ["10000-01-01"], ["20200101"],
        ["12:34:56", "01:02", " 23:59 "], ["12:34:56.5"], ["24:00:00"], ["1:02:03"],
        ["2020-01-01 12:00:00", "2020-01-01T01:02", "2020-01-01 13", "2020-01-02"], [" 2020-01-01 00:00:00"], ["2020-01-01 00:00:00 "],
        ["2020-01-01 00:00:00.123456789", "2020-01-01 00:00:00"], ["2020-01-01 00:00:00.000"], ["2020-01-01 00:00:00.1234567891"],
        ["2020-01-01 00:00:00+01:00", "2020-01-01T00:00Z", "2020-01-01 00:00:00+0530", "2020-01-01T00+01"],
        ["2020-01-01T00:00:00.5Z", "2020-01-01T00:00:00Z"], ["2020-01-01T00:00:00Z", "2020-01-01 00:00:00"],
        ["2020-01-01 00:00:00z"], ["2020-01-01T00:00:00+25:00"], ["2020-01-01 23:59:60"], ["1969-12-31 23:59:59", "1900-01-01 00:00:00"],
        ["NA", "NULL", "\"\"", "null", "N/A", "#N/A", "-nan"], ["1", "\"\"", "N/A", "NaN"], ["a", "NA", "null"], [" NA", "1"],
        ["1", "2020-01-01"], ["1", "true", "1.5"], ["\"1\"", "2"], ["\"quoted, \"\"x\"\"\"", "plain"], ["ünïcødé", "日本"],
    ]

    @Test func inferenceMatchesPyarrow() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (k, values) in Self.inferenceCases.enumerated() {
            try ("c\n" + values.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(k).csv", atomically: true, encoding: .utf8)
        }
        _ = try await PyarrowPeer.run("""
        import pyarrow as pa, pyarrow.csv as pc
        for k in range(\(Self.inferenceCases.count)):
            t = pc.read_csv("\(directory)/%d.csv" % k)
            with pa.ipc.new_file("\(directory)/%d.arrow" % k, t.schema) as w:
                w.write_table(t)
        """)
        for k in Self.inferenceCases.indices {
            var reader = try CSVReader(path: "\(directory)/\(k).csv")
            let ours = try reader.readAll()
            let theirs = try MappedArrowFile(path: "\(directory)/\(k).arrow").table()
            #expect(ours.schema.fields.map(\.type) == theirs.schema.fields.map(\.type), "case \(k): \(Self.inferenceCases[k])")
            #expect(Self.texts(ours, 0) == Self.texts(theirs, 0), "case \(k): \(Self.inferenceCases[k])")
        }
    }

    /// A random table of every type CSV round-trips through pyarrow, with nulls, quotes,
    /// delimiters, newlines and unicode in strings.
    static func randomTable(seed: UInt64, rows n: Int) throws -> Table {
        var rng = SplitMix64(seed: seed)
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Int.random(in: 0..<6, using: &rng) == 0 ? nil : value() }
        let pieces = ["a", "b,c", "q\"uote", "new\nline", "crlf\r\n", "ünï", "日本", " space ", "NA", "null", "", "#", ";", "\t"]
        func text() -> String { (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined() }
        func column<T: ArrowNativeType & FixedWidthInteger>(_ type: DataType, _: T.Type, _ range: ClosedRange<T>) -> ArrayData {
            var b = PrimitiveBuilder<T>(type: type)
            for _ in 0..<n { b.append(maybe(T.random(in: range, using: &rng))) }
            return b.finish()
        }
        var f32 = PrimitiveBuilder<Float>(), f64 = PrimitiveBuilder<Double>(), bools = BooleanBuilder(), strings = StringBuilder()
        var decimals = PrimitiveBuilder<Int128>(type: .decimal128(precision: 12, scale: 3))
        for _ in 0..<n {
            f32.append(maybe(Float.random(in: -1e6...1e6, using: &rng)))
            f64.append(maybe(Double.random(in: -1e12...1e12, using: &rng) * pow(10, Double(Int.random(in: -20...20, using: &rng)))))
            bools.append(maybe(Bool.random(using: &rng)))
            strings.append(maybe(text()))
            decimals.append(maybe(Int128(Int64.random(in: -999_999_999_999...999_999_999_999, using: &rng))))
        }
        return try Table(batches: [try RecordBatch([
            "i8": column(.int8, Int8.self, .min ... .max), "i16": column(.int16, Int16.self, .min ... .max),
            "i32": column(.int32, Int32.self, .min ... .max), "i64": column(.int64, Int64.self, .min ... .max),
            "u8": column(.uint8, UInt8.self, 0 ... .max), "u16": column(.uint16, UInt16.self, 0 ... .max),
            "u32": column(.uint32, UInt32.self, 0 ... .max), "u64": column(.uint64, UInt64.self, 0 ... .max),
            "f32": f32.finish(), "f64": f64.finish(), "bool": bools.finish(), "str": strings.finish(),
            "date": column(.date32, Int32.self, -100_000...100_000),
            "ts_s": column(.timestamp(.second, timezone: nil), Int64.self, -10_000_000_000...10_000_000_000),
            "ts_ms": column(.timestamp(.millisecond, timezone: nil), Int64.self, -10_000_000_000_000...10_000_000_000_000),
            "ts_us": column(.timestamp(.microsecond, timezone: "UTC"), Int64.self, -10_000_000_000_000_000...10_000_000_000_000_000),
            "ts_ns": column(.timestamp(.nanosecond, timezone: nil), Int64.self, .min / 2 ... .max / 2),
            "t32": column(.time32(.millisecond), Int32.self, 0...86_399_999), "t64": column(.time64(.nanosecond), Int64.self, 0...86_399_999_999_999),
            "dec": decimals.finish(),
        ])])
    }

    static let readBack = "pc.ConvertOptions(column_types=truth.schema, strings_can_be_null=True, quoted_strings_can_be_null=False)"

    @Test(arguments: [UInt64(1), 2, 3])
    func pyarrowReadsWhatWeWrite(_ seed: UInt64) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let table = try Self.randomTable(seed: seed, rows: 500)
        try Self.save(try Self.arrowFile(table), directory + "/truth.arrow")
        var writer = try CSVWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        try Self.save(try writer.finish().buffer, directory + "/ours.csv")
        let verdict = try await PyarrowPeer.run("""
        import pyarrow as pa, pyarrow.csv as pc
        truth = pa.ipc.open_file("\(directory)/truth.arrow").read_all()
        t = pc.read_csv("\(directory)/ours.csv", convert_options=\(Self.readBack))
        bad = [n for n in truth.column_names if not t.column(n).equals(truth.column(n))]
        diffs = [(n, i, t.column(n)[i].as_py(), truth.column(n)[i].as_py()) for n in bad[:2] for i in range(len(t)) if t.column(n)[i] != truth.column(n)[i]][:3]
        print("ok" if not bad else "differ: %s %r" % (bad, diffs))
        """)
        #expect(verdict.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    @Test(arguments: [UInt64(4), 5, 6])
    func weReadWhatPyarrowWrites(_ seed: UInt64) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let table = try Self.randomTable(seed: seed, rows: 500)
        try Self.save(try Self.arrowFile(table), directory + "/truth.arrow")
        _ = try await PyarrowPeer.run("""
        import pyarrow as pa, pyarrow.csv as pc
        truth = pa.ipc.open_file("\(directory)/truth.arrow").read_all()
        pc.write_csv(truth, "\(directory)/theirs.csv")
        """)
        var options = CSVReadOptions()
        options.schema = table.schema
        options.stringsCanBeNull = true
        options.quotedStringsCanBeNull = false
        options.blockSize = 4096
        var reader = try CSVReader(path: directory + "/theirs.csv", options: options)
        let ours = try reader.readAll()
        #expect(ours.batches.count > 1)
        for (k, field) in table.schema.fields.enumerated() {
            #expect(Self.texts(ours, k) == Self.texts(table, k), "\(field.name)")
        }
    }

    /// pyarrow and we infer the same table from pyarrow's own CSV of a random table.
    @Test func sameInferenceOnPyarrowsCSV() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let table = try Self.randomTable(seed: 9, rows: 300)
        try Self.save(try Self.arrowFile(table), directory + "/truth.arrow")
        _ = try await PyarrowPeer.run("""
        import pyarrow as pa, pyarrow.csv as pc
        truth = pa.ipc.open_file("\(directory)/truth.arrow").read_all()
        pc.write_csv(truth, "\(directory)/theirs.csv")
        t = pc.read_csv("\(directory)/theirs.csv")
        with pa.ipc.new_file("\(directory)/inferred.arrow", t.schema) as w:
            w.write_table(t)
        """)
        var reader = try CSVReader(path: directory + "/theirs.csv")
        let ours = try reader.readAll()
        let theirs = try MappedArrowFile(path: directory + "/inferred.arrow").table()
        #expect(ours.schema.fields.map(\.type) == theirs.schema.fields.map(\.type))
        for (k, field) in theirs.schema.fields.enumerated() {
            #expect(Self.texts(ours, k) == Self.texts(theirs, k), "\(field.name)")
        }
    }
}
