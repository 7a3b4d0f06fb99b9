import Foundation
import Lightstream
import Testing

/// Seeded random tables written by pyarrow with every type it writes to Parquet (with nulls,
/// nesting, many row groups and pages) under each compression, page version, dictionary setting
/// and encoding; our reading of each file must equal pyarrow's reading of it. One DuckDB-written
/// file likewise.
@Suite("Parquet written by pyarrow and DuckDB, read equal")
struct PyarrowParquetRandomTests {
    /// The Python function `table(seed, n)`: a pyarrow table of every type (nullable and not).
    static let generator = #"""
import random, decimal
import numpy as np
import pyarrow as pa, pyarrow.parquet as pq

def table(seed, n):
    rng = random.Random(seed)
    def maybe(f, p=0.15):
        return [None if rng.random() < p else f() for _ in range(n)]
    def ints(lo, hi): return maybe(lambda: rng.randint(lo, hi))
    def text(): return "".join(rng.choice(["a", "bc", "é", "日本", "", "xyz" * 5, "\0"]) for _ in range(rng.randint(0, 4)))
    def dec(p, s): return maybe(lambda: decimal.Decimal(rng.randint(-10**p + 1, 10**p - 1)).scaleb(-s))
    words = ["w%d" % i for i in range(20)]
    cols = {}
    for name, t, lo, hi in [("i8", pa.int8(), -128, 127), ("i16", pa.int16(), -2**15, 2**15 - 1), ("i32", pa.int32(), -2**31, 2**31 - 1),
                            ("i64", pa.int64(), -2**63, 2**63 - 1), ("u8", pa.uint8(), 0, 255), ("u16", pa.uint16(), 0, 2**16 - 1),
                            ("u32", pa.uint32(), 0, 2**32 - 1), ("u64", pa.uint64(), 0, 2**64 - 1)]:
        cols[name] = pa.array(ints(lo, hi), t)
    cols["small_i64"] = pa.array(ints(-1000, 1000), pa.int64())
    cols["i32_required"] = pa.array([rng.randint(-2**31, 2**31 - 1) for _ in range(n)], pa.int32())
    cols["f16"] = pa.array([None if v is None else np.float16(v) for v in maybe(lambda: rng.uniform(-1000, 1000))], pa.float16())
    cols["f32"] = pa.array(maybe(lambda: rng.choice([rng.uniform(-1e30, 1e30), float("nan"), float("inf"), -0.0, 1.5])), pa.float32())
    cols["f64"] = pa.array(maybe(lambda: rng.choice([rng.uniform(-1e300, 1e300), float("nan"), float("-inf"), 0.0, rng.random()])), pa.float64())
    cols["bool"] = pa.array(maybe(lambda: rng.random() < 0.5), pa.bool_())
    cols["bool_required"] = pa.array([rng.random() < 0.3 for _ in range(n)], pa.bool_())
    cols["date32"] = pa.array(ints(-100000, 100000), pa.date32())
    cols["date64"] = pa.array([None if v is None else v * 86400000 for v in ints(-100000, 100000)], pa.date64())
    cols["time32_s"] = pa.array(ints(0, 86399), pa.time32("s"))
    cols["time32_ms"] = pa.array(ints(0, 86399999), pa.time32("ms"))
    cols["time64_us"] = pa.array(ints(0, 86399999999), pa.time64("us"))
    cols["time64_ns"] = pa.array(ints(0, 86399999999999), pa.time64("ns"))
    for unit, span in [("s", 10**10), ("ms", 10**13), ("us", 10**16), ("ns", 2**62)]:
        cols["ts_" + unit] = pa.array(ints(-span, span), pa.timestamp(unit))
        cols["ts_%s_utc" % unit] = pa.array(ints(-span, span), pa.timestamp(unit, "UTC"))
        cols["ts_%s_paris" % unit] = pa.array(ints(-span, span), pa.timestamp(unit, "Europe/Paris"))
        cols["dur_" + unit] = pa.array(ints(-span, span), pa.duration(unit))
    cols["dec32"] = pa.array(dec(7, 2), pa.decimal32(7, 2))
    cols["dec64"] = pa.array(dec(16, 4), pa.decimal64(16, 4))
    cols["dec128_small"] = pa.array(dec(9, 3), pa.decimal128(9, 3))
    cols["dec128"] = pa.array(dec(30, 5), pa.decimal128(30, 5))
    cols["dec256"] = pa.array(dec(60, 10), pa.decimal256(60, 10))
    strings = maybe(text)
    cols["string"] = pa.array(strings, pa.string())
    cols["string_required"] = pa.array([text() for _ in range(n)], pa.string())
    cols["binary"] = pa.array([None if s is None else s.encode() + b"\xff" for s in strings], pa.binary())
    cols["large_string"] = pa.array(strings, pa.large_string())
    cols["large_binary"] = pa.array([None if s is None else s.encode() for s in strings], pa.large_binary())
    cols["fixed_binary"] = pa.array(maybe(lambda: bytes(rng.randrange(256) for _ in range(5))), pa.binary(5))
    cols["string_view"] = pa.array(strings, pa.string_view())
    cols["binary_view"] = pa.array([None if s is None else s.encode() for s in strings], pa.binary_view())
    cols["dictionary"] = pa.array(maybe(lambda: rng.choice(words)), pa.string()).dictionary_encode()
    def lst(f, p=0.15): return maybe(lambda: [None if rng.random() < 0.1 else f() for _ in range(rng.randint(0, 4))], p)
    cols["list_i32"] = pa.array(lst(lambda: rng.randint(-99, 99)), pa.list_(pa.int32()))
    cols["list_required"] = pa.array([[rng.randint(0, 9) for _ in range(rng.randint(0, 3))] for _ in range(n)],
                                     pa.list_(pa.field("item", pa.int64(), nullable=False)))
    cols["large_list_str"] = pa.array(lst(text), pa.large_list(pa.string()))
    cols["list_list"] = pa.array(lst(lambda: [rng.randint(0, 9) for _ in range(rng.randint(0, 3))]), pa.list_(pa.list_(pa.int16())))
    st = pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.string()), pa.field("c", pa.float64(), nullable=False)])
    cols["list_struct"] = pa.array(lst(lambda: {"a": rng.choice([None, rng.randint(0, 99)]), "b": rng.choice([None, text()]), "c": rng.random()}), pa.list_(st))
    swl = pa.struct([pa.field("x", pa.list_(pa.int64())), pa.field("y", pa.bool_())])
    cols["struct_list"] = pa.array(maybe(lambda: {"x": rng.choice([None, [rng.randint(0, 9) for _ in range(rng.randint(0, 3))]]), "y": rng.choice([None, True, False])}), swl)
    cols["map"] = pa.array(maybe(lambda: [(rng.choice(words), rng.choice([None, rng.randint(0, 99)])) for _ in range(rng.randint(0, 3))]), pa.map_(pa.string(), pa.int32()))
    cols["fixed_list"] = pa.array(maybe(lambda: [rng.choice([None, rng.random()]) for _ in range(3)]), pa.list_(pa.float32(), 3))
    fields = [pa.field(k, v.type, nullable=not k.endswith("_required")) for k, v in cols.items()]
    return pa.Table.from_arrays(list(cols.values()), schema=pa.schema(fields))

def encodings(path, style):
    # column_encoding for every leaf of the file at `path` (dictionary columns keep PLAIN,
    # which pyarrow needs to read them back as dictionaries).
    plans = {
        "delta": {"INT32": "DELTA_BINARY_PACKED", "INT64": "DELTA_BINARY_PACKED", "BYTE_ARRAY": "DELTA_LENGTH_BYTE_ARRAY",
                  "FIXED_LEN_BYTE_ARRAY": "DELTA_BYTE_ARRAY", "FLOAT": "BYTE_STREAM_SPLIT", "DOUBLE": "BYTE_STREAM_SPLIT",
                  "BOOLEAN": "RLE"},
        "split": {"INT32": "BYTE_STREAM_SPLIT", "INT64": "BYTE_STREAM_SPLIT", "BYTE_ARRAY": "DELTA_BYTE_ARRAY",
                  "FIXED_LEN_BYTE_ARRAY": "BYTE_STREAM_SPLIT", "FLOAT": "BYTE_STREAM_SPLIT", "DOUBLE": "BYTE_STREAM_SPLIT"},
    }[style]
    schema = pq.ParquetFile(path).schema
    result = {}
    for i in range(len(schema)):
        column = schema.column(i)
        if column.physical_type in plans and not column.path.startswith("dictionary"):
            result[column.path] = plans[column.physical_type]
    return result

def write_and_read(t, out, options, style):
    if style:
        pq.write_table(t, out + "/probe.parquet", **options)
        options = dict(options, use_dictionary=False, column_encoding=encodings(out + "/probe.parquet", style))
    pq.write_table(t, out + "/t.parquet", **options)
    r = pq.read_table(out + "/t.parquet").unify_dictionaries()
    with pa.ipc.new_file(out + "/t.arrow", r.schema) as w:
        w.write_table(r)
    m = pq.ParquetFile(out + "/t.parquet").metadata
    print(m.num_row_groups, sorted({e for g in range(m.num_row_groups) for c in range(m.num_columns) for e in m.row_group(g).column(c).encodings}))
"""#

    struct Case: Sendable, CustomTestStringConvertible {
        var seed: UInt64
        /// `pq.write_table` keyword arguments, as Python.
        var options: String
        /// A column_encoding plan (`delta`, `split`) with dictionaries off, or nil.
        var encoding: String?
        var testDescription: String { "seed \(seed) \(options)" + (encoding.map { " encoding \($0)" } ?? "") }
    }

    static let rows = 2_000
    /// Small row groups, pages and write batches: many of each per column.
    static let sizes = "row_group_size=700, data_page_size=2048, write_batch_size=64, dictionary_pagesize_limit=4096"

    static let matrix: [Case] = {
        var cases: [Case] = []
        var seed: UInt64 = 1
        for compression in ["none", "snappy", "zstd", "gzip", "lz4"] {
            for version in ["1.0", "2.0"] {
                for dictionary in ["True", "False"] {
                    cases.append(Case(seed: seed, options: "compression='\(compression)', data_page_version='\(version)', use_dictionary=\(dictionary), \(sizes)"))
                    seed += 1
                }
            }
        }
        return cases
    }()

    static let encodingCases: [Case] = [
        Case(seed: 101, options: "compression='none', data_page_version='1.0', \(sizes)", encoding: "delta"),
        Case(seed: 102, options: "compression='zstd', data_page_version='2.0', \(sizes)", encoding: "delta"),
        Case(seed: 103, options: "compression='none', data_page_version='1.0', store_decimal_as_integer=True, \(sizes)", encoding: "split"),
        Case(seed: 104, options: "compression='snappy', data_page_version='2.0', store_decimal_as_integer=True, \(sizes)", encoding: "split"),
        Case(seed: 105, options: "compression='zstd', data_page_version='2.0', store_decimal_as_integer=True, \(sizes)", encoding: "delta"),
        Case(seed: 106, options: "compression='gzip', write_page_index=True, write_page_checksum=True, \(sizes)"),
        Case(seed: 107, options: "compression='snappy', use_compliant_nested_type=False, \(sizes)"),
    ]

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "lightstream-parquet-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Reads `directory/t.parquet` as we do, with and without threads, in small batches, and with
    /// checksums verified; each must equal pyarrow's reading of it (`directory/t.arrow`).
    static func checkOurReading(_ directory: String, _ label: String) throws {
        let theirs = try MappedArrowFile(path: directory + "/t.arrow").table()
        let reader = try ParquetFileReader(path: directory + "/t.parquet")
        let ours = try reader.readAll()
        let difference = try ParquetComparison.difference(ours, theirs)
        #expect(difference == nil, "\(label): \(difference ?? "")")
        var options = ParquetReadOptions()
        options.useThreads = false
        options.verifyChecksums = true
        options.batchSize = 333
        let single = try ParquetFileReader(path: directory + "/t.parquet", options: options)
        #expect(try single.readAll() == ours, "\(label): without threads")
        var iterator = single.batches()
        var batches: [RecordBatch] = []
        while let batch = try iterator.next() { batches.append(batch) }
        #expect(try Table(schema: ours.schema, batches: batches) == ours, "\(label): batches")
    }

    static func run(_ test: Case) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let style = test.encoding.map { "'\($0)'" } ?? "None"
        let summary = try await PyarrowPeer.run(generator + """

        write_and_read(table(\(test.seed), \(rows)), "\(directory)", dict(\(test.options)), \(style))
        """)
        let groups = Int(summary.split(separator: " ").first ?? "") ?? 0
        #expect(groups >= 3, "\(summary)")
        if let encoding = test.encoding {
            #expect(summary.contains(encoding == "delta" ? "DELTA_BINARY_PACKED" : "BYTE_STREAM_SPLIT"), "\(summary)")
        }
        try checkOurReading(directory, test.testDescription)
    }

    @Test(arguments: matrix)
    func compressionPagesAndDictionaries(_ test: Case) async throws {
        try await Self.run(test)
    }

    @Test(arguments: encodingCases)
    func encodingsAndOptions(_ test: Case) async throws {
        try await Self.run(test)
    }

    /// Column projection, row group selection and `dictionaryColumns` against pyarrow's
    /// `columns`, `read_row_groups` and `read_dictionary` on the same file.
    @Test func projectionAndDictionaryColumns() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try await PyarrowPeer.run(Self.generator + """

        t = table(200, \(Self.rows))
        pq.write_table(t, "\(directory)/t.parquet", \(Self.sizes))
        f = pq.ParquetFile("\(directory)/t.parquet", read_dictionary=["string", "binary", "large_string"])
        r = f.read_row_groups([2, 0], columns=["i32", "string", "binary", "large_string", "list_struct", "map", "struct_list"]).unify_dictionaries()
        with pa.ipc.new_file("\(directory)/t.arrow", r.schema) as w:
            w.write_table(r)
        """)
        var options = ParquetReadOptions()
        options.columns = ["i32", "string", "binary", "large_string", "list_struct", "map", "struct_list"]
        options.rowGroups = [2, 0]
        options.dictionaryColumns = ["string", "binary", "large_string"]
        let ours = try ParquetFileReader(path: directory + "/t.parquet", options: options).readAll()
        let theirs = try MappedArrowFile(path: directory + "/t.arrow").table()
        let difference = try ParquetComparison.difference(ours, theirs)
        #expect(difference == nil, "\(difference ?? "")")
        #expect(ours.schema.fields.count == 7)
    }

    /// A file DuckDB writes (its own writer, its own choices of encodings and types).
    @Test func duckDBFile() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try await PyarrowPeer.run(#"""
        import duckdb, pyarrow as pa, pyarrow.parquet as pq
        duckdb.sql("""COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 31 % 1000 END AS n,
          (i % 3 = 0) AS flag, (i % 100)::TINYINT AS tiny, (i % 200)::UTINYINT AS utiny, (i * 1.5)::DOUBLE AS dbl, (i / 7)::FLOAT AS flt,
          CASE WHEN i % 5 = 0 THEN NULL ELSE 'row ' || i || repeat('é', i % 4) END AS s, ('k' || (i % 13)) AS low_cardinality,
          ('2020-01-01'::DATE + i::INTEGER) AS d, ('2020-01-01 00:00:00'::TIMESTAMP + i * INTERVAL 1 SECOND) AS ts,
          ('2020-01-01 00:00:00+00'::TIMESTAMPTZ + i * INTERVAL 1 MINUTE) AS tstz, ('2020-01-01'::TIMESTAMP_NS + i * INTERVAL 1 SECOND) AS tsns,
          (i * 0.001)::DECIMAL(9,3) AS dec9, (i * 12345.678)::DECIMAL(18,3) AS dec18, (i * 1e20)::DECIMAL(38,2) AS dec38,
          CASE WHEN i % 4 = 0 THEN NULL ELSE [i, i + 1, NULL][1:(i % 4)] END AS l,
          {'a': i, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || i END} AS st,
          MAP {'k' || (i % 3): i} AS m, [[i], [], [i, i]] AS ll, ('\\xAA\\xBB'::BLOB) AS blob, i::HUGEINT * 1000 AS huge,
          i::UBIGINT AS ubig, '00:00:01'::TIME + i * INTERVAL 1 SECOND AS t
          FROM range(0, 3000) r(i)) TO '\#(directory)/t.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000)""")
        r = pq.read_table("\#(directory)/t.parquet")
        with pa.ipc.new_file("\#(directory)/t.arrow", r.schema) as w:
            w.write_table(r)
        """#)
        try Self.checkOurReading(directory, "duckdb")
    }
}
