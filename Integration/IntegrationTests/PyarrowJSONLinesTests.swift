import Foundation
import Lightstream
import LightstreamFramingConformance
import Testing

/// JSON Lines both ways through pyarrow: what `JSONLinesWriter` writes, `pyarrow.json.read_json`
/// (given the table's schema) reads equal; what Python's `json` module writes, `JSONLinesReader`
/// infers and reads as `pyarrow.json.read_json` does.
@Suite("JSON Lines against pyarrow", .serialized)
struct PyarrowJSONLinesTests {
    static let strings = ["", "plain", "quote \" backslash \\ slash /", "tab\tnew\nline\r", "\u{1}\u{1F}\u{7F}", "ünïcödé", "😀 emoji", "{\"json\":[1]}"]

    /// A random table of the types pyarrow.json reads with an explicit schema.
    static func table(seed: UInt64) throws -> Table {
        var rng = SplitMix64(seed: seed)
        var batches: [RecordBatch] = []
        for _ in 0..<3 {
            let n = Int.random(in: 0...150, using: &rng)
            func maybe<T>(_ value: @autoclosure () -> T) -> T? { Int.random(in: 0..<5, using: &rng) == 0 ? nil : value() }
            func text() -> String { strings[Int.random(in: 0..<strings.count, using: &rng)] + String(Int.random(in: 0...99, using: &rng)) }
            let ints = (0..<n).map { _ in maybe(Int64.random(in: .min ... .max, using: &rng)) }
            let texts = (0..<n).map { _ in maybe(text()) }
            var list = ListBuilder(PrimitiveBuilder<Int32>())
            var structs = StructBuilder(["a": PrimitiveBuilder<Int64>(), "b \"q\"": StringBuilder()])
            for i in 0..<n {
                if let count = maybe(Int.random(in: 0...4, using: &rng)) {
                    let values = (0..<count).map { _ in maybe(Int32.random(in: .min ... .max, using: &rng)) }
                    list.append { child in for v in values { child.append(v) } }
                } else { list.appendNull() }
                if Int.random(in: 0..<6, using: &rng) == 0 { structs.appendNull() } else {
                    structs.append { row in
                        row.child(0, as: PrimitiveBuilder<Int64>.self) { $0.append(ints[i]) }
                        row.child(1, as: StringBuilder.self) { $0.append(texts[i]) }
                    }
                }
            }
            batches.append(try RecordBatch([
                "int64": Int64Array(ints),
                "int8": Int8Array((0..<n).map { _ in maybe(Int8.random(in: .min ... .max, using: &rng)) }),
                "uint64": UInt64Array((0..<n).map { _ in maybe(UInt64.random(in: .min ... .max, using: &rng)) }),
                "float64": Float64Array((0..<n).map { _ in maybe(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng))).map { $0.isFinite ? $0 : -0.0 } }),
                "bool": BooleanArray((0..<n).map { _ in maybe(Bool.random(using: &rng)) }),
                "text ✓": StringArray(texts),
                "ts ms UTC": Int64Array((0..<n).map { _ in maybe(Int64.random(in: -2_000_000_000_000...250_000_000_000_000, using: &rng)) },
                                        type: .timestamp(.millisecond, timezone: "UTC")),
                "ts s": Int64Array((0..<n).map { _ in maybe(Int64.random(in: 0...4_000_000_000, using: &rng)) }, type: .timestamp(.second, timezone: nil)),
                "decimal": Decimal128Array((0..<n).map { _ in maybe(Int128(Int64.random(in: -999_999_999_999...999_999_999_999, using: &rng))) },
                                           type: .decimal128(precision: 20, scale: 4)),
                "list": list.finish(),
                "struct": structs.finish(),
            ]))
        }
        return try Table(batches: batches)
    }

    static func save(_ bytes: Buffer, _ path: String) throws {
        try Data(bytes.array).write(to: URL(fileURLWithPath: path))
    }

    @Test("pyarrow.json reads our JSON Lines equal", arguments: [1, 2, 3, 4] as [UInt64])
    func pyarrowReadsOurs(_ seed: UInt64) async throws {
        let table = try Self.table(seed: seed)
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var writer = JSONLinesWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        try Self.save(try writer.finish().buffer, directory + "/ours.jsonl")
        // The schema goes over as an empty IPC stream.
        let schemaStream = try IPCStreamWriter(sink: MemorySink(), schema: table.schema)
        try Self.save(try schemaStream.finish().buffer, directory + "/schema.arrows")
        _ = try await PyarrowPeer.run("""
            import pyarrow as pa, pyarrow.json as pj
            schema = pa.ipc.open_stream("\(directory)/schema.arrows").schema
            t = pj.read_json("\(directory)/ours.jsonl", parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error"),
                             read_options=pj.ReadOptions(block_size=4096))
            t.validate(full=True)
            with pa.ipc.new_stream("\(directory)/theirs.arrows", t.schema) as w:
                w.write_table(t)
            """)
        var back = try IPCStreamReader(try GoldJSONConformanceTests.load(directory + "/theirs.arrows"))
        let theirs = try back.readAll()
        #expect(theirs.schema == table.schema)
        #expect(theirs.rowCount == table.rowCount)
        for c in table.schema.fields.indices {
            #expect(chunksEqual(table.column(c), theirs.column(c)), "seed \(seed), column \(table.schema.fields[c].name)")
        }
    }

    @Test("we read Python's json output as pyarrow.json does", arguments: [1, 2, 3, 4] as [UInt64])
    func weReadLikePyarrow(_ seed: UInt64) async throws {
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Random records: missing keys, nulls, ints (past 2^53), floats, bools, strings with
        // unicode and escapes (ensure_ascii both ways), timestamps, lists, nested objects.
        _ = try await PyarrowPeer.run("""
            import json, random, pyarrow as pa, pyarrow.json as pj
            r = random.Random(\(seed))
            words = ["", "plain", "quo\\"te", "back\\\\slash", "tab\\tnl\\n", "\\u0001", "ünï", "😀", "2020-13-01"]
            def maybe(f):
                return None if r.random() < 0.2 else f()
            lines = []
            for i in range(300):
                rec = {}
                fields = [
                    ("id", lambda: i),
                    ("big", lambda: r.randint(-2**63, 2**63 - 1)),
                    ("x", lambda: r.choice([r.uniform(-1e9, 1e9), r.randint(-5, 5), 1e-300, 0.1])),
                    ("flag", lambda: r.random() < 0.5),
                    ("name", lambda: r.choice(words) + str(r.randint(0, 9))),
                    ("when", lambda: "%04d-%02d-%02d%s" % (r.randint(1, 9999), r.randint(1, 12), r.randint(1, 28),
                                                          r.choice(["", " 01:02:03", "T23:59:59Z", "T10:00+05:30", " 07"]))),
                    ("tags", lambda: [r.randint(-100, 100) for _ in range(r.randint(0, 3))]),
                    ("point", lambda: {"lat": r.uniform(-90, 90), "label": r.choice(words), "ids": [r.randint(0, 9)]}),
                    ("nothing", lambda: None),
                ]
                r.shuffle(fields) if i > 0 else None
                for k, f in fields:
                    if r.random() < 0.9:
                        rec[k] = maybe(f)
                lines.append(json.dumps(rec, ensure_ascii=r.random() < 0.5, allow_nan=False))
            with open("\(directory)/py.jsonl", "w", encoding="utf-8") as f:
                f.write("\\n".join(lines) + "\\n")
            t = pj.read_json("\(directory)/py.jsonl")
            with pa.ipc.new_stream("\(directory)/theirs.arrows", t.schema) as w:
                w.write_table(t)
            """)
        var reader = try JSONLinesReader(path: directory + "/py.jsonl")
        let ours = try reader.readAll()
        try ours.validate()
        var back = try IPCStreamReader(try GoldJSONConformanceTests.load(directory + "/theirs.arrows"))
        let theirs = try back.readAll()
        #expect(ours.schema == theirs.schema, "seed \(seed)")
        #expect(ours.rowCount == theirs.rowCount)
        guard ours.schema == theirs.schema else { return }
        for c in ours.schema.fields.indices {
            #expect(chunksEqual(ours.column(c), theirs.column(c)), "seed \(seed), column \(ours.schema.fields[c].name)")
        }
    }

    /// Whether two chunked columns hold the same values (their chunking may differ).
    func chunksEqual(_ a: [ArrayData], _ b: [ArrayData]) -> Bool {
        let x = a.flatMap { chunk in (0..<chunk.length).map { (chunk, $0) } }
        let y = b.flatMap { chunk in (0..<chunk.length).map { (chunk, $0) } }
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { l, r in l.0.slice(l.1..<(l.1 + 1)).logicallyEquals(r.0.slice(r.1..<(r.1 + 1))) }
    }
}
