import ArgumentParser
import ArrowIntegrationJSON
import Foundation
import Lightstream

/// Runs a command body, turning any error into `error: ...` on stderr and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        throw reported(error)
    }
}

/// `reportingErrors` for async commands.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw reported(error)
    }
}

/// An exit code passes through; a CSV or JSON Lines error is printed as `lightstream: FILE: ...`, any other error as
/// `error: ...`; both become exit status 1.
func reported(_ error: any Error) -> any Error {
    if error is ExitCode { return error }
    if let error = error as? FileCSVError {
        // CSV and JSON Lines errors name the file, row, column and byte: `lightstream: FILE: DESCRIPTION`.
        FileHandle.standardError.write(Data("lightstream: \(error.description)\n".utf8))
        return ExitCode(1)
    }
    if let error = error as? FileParquetError {
        // Parquet errors name the file, then the row group, column, page and byte.
        FileHandle.standardError.write(Data("lightstream: \(error.description)\n".utf8))
        return ExitCode(1)
    }
    FileHandle.standardError.write(Data("error: \(describe(error))\n".utf8))
    return ExitCode(1)
}

/// An error as one line for people: the library's typed errors say what and where; anything
/// else (Foundation's, the system's) is reduced to its message, never a raw dump.
func describe(_ error: any Error) -> String {
    switch error {
    case let error as CLIError: return error.description
    case let error as TransportError: return error.description
    case let error as IPCError: return error.description
    case let error as FramingError:
        if case let .io(why) = error.kind { return why }
        return error.description
    case let error as MemoryMapError: return error.description
    case is CancellationError: return "cancelled"
    case let error as CustomStringConvertible where !(error is NSError): return error.description
    default:
        let error = error as NSError
        return error.localizedFailureReason ?? error.localizedDescription
    }
}

/// The body codec a `--compression` option names.
func bodyCodec(_ name: String) throws -> (any IPCBodyCodec)? {
    switch name {
    case "none": nil
    case "lz4": CodecBodyCompression.lz4Frame
    case "zstd": CodecBodyCompression.zstd
    default: throw CLIError("--compression must be none, lz4 or zstd, not \(name)")
    }
}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert between IPC files, IPC streams, CSV, TSV and JSON Lines, and from Parquet (by extension: .arrow/.feather/.ipc file, .arrows/.stream stream, .csv, .tsv, .jsonl/.ndjson, .parquet/.pq; - stdin/stdout).",
        discussion: """
        Formats come from the extensions; - is standard input (an IPC stream, or what --from names) or \
        standard output (an IPC stream, or what --to names). CSV, TSV and JSON Lines are converted batch \
        by batch (--block-size bytes of text per batch, column types inferred from the first block as \
        pyarrow does, or given by --schema), so memory stays bounded however large the input. The CSV \
        options describe the input when it is CSV or TSV, otherwise the output; --delimiter, --no-header, \
        --null and --skip-invalid mean nothing for JSON Lines. Parquet is read one row group at a time \
        (--columns, --row-groups, --batch-size, --verify-checksums); it cannot be written yet. While a \
        conversion runs for more than a second, a progress line is drawn on standard error when it is a terminal.
        """
    )

    @Argument(help: "Input path (.arrow, .feather, .ipc, .arrows, .stream, .csv, .tsv, .jsonl, .ndjson, .parquet, .pq), or - for stdin.") var input: String
    @Argument(help: "Output path (.arrow, .feather, .ipc, .arrows, .stream, .csv, .tsv, .jsonl, .ndjson), or - for stdout.") var output: String
    @Option(help: "The input's format when its extension does not say (stdin): csv, tsv, jsonl, parquet, arrows or arrow.") var from: DataFormat?
    @Option(help: "The output's format when its extension does not say (stdout: arrows by default): csv, tsv, jsonl, arrows or arrow.") var to: DataFormat?
    @Option(help: "Body compression: none, lz4 or zstd.") var compression: String = "none"
    @Option(help: "Buffer alignment: 8 or 64.") var alignment: Int = 64
    @Option(name: .customLong("batch-rows"), help: "Split IPC batches to at most N rows.") var batchRows: Int?
    @OptionGroup var csv: CSVArguments
    @OptionGroup var parquet: ParquetArguments

    func run() throws {
        try reportingErrors {
            guard alignment == 8 || alignment == 64 else { throw CLIError("--alignment must be 8 or 64, not \(alignment)") }
            if let batchRows, batchRows <= 0 { throw CLIError("--batch-rows must be positive") }
            let codec = try bodyCodec(compression)
            let inputFormat = DataFormat.input(input, given: from)
            let outputFormat = try DataFormat.output(output, given: to)
            try csv.check(input: inputFormat, output: outputFormat)
            try parquet.check(input: inputFormat)
            try ArrowIO.checkWritable(output)
            if ArrowIO.sameFile(input, output) { throw CLIError("\(input) and \(output) are the same file") }
            let options = IPCWriteOptions(alignment: alignment, codec: codec, maximumBatchRows: batchRows)
            if inputFormat?.isTextual != true && inputFormat != .parquet && !outputFormat.isTextual {
                try convertIPC(options: options)
            } else {
                try convertBatches(from: inputFormat, to: outputFormat, options: options)
            }
        }
    }

    /// IPC to IPC: the whole table (mapped, so without copies), with replaced dictionaries unified
    /// for an IPC file.
    func convertIPC(options: IPCWriteOptions) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let bytesIn = try ArrowIO.readBytes(input)
        let table = try ArrowIO.readTable(bytesIn, from: input)
        let bytes = try ArrowIO.encode(table, for: output, options: options)
        try ArrowIO.writeFile(bytes, to: output)
        let summary = try IPCSummary(bytes)
        note("converted \(table.rowCount) rows: \(table.batches.count) batches, \(bytesIn.count) bytes in -> "
             + "\(summary.batches) batches, \(bytes.count) bytes out (\(ArrowIO.displayName(output))) in \(String(format: "%.3f", ProgressLine.seconds(clock.now - start))) s")
    }

    /// CSV, TSV, JSON Lines or Parquet in, or CSV, TSV or JSON Lines out: batch by batch, each written as
    /// it is read. A failed conversion removes the partial output file.
    func convertBatches(from inputFormat: DataFormat?, to outputFormat: DataFormat, options: IPCWriteOptions) throws {
        let clock = ContinuousClock()
        let start = clock.now
        var source = try BatchInputs.open(input, as: inputFormat, csv: csv, parquet: parquet)
        // Parquet dictionary columns get one dictionary per row group; an IPC file cannot replace a
        // dictionary, so those are read whole and unified first (the only case that holds the table).
        var unified: [RecordBatch]?
        if inputFormat == .parquet, outputFormat == .arrow, let schema = source.schema,
           schema.fields.contains(where: { if case .dictionary = $0.type { true } else { false } }) {
            var all: [RecordBatch] = []
            while let batch = try source.next() { all.append(batch) }
            unified = try DictionaryUnifier.unify(try Table(schema: schema, batches: all)).batches.reversed()
        }
        func nextBatch() throws -> RecordBatch? {
            if unified != nil { return unified!.popLast() }
            return try source.next()
        }
        let fd = try ArrowIO.openForWriting(output)
        var completed = false
        defer {
            if fd != 1 { close(fd) }
            if !completed && output != "-" { unlink(output) }
        }
        let written = ByteCounter()
        let sink = DescriptorSink(descriptor: fd, path: output, counter: written)
        let progress = ProgressLine()
        defer { progress.finish() }
        var destination: (any BatchOutput)?
        var rows = 0, batches = 0
        func showProgress(final: Bool = false) {
            if let read = source.bytesRead {
                progress.update(bytes: read, total: source.totalBytes, rows: rows, verb: "read", final: final)
            } else {
                progress.update(bytes: written.count, total: nil, rows: rows, verb: "written", final: final)
            }
        }
        while let batch = try nextBatch() {
            if destination == nil {
                destination = try BatchOutputs.open(sink, as: outputFormat, schema: batch.schema, ipc: options, csv: csv,
                                                     inputIsText: inputFormat?.isText == true)
            }
            try destination!.write(batch)
            rows += batch.length
            batches += 1
            showProgress()
        }
        if destination == nil {
            destination = try BatchOutputs.open(sink, as: outputFormat, schema: source.schema ?? Schema([]), ipc: options, csv: csv,
                                                     inputIsText: inputFormat?.isText == true)
        }
        try destination!.finish()
        completed = true
        showProgress(final: true)
        progress.finish()
        if let csvSource = source as? CSVBatchInput { csvSource.reportSkipped() }
        let bytesIn = source.bytesRead ?? ArrowIO.regularFileSize(input)
        note("converted \(rows) rows in \(batches) batches: \(bytesIn.map { "\($0) bytes" } ?? "?") \(inputFormat?.title ?? "IPC") in -> "
             + "\(written.count) bytes \(outputFormat.title) out (\(output == "-" ? "standard output" : output)) in \(String(format: "%.3f", ProgressLine.seconds(clock.now - start))) s")
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the schema of an IPC file or stream, of a Parquet file (as Arrow), or of a CSV, TSV or JSON Lines file (types as inferred from its first block).")
    @Argument(help: "IPC file or stream (told apart by content), .parquet, .pq, .csv, .tsv, .jsonl or .ndjson file, or -.") var input: String
    @Option(help: "The input's format when its extension does not say (stdin): csv, tsv, jsonl, parquet, arrows or arrow.") var from: DataFormat?
    @OptionGroup var csv: CSVArguments
    @OptionGroup var parquet: ParquetArguments

    func run() throws {
        try reportingErrors {
            let format = DataFormat.input(input, given: from)
            try csv.check(input: format, output: nil)
            try parquet.check(input: format, meaningless: ["--row-groups", "--batch-size", "--verify-checksums"])
            if format == .parquet {
                let reader = try ParquetInput.open(input, options: try parquet.readOptions())
                print(reader.schema)
                for (key, value) in reader.schema.metadata.sorted(by: { $0.key < $1.key }) {
                    let shown = value.count > 100 ? String(value.prefix(100)) + "... (\(value.utf8.count) bytes)" : value
                    print("-- metadata: \(key) = \(shown)")
                }
                let m = reader.metadata
                print("-- parquet: \(m.rowGroups.count) row group\(m.rowGroups.count == 1 ? "" : "s"), \(m.rowCount) rows, "
                      + "\(reader.parquetSchema.columns.count) leaf columns, created by \(m.createdBy ?? "(unknown)") (see parquet-meta)")
                return
            }
            if let format, format.isTextual {
                var source = try BatchInputs.open(input, as: format, csv: csv, parquet: parquet)
                let first = try source.next()
                print(source.schema ?? Schema([]))
                let how = csv.schemaFile != nil ? "given by --schema" : "inferred from the first block (\(first?.length ?? 0) rows)"
                print("-- \(format.rawValue): \(source.schema?.fields.count ?? 0) columns, types \(how)")
                return
            }
            let bytes = try ArrowIO.readBytes(input)
            if let what = ArrowIO.sniff(bytes) { throw ArrowIO.notIPC(input, what) }
            let schema: Schema
            if ArrowIO.isFile(bytes) {
                schema = try IPCFileReader(bytes).schema
            } else {
                schema = try IPCStreamReader(bytes).schema
            }
            print(schema)
            for (key, value) in schema.metadata.sorted(by: { $0.key < $1.key }) { print("-- metadata: \(key) = \(value)") }
            let summary = try IPCSummary(bytes)
            let codecs = summary.compressions.isEmpty ? "none" : summary.compressions.sorted().joined(separator: ", ")
            print("-- \(summary.isFile ? "file" : "stream"): \(summary.batches) batches, \(summary.rows) rows, "
                  + "\(summary.dictionaryBatches) dictionary batches, compression: \(codecs)")
        }
    }
}

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the rows of an IPC file or stream, of a Parquet file, or of a CSV, TSV or JSON Lines file, as an aligned text table.")
    @Argument(help: "IPC file or stream (told apart by content), .parquet, .pq, .csv, .tsv, .jsonl or .ndjson file, or -.") var input: String
    @Option(help: "Print at most N rows (first and last halves).") var limit: Int = 20
    @Option(help: "The input's format when its extension does not say (stdin): csv, tsv, jsonl, parquet, arrows or arrow.") var from: DataFormat?
    @OptionGroup var csv: CSVArguments
    @OptionGroup var parquet: ParquetArguments

    func run() throws {
        try reportingErrors {
            guard limit >= 0 else { throw CLIError("--limit must not be negative") }
            let format = DataFormat.input(input, given: from)
            try csv.check(input: format, output: nil)
            try parquet.check(input: format, meaningless: ["--batch-size"])
            if format == .parquet {
                // Only the row groups holding the first and last rows are decoded.
                let reader = try ParquetInput.open(input, options: try parquet.readOptions())
                let (table, rows) = try ParquetInput.headAndTail(reader, path: input, limit: limit)
                var lines = table.formatted(maxRows: limit).split(separator: "\n", omittingEmptySubsequences: false)
                let columns = table.schema.fields.count
                lines[lines.count - 1] = "(\(rows) row\(rows == 1 ? "" : "s"), \(columns) column\(columns == 1 ? "" : "s"))"
                print(lines.joined(separator: "\n"))
                return
            }
            if let format, format.isTextual {
                var source = try BatchInputs.open(input, as: format, csv: csv, parquet: parquet)
                var batches: [RecordBatch] = []
                while let batch = try source.next() { batches.append(batch) }
                (source as? CSVBatchInput)?.reportSkipped()
                print(try Table(schema: source.schema ?? Schema([]), batches: batches).formatted(maxRows: limit))
                return
            }
            print(try ArrowIO.readTable(input).formatted(maxRows: limit))
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check an IPC file or stream, or read and check every batch of a Parquet, CSV, TSV or JSON Lines file; exit 0 when valid, 1 with the error otherwise.")
    @Argument(help: "IPC file or stream (told apart by content), .parquet, .pq, .csv, .tsv, .jsonl or .ndjson file, or -.") var input: String
    @Option(help: "The input's format when its extension does not say (stdin): csv, tsv, jsonl, parquet, arrows or arrow.") var from: DataFormat?
    @OptionGroup var csv: CSVArguments
    @OptionGroup var parquet: ParquetArguments

    func run() throws {
        try reportingErrors {
            let format = DataFormat.input(input, given: from)
            try csv.check(input: format, output: nil)
            try parquet.check(input: format)
            if let format, format.isTextual || format == .parquet {
                var source = try BatchInputs.open(input, as: format, csv: csv, parquet: parquet)
                let progress = ProgressLine()
                defer { progress.finish() }
                var batches = 0, rows = 0
                while let batch = try source.next() {
                    do {
                        try batch.validate()
                    } catch {
                        throw CLIError("\(ArrowIO.displayName(input)): batch \(batches) (rows from \(rows + 1)) is not valid Arrow: \(error)")
                    }
                    batches += 1
                    rows += batch.length
                    progress.update(bytes: source.bytesRead ?? 0, total: source.totalBytes, rows: rows, verb: "read")
                }
                progress.update(bytes: source.bytesRead ?? 0, total: source.totalBytes, rows: rows, verb: "read", final: true)
                progress.finish()
                let skipped = (source as? CSVBatchInput).map { csvSource in
                    csvSource.reportSkipped()
                    return ", \(csvSource.skipped.count) rows skipped"
                }
                print("valid: \(batches) batches, \(rows) rows, \(source.schema?.fields.count ?? 0) columns\(skipped ?? "")")
                return
            }
            let table = try ArrowIO.readTable(input)
            try table.validate()
            print("valid: \(table.batches.count) batches, \(table.rowCount) rows, \(table.schema.fields.count) columns")
        }
    }
}

struct Integration: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Arrow integration-test modes, as other Arrow implementations offer them.")

    enum Mode: String, ExpressibleByArgument { case validate, jsonToArrow = "json-to-arrow", streamToFile = "stream-to-file" }

    @Option(help: "validate (compare --arrow with --json), json-to-arrow (write --json's data as the IPC file --arrow), stream-to-file (read a stream on stdin, write the file --arrow).")
    var mode: Mode
    @Option(help: "Arrow integration JSON file (.json or .json.gz).") var json: String?
    @Option(help: "Arrow IPC file.") var arrow: String

    func run() throws {
        try reportingErrors {
            switch mode {
            case .validate:
                guard let json else { throw CLIError("--mode validate needs --json") }
                let truth = try ArrowIntegrationJSON.read(path: json)
                let table = try ArrowIO.readTable(arrow)
                try compare(table, truth)
                print("ok: \(arrow) matches \(json)")
            case .jsonToArrow:
                guard let json else { throw CLIError("--mode json-to-arrow needs --json") }
                let truth = try ArrowIntegrationJSON.read(path: json)
                try ArrowIO.checkWritable(arrow)
                var writer = try IPCFileWriter(sink: MemorySink(), schema: truth.schema)
                for batch in truth.batches { try writer.write(batch) }
                try ArrowIO.writeFile(try writer.finish().buffer, to: arrow)
            case .streamToFile:
                try ArrowIO.checkWritable(arrow)
                var reader = try IPCStreamReader(try ArrowIO.readBytes("-"))
                var writer = try IPCFileWriter(sink: MemorySink(), schema: reader.schema)
                while let batch = try reader.next() { try writer.write(batch) }
                try ArrowIO.writeFile(try writer.finish().buffer, to: arrow)
            }
        }
    }

    func compare(_ table: Table, _ truth: ArrowIntegrationFile) throws {
        guard table.batches.count == truth.batches.count else {
            throw CLIError("\(table.batches.count) batches, the JSON has \(truth.batches.count)")
        }
        for (b, (ours, expected)) in zip(table.batches, truth.batches).enumerated() {
            for (c, (a, e)) in zip(ours.columns, expected.columns).enumerated() where !(a.logicallyEquals(e) || a.logicallyEquals(e.withType(a.type))) {
                throw CLIError("batch \(b), column '\(ours.schema.fields[c].name)' differs from the JSON")
            }
        }
    }
}

struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Arrow gold-file suite and print case x (file read, stream read, write round trip).")
    @Option(help: "The corpus folder (holding arrow-ipc-stream/integration); by default $LIGHTSTREAM_CORPUS, then ../shared/corpus.")
    var corpus: String?

    /// The gold files' folder: `--corpus`, or the first default that exists; otherwise an error
    /// that says where it looked.
    func integrationFolder() throws -> String {
        let suffix = "/arrow-ipc-stream/integration"
        let defaults = [ProcessInfo.processInfo.environment["LIGHTSTREAM_CORPUS"]].compactMap { $0 } + ["../shared/corpus"]
        let candidates = corpus.map { [$0] } ?? defaults
        var isDirectory: ObjCBool = false
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + suffix, isDirectory: &isDirectory) && isDirectory.boolValue {
            return candidate + suffix
        }
        let looked = candidates.map { URL(fileURLWithPath: $0 + suffix).standardizedFileURL.path }
        let how = corpus == nil
            ? "without --corpus: $LIGHTSTREAM_CORPUS, then ../shared/corpus from \(FileManager.default.currentDirectoryPath)"
            : "--corpus \(corpus!)"
        throw CLIError("no Arrow gold files found: looked in \(looked.joined(separator: " and ")) (\(how)); "
                       + "pass --corpus DIR, a folder holding arrow-ipc-stream/integration")
    }

    func run() throws {
        try reportingErrors {
            let root = try integrationFolder()
            let producers = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
            var rows: [(String, String, String, String)] = []
            var failures = 0
            for producer in producers {
                let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + producer)) ?? []
                for file in files.sorted() where file.hasSuffix(".arrow_file") {
                    let name = producer + "/" + file.dropLast(".arrow_file".count)
                    let base = root + "/" + name
                    func check(_ body: () throws -> Void) -> String {
                        do { try body(); return "pass" } catch { failures += 1; return "FAIL: \(String(describing: error).prefix(60))" }
                    }
                    var fromFile: Table?
                    let fileResult = check { fromFile = try ArrowIO.readTable(base + ".arrow_file"); try fromFile!.validate() }
                    let streamResult = check {
                        let table = try ArrowIO.readTable(base + ".stream")
                        if let fromFile, !(table == fromFile || table.rowCount == fromFile.rowCount) { throw CLIError("stream differs from file") }
                    }
                    let roundTrip = check {
                        guard let fromFile else { throw CLIError("nothing read") }
                        var writer = try IPCFileWriter(sink: MemorySink(), schema: fromFile.schema)
                        try writer.write(fromFile)
                        let back = try IPCFileReader(try writer.finish().buffer).readAll()
                        guard back == fromFile else { throw CLIError("round trip differs") }
                    }
                    rows.append((name, fileResult, streamResult, roundTrip))
                }
            }
            let width = rows.map(\.0.count).max() ?? 4
            func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
            print(pad("case", width) + " | file read | stream read | write round trip")
            for row in rows { print(pad(row.0, width) + " | \(row.1) | \(row.2) | \(row.3)") }
            let expected = rows.filter { $0.0.hasPrefix("1.0.0-bigendian/") }
            let unexpected = rows.filter { row in
                !expected.contains { $0.0 == row.0 } && [row.1, row.2, row.3].contains { $0 != "pass" }
            }
            print("\(rows.count) cases: \(rows.count - expected.count - unexpected.count) pass every check, \(expected.count) fail as expected (big-endian data is not supported, see README), \(unexpected.count) fail unexpectedly; \(failures) failed checks in all")
            if !unexpected.isEmpty { throw ExitCode(1) }
        }
    }
}
