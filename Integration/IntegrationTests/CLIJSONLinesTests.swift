import Foundation
import Lightstream
import Testing

/// The `lightstream` commands on JSON Lines: `convert` both ways (files, stdin, stdout, batch by
/// batch), `--schema` and `--block-size`, refused CSV-only options, `schema`/`cat`/`validate`,
/// errors, and `pyarrow.json.read_json` as the reference.
@Suite("lightstream JSON Lines commands", .serialized)
struct CLIJSONLinesTests {
    static let sample = """
        {"id":1,"name":"alpha","score":1.5,"ok":true,"tags":[1,2],"point":{"x":1,"label":"a"}}
        {"id":2,"name":"with \\"quotes\\", and\\nnewline","score":-2.25,"ok":false,"tags":[],"point":null}
        {"name":null,"id":3,"score":null,"ok":null,"tags":null,"point":{"x":null,"label":"ü😀"}}
        {"id":-4,"score":1e10,"ok":true,"tags":[null,5]}

        """

    static func temporary(_ name: String) -> String { CLICSVTests.temporary(name) }
    static func write(_ text: String, _ name: String) throws -> String { try CLICSVTests.write(text, name) }
    static func remove(_ paths: String...) { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
    static func readIPC(_ path: String) throws -> Table { try CLICSVTests.readIPC(path) }

    static func readJSONLines(_ path: String, _ options: JSONLinesReadOptions = JSONLinesReadOptions()) throws -> Table {
        var reader = try JSONLinesReader(buffer: try GoldJSONConformanceTests.load(path), options: options)
        return try reader.readAll()
    }

    static func writeIPCFile(_ table: Table, _ path: String) throws {
        var writer = try IPCFileWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        try Data(try writer.finish().buffer.array).write(to: URL(fileURLWithPath: path))
    }

    /// Two batches of the types JSON Lines infers back as themselves: int64, double, utf8, bool,
    /// list<int64> and struct, with nulls.
    static func inferableTable() throws -> Table {
        func batch(_ base: Int64, _ n: Int) throws -> RecordBatch {
            var list = ListBuilder(PrimitiveBuilder<Int64>())
            var structs = StructBuilder(["x": PrimitiveBuilder<Int64>(), "label": StringBuilder()])
            for i in 0..<n {
                if i % 7 == 3 { list.appendNull() } else { list.append { child in for k in 0..<(i % 3) { child.append(Int64(k) + base) } } }
                if i % 5 == 4 { structs.appendNull() } else {
                    structs.append { row in
                        row.child(0, as: PrimitiveBuilder<Int64>.self) { $0.append(i % 4 == 0 ? nil : Int64(i)) }
                        row.child(1, as: StringBuilder.self) { $0.append("l\(i) \"q\" ✓") }
                    }
                }
            }
            let ids: [Int64] = (0..<n).map { Int64($0) + base }
            let values: [Double?] = (0..<n).map { i -> Double? in i % 6 == 5 ? nil : Double(i) / 8 - 3 }
            let names: [String?] = (0..<n).map { i -> String? in i % 9 == 8 ? nil : "row \(i)\t\\ \n" }
            let flags: [Bool?] = (0..<n).map { i -> Bool? in i % 4 == 2 ? nil : i % 3 == 0 }
            return try RecordBatch([
                "id": Int64Array(ids),
                "value": Float64Array(values),
                "name": StringArray(names),
                "flag": BooleanArray(flags),
                "list": list.finish(),
                "struct": structs.finish(),
            ])
        }
        return try Table(batches: [try batch(0, 40), try batch(1000, 25)])
    }

    @Test func arrowToJSONLinesToArrowRoundTrip() throws {
        let arrow = Self.temporary("orig.arrow"), jsonl = Self.temporary("mid.jsonl"), back = Self.temporary("back.arrow")
        defer { Self.remove(arrow, jsonl, back) }
        let table = try Self.inferableTable()
        try Self.writeIPCFile(table, arrow)
        let out = try Tool.run(["convert", arrow, jsonl])
        #expect(out.status == 0, "\(out.output)")
        #expect(out.output.contains("converted 65 rows in 2 batches") && out.output.contains("JSON Lines out"), "\(out.output)")
        let text = try String(contentsOfFile: jsonl, encoding: .utf8)
        #expect(text.hasPrefix("{\"id\":0,\"value\":-3"), "\(text.prefix(200))")
        #expect(text.split(separator: "\n").count == 65)
        let inferred = try Tool.run(["convert", jsonl, back])
        #expect(inferred.status == 0, "\(inferred.output)")
        #expect(inferred.output.contains("JSON Lines in"), "\(inferred.output)")
        #expect(try Self.readIPC(back) == table)

        // Types JSON does not tell (int32, date32, timestamps, decimal) come back through --schema.
        let typed = try Table(batches: [try RecordBatch([
            "i32": Int32Array([1, nil, -7]),
            "day": Int32Array([0, 18_000, nil], type: .date32),
            "at": Int64Array([1_600_000_000_123, nil, -5], type: .timestamp(.millisecond, timezone: "UTC")),
            "money": Decimal128Array([12_345, -1, nil], type: .decimal128(precision: 12, scale: 2)),
            "s": StringArray(["a", "", nil]),
        ])])
        let typedArrow = Self.temporary("typed.arrow"), typedJSONL = Self.temporary("typed.ndjson"), typedBack = Self.temporary("typed.arrows")
        defer { Self.remove(typedArrow, typedJSONL, typedBack) }
        try Self.writeIPCFile(typed, typedArrow)
        #expect(try Tool.run(["convert", typedArrow, typedJSONL]).status == 0)
        let withSchema = try Tool.run(["convert", typedJSONL, typedBack, "--schema", typedArrow])
        #expect(withSchema.status == 0, "\(withSchema.output)")
        #expect(try Self.readIPC(typedBack) == typed)
    }

    @Test func csvToJSONLinesAndBack() throws {
        let csv = try Self.write(CLICSVTests.sample, "sample.csv"), jsonl = Self.temporary("from-csv.jsonl")
        let csvBack = Self.temporary("back.csv")
        defer { Self.remove(csv, jsonl, csvBack) }
        let result = try Tool.run(["convert", csv, jsonl])
        #expect(result.status == 0, "\(result.output)")
        let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first == #"{"id":1,"name":"alpha","score":1.5,"ok":true,"day":"2020-01-01","at":"2020-01-01 12:00:00"}"#, "\(lines.first ?? "")")
        #expect(lines[2].contains(#""name":"multi\nline""#) && lines[2].contains(#""score":null"#), "\(lines[2])")
        // Read back with the CSV's schema: the same table.
        let csvTable = try CLICSVTests.readCSV(csv)
        let schemaFile = Self.temporary("csv-schema.arrow")
        defer { Self.remove(schemaFile) }
        try Self.writeIPCFile(csvTable, schemaFile)
        var options = JSONLinesReadOptions()
        options.schema = csvTable.schema
        #expect(try Self.readJSONLines(jsonl, options) == csvTable)
        // JSON Lines to CSV: --no-header and --delimiter describe the CSV output.
        let toCSV = try Tool.run(["convert", jsonl, csvBack, "--schema", schemaFile, "--delimiter", ";", "--no-header"])
        #expect(toCSV.status == 0, "\(toCSV.output)")
        #expect(try String(contentsOfFile: csvBack, encoding: .utf8).hasPrefix("1;alpha;1.5;true;2020-01-01;2020-01-01 12:00:00\n"))
    }

    @Test func standardInputToStandardOutputMatchesPyarrow() async throws {
        let jsonl = Self.temporary("py.jsonl"), stream = Self.temporary("ours.arrows")
        defer { Self.remove(jsonl, stream) }
        _ = try await PyarrowPeer.run("""
            import json, random
            r = random.Random(7)
            words = ["", "plain", "quo\\"te", "back\\\\slash", "tab\\tnl\\n", "ünï", "😀"]
            with open("\(jsonl)", "w", encoding="utf-8") as f:
                for i in range(3000):
                    rec = {"id": i, "x": r.uniform(-1e6, 1e6) if i % 11 else None, "flag": r.random() < 0.5,
                           "name": r.choice(words) + str(i), "when": "2020-%02d-%02d 01:02:03" % (1 + i % 12, 1 + i % 28),
                           "tags": [r.randint(-9, 9) for _ in range(i % 4)],
                           "point": {"lat": r.uniform(-90, 90), "label": r.choice(words)} if i % 5 else None}
                    f.write(json.dumps(rec, ensure_ascii=i % 2 == 0) + "\\n")
            """)
        let result = try Tool.run(["convert", "-", "-", "--from", "jsonl"], input: jsonl, output: stream)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.hasPrefix("converted 3000 rows") && result.errors.contains("standard output"), "\(result.errors)")
        let verdict = try await PyarrowPeer.run("""
            import pyarrow as pa, pyarrow.json as pj
            ours = pa.ipc.open_stream("\(stream)").read_all()
            theirs = pj.read_json("\(jsonl)")
            print("schema", ours.schema.equals(theirs.schema), "rows", ours.num_rows, "equal", ours.equals(theirs))
            if not ours.schema.equals(theirs.schema): print(ours.schema, theirs.schema)
            """)
        #expect(verdict.hasPrefix("schema True rows 3000 equal True"), "\(verdict)")
    }

    @Test func convertsBatchByBatch() throws {
        var text = ""
        for i in 0..<20_000 { text += "{\"n\":\(i),\"s\":\"value \(i)\",\"x\":\(Double(i) / 3)}\n" }
        let jsonl = try Self.write(text, "big.ndjson"), stream = Self.temporary("big.arrows"), csv = Self.temporary("big.csv")
        defer { Self.remove(jsonl, stream, csv) }
        let result = try Tool.run(["convert", jsonl, stream, "--block-size", "16384"], input: nil, output: nil)
        #expect(result.status == 0, "\(result.errors)")
        // No progress line: standard error is a pipe.
        #expect(!result.errors.contains("\r") && result.errors.split(separator: "\n").count == 1, "\(result.errors)")
        var reader = try IPCStreamReader(try GoldJSONConformanceTests.load(stream))
        var batches = 0, rows = 0
        while let batch = try reader.next() {
            batches += 1
            rows += batch.length
            #expect(batch.length < 1000)
        }
        #expect(rows == 20_000 && batches > 20, "\(batches) batches")
        // An IPC stream on stdin, decoded as it arrives, into JSON Lines on stdout.
        let jsonlOut = Self.temporary("stdout.jsonl")
        defer { Self.remove(jsonlOut) }
        let piped = try Tool.run(["convert", "-", "-", "--to", "ndjson"], input: stream, output: jsonlOut)
        #expect(piped.status == 0, "\(piped.errors)")
        #expect(try Self.readJSONLines(jsonlOut) == (try Self.readJSONLines(jsonl)))
        #expect(try Tool.run(["convert", jsonl, csv]).status == 0)
        #expect(try CLICSVTests.readCSV(csv) == (try Self.readIPC(stream)))
    }

    @Test func malformedJSONLinesIsOneLineWithRowAndByte() throws {
        let jsonl = try Self.write("{\"a\":1}\n{\"a\":2}\n{\"a\":[3}\n", "bad.jsonl"), out = Self.temporary("bad.arrows")
        defer { Self.remove(jsonl, out) }
        let result = try Tool.run(["convert", jsonl, out], input: nil, output: nil)
        #expect(result.status == 1)
        #expect(result.errors.split(separator: "\n").count == 1 && result.errors.hasSuffix("\n"), "\(result.errors)")
        #expect(result.errors.hasPrefix("lightstream: \(jsonl): invalid JSON: ") && result.errors.contains("row 3") && result.errors.contains("byte "),
                "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: out), "a failed conversion leaves no partial output")
        // A value that does not fit the type inferred from the first block.
        let late = try Self.write("{\"a\":1}\n{\"a\":2}\n{\"a\":\"x\"}\n", "late.jsonl")
        defer { Self.remove(late) }
        let typed = try Tool.run(["validate", late, "--block-size", "8"])
        #expect(typed.status == 1 && typed.output.hasPrefix("lightstream: \(late): ") && typed.output.contains("row 3"), "\(typed.output)")
        #expect(typed.output.split(separator: "\n").count == 1, "\(typed.output)")
        let stdin = try Tool.run(["validate", "-", "--from", "jsonl"], input: jsonl, output: nil)
        #expect(stdin.status == 1 && stdin.errors.hasPrefix("lightstream: standard input: invalid JSON: "), "\(stdin.errors)")
    }

    @Test func csvOnlyOptionsAreRefused() throws {
        let jsonl = try Self.write(Self.sample, "opts.jsonl"), out = Self.temporary("opts.arrow")
        defer { Self.remove(jsonl, out) }
        let delimiter = try Tool.run(["convert", jsonl, out, "--delimiter", ";"])
        #expect(delimiter.status == 1 && delimiter.output == "error: --delimiter is for CSV or TSV input or output (JSON Lines has no delimiter, header or null spelling)\n", "\(delimiter.output)")
        let header = try Tool.run(["cat", jsonl, "--no-header", "--null", "NA"])
        #expect(header.status == 1 && header.output.contains("--no-header and --null are for CSV or TSV"), "\(header.output)")
        let skip = try Tool.run(["validate", jsonl, "--skip-invalid"])
        #expect(skip.status == 1 && skip.output.contains("--skip-invalid is for CSV or TSV input"), "\(skip.output)")
        let arrow = Self.temporary("opts-in.arrow"), jsonlOut = Self.temporary("opts-out.jsonl")
        defer { Self.remove(arrow, jsonlOut) }
        try Self.writeIPCFile(try Self.inferableTable(), arrow)
        let toJSON = try Tool.run(["convert", arrow, jsonlOut, "--no-header"])
        #expect(toJSON.status == 1 && toJSON.output.contains("--no-header is for CSV or TSV"), "\(toJSON.output)")
        let blockSize = try Tool.run(["convert", arrow, jsonlOut, "--block-size", "100"])
        #expect(blockSize.status == 1 && blockSize.output.contains("--block-size is for CSV, TSV or JSON Lines input"), "\(blockSize.output)")
        let zero = try Tool.run(["convert", jsonl, out, "--block-size", "0"])
        #expect(zero.status == 1 && zero.output.contains("--block-size must be positive"), "\(zero.output)")
    }

    @Test func schemaCatAndValidateReadJSONLines() throws {
        let jsonl = try Self.write(Self.sample, "look.jsonl"), ndjson = try Self.write(Self.sample, "look.ndjson")
        defer { Self.remove(jsonl, ndjson) }
        let schema = try Tool.run(["schema", jsonl])
        #expect(schema.status == 0, "\(schema.output)")
        #expect(schema.output.contains("score: double") && schema.output.contains("tags: list<"), "\(schema.output)")
        #expect(schema.output.contains("-- jsonl: 6 columns, types inferred from the first block (4 rows)"), "\(schema.output)")
        let cat = try Tool.run(["cat", ndjson, "--limit", "3"])
        #expect(cat.status == 0 && cat.output.contains("alpha"), "\(cat.output)")
        let validate = try Tool.run(["validate", ndjson, "--block-size", "64"])
        #expect(validate.status == 0 && validate.output == "valid: 4 batches, 4 rows, 6 columns\n", "\(validate.output)")
        let stdin = try Tool.run(["schema", "-", "--from", "ndjson"], input: jsonl, output: "/dev/null")
        #expect(stdin.status == 0, "\(stdin.errors)")
        // Unnamed JSON on stdin or in a .json file gets a hint.
        let unnamed = try Tool.run(["cat", "-"], input: jsonl, output: nil)
        #expect(unnamed.status == 1 && unnamed.errors.contains("looks like JSON") && unnamed.errors.contains("--from jsonl"), "\(unnamed.errors)")
    }
}
