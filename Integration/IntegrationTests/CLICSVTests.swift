import Foundation
import Lightstream
import Testing

/// The `lightstream` commands on CSV and TSV: `convert` both ways (files, stdin, stdout), the
/// CSV options, `schema`/`cat`/`validate`, errors, and pyarrow's CSV as the reference.
@Suite("lightstream CSV commands", .serialized)
struct CLICSVTests {
    static let sample = """
        id,name,score,ok,day,at
        1,alpha,1.5,true,2020-01-01,2020-01-01 12:00:00
        2,"with ""quotes"", and comma",-2.25,false,2021-06-30,2021-06-30T01:02:03
        3,"multi
        line",,true,,2022-02-28 23:59:59
        4,,NaN,false,1999-12-31,
        -5,plain,1e10,,2000-02-29,2000-02-29 00:00:00

        """

    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "lightstream-csv-\(UInt32.random(in: 0...UInt32.max))-" + name
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = temporary(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func remove(_ paths: String...) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    static func readCSV(_ path: String, _ options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        var reader = try CSVReader(buffer: try GoldJSONConformanceTests.load(path), options: options)
        return try reader.readAll()
    }

    static func readIPC(_ path: String) throws -> Table {
        let bytes = try GoldJSONConformanceTests.load(path)
        if bytes.count >= 6, bytes.slice(0..<6).array == Array("ARROW1".utf8) { return try IPCFileReader(bytes).readAll() }
        var reader = try IPCStreamReader(bytes)
        return try reader.readAll()
    }

    @Test func csvToArrowToCSVRoundTrip() throws {
        let csv = try Self.write(Self.sample, "sample.csv")
        let arrow = Self.temporary("sample.arrow"), back = Self.temporary("back.csv")
        defer { Self.remove(csv, arrow, back) }
        let toArrow = try Tool.run(["convert", csv, arrow])
        #expect(toArrow.status == 0, "\(toArrow.output)")
        #expect(toArrow.output.contains("converted 5 rows"), "\(toArrow.output)")
        let table = try Self.readIPC(arrow)
        #expect(table == (try Self.readCSV(csv)))
        #expect(table.schema.fields.map(\.type) == [.int64, .utf8, .float64, .boolean, .date32, .timestamp(.second, timezone: nil)])
        let toCSV = try Tool.run(["convert", arrow, back])
        #expect(toCSV.status == 0, "\(toCSV.output)")
        #expect(try Self.readCSV(back) == table)
        let text = try String(contentsOfFile: back, encoding: .utf8)
        #expect(text.hasPrefix("id,name,score,ok,day,at\n1,alpha,1.5,true,2020-01-01,2020-01-01 12:00:00\n"), "\(text)")
    }

    @Test func pyarrowWrittenCSVReadsAsPyarrowReadsIt() async throws {
        let csv = Self.temporary("pyarrow.csv"), truth = Self.temporary("truth.arrow"), ours = Self.temporary("ours.arrow")
        defer { Self.remove(csv, truth, ours) }
        _ = try await PyarrowPeer.run("""
            import pyarrow as pa, pyarrow.csv as pc, pyarrow.feather as pf, datetime
            n = 3000
            t = pa.table({
                "i": pa.array([i * 7 - 100 if i % 11 else None for i in range(n)], pa.int64()),
                "f": pa.array([i / 8 if i % 13 else None for i in range(n)], pa.float64()),
                "s": pa.array([f"row {i}, \\"q\\"\\nnext" if i % 5 == 0 else f"v{i}" for i in range(n)]),
                "b": pa.array([i % 3 == 0 if i % 7 else None for i in range(n)]),
                "d": pa.array([datetime.date(2000, 1, 1) + datetime.timedelta(days=i) for i in range(n)]),
                "t": pa.array([datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=i * 3601) for i in range(n)], pa.timestamp("s")),
            })
            pc.write_csv(t, "\(csv)")
            pf.write_feather(pc.read_csv("\(csv)"), "\(truth)", compression="uncompressed")
            """)
        let result = try Tool.run(["convert", csv, ours])
        #expect(result.status == 0, "\(result.output)")
        let expected = try Self.readIPC(truth), actual = try Self.readIPC(ours)
        #expect(actual.schema.fields.map(\.type) == expected.schema.fields.map(\.type))
        #expect(actual == expected)
    }

    @Test func convertToStandardOutputIsAnIPCStream() throws {
        let csv = try Self.write(Self.sample, "piped.csv"), out = Self.temporary("stdout.arrows")
        defer { Self.remove(csv, out) }
        let result = try Tool.run(["convert", csv, "-"], input: nil, output: out)
        #expect(result.status == 0, "\(result.errors)")
        #expect(try Self.readIPC(out) == (try Self.readCSV(csv)))
        // And --to csv writes CSV to stdout.
        let text = Self.temporary("stdout.csv")
        defer { Self.remove(text) }
        #expect(try Tool.run(["convert", out, "-", "--to", "tsv"], input: nil, output: text).status == 0)
        var options = CSVReadOptions()
        options.delimiter = 0x09
        #expect(try Self.readCSV(text, options) == (try Self.readCSV(csv)))
    }

    @Test func standardInputNeedsFrom() throws {
        let csv = try Self.write(Self.sample, "stdin.csv"), arrow = Self.temporary("stdin.arrow")
        defer { Self.remove(csv, arrow) }
        let result = try Tool.run(["convert", "-", arrow, "--from", "csv"], input: csv, output: nil)
        #expect(result.status == 0, "\(result.errors)")
        #expect(try Self.readIPC(arrow) == (try Self.readCSV(csv)))
        let unnamed = try Tool.run(["convert", "-", arrow], input: csv, output: nil)
        #expect(unnamed.status == 1 && unnamed.errors.contains("looks like CSV") && unnamed.errors.contains("--from csv"), "\(unnamed.errors)")
        // An IPC stream on stdin is decoded as it arrives, into CSV on stdout.
        let stream = Self.temporary("in.arrows"), text = Self.temporary("out.csv")
        defer { Self.remove(stream, text) }
        #expect(try Tool.run(["convert", csv, stream]).status == 0)
        #expect(try Tool.run(["convert", "-", "-", "--to", "csv"], input: stream, output: text).status == 0)
        #expect(try Self.readCSV(text) == (try Self.readCSV(csv)))
    }

    @Test func schemaFileForcesTypes() throws {
        let csv = try Self.write("a,b,c\n1,x,1.25\n2,,-3.5\n", "typed.csv")
        let schemaFile = Self.temporary("schema.arrow"), out = Self.temporary("typed.arrows")
        defer { Self.remove(csv, schemaFile, out) }
        let schema = Schema([Field("a", .int32), Field("b", .utf8), Field("c", .decimal128(precision: 10, scale: 2))])
        let writer = try IPCFileWriter(sink: MemorySink(), schema: schema)
        try Data(try writer.finish().buffer.array).write(to: URL(fileURLWithPath: schemaFile))
        let result = try Tool.run(["convert", csv, out, "--schema", schemaFile])
        #expect(result.status == 0, "\(result.output)")
        let table = try Self.readIPC(out)
        #expect(table.schema.fields.map(\.type) == schema.fields.map(\.type))
        #expect(table.batches[0].columns[2].formatValue(at: 1) == "-3.50")
        let printed = try Tool.run(["schema", csv, "--schema", schemaFile])
        #expect(printed.status == 0 && printed.output.contains("decimal128(10, 2)") && printed.output.contains("given by --schema"), "\(printed.output)")
        let mismatch = try Tool.run(["convert", csv, out, "--schema", schemaFile, "--no-header"])
        #expect(mismatch.status == 1 && mismatch.output.hasPrefix("lightstream: \(csv): "), "\(mismatch.output)")
    }

    @Test func delimitersAndTSV() throws {
        let tsv = try Self.write("a\tb\n1\tx,y\n2\t\"t\tab\"\n", "in.tsv")
        let semicolons = try Self.write("a;b\n1;x,y\n2;\"t\tab\"\n", "semi.csv")
        let fromTSV = Self.temporary("tsv.arrow"), fromSemi = Self.temporary("semi.arrow"), back = Self.temporary("back.tsv")
        defer { Self.remove(tsv, semicolons, fromTSV, fromSemi, back) }
        #expect(try Tool.run(["convert", tsv, fromTSV]).status == 0)
        #expect(try Tool.run(["convert", semicolons, fromSemi, "--delimiter", ";"]).status == 0)
        let table = try Self.readIPC(fromTSV)
        #expect(table == (try Self.readIPC(fromSemi)))
        #expect(table.batches[0].columns[1].formatValue(at: 1) == "t\tab")
        #expect(try Tool.run(["convert", fromTSV, back]).status == 0)
        #expect(try String(contentsOfFile: back, encoding: .utf8) == "a\tb\n1\tx,y\n2\t\"t\tab\"\n")
        let pipes = Self.temporary("pipes.csv")
        defer { Self.remove(pipes) }
        #expect(try Tool.run(["convert", fromTSV, pipes, "--delimiter", "|", "--no-header"]).status == 0)
        #expect(try String(contentsOfFile: pipes, encoding: .utf8) == "1|x,y\n2|t\tab\n")
        let tabs = try Self.write("a\tb\n1\tx,y\n", "tabs.csv")
        defer { Self.remove(tabs) }
        let tab = try Tool.run(["cat", tabs, "--delimiter", "tab"])
        #expect(tab.status == 0 && tab.output.contains("x,y"), "\(tab.output)")
        // CSV to CSV: the options describe the input; the output has its extension's defaults.
        let commas = Self.temporary("commas.csv")
        defer { Self.remove(commas) }
        #expect(try Tool.run(["convert", semicolons, commas, "--delimiter", ";"]).status == 0)
        #expect(try String(contentsOfFile: commas, encoding: .utf8) == "a,b\n1,\"x,y\"\n2,t\tab\n")
        let bad = try Tool.run(["convert", tsv, fromTSV, "--delimiter", "ab"])
        #expect(bad.status == 1 && bad.output.contains("--delimiter must be one byte"), "\(bad.output)")
    }

    @Test func skipInvalidReportsSkippedRows() throws {
        let csv = try Self.write("a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n", "ragged.csv"), out = Self.temporary("ragged.arrow")
        defer { Self.remove(csv, out) }
        let strict = try Tool.run(["convert", csv, out])
        #expect(strict.status == 1, "\(strict.output)")
        #expect(!FileManager.default.fileExists(atPath: out), "a failed conversion leaves no partial output")
        let result = try Tool.run(["convert", csv, out, "--skip-invalid"], input: nil, output: nil)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("skipped 2 rows") && result.errors.contains("rows 3 (1 fields), 5 (3 fields)"), "\(result.errors)")
        #expect(try Self.readIPC(out).rowCount == 3)
        let validate = try Tool.run(["validate", csv, "--skip-invalid"])
        #expect(validate.status == 0 && validate.output.contains("valid: 1 batches, 3 rows, 2 columns, 2 rows skipped"), "\(validate.output)")
    }

    @Test func malformedCSVIsOneLineWithRowAndColumn() throws {
        // Types come from the first block (16 bytes here); row 6 does not fit column b's int64.
        let csv = try Self.write("a,b\n1,2\n3,4\n5,6\n7,8\n9,x\n", "bad.csv"), out = Self.temporary("bad.arrows")
        defer { Self.remove(csv, out) }
        let result = try Tool.run(["convert", csv, out, "--block-size", "16"], input: nil, output: nil)
        #expect(result.status == 1)
        let lines = result.errors.split(separator: "\n")
        #expect(lines.count == 1, "\(result.errors)")
        #expect(result.errors == "lightstream: \(csv): 'x' is not a valid int64 (row 6, column 'b', byte 20)\n", "\(result.errors)")
        let quote = try Self.write("a,b\n1,\"open\n", "quote.csv")
        defer { Self.remove(quote) }
        let unterminated = try Tool.run(["validate", quote])
        #expect(unterminated.status == 1 && unterminated.output.hasPrefix("lightstream: \(quote): input ended inside a quoted field (row 2"), "\(unterminated.output)")
        let missing = try Tool.run(["cat", "/nonexistent/x.csv"])
        #expect(missing.status == 1 && missing.output == "error: cannot read /nonexistent/x.csv: no such file or directory\n", "\(missing.output)")
        let unknown = try Tool.run(["convert", csv, Self.temporary("out.xyz")])
        #expect(unknown.status == 1 && unknown.output.contains("cannot tell the format") && unknown.output.contains(".csv (CSV)"), "\(unknown.output)")
    }

    @Test func noProgressWhenStandardErrorIsAPipe() throws {
        var text = "n,s,x\n"
        for i in 0..<200_000 { text += "\(i),value \(i),\(Double(i) / 3)\n" }
        let csv = try Self.write(text, "big.csv"), out = Self.temporary("big.arrows")
        defer { Self.remove(csv, out) }
        let result = try Tool.run(["convert", csv, out, "--block-size", "4096"], input: nil, output: nil)
        #expect(result.status == 0)
        #expect(!result.errors.contains("\r") && !result.errors.contains("/s"), "\(result.errors)")
        #expect(result.errors.split(separator: "\n").count == 1 && result.errors.hasPrefix("converted 200000 rows"), "\(result.errors)")
    }

    @Test func schemaCatAndValidateReadCSV() throws {
        let csv = try Self.write(Self.sample, "look.csv")
        defer { Self.remove(csv) }
        let schema = try Tool.run(["schema", csv])
        #expect(schema.status == 0 && schema.output.contains("score: double") && schema.output.contains("inferred from the first block (5 rows)"), "\(schema.output)")
        let cat = try Tool.run(["cat", csv, "--limit", "4"])
        #expect(cat.status == 0 && cat.output.contains("alpha"), "\(cat.output)")
        let validate = try Tool.run(["validate", csv, "--block-size", "64"])
        #expect(validate.status == 0 && validate.output.contains("5 rows, 6 columns, 0 rows skipped"), "\(validate.output)")
        let stdin = try Tool.run(["validate", "-", "--from", "csv"], input: csv, output: nil)
        #expect(stdin.status == 0, "\(stdin.errors)")
    }
}
