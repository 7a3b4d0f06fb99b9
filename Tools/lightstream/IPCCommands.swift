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

/// An exit code passes through; any other error is printed as `error: ...` and becomes exit status 1.
func reported(_ error: any Error) -> any Error {
    if error is ExitCode { return error }
    FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    return ExitCode(1)
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
        abstract: "Convert between IPC files and streams (by extension: .arrow/.feather/.ipc file, .arrows/.stream stream, - stdin/stdout stream)."
    )

    @Argument(help: "Input IPC file or stream, or - for a stream on stdin.") var input: String
    @Argument(help: "Output path, or - for a stream on stdout.") var output: String
    @Option(help: "Body compression: none, lz4 or zstd.") var compression: String = "none"
    @Option(help: "Buffer alignment: 8 or 64.") var alignment: Int = 64
    @Option(name: .customLong("batch-rows"), help: "Split batches to at most N rows.") var batchRows: Int?

    func run() throws {
        try reportingErrors {
            guard alignment == 8 || alignment == 64 else { throw CLIError("--alignment must be 8 or 64, not \(alignment)") }
            if let batchRows, batchRows <= 0 { throw CLIError("--batch-rows must be positive") }
            let codec = try bodyCodec(compression)
            _ = try ArrowIO.format(of: output)
            let table = try ArrowIO.readTable(input)
            try ArrowIO.write(table, to: output, options: IPCWriteOptions(alignment: alignment, codec: codec, maximumBatchRows: batchRows))
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the schema of an IPC file or stream.")
    @Argument(help: "IPC file or stream (told apart by content), or -.") var input: String

    func run() throws {
        try reportingErrors {
            let bytes = try ArrowIO.readBytes(input)
            let schema: Schema
            if ArrowIO.isFile(bytes) {
                schema = try IPCFileReader(bytes).schema
            } else {
                schema = try IPCStreamReader(bytes).schema
            }
            print(schema)
            for (key, value) in schema.metadata.sorted(by: { $0.key < $1.key }) { print("-- metadata: \(key) = \(value)") }
        }
    }
}

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the rows of an IPC file or stream as an aligned text table.")
    @Argument(help: "IPC file or stream (told apart by content), or -.") var input: String
    @Option(help: "Print at most N rows (first and last halves).") var limit: Int = 20

    func run() throws {
        try reportingErrors {
            guard limit >= 0 else { throw CLIError("--limit must not be negative") }
            print(try ArrowIO.readTable(input).formatted(maxRows: limit))
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check an IPC file or stream completely; exit 0 when valid, 1 with the error otherwise.")
    @Argument(help: "IPC file or stream (told apart by content), or -.") var input: String

    func run() throws {
        try reportingErrors {
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
                var writer = try IPCFileWriter(sink: MemorySink(), schema: truth.schema)
                for batch in truth.batches { try writer.write(batch) }
                try writer.finish().buffer.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: arrow)) }
            case .streamToFile:
                var reader = try IPCStreamReader(try ArrowIO.readBytes("-"))
                var writer = try IPCFileWriter(sink: MemorySink(), schema: reader.schema)
                while let batch = try reader.next() { try writer.write(batch) }
                try writer.finish().buffer.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: arrow)) }
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
    @Option(help: "The corpus folder (holding arrow-ipc-stream/integration).") var corpus: String = "../shared/corpus"

    func run() throws {
        try reportingErrors {
            let root = corpus + "/arrow-ipc-stream/integration"
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
