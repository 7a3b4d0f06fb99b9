import ArgumentParser
import Foundation
import Lightstream

/// The Parquet reading options shared by `convert`, `schema`, `cat` and `validate`; refused when
/// the input is not Parquet.
struct ParquetArguments: ParsableArguments {
    @Option(help: "Parquet: read only these columns, comma-separated (top-level names or dotted leaf paths such as a.b.c).")
    var columns: String?
    @Option(name: .customLong("row-groups"), help: "Parquet: read only these row groups, comma-separated indices from 0, in this order.")
    var rowGroups: String?
    @Option(name: .customLong("batch-size"), help: "Parquet: rows per batch (default 65536); a batch never spans two row groups.")
    var batchSize: Int?
    @Flag(name: .customLong("verify-checksums"), help: "Parquet: check the CRC32 of every page that has one.")
    var verifyChecksums = false

    /// The names of the options given, for messages.
    var given: [String] {
        [columns != nil ? "--columns" : nil, rowGroups != nil ? "--row-groups" : nil,
         batchSize != nil ? "--batch-size" : nil, verifyChecksums ? "--verify-checksums" : nil].compactMap { $0 }
    }

    /// Refuses the Parquet options when the input is not Parquet, and those in `meaningless` (options
    /// that do nothing for the command at hand).
    func check(input: DataFormat?, meaningless: Set<String> = []) throws {
        let options = given
        guard !options.isEmpty else { return }
        let verb = options.count == 1 ? "is" : "are"
        if input != .parquet {
            throw CLIError("\(options.joined(separator: ", ")) \(verb) for Parquet input (.parquet, .pq, or --from parquet)")
        }
        let useless = options.filter(meaningless.contains)
        if !useless.isEmpty {
            throw CLIError("\(useless.joined(separator: ", ")) \(useless.count == 1 ? "means" : "mean") nothing here")
        }
    }

    /// The reader options the arguments describe.
    func readOptions() throws -> ParquetReadOptions {
        var options = ParquetReadOptions()
        if let columns {
            let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw CLIError("--columns names no column") }
            options.columns = names
        }
        if let rowGroups {
            var indices: [Int] = []
            for part in rowGroups.split(separator: ",", omittingEmptySubsequences: false) {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard let index = Int(text), index >= 0 else {
                    throw CLIError("--row-groups takes row group indices from 0 separated by commas, not '\(rowGroups)'")
                }
                indices.append(index)
            }
            options.rowGroups = indices
        }
        if let batchSize {
            guard batchSize > 0 else { throw CLIError("--batch-size must be positive, not \(batchSize)") }
            options.batchSize = batchSize
        }
        options.verifyChecksums = verifyChecksums
        return options
    }
}

/// A Parquet error and the file it is about: printed as `lightstream: FILE: DESCRIPTION`, where the
/// description names the row group, column, page and byte.
struct FileParquetError: Error, CustomStringConvertible {
    var path: String
    var error: ParquetError
    /// What the CLI adds: the columns there are, a likely cause.
    var hint: String?
    var description: String { "\(ArrowIO.displayName(path)): \(error.description)" + (hint.map { "; " + $0 } ?? "") }
}

enum ParquetInput {
    /// Opens the Parquet file at `path` (`-`: standard input, read whole, since the footer is at
    /// the end), mapped rather than read when it is a regular file. Row groups and columns that
    /// the options name and the file lacks are refused here, with what the file has.
    static func open(_ path: String, options: ParquetReadOptions = ParquetReadOptions()) throws -> ParquetFileReader {
        let bytes = try ArrowIO.readBytes(path)
        let reader: ParquetFileReader
        do {
            reader = try ParquetFileReader(buffer: bytes, options: options)
        } catch {
            if case .notFound = error.kind, options.columns != nil,
               let all = try? ParquetFileReader(buffer: bytes, options: ParquetReadOptions()) {
                let names = all.schema.fields.map(\.name)
                let leaves = all.parquetSchema.columns.map(\.dottedPath).filter { !names.contains($0) }
                throw FileParquetError(path: path, error: error, hint: "the columns are \(names.joined(separator: ", "))"
                                       + (leaves.isEmpty ? "" : " (leaves: \(leaves.joined(separator: ", ")))"))
            }
            if case .notParquet = error.kind, bytes.count >= 4, bytes.slice(0..<4).array == Array("PAR1".utf8) {
                throw FileParquetError(path: path, error: error, hint: "it starts with PAR1 but does not end with "
                                       + "its footer and PAR1, so it is probably truncated (\(bytes.count) bytes)")
            }
            throw FileParquetError(path: path, error: error)
        }
        let count = reader.rowGroupCount
        if let bad = options.rowGroups?.first(where: { $0 >= count }) {
            let have = count == 0 ? "no row groups" : count == 1 ? "1 row group (0)" : "\(count) row groups (0 to \(count - 1))"
            throw CLIError("--row-groups: \(ArrowIO.displayName(path)) has \(have), not a row group \(bad)")
        }
        return reader
    }

    /// The rows the reader's selected row groups hold.
    static func selectedRows(_ reader: ParquetFileReader) -> Int {
        (reader.options.rowGroups ?? Array(reader.metadata.rowGroups.indices)).reduce(0) { $0 + Int(reader.metadata.rowGroups[$1].rowCount) }
    }

    /// The first `limit` rows and the last ones as `cat` shows them (first and last halves), decoding
    /// only the row groups that hold them; the table has `limit + 1` rows when the selection has
    /// more than `limit` (so the text table elides one) and the selection's true row count is
    /// returned beside it.
    static func headAndTail(_ reader: ParquetFileReader, path: String, limit: Int) throws -> (table: Table, rows: Int) {
        let groups = reader.options.rowGroups ?? Array(reader.metadata.rowGroups.indices)
        let total = selectedRows(reader)
        func read(_ group: Int) throws -> RecordBatch {
            do { return try reader.readRowGroup(group) } catch { throw FileParquetError(path: path, error: error) }
        }
        var batches: [RecordBatch] = []
        if total <= limit {
            for group in groups { batches.append(try read(group)) }
        } else {
            // One row past the head, so that the text table elides exactly one row between head and tail.
            let head = (limit + 1) / 2 + 1, tail = limit / 2
            var headRows = 0, headGroups = 0
            while headRows < head {
                let batch = try read(groups[headGroups])
                batches.append(batch.length > head - headRows ? batch.slice(0..<(head - headRows)) : batch)
                headRows += batch.length
                headGroups += 1
            }
            var tailBatches: [RecordBatch] = []
            var tailRows = 0, index = groups.count
            while tailRows < tail {
                index -= 1
                let batch = try read(groups[index])
                let want = tail - tailRows
                tailBatches.insert(batch.length > want ? batch.slice((batch.length - want)..<batch.length) : batch, at: 0)
                tailRows += batch.length
            }
            batches += tailBatches
        }
        do {
            return (try Table(schema: reader.schema, batches: batches), total)
        } catch {
            throw CLIError("\(ArrowIO.displayName(path)): \(error)")
        }
    }
}

/// A Parquet file read batch by batch through ``ParquetFileReader/batches()``: one row group is
/// decoded at a time, so memory stays bounded by the largest row group.
/// Its byte counts (for the progress line and the summary) are those of the column chunks read:
/// a row group's chunks count once its first batch is out.
struct ParquetBatchInput: BatchInput {
    let path: String
    let reader: ParquetFileReader
    private var iterator: ParquetBatchIterator
    /// The first row and the compressed bytes of the needed column chunks of each selected row group.
    private let groups: [(firstRow: Int, bytes: Int)]
    private var rows = 0

    init(path: String, options: ParquetReadOptions) throws {
        self.path = path
        let reader = try ParquetInput.open(path, options: options)
        self.reader = reader
        iterator = reader.batches()
        let wanted = Set(reader.parquetSchema.columns.indices.filter { reader.plansColumn($0) })
        var firstRow = 0
        var groups: [(firstRow: Int, bytes: Int)] = []
        for index in reader.options.rowGroups ?? Array(reader.metadata.rowGroups.indices) {
            let group = reader.metadata.rowGroups[index]
            let bytes = group.columns.indices.filter(wanted.contains).reduce(0) { $0 + Int(group.columns[$1].metadata?.totalCompressedSize ?? 0) }
            groups.append((firstRow, bytes))
            firstRow += Int(group.rowCount)
        }
        self.groups = groups
    }

    var schema: Schema? { reader.schema }
    var bytesRead: Int? { groups.lazy.filter { $0.firstRow < rows }.reduce(0) { $0 + $1.bytes } }
    var totalBytes: Int? { groups.reduce(0) { $0 + $1.bytes } }

    mutating func next() throws -> RecordBatch? {
        do {
            let batch = try iterator.next()
            rows += batch?.length ?? 0
            return batch
        } catch {
            throw FileParquetError(path: path, error: error)
        }
    }
}

extension ParquetFileReader {
    /// Whether the projection reads leaf column `index` (its dotted path is a field's or under a kept one).
    func plansColumn(_ index: Int) -> Bool {
        guard let names = options.columns else { return true }
        let column = parquetSchema.columns[index]
        return names.contains { column.path.first == $0 || column.dottedPath == $0 || column.dottedPath.hasPrefix($0 + ".") }
    }
}
