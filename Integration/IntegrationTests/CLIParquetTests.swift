import Foundation
import Lightstream
import Testing

/// The `lightstream` commands on Parquet input: `convert` (checked against pyarrow's own read of
/// the same file), `schema`, `cat`, `validate`, `parquet-meta`, the reading options, errors, and
/// the refusal to write Parquet.
@Suite("lightstream Parquet commands", .serialized)
struct CLIParquetTests {
    /// `../shared/corpus/parquet-testing/data` from the repository root, and nowhere else.
    static var data: String {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }   // Integration/IntegrationTests/x.swift -> repository root
        return root.appendingPathComponent("../shared/corpus/parquet-testing/data").standardizedFileURL.path
    }

    static func corpus(_ name: String) -> String { data + "/" + name }

    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "lightstream-parquet-\(UInt32.random(in: 0...UInt32.max))-" + name
    }

    static func remove(_ paths: String...) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Corpus files whose conversion to an IPC file pyarrow must find equal to its own read:
    /// flat and nested, every codec the reader has, both data page versions, delta and dictionary
    /// encodings, decimals, float16, INT96 (including a year-290000 value that wraps as in
    /// pyarrow) and NaN.
    static let converted = [
        "alltypes_plain.parquet", "alltypes_plain.snappy.parquet", "alltypes_dictionary.parquet",
        "alltypes_tiny_pages.parquet", "datapage_v2.snappy.parquet", "nested_lists.snappy.parquet",
        "nested_maps.snappy.parquet", "nested_structs.rust.parquet", "list_columns.parquet",
        "nullable.impala.parquet", "nulls.snappy.parquet", "delta_binary_packed.parquet",
        "delta_byte_array.parquet", "delta_length_byte_array.parquet", "byte_array_decimal.parquet",
        "fixed_length_decimal.parquet", "int32_decimal.parquet", "float16_nonzeros_and_nans.parquet",
        "floating_orders_nan_count.parquet",
        "lz4_raw_compressed.parquet", "hadoop_lz4_compressed.parquet", "data_index_bloom_encoding_stats.parquet",
        "byte_stream_split.zstd.parquet", "rle_boolean_encoding.parquet", "concatenated_gzip_members.parquet",
        "int96_from_spark.parquet",
    ]

    /// pyarrow's answer to whether the IPC file `arrow` holds what it reads from the Parquet file
    /// `parquet` (with the same projection and row groups): "equal", or what differs.
    static func pyarrowCompare(_ parquet: String, _ arrow: String, columns: [String]? = nil, rowGroups: [Int]? = nil) async throws -> String {
        let columnsArgument = columns.map { "[" + $0.map { "'\($0)'" }.joined(separator: ", ") + "]" } ?? "None"
        let read = rowGroups.map { "pq.ParquetFile(\"\(parquet)\").read_row_groups(\($0), columns=\(columnsArgument))" }
            ?? "pq.read_table(\"\(parquet)\", columns=\(columnsArgument))"
        return try await PyarrowPeer.run("""
            import pyarrow as pa, pyarrow.parquet as pq
            truth = \(read)
            ours = pa.ipc.open_file("\(arrow)").read_all()
            if ours.schema != truth.schema:
                print("schemas differ:\\n" + str(ours.schema) + "\\n---\\n" + str(truth.schema))
            elif not ours.equals(truth) and [repr(c.to_pylist()) for c in ours.columns] != [repr(c.to_pylist()) for c in truth.columns]:
                # (equals() finds NaN unequal to itself; the values' reprs do not.)
                print("values differ: " + str(ours.slice(0, 3)) + "\\n---\\n" + str(truth.slice(0, 3)))
            else:
                print("equal")
            """).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func corpusIsPresent() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.data)
        #expect(files.filter { $0.hasSuffix(".parquet") }.count > 50, "the Parquet corpus should be at \(Self.data)")
        for name in Self.converted { #expect(files.contains(name), "\(name) is missing from \(Self.data)") }
    }

    @Test("convert to an IPC file reads in pyarrow as pyarrow reads the Parquet", arguments: converted)
    func convertMatchesPyarrow(_ name: String) async throws {
        let arrow = Self.temporary("out.arrow")
        defer { Self.remove(arrow) }
        let result = try Tool.run(["convert", Self.corpus(name), arrow])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Parquet in"), "\(result.output)")
        #expect(try await Self.pyarrowCompare(Self.corpus(name), arrow) == "equal")
    }

    @Test func convertToStreamCSVAndJSONLines() throws {
        let parquet = Self.corpus("alltypes_plain.parquet")
        let stream = Self.temporary("out.arrows"), csv = Self.temporary("out.csv"), jsonl = Self.temporary("out.jsonl")
        defer { Self.remove(stream, csv, jsonl) }
        for output in [stream, csv, jsonl] {
            let result = try Tool.run(["convert", parquet, output])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("converted 8 rows"), "\(result.output)")
        }
        let table = try CLICSVTests.readIPC(stream)
        #expect(table.rowCount == 8 && table.schema.fields.count == 11)
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.hasPrefix("id,bool_col,tinyint_col,"), "\(text.prefix(200))")
        #expect(text.split(separator: "\n").count == 9)
        let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8 && lines[0].hasPrefix("{\"id\":4,"), "\(lines.first ?? "")")
        // To standard output, an IPC stream unless --to says otherwise; the .pq extension and
        // content (PAR1) name Parquet too.
        let piped = Self.temporary("piped.arrows"), renamed = Self.temporary("data.bin")
        defer { Self.remove(piped, renamed) }
        try FileManager.default.copyItem(atPath: parquet, toPath: renamed)
        let toStdout = try Tool.run(["convert", renamed, "-"], input: nil, output: piped)
        #expect(toStdout.status == 0, "\(toStdout.errors)")
        #expect(try CLICSVTests.readIPC(piped) == table)
        // From standard input with --from parquet.
        let fromStdin = Self.temporary("stdin.arrows")
        defer { Self.remove(fromStdin) }
        let stdin = try Tool.run(["convert", "-", fromStdin, "--from", "parquet"], input: parquet, output: nil)
        #expect(stdin.status == 0, "\(stdin.errors)")
        #expect(try CLICSVTests.readIPC(fromStdin) == table)
    }

    /// A pyarrow-written file of several row groups with a dictionary column: projection, row
    /// group selection and batch size, and dictionaries unified for an IPC file.
    @Test func readingOptions() async throws {
        let parquet = Self.temporary("groups.parquet")
        let arrow = Self.temporary("groups.arrow"), stream = Self.temporary("groups.arrows")
        defer { Self.remove(parquet, arrow, stream) }
        _ = try await PyarrowPeer.run("""
            import pyarrow as pa, pyarrow.parquet as pq
            n = 1000
            t = pa.table({
                "i": pa.array(range(n), pa.int64()),
                "s": pa.array([f"v{i % 7}" if i % 9 else None for i in range(n)]).dictionary_encode(),
                "x": pa.array([i / 4 for i in range(n)]),
                "st": pa.array([{"a": i, "b": str(i)} for i in range(n)]),
            })
            pq.write_table(t, "\(parquet)", row_group_size=300, compression="zstd")
            """)
        // Every row group: the dictionaries of the four row groups become one.
        let whole = try Tool.run(["convert", parquet, arrow])
        #expect(whole.status == 0, "\(whole.output)")
        #expect(try await Self.pyarrowCompare(parquet, arrow) == "equal")
        // Projection (a top-level name and a dotted leaf path) and row groups in a chosen order.
        let some = try Tool.run(["convert", parquet, arrow, "--columns", "i,st.b", "--row-groups", "3,0"])
        #expect(some.status == 0, "\(some.output)")
        #expect(some.output.contains("converted 400 rows"), "\(some.output)")
        let table = try CLICSVTests.readIPC(arrow)
        #expect(table.schema.fields.map(\.name) == ["i", "st"])
        #expect(try await Self.pyarrowCompare(parquet, arrow, columns: ["i", "st.b"], rowGroups: [3, 0]) == "equal")
        // Batches of at most --batch-size rows, never across row groups: 300 = 128 + 128 + 44, and 100.
        let batched = try Tool.run(["convert", parquet, stream, "--batch-size", "128"])
        #expect(batched.status == 0, "\(batched.output)")
        let batches = try CLICSVTests.readIPC(stream).batches.map(\.length)
        #expect(batches == [128, 128, 44, 128, 128, 44, 128, 128, 44, 100], "\(batches)")
        // Mistakes are named.
        let noColumn = try Tool.run(["convert", parquet, stream, "--columns", "nope"])
        #expect(noColumn.status == 1 && noColumn.output.contains("no column named nope") && noColumn.output.contains("the columns are i, s, x, st"), "\(noColumn.output)")
        let noGroup = try Tool.run(["convert", parquet, stream, "--row-groups", "4"])
        #expect(noGroup.status == 1 && noGroup.output.contains("4 row groups (0 to 3)"), "\(noGroup.output)")
        let badSize = try Tool.run(["convert", parquet, stream, "--batch-size", "0"])
        #expect(badSize.status == 1 && badSize.output.contains("--batch-size must be positive"), "\(badSize.output)")
        let notParquet = try Tool.run(["convert", arrow, stream, "--columns", "i"])
        #expect(notParquet.status == 1 && notParquet.output.contains("--columns is for Parquet input"), "\(notParquet.output)")
        // validate reads every batch, cat only the row groups it shows.
        let valid = try Tool.run(["validate", parquet, "--verify-checksums"])
        #expect(valid.status == 0 && valid.output.contains("valid: 4 batches, 1000 rows, 4 columns"), "\(valid.output)")
        let cat = try Tool.run(["cat", parquet, "--limit", "4", "--columns", "i"])
        #expect(cat.status == 0, "\(cat.output)")
        let rows = cat.output.split(separator: "\n").dropFirst(3).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(rows == ["0", "1", "…", "998", "999", "(1000 rows, 1 column)"], "\(cat.output)")
    }

    @Test func schemaPrintsArrowTypes() throws {
        let result = try Tool.run(["schema", Self.corpus("alltypes_plain.parquet")])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("id: int32\nbool_col: bool"), "\(result.output)")
        #expect(result.output.contains("timestamp_col: timestamp[ns]"), "\(result.output)")
        #expect(result.output.contains("-- parquet: 1 row group, 8 rows, 11 leaf columns, created by impala version 1.3.0"), "\(result.output)")
        let projected = try Tool.run(["schema", Self.corpus("nested_lists.snappy.parquet"), "--columns", "b"])
        #expect(projected.status == 0 && projected.output.hasPrefix("b: int32 not null\n"), "\(projected.output)")
        let refused = try Tool.run(["schema", Self.corpus("alltypes_plain.parquet"), "--row-groups", "0"])
        #expect(refused.status == 1 && refused.output.contains("--row-groups means nothing here"), "\(refused.output)")
    }

    @Test func catToRedirectedStandardOutput() throws {
        let out = Self.temporary("cat.txt")
        defer { Self.remove(out) }
        let result = try Tool.run(["cat", Self.corpus("nested_lists.snappy.parquet")], input: nil, output: out)
        #expect(result.status == 0, "\(result.errors)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("a"), "\(text)")
        #expect(text.contains("list<"), "\(text)")
        #expect(text.hasSuffix("(3 rows, 2 columns)\n"), "\(text)")
        let plain = try Tool.run(["cat", Self.corpus("alltypes_plain.parquet"), "--limit", "3"])
        #expect(plain.status == 0 && plain.output.contains("(8 rows, 11 columns)") && plain.output.contains("…"), "\(plain.output)")
    }

    @Test func parquetMetaShowsTheFooter() throws {
        let plain = try Tool.run(["parquet-meta", Self.corpus("alltypes_plain.parquet")])
        #expect(plain.status == 0, "\(plain.output)")
        for fact in ["created_by: impala version 1.3.0-INTERNAL", "num_rows: 8", "num_row_groups: 1", "num_columns: 11",
                     "row group 0: 8 rows", "column 9: string_col", "physical_type: BYTE_ARRAY", "codec: UNCOMPRESSED",
                     "encodings: RLE, PLAIN_DICTIONARY, PLAIN", "dictionary_page_offset: 840", "data_page_offset: 863",
                     "optional int96 timestamp_col;", "required group schema {"] {
            #expect(plain.output.contains(fact), "\(fact) missing from:\n\(plain.output)")
        }
        let tiny = try Tool.run(["parquet-meta", Self.corpus("alltypes_tiny_pages.parquet")])
        #expect(tiny.status == 0 && tiny.output.contains("statistics: min 0, max 7299, null_count 0, distinct_count none"), "\(tiny.output)")
        let decimal = try Tool.run(["parquet-meta", Self.corpus("int32_decimal.parquet")])
        #expect(decimal.output.contains("min 1.00, max 24.00"), "\(decimal.output)")
        #expect(decimal.output.contains("Decimal(precision=4, scale=2)") || decimal.output.contains("DECIMAL(precision=4, scale=2)"), "\(decimal.output)")
        let strings = try Tool.run(["parquet-meta", Self.corpus("data_index_bloom_encoding_stats.parquet")])
        #expect(strings.output.contains("codec: GZIP") && strings.output.contains("min \"Hello\", max \"today\""), "\(strings.output)")
        #expect(strings.output.contains("(String);"), "\(strings.output)")
        let lz4 = try Tool.run(["parquet-meta", Self.corpus("lz4_raw_compressed.parquet"), "--json"])
        #expect(lz4.status == 0, "\(lz4.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(lz4.output.utf8)) as? [String: Any])
        #expect(json["num_row_groups"] as? Int == 1)
        let groups = try #require(json["row_groups"] as? [[String: Any]])
        let columns = try #require(groups.first?["columns"] as? [[String: Any]])
        #expect(columns.first?["codec"] as? String == "LZ4_RAW")
        #expect((columns.first?["statistics"] as? [String: Any])?["max"] as? String == "1593604801")
        // pyarrow-written files carry ARROW:schema, shown abbreviated; nested files a tree.
        let nested = try Tool.run(["parquet-meta", Self.corpus("nested_lists.snappy.parquet")])
        #expect(nested.output.contains("      repeated group list {"), "\(nested.output)")
        #expect(nested.output.contains("column 0: a.list.element.list.element.list.element"), "\(nested.output)")
    }

    @Test func badFilesFailWithTheReadersError() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.corpus("alltypes_plain.parquet")))
        let truncated = Self.temporary("truncated.parquet"), corrupt = Self.temporary("corrupt.parquet"), out = Self.temporary("out.arrow")
        defer { Self.remove(truncated, corrupt, out) }
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        for command in [["convert", truncated, out], ["schema", truncated], ["cat", truncated], ["validate", truncated], ["parquet-meta", truncated]] {
            let result = try Tool.run(command)
            #expect(result.status == 1, "\(command): \(result.output)")
            #expect(result.output.contains("lightstream: \(truncated): not a Parquet file: no PAR1 magic at both ends"), "\(command): \(result.output)")
            #expect(result.output.contains("probably truncated"), "\(command): \(result.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        // A damaged page: the error names the row group, column and page.
        let checksum = try Tool.run(["validate", Self.corpus("datapage_v1-corrupt-checksum.parquet"), "--verify-checksums"])
        #expect(checksum.status == 1 && checksum.output.contains("page CRC32 mismatch (row group 0, column a, page"), "\(checksum.output)")
        var damaged = [UInt8](bytes)
        for i in 4..<60 { damaged[i] = 0xFF }   // the first column chunk's pages
        try Data(damaged).write(to: URL(fileURLWithPath: corrupt))
        let page = try Tool.run(["convert", corrupt, out])
        #expect(page.status == 1 && page.output.contains("lightstream: \(corrupt): ") && page.output.contains("row group 0, column id"), "\(page.output)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let missing = try Tool.run(["parquet-meta", "/nonexistent/x.parquet"])
        #expect(missing.status == 1 && missing.output.contains("cannot read /nonexistent/x.parquet: no such file or directory"), "\(missing.output)")
    }

    @Test func writingParquetIsRefused() throws {
        let arrow = Self.temporary("in.arrow"), parquet = Self.temporary("out.parquet")
        defer { Self.remove(arrow, parquet) }
        #expect(try Tool.run(["convert", Self.corpus("alltypes_plain.parquet"), arrow]).status == 0)
        for command in [["convert", arrow, parquet], ["convert", arrow, parquet.replacingOccurrences(of: ".parquet", with: ".pq")],
                        ["convert", arrow, "-", "--to", "parquet"]] {
            let result = try Tool.run(command)
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains("writing Parquet is not supported yet"), "\(result.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: parquet))
    }
}
