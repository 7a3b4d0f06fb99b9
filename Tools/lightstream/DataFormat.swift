import ArgumentParser
import Foundation
import Lightstream
#if canImport(Glibc)
import Glibc
#endif

/// The formats the CLI reads and writes, told by a path's extension or named by `--from`/`--to`.
///
/// Adding a format is one case here, its extensions in ``byExtension``, and its reader and writer
/// in `BatchInputs.open(_:as:csv:parquet:)` and `BatchOutputs.open(_:as:schema:ipc:csv:inputIsText:)`.
/// Parquet is read only: ``output(_:given:)`` refuses it.
enum DataFormat: String, CaseIterable, ExpressibleByArgument {
    /// An Arrow IPC file.
    case arrow
    /// An Arrow IPC stream.
    case arrows
    /// Comma-separated values (RFC 4180).
    case csv
    /// Tab-separated values.
    case tsv
    /// JSON Lines (NDJSON): one JSON object per line.
    case jsonl
    /// Apache Parquet (reading only; the writer is not there yet).
    case parquet

    /// The format each extension names (lowercased, without the dot).
    static let byExtension: [String: DataFormat] = [
        "arrow": .arrow, "feather": .arrow, "ipc": .arrow,
        "arrows": .arrows, "stream": .arrows,
        "csv": .csv, "tsv": .tsv,
        "jsonl": .jsonl, "ndjson": .jsonl,
        "parquet": .parquet, "pq": .parquet,
    ]

    /// A format named by `--from`/`--to`: a case's name, or `ndjson` for JSON Lines.
    init?(argument: String) {
        if argument.lowercased() == "ndjson" { self = .jsonl; return }
        self.init(rawValue: argument.lowercased())
    }

    /// Whether this is a delimited text format (CSV or TSV).
    var isText: Bool { self == .csv || self == .tsv }

    /// Whether this format is read and written batch by batch through a text codec (CSV, TSV,
    /// JSON Lines) rather than as Arrow IPC.
    var isTextual: Bool { isText || self == .jsonl }

    /// The delimiter a text format uses unless `--delimiter` says otherwise.
    var defaultDelimiter: UInt8 { self == .tsv ? 0x09 : UInt8(ascii: ",") }

    /// The extensions of the formats that can be written, for messages: ".arrow, .feather, .ipc (IPC file), ...".
    static var extensionList: String {
        allCases.filter { $0 != .parquet }.map { format in
            let names = byExtension.filter { $0.value == format }.keys.sorted().map { "." + $0 }.joined(separator: ", ")
            return "\(names) (\(format.title))"
        }.joined(separator: "; ")
    }

    /// What the format is called in messages.
    var title: String {
        switch self {
        case .arrow: "IPC file"
        case .arrows: "IPC stream"
        case .csv: "CSV"
        case .tsv: "TSV"
        case .jsonl: "JSON Lines"
        case .parquet: "Parquet"
        }
    }

    /// The format of an output path: `given` (`--to`), else the extension; `-` (stdout) is an IPC
    /// stream by default. An unknown extension is an error listing the known ones; Parquet is
    /// refused (there is no writer yet), before anything is read or created.
    static func output(_ path: String, given: DataFormat?) throws -> DataFormat {
        let format: DataFormat
        if let given {
            format = given
        } else if path == "-" {
            format = .arrows
        } else {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            guard let known = byExtension[ext] else {
                throw CLIError("cannot tell the format of '\(path)' by its extension: use \(extensionList), or --to FORMAT; - is an IPC stream on stdout")
            }
            format = known
        }
        if format == .parquet {
            throw CLIError("cannot write \(path == "-" ? "standard output" : path): writing Parquet is not supported yet, only reading it; write one of \(extensionList)")
        }
        return format
    }

    /// The format of an input path: `given` (`--from`), else CSV, TSV, JSON Lines or Parquet by
    /// extension, else Parquet when the file starts with the `PAR1` magic, else Arrow IPC (`nil`: a
    /// file or a stream, told apart by content, as `schema`, `cat` and `validate` always did; other
    /// input is named by what it looks like).
    static func input(_ path: String, given: DataFormat?) -> DataFormat? {
        if let given { return given }
        if path == "-" { return nil }
        let format = byExtension[URL(fileURLWithPath: path).pathExtension.lowercased()]
        if format?.isTextual == true || format == .parquet { return format }
        return startsWithParquetMagic(path) ? .parquet : nil
    }

    /// Whether the regular file at `path` starts with `PAR1`.
    static func startsWithParquetMagic(_ path: String) -> Bool {
        guard ArrowIO.regularFileSize(path) ?? 0 >= 4, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data("PAR1".utf8)
    }
}

/// The CSV/TSV options shared by `convert`, `schema`, `cat` and `validate`. They describe the
/// input when it is CSV or TSV, and otherwise (`convert` of Arrow or JSON Lines to CSV) the output.
/// `--schema` and `--block-size` describe JSON Lines input too; the others mean nothing for JSON
/// Lines and are refused when neither side is CSV or TSV.
struct CSVArguments: ParsableArguments {
    @Option(help: "CSV field delimiter: one byte, tab spelled 'tab' or '\\t' (default: , for .csv, tab for .tsv).")
    var delimiter: String?
    @Flag(name: .customLong("no-header"), help: "The CSV has no header line (columns are f0, f1, ...); when writing, write none.")
    var noHeader = false
    @Option(name: .customLong("null"), help: "Reading: one more spelling of null, added to pyarrow's list (\"\", NA, NULL, null, NaN, ...), for non-string columns as in pyarrow. Writing: the text of a null (default empty).")
    var null: String?
    @Option(name: .customLong("schema"), help: "An Arrow IPC file or stream whose schema gives the CSV or JSON Lines columns' names and types (nothing is inferred).")
    var schemaFile: String?
    @Option(name: .customLong("block-size"), help: "Bytes of CSV or JSON Lines per batch (default 1 MiB); types are inferred from the first block.")
    var blockSize: Int?
    @Flag(name: .customLong("skip-invalid"), help: "Skip rows with the wrong number of fields (reported on stderr) instead of stopping.")
    var skipInvalid = false

    /// The delimiter byte `--delimiter` names, or `format`'s default.
    func delimiterByte(for format: DataFormat) throws -> UInt8 {
        guard let delimiter else { return format.defaultDelimiter }
        switch delimiter {
        case "tab", "\\t", "\t": return 0x09
        default:
            let bytes = Array(delimiter.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r") else {
                throw CLIError("--delimiter must be one byte (or 'tab'), not '\(delimiter)'")
            }
            return bytes[0]
        }
    }

    /// The reader options for an input of `format`.
    func readOptions(for format: DataFormat) throws -> CSVReadOptions {
        var options = CSVReadOptions()
        options.delimiter = try delimiterByte(for: format)
        options.header = !noHeader
        if let null { options.nullValues.append(null) }
        if let blockSize {
            guard blockSize > 0 else { throw CLIError("--block-size must be positive, not \(blockSize)") }
            options.blockSize = blockSize
        }
        if skipInvalid { options.invalidRows = .skip }
        options.schema = try givenSchema()
        return options
    }

    /// The reader options for JSON Lines input: `--block-size` and `--schema`.
    func jsonLinesReadOptions() throws -> JSONLinesReadOptions {
        var options = JSONLinesReadOptions()
        if let blockSize {
            guard blockSize > 0 else { throw CLIError("--block-size must be positive, not \(blockSize)") }
            options.blockSize = blockSize
        }
        options.schema = try givenSchema()
        return options
    }

    /// The schema of the `--schema` file, if one is named.
    func givenSchema() throws -> Schema? {
        guard let schemaFile else { return nil }
        let bytes = try ArrowIO.readBytes(schemaFile)
        if let what = ArrowIO.sniff(bytes) { throw CLIError("--schema \(ArrowIO.displayName(schemaFile)) \(what)") }
        return ArrowIO.isFile(bytes) ? try IPCFileReader(bytes).schema : try IPCStreamReader(bytes).schema
    }

    /// The writer options for an output of `format`: the defaults of `format` when the input is
    /// CSV or TSV too (the options then describe the input), else as the options say.
    func writeOptions(for format: DataFormat, inputIsText: Bool) throws -> CSVWriteOptions {
        var options = CSVWriteOptions()
        options.delimiter = format.defaultDelimiter
        if inputIsText { return options }
        options.delimiter = try delimiterByte(for: format)
        options.header = !noHeader
        if let null { options.nullText = null }
        return options
    }

    /// Refuses options that mean nothing for the formats at hand, naming the options given.
    func check(input: DataFormat?, output: DataFormat?) throws {
        let csvIn = input?.isText == true, csvOut = output?.isText == true
        let jsonLines = input == .jsonl || output == .jsonl
        func list(_ names: [String]) -> String {
            names.count == 1 ? "\(names[0]) is" : names.dropLast().joined(separator: ", ") + " and \(names.last!) are"
        }
        let csvOnly = [delimiter != nil ? "--delimiter" : nil, noHeader ? "--no-header" : nil, null != nil ? "--null" : nil].compactMap { $0 }
        if !csvIn && !csvOut && !csvOnly.isEmpty {
            let why = jsonLines ? " (JSON Lines has no delimiter, header or null spelling)" : ""
            throw CLIError("\(list(csvOnly)) for CSV or TSV input or output\(why)")
        }
        if skipInvalid && !csvIn {
            let why = input == .jsonl ? " (JSON Lines rows have no field count to get wrong)" : ""
            throw CLIError("--skip-invalid is for CSV or TSV input\(why)")
        }
        let textOnly = [schemaFile != nil ? "--schema" : nil, blockSize != nil ? "--block-size" : nil].compactMap { $0 }
        if input?.isTextual != true && !textOnly.isEmpty {
            throw CLIError("\(list(textOnly)) for CSV, TSV or JSON Lines input")
        }
    }
}

/// A CSV or JSON Lines error and the file it is about: printed as `lightstream: FILE: DESCRIPTION`.
struct FileCSVError: Error, CustomStringConvertible {
    var path: String
    var error: CSVError
    var description: String { "\(ArrowIO.displayName(path)): \(error.description)" }
}

extension BatchInput {
    /// Opens `path` (`-`: standard input), with a failure as a ``CSVError``.
    static func openFile(_ path: String) throws(CSVError) -> OwnedFileSource {
        do {
            return try OwnedFileSource(path: path)
        } catch {
            throw CSVError(.io(error.description))
        }
    }
}

/// Counts what a ``ByteSource`` delivers (for progress lines).
final class ByteCounter {
    var count = 0
}

/// A ``ByteSource`` that counts the bytes its base delivers.
struct CountingSource<Base: ByteSource>: ByteSource {
    var base: Base
    let counter: ByteCounter

    mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool {
        let before = buffer.pendingCount
        let more = try base.read(into: &buffer, minimumCapacity: minimumCapacity)
        counter.count += max(0, buffer.pendingCount - before)
        return more
    }
}

/// Batches read one at a time from CSV, JSON Lines, an IPC file or an IPC stream.
protocol BatchInput {
    /// The schema, once known (IPC: at once; CSV and JSON Lines: after the first batch).
    var schema: Schema? { get }
    /// The next batch, or `nil` after the last.
    mutating func next() throws -> RecordBatch?
    /// Input bytes read so far, when the input is read rather than mapped.
    var bytesRead: Int? { get }
    /// The size of the whole input, when known (a regular file).
    var totalBytes: Int? { get }
}

/// CSV or TSV from a file or stdin, read `blockSize` bytes at a time (memory stays bounded).
struct CSVBatchInput: BatchInput {
    let path: String
    private var reader: CSVReader<CountingSource<OwnedFileSource>>
    private let counter = ByteCounter()
    let totalBytes: Int?

    init(path: String, options: CSVReadOptions) throws {
        self.path = path
        if path != "-" { try ArrowIO.checkReadable(path) }
        totalBytes = ArrowIO.regularFileSize(path)
        do {
            reader = try CSVReader(source: CountingSource(base: try Self.openFile(path), counter: counter), options: options)
        } catch {
            throw FileCSVError(path: path, error: error)
        }
    }

    var schema: Schema? { reader.schema }
    var bytesRead: Int? { counter.count }
    /// Rows skipped for a wrong field count, and the first few of them.
    var skipped: (count: Int, samples: [SkippedRow]) { (reader.decoder.skippedRows, reader.decoder.skippedRowSamples) }

    mutating func next() throws -> RecordBatch? {
        do {
            return try reader.next()
        } catch {
            throw FileCSVError(path: path, error: error)
        }
    }

    /// Says on stderr how many rows were skipped, with the first row numbers.
    func reportSkipped() {
        let (count, samples) = skipped
        guard count > 0 else { return }
        let shown = samples.prefix(5).map { "\($0.row) (\($0.fieldCount) fields)" }.joined(separator: ", ")
        note("\(ArrowIO.displayName(path)): skipped \(count) row\(count == 1 ? "" : "s") with the wrong number of fields: row\(count == 1 ? "" : "s") \(shown)\(count > 5 ? ", ..." : "")")
    }
}

/// JSON Lines from a file or stdin, read `blockSize` bytes at a time (memory stays bounded).
struct JSONLinesBatchInput: BatchInput {
    let path: String
    private var reader: JSONLinesReader<CountingSource<OwnedFileSource>>
    private let counter = ByteCounter()
    let totalBytes: Int?

    init(path: String, options: JSONLinesReadOptions) throws {
        self.path = path
        if path != "-" { try ArrowIO.checkReadable(path) }
        totalBytes = ArrowIO.regularFileSize(path)
        do {
            reader = try JSONLinesReader(source: CountingSource(base: try Self.openFile(path), counter: counter), options: options)
        } catch {
            throw FileCSVError(path: path, error: error)
        }
    }

    var schema: Schema? { reader.schema }
    var bytesRead: Int? { counter.count }

    mutating func next() throws -> RecordBatch? {
        do {
            return try reader.next()
        } catch {
            throw FileCSVError(path: path, error: error)
        }
    }
}

/// An IPC file held in memory (mapped): batches by index, pointing into the mapping.
struct IPCFileBatchInput: BatchInput {
    let reader: IPCFileReader
    var index = 0
    var schema: Schema? { reader.schema }
    var bytesRead: Int? { nil }
    var totalBytes: Int? { nil }

    mutating func next() throws -> RecordBatch? {
        guard index < reader.batchCount else { return nil }
        defer { index += 1 }
        return try reader.batch(index)
    }
}

/// An IPC stream from memory (a mapped file) or read from a descriptor (stdin), batch by batch.
struct IPCStreamBatchInput<Source: ByteSource>: BatchInput {
    var reader: IPCStreamReader<Source>
    let counter: ByteCounter?
    let totalBytes: Int?
    var schema: Schema? { reader.schema }
    var bytesRead: Int? { counter?.count }
    mutating func next() throws -> RecordBatch? { try reader.next() }
}

enum BatchInputs {
    /// Opens `path` (`-`: stdin) as `format`; `nil` is Arrow IPC told apart by content.
    static func open(_ path: String, as format: DataFormat?, csv: CSVArguments, parquet: ParquetArguments) throws -> any BatchInput {
        switch format {
        case .parquet?:
            return try ParquetBatchInput(path: path, options: try parquet.readOptions())
        case .csv?, .tsv?:
            return try CSVBatchInput(path: path, options: try csv.readOptions(for: format!))
        case .jsonl?:
            return try JSONLinesBatchInput(path: path, options: try csv.jsonLinesReadOptions())
        case .arrows? where path == "-", nil where path == "-":
            // A stream on stdin, decoded as it arrives.
            let counter = ByteCounter()
            let reader = try IPCStreamReader(source: CountingSource(base: try OwnedFileSource(path: "-"), counter: counter))
            return IPCStreamBatchInput(reader: reader, counter: counter, totalBytes: nil)
        case .arrow?, .arrows?, nil:
            let bytes = try ArrowIO.readBytes(path)
            if let what = ArrowIO.sniff(bytes) { throw ArrowIO.notIPC(path, what) }
            if ArrowIO.isFile(bytes) { return IPCFileBatchInput(reader: try IPCFileReader(bytes)) }
            return IPCStreamBatchInput(reader: try IPCStreamReader(bytes), counter: nil, totalBytes: nil)
        }
    }
}

/// Where converted batches go: an IPC file or stream, CSV/TSV or JSON Lines, written as they come.
protocol BatchOutput {
    mutating func write(_ batch: RecordBatch) throws
    /// Writes what ends the output (IPC footer or end-of-stream marker, a CSV header when there
    /// were no batches) and flushes.
    mutating func finish() throws
}

/// Writes to a file descriptor with `write(2)`, counting bytes; errors name the path.
struct DescriptorSink: ByteSink {
    let descriptor: Int32
    let path: String
    let counter: ByteCounter

    mutating func write(_ pieces: [Buffer]) throws {
        for piece in pieces {
            try piece.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw CLIError("cannot write \(path == "-" ? "standard output" : path): \(ArrowIO.systemMessage(errno))")
                    }
                    done += n
                }
            }
            counter.count += piece.count
        }
    }
}

struct IPCStreamBatchOutput: BatchOutput {
    var writer: IPCStreamWriter<DescriptorSink>?
    mutating func write(_ batch: RecordBatch) throws { try writer!.write(batch) }
    mutating func finish() throws { _ = try writer.take()!.finish() }
}

struct IPCFileBatchOutput: BatchOutput {
    var writer: IPCFileWriter<DescriptorSink>?
    mutating func write(_ batch: RecordBatch) throws { try writer!.write(batch) }
    mutating func finish() throws { _ = try writer.take()!.finish() }
}

struct CSVBatchOutput: BatchOutput {
    var writer: CSVWriter<DescriptorSink>?
    let path: String
    mutating func write(_ batch: RecordBatch) throws {
        do { try writer!.write(batch) } catch { throw FileCSVError(path: path, error: error) }
    }
    mutating func finish() throws {
        do { _ = try writer.take()!.finish() } catch { throw FileCSVError(path: path, error: error) }
    }
}

struct JSONLinesBatchOutput: BatchOutput {
    var writer: JSONLinesWriter<DescriptorSink>?
    let path: String
    mutating func write(_ batch: RecordBatch) throws {
        do { try writer!.write(batch) } catch { throw FileCSVError(path: path, error: error) }
    }
    mutating func finish() throws {
        do { _ = try writer.take()!.finish() } catch { throw FileCSVError(path: path, error: error) }
    }
}

enum BatchOutputs {
    /// A writer of `format` with `schema` into `sink`.
    static func open(_ sink: DescriptorSink, as format: DataFormat, schema: Schema, ipc: IPCWriteOptions, csv: CSVArguments,
                     inputIsText: Bool) throws -> any BatchOutput {
        switch format {
        case .arrows: return IPCStreamBatchOutput(writer: try IPCStreamWriter(sink: sink, schema: schema, options: ipc))
        case .arrow: return IPCFileBatchOutput(writer: try IPCFileWriter(sink: sink, schema: schema, options: ipc))
        case .csv, .tsv:
            do {
                return CSVBatchOutput(writer: try CSVWriter(sink: sink, schema: schema, options: try csv.writeOptions(for: format, inputIsText: inputIsText)), path: sink.path)
            } catch let error as CSVError {
                throw FileCSVError(path: sink.path, error: error)
            }
        case .jsonl:
            return JSONLinesBatchOutput(writer: JSONLinesWriter(sink: sink, schema: schema), path: sink.path)
        case .parquet:
            // `DataFormat.output` refuses Parquet before anything is opened; this is not reached.
            throw CLIError("cannot write \(sink.path): writing Parquet is not supported yet")
        }
    }
}

/// A progress line on stderr, only when stderr is a terminal: bytes, rows and rate, redrawn at
/// most four times a second, first after a second (short runs print nothing); ``finish()`` ends
/// the line so the shell prompt starts clean.
final class ProgressLine {
    private let enabled: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var last: ContinuousClock.Instant
    private var printed = false

    init() {
        enabled = isatty(2) == 1
        start = clock.now
        last = start
    }

    /// Redraws the line if a quarter second passed since the last one, or, when `final`, if a line
    /// was drawn before (so it ends with the totals).
    func update(bytes: Int, total: Int?, rows: Int, verb: String, final: Bool = false) {
        guard enabled else { return }
        let now = clock.now
        if final {
            guard printed else { return }
        } else {
            guard now - start >= .seconds(1), now - last >= .milliseconds(250) else { return }
        }
        last = now
        let seconds = Self.seconds(now - start)
        var line = "\(Self.size(bytes))"
        if let total, total > 0 { line += " of \(Self.size(total)) (\(min(100, bytes * 100 / total))%)" }
        line += " \(verb), \(rows) rows, \(Self.size(Int(Double(bytes) / max(seconds, 1e-9))))/s"
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        printed = true
    }

    /// Ends the progress line, if one was drawn.
    func finish() {
        if printed { FileHandle.standardError.write(Data("\n".utf8)) }
        printed = false
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    static func size(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
