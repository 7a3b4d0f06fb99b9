import Foundation
import Lightstream
import Testing

/// Every file of the parquet-testing corpus (`data/*.parquet`, `bad_data/*.parquet`) read by our
/// reader and by pyarrow's `pq.read_table`: the same schema (names, types, nullability) and the
/// same values, or both refuse it; the files where we knowingly differ are listed with the reason.
@Suite("Parquet corpus against pyarrow", .serialized)
struct PyarrowParquetCorpusTests {
    /// `../shared/corpus/parquet-testing` from the repository root, and nowhere else.
    static var corpus: String {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }   // Integration/IntegrationTests/x.swift -> repository root
        return root.appendingPathComponent("../shared/corpus/parquet-testing").standardizedFileURL.path
    }

    /// `data/x.parquet` and `bad_data/y.parquet`, sorted; empty when the corpus is missing
    /// (``corpusIsPresent()`` then fails).
    static let files: [String] = ["data", "bad_data"].flatMap { folder -> [String] in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".parquet") }.sorted().map { folder + "/" + $0 }
    }

    /// The files pyarrow refuses, with (part of) the reason it gives; we must refuse them too, with
    /// a `ParquetError`.
    static let pyarrowRefuses: [String: String] = [
        "bad_data/ARROW-GH-41317.parquet": "expected length 3 but got length 0",
        "bad_data/ARROW-GH-41321.parquet": "bit_width 254",
        "bad_data/ARROW-GH-45185.parquet": "repetition level at the start of a record must be 0",
        "bad_data/ARROW-GH-47662.parquet": "Unexpected end of stream",
        "bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet": "Invalid column metadata",
        "bad_data/ARROW-RS-GH-6229-LEVELS.parquet": "rep / def levels do not match",
        "bad_data/PARQUET-1481.parquet": "Invalid physical column type",
        "data/incorrect_map_schema.parquet": "Map keys must be annotated as required",
        // pyarrow refuses it for its size (a map of strings over 2 GiB in one chunk); we refuse
        // its codec first.
        "data/large_string_map.brotli.parquet": "Nested data conversions not implemented for chunked array outputs",
    ]

    /// Why we refuse a file, where our reason differs from pyarrow's in kind.
    static let ourRefusals: [String: String] = [
        "data/large_string_map.brotli.parquet": "codec BROTLI is not supported",
    ]

    /// Files pyarrow reads and we do not read equal, with the reason (a design choice or a
    /// feature we lack). Each is checked to still differ, so a fix shows up here.
    static let knownDifferences: [String: String] = [:]

    /// How many corpus files we read equal to pyarrow: raise it when a difference is fixed.
    static let goldCount = 64

    @Test func corpusIsPresent() {
        #expect(Self.files.count == 73, "found \(Self.files.count) Parquet files under \(Self.corpus)")
    }

    /// Reads every file with pyarrow into a new directory `out`: `<out>/<n>.arrow` for file `n`
    /// of ``files`` (an Arrow IPC file of `pq.read_table`), or `<out>/<n>.error` holding
    /// pyarrow's refusal.
    static func readWithPyarrow() async throws -> String {
        let out = NSTemporaryDirectory() + "lightstream-parquet-corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let list = files.map { "\"\(corpus)/\($0)\"" }.joined(separator: ",\n    ")
        _ = try await PyarrowPeer.run("""
        import pyarrow as pa, pyarrow.parquet as pq
        files = [
            \(list)
        ]
        for n, path in enumerate(files):
            try:
                t = pq.read_table(path).unify_dictionaries()
            except Exception as e:
                open("\(out)/%d.error" % n, "w").write("%s: %s" % (type(e).__name__, e))
                continue
            with pa.ipc.new_file("\(out)/%d.arrow" % n, t.schema) as w:
                w.write_table(t)
        """)
        return out
    }

    enum Outcome: Equatable {
        case equal
        case differ(String)
        case bothRefuse(ours: String, theirs: String)
        case onlyPyarrowRefuses(String)
        case onlyWeRefuse(String)
    }

    /// Our reading of corpus file `index` against pyarrow's.
    static func outcome(_ index: Int, pyarrowReads out: String) throws -> Outcome {
        let path = corpus + "/" + files[index]
        let theirs: Table? = FileManager.default.fileExists(atPath: "\(out)/\(index).arrow")
            ? try MappedArrowFile(path: "\(out)/\(index).arrow").table() : nil
        let ours: Table
        do {
            ours = try ParquetFileReader(path: path).readAll()
        } catch let error as ParquetError {
            if theirs == nil {
                return .bothRefuse(ours: "\(error)", theirs: (try? String(contentsOfFile: "\(out)/\(index).error", encoding: .utf8)) ?? "")
            }
            return .onlyWeRefuse("\(error)")
        }
        guard let theirs else {
            return .onlyPyarrowRefuses((try? String(contentsOfFile: "\(out)/\(index).error", encoding: .utf8)) ?? "")
        }
        if let difference = try ParquetComparison.difference(ours, theirs) { return .differ(difference) }
        return .equal
    }

    /// Each file: read equal, or refused by both, or a listed difference; and the gold count.
    @Test func corpusMatchesPyarrow() async throws {
        try #require(Self.files.count == 73)
        let out = try await Self.readWithPyarrow()
        defer { try? FileManager.default.removeItem(atPath: out) }
        var equal = 0
        for (index, file) in Self.files.enumerated() {
            let result = try Self.outcome(index, pyarrowReads: out)
            switch result {
            case .equal:
                equal += 1
                #expect(Self.pyarrowRefuses[file] == nil, "\(file): pyarrow was expected to refuse it")
                #expect(Self.knownDifferences[file] == nil, "\(file): reads equal now, drop it from knownDifferences")
            case .bothRefuse(let ours, let theirs):
                let expected = Self.pyarrowRefuses[file]
                #expect(expected != nil, "\(file): both refuse it (ours: \(ours); pyarrow: \(theirs))")
                if let expected { #expect(theirs.contains(expected), "\(file): pyarrow: \(theirs)") }
                if let why = Self.ourRefusals[file] { #expect(ours.contains(why), "\(file): ours: \(ours)") }
            case .differ(let why):
                #expect(Self.knownDifferences[file] != nil, "\(file): differs from pyarrow: \(why)")
            case .onlyWeRefuse(let why):
                #expect(Self.knownDifferences[file] != nil, "\(file): we refuse what pyarrow reads: \(why)")
            case .onlyPyarrowRefuses(let why):
                Issue.record("\(file): pyarrow refuses it (\(why)) but we read it")
            }
        }
        #expect(equal == Self.goldCount, "\(equal) of \(Self.files.count) files read equal to pyarrow")
        #expect(Self.goldCount + Self.pyarrowRefuses.count + Self.knownDifferences.count == Self.files.count)
    }

    /// Batches of 7 rows, with and without threads and with checksums verified, hold what
    /// `readAll` holds; a file we refuse is refused the same way each time.
    @Test(arguments: files)
    func readPathsAgree(_ file: String) throws {
        let path = Self.corpus + "/" + file
        let whole: Table
        do {
            whole = try ParquetFileReader(path: path).readAll()
        } catch let error as ParquetError {
            #expect(Self.pyarrowRefuses[file] != nil || Self.knownDifferences[file] != nil, "\(file): \(error)")
            var options = ParquetReadOptions()
            options.useThreads = false
            options.batchSize = 7
            #expect(throws: ParquetError.self, "\(file) without threads") { try ParquetFileReader(path: path, options: options).readAll() }
            #expect(throws: ParquetError.self, "\(file) in batches") {
                var batches = try ParquetFileReader(path: path, options: options).batches()
                while try batches.next() != nil {}
            }
            return
        }
        for threads in [false, true] {
            var options = ParquetReadOptions()
            options.useThreads = threads
            options.batchSize = 7
            options.verifyChecksums = !file.contains("corrupt-checksum")
            let reader = try ParquetFileReader(path: path, options: options)
            #expect(try reader.readAll() == whole, "\(file): readAll, threads \(threads)")
            var iterator = reader.batches()
            var batches: [RecordBatch] = []
            while let batch = try iterator.next() {
                #expect(batch.length <= 7 && batch.length > 0, "\(file)")
                batches.append(batch)
            }
            #expect(try Table(schema: reader.schema, batches: batches) == whole, "\(file): batches, threads \(threads)")
            var rowGroups: [RecordBatch] = []
            for group in 0..<reader.rowGroupCount { rowGroups.append(try reader.readRowGroup(group)) }
            #expect(try Table(schema: reader.schema, batches: rowGroups) == whole, "\(file): row groups, threads \(threads)")
        }
    }

    /// The comparison itself sees a changed value, a changed null, a changed type, nullability
    /// or name, and looks past chunking and field metadata.
    @Test func comparisonSeesDifferences() throws {
        func table(_ values: [Int32?], name: String = "a", type: DataType = .int32, nullable: Bool = true,
                   metadata: [String: String] = [:], split: Int? = nil) throws -> Table {
            let schema = Schema([Field(name, type, nullable: nullable, metadata: metadata)])
            let column = PrimitiveArray<Int32>(values, type: type).data
            let parts = split.map { [0..<$0, $0..<values.count] } ?? [0..<values.count]
            return try Table(schema: schema, batches: parts.map { try RecordBatch(schema: schema, columns: [column.slice($0)], length: $0.count) })
        }
        let base = try table([1, 2, nil, 4])
        #expect(try ParquetComparison.difference(base, table([1, 2, nil, 4], metadata: ["PARQUET:field_id": "1"], split: 1)) == nil)
        #expect(try ParquetComparison.difference(base, table([1, 3, nil, 4])) != nil)
        #expect(try ParquetComparison.difference(base, table([1, 2, 3, 4])) != nil)
        #expect(try ParquetComparison.difference(base, table([1, 2, nil, 4], type: .date32)) != nil)
        #expect(try ParquetComparison.difference(base, table([1, 2, nil, 4], nullable: false)) != nil)
        #expect(try ParquetComparison.difference(base, table([1, 2, nil, 4], name: "b")) != nil)
        #expect(try ParquetComparison.difference(base, table([1, 2, nil], split: 1)) != nil)
    }

    static let checksumFiles = [
        "data/datapage_v1-corrupt-checksum.parquet", "data/rle-dict-uncompressed-corrupt-checksum.parquet",
        "data/datapage_v1-snappy-compressed-checksum.parquet", "data/datapage_v1-uncompressed-checksum.parquet",
        "data/plain-dict-uncompressed-checksum.parquet", "data/rle-dict-snappy-checksum.parquet",
    ]

    /// With `verifyChecksums` the corrupt-checksum files throw a checksum mismatch and the others
    /// read what they read unchecked; without it all of them read.
    @Test(arguments: checksumFiles)
    func checksums(_ file: String) throws {
        let path = Self.corpus + "/" + file
        let unchecked = try ParquetFileReader(path: path).readAll()
        #expect(unchecked.rowCount > 0)
        var options = ParquetReadOptions()
        options.verifyChecksums = true
        if file.contains("corrupt-checksum") {
            for threads in [false, true] {
                options.useThreads = threads
                do {
                    _ = try ParquetFileReader(path: path, options: options).readAll()
                    Issue.record("\(file): no checksum error")
                } catch let error as ParquetError {
                    #expect(error.kind == .checksumMismatch, "\(file): \(error)")
                }
            }
        } else {
            #expect(try ParquetFileReader(path: path, options: options).readAll() == unchecked, "\(file)")
        }
    }
}

/// Compares a table we read with the one pyarrow read: field names, types and nullability (field
/// metadata such as `PARQUET:field_id` aside) and values.
enum ParquetComparison {
    /// The type without field metadata at any depth.
    static func stripped(_ type: DataType) -> DataType {
        func field(_ f: Field) -> Field { Field(f.name, stripped(f.type), nullable: f.nullable) }
        switch type {
        case .list(let f): return .list(field(f))
        case .largeList(let f): return .largeList(field(f))
        case .listView(let f): return .listView(field(f))
        case .largeListView(let f): return .largeListView(field(f))
        case .fixedSizeList(let f, let n): return .fixedSizeList(field(f), listSize: n)
        case .struct(let fields): return .struct(fields.map(field))
        case .map(let entries, let sorted): return .map(entries: field(entries), keysSorted: sorted)
        case .union(let mode, let fields, let ids): return .union(mode, fields.map(field), typeIDs: ids)
        case .dictionary(let index, let value, let ordered): return .dictionary(index: index, value: stripped(value), ordered: ordered)
        case .runEndEncoded(let ends, let values): return .runEndEncoded(runEnds: field(ends), values: field(values))
        default: return type
        }
    }

    /// The rows of column `index` as one table of one column typed `type`.
    static func column(_ table: Table, _ index: Int, as type: DataType) throws -> Table {
        let schema = Schema([Field("c", type)])
        return try Table(schema: schema, batches: table.batches.map {
            try RecordBatch(schema: schema, columns: [$0.columns[index].withType(type)], length: $0.length)
        })
    }

    /// The row `row` of a chunked column, printed.
    static func value(_ table: Table, _ row: Int) -> String {
        var row = row
        for batch in table.batches {
            if row < batch.length { return batch.columns[0].formatValue(at: row) }
            row -= batch.length
        }
        return "?"
    }

    /// Nil when equal, else the differences found (the first differing row of each column).
    static func difference(_ ours: Table, _ theirs: Table) throws -> String? {
        let a = ours.schema.fields, b = theirs.schema.fields
        guard a.map(\.name) == b.map(\.name) else { return "names \(a.map(\.name)) vs pyarrow's \(b.map(\.name))" }
        guard ours.rowCount == theirs.rowCount else { return "\(ours.rowCount) rows vs pyarrow's \(theirs.rowCount)" }
        var differences: [String] = []
        for (k, (x, y)) in zip(a, b).enumerated() {
            guard stripped(x.type) == stripped(y.type) else {
                differences.append("\(x.name): type \(stripped(x.type)) vs pyarrow's \(stripped(y.type))")
                continue
            }
            if x.nullable != y.nullable { differences.append("\(x.name): nullable \(x.nullable) vs pyarrow's \(y.nullable)") }
            let type = stripped(x.type)
            let mine = try column(ours, k, as: type), pyarrows = try column(theirs, k, as: type)
            if mine == pyarrows { continue }
            if let row = (0..<ours.rowCount).first(where: { value(mine, $0) != value(pyarrows, $0) }) {
                differences.append("\(x.name): row \(row) is \(value(mine, row)), pyarrow's \(value(pyarrows, row))")
            } else {
                differences.append("\(x.name): values differ (in a way that prints the same)")
            }
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }
}
