import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LightstreamArrow
import LightstreamFraming
import Vec64

/// A row the reader skipped because its field count was wrong (with
/// ``CSVReadOptions/InvalidRowHandling/skip``).
public struct SkippedRow: Sendable, Equatable {
    /// The 1-based row number (counting the header and skipped rows).
    public var row: Int
    /// The offset of the row's first byte in the input.
    public var byteOffset: Int
    /// The number of fields the row had.
    public var fieldCount: Int
}

/// Decodes CSV text into record batches, one batch per frame: a ``FrameDecoder``, so
/// `FrameReader` (memory, files, pipes), the async `FramedByteStream` (sockets, stdin) and NIO
/// pipelines drive it unchanged.
///
/// A batch covers about ``CSVReadOptions/blockSize`` bytes of input (whole rows; at most
/// ``CSVReadOptions/batchRows`` rows). The column types are fixed by the first batch (given, or
/// inferred from its values as `pyarrow.csv` does); a later value that does not fit is an error
/// naming its row and column. Memory stays bounded by one block however long the input is.
///
/// The Framing protocols throw ``FramingError``; ``csvError(for:)`` recovers the ``CSVError``
/// (kind, row, column, byte offset) behind one.
public struct CSVDecoder: TextBatchDecoder, Sendable {
    public typealias Frame = RecordBatch

    /// The options the decoder reads with.
    public let options: CSVReadOptions
    /// The schema of the batches, known once the first batch is decoded (or the header read,
    /// when every column's type is given).
    public private(set) var schema: Schema?
    /// The number of rows skipped for a wrong field count.
    public internal(set) var skippedRows = 0
    /// The first (up to 100) rows skipped for a wrong field count.
    public internal(set) var skippedRowSamples: [SkippedRow] = []
    /// The number of data rows decoded so far.
    public internal(set) var rowsDecoded = 0

    private let tokenizer: CSVTokenizer
    private let rules: ValueRules
    let blockSize: Int
    /// Threads converting one block's columns (1 inside a parallel read of whole blocks).
    var columnThreads: Int
    var rowsToSkip: Int
    var headerPending: Bool
    var bomChecked = false
    private var inputNames: [String]?
    private var selected: [Int] = []
    private var types: [DataType] = []
    private var dictionaries: [ByteStringInterner<Int32>] = []
    private var expectedColumns: Int?
    var nextRow = 1
    /// Bytes at the start of the window already read (BOM, skipped rows, header) but not yet
    /// consumed, because no frame has been returned since.
    var prefix = 0
    /// The window size below which decoding again cannot finish a block.
    private var wantedWindow = 0
    var emitted = false
    private var rows = TokenizedRows()
    private var lastError: CSVError?
    /// Stray quotes seen in the rows of the frames returned so far (see ``TokenizedRows/strayQuotes``).
    var strayQuotes = 0

    /// The largest window the decoder tokenizes at once (positions are packed in 30 bits).
    static let windowLimit = (1 << 30) - 1

    /// A decoder reading with `options`.
    ///
    /// - Throws: ``CSVError/Kind/invalidOptions(_:)`` when the options contradict each other.
    public init(options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        try options.validated()
        self.options = options
        tokenizer = CSVTokenizer(options)
        rules = ValueRules(options)
        blockSize = min(options.blockSize, 256 << 20)
        columnThreads = options.threads == 0 ? Processors.count : options.threads
        rowsToSkip = options.skipRows
        headerPending = options.header
        if let names = options.columnNames ?? (options.header ? nil : options.schema?.fields.map(\.name)) {
            inputNames = names
            expectedColumns = names.count
        }
    }

    /// The ``CSVError`` behind a ``FramingError`` thrown by this decoder (or by a reader driving
    /// it); errors of the byte source become ``CSVError/Kind/io(_:)``.
    /// The schema of an input without rows, when the options give one.
    public var givenSchema: Schema? { options.includeColumns == nil ? options.schema : nil }

    public func csvError(for error: FramingError) -> CSVError {
        if let lastError, lastError.framingError == error { return lastError }
        return CSVError(.io(error.description), byteOffset: error.byteOffset)
    }

    public mutating func decode(_ window: ByteWindow) throws(FramingError) -> DecodeStep<RecordBatch> {
        if window.count < wantedWindow { return .needMoreData(minimumWindow: wantedWindow) }
        do {
            return try step(window, isFinal: false) ?? .needMoreData(minimumWindow: wantedWindow)
        } catch {
            lastError = error
            throw error.framingError
        }
    }

    public mutating func decodeLast(_ window: ByteWindow) throws(FramingError) -> DecodeStep<RecordBatch>? {
        do {
            return try step(window, isFinal: true)
        } catch {
            lastError = error
            throw error.framingError
        }
    }

    /// Reads skipped rows, the header and one block; `nil` when more input is needed (or, when
    /// final, when there is nothing left).
    mutating func step(_ window: ByteWindow, isFinal finalInput: Bool) throws(CSVError) -> DecodeStep<RecordBatch>? {
        let count = min(window.count, Self.windowLimit)
        let isFinal = finalInput && count == window.count
        return try window.bytes.withUnsafeBytes { (all: UnsafeRawBufferPointer) throws(CSVError) -> DecodeStep<RecordBatch>? in
            let bytes = UnsafeRawBufferPointer(rebasing: all[0..<count])
            var pos = prefix
            // A UTF-8 byte order mark at the very start of input.
            if !bomChecked {
                if window.streamOffset + pos == 0 {
                    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                    let have = min(3, count - pos)
                    if have < 3 && !isFinal && zip(bytes[pos..<(pos + have)], bom).allSatisfy(==) {
                        return needMore(count + 1)
                    }
                    if have == 3 && Array(bytes[pos..<(pos + 3)]) == bom { pos += 3 }
                }
                bomChecked = true
                prefix = pos
            }
            // Rows skipped before the header, then the header.
            while rowsToSkip > 0 || headerPending {
                var single = TokenizedRows()
                var anyWidth: Int? = nil
                let r = try tokenizer.tokenize(
                    UnsafeRawBufferPointer(rebasing: bytes[pos...]), byteBudget: .max, rowBudget: 1, isFinal: isFinal,
                    expectedColumns: &anyWidth, ragged: .error, firstRow: nextRow, streamOffset: window.streamOffset + pos,
                    into: &single, skipped: { _, _, _ in })
                if single.rowCount == 0 {
                    guard isFinal else { return needMore(max(count + 1, count + count / 2)) }
                    return try finish(window, count: count, position: pos + r.consumed)
                }
                if rowsToSkip > 0 {
                    rowsToSkip -= 1
                } else {
                    try readHeader(single, UnsafeRawBufferPointer(rebasing: bytes[pos...]))
                    headerPending = false
                }
                pos += r.consumed
                nextRow += 1
                prefix = pos
            }
            // One block of rows.
            var skips: [SkippedRow] = []
            var seen = 0
            var dataStart = pos
            while true {
                rows.removeAll()
                let r = try tokenizer.tokenize(
                    UnsafeRawBufferPointer(rebasing: bytes[dataStart...]), byteBudget: blockSize, rowBudget: options.batchRows,
                    isFinal: isFinal, expectedColumns: &expectedColumns, ragged: options.invalidRows == .skip ? .skip : .error,
                    firstRow: nextRow + seen, streamOffset: window.streamOffset + dataStart, into: &rows,
                    skipped: { row, offset, fields in skips.append(SkippedRow(row: row, byteOffset: offset, fieldCount: fields)) })
                if r.stop == .needMore {
                    let used = dataStart - pos + r.consumed
                    return needMore(used >= blockSize || count - pos >= blockSize ? count + max(count / 2, 4096) : pos + blockSize + 1)
                }
                seen += r.rowsSeen
                if rows.rowCount > 0 || r.stop == .endOfInput {
                    let end = dataStart + r.consumed
                    if rows.rowCount == 0 {
                        commitSkips(skips)
                        nextRow += seen
                        return try finish(window, count: count, position: end)
                    }
                    let batch = try convert(UnsafeRawBufferPointer(rebasing: bytes[dataStart..<end]), streamOffset: window.streamOffset + dataStart)
                    commitSkips(skips)
                    nextRow += seen
                    strayQuotes += rows.strayQuotes
                    rowsDecoded += rows.rowCount
                    prefix = 0
                    wantedWindow = 0
                    emitted = true
                    return .frame(batch, consumed: end)
                }
                // A full block of skipped rows, comments or empty lines: go on past it.
                dataStart += r.consumed
            }
        }
    }

    private mutating func needMore(_ window: Int) -> DecodeStep<RecordBatch>? {
        wantedWindow = window
        return nil
    }

    private mutating func commitSkips(_ skips: [SkippedRow]) {
        skippedRows += skips.count
        skippedRowSamples.append(contentsOf: skips.prefix(max(0, 100 - skippedRowSamples.count)))
    }

    /// At end of input with no rows left: an empty batch if none was returned yet (so the
    /// schema is known), else nothing.
    private mutating func finish(_ window: ByteWindow, count: Int, position: Int) throws(CSVError) -> DecodeStep<RecordBatch>? {
        guard !emitted, count > 0 else { return nil }
        rows.removeAll()
        rows.columnCount = expectedColumns ?? 0
        guard inputNames != nil || expectedColumns != nil else { return nil }
        let batch = try convert(UnsafeRawBufferPointer(start: nil, count: 0), streamOffset: window.streamOffset + position)
        emitted = true
        prefix = 0
        return .frame(batch, consumed: count)
    }

    private mutating func readHeader(_ header: TokenizedRows, _ block: UnsafeRawBufferPointer) throws(CSVError) {
        let columns = BlockColumns(block: block, rows: header, tokenizer: tokenizer, rules: rules, streamOffset: 0)
        var names: [String] = []
        for c in 0..<header.columnCount {
            columns.forEachValue(c) { _, value, _ in names.append(String(decoding: value, as: UTF8.self)) }
        }
        if options.columnNames == nil { inputNames = names }
        if let given = inputNames, given.count != names.count {
            throw CSVError(.raggedRow(expected: given.count, found: names.count), row: nextRow)
        }
        if let schema = options.schema, schema.fields.map(\.name) != names {
            throw CSVError(.schemaMismatch("the header names \(names) but the schema's fields are \(schema.fields.map(\.name))"), row: nextRow)
        }
        expectedColumns = names.count
    }

    /// The batch of the tokenized rows (fixing the schema on the first one).
    private mutating func convert(_ block: UnsafeRawBufferPointer, streamOffset: Int) throws(CSVError) -> RecordBatch {
        let columns = BlockColumns(block: block, rows: rows, tokenizer: tokenizer, rules: rules, streamOffset: streamOffset)
        if schema == nil { try resolveSchema(columns) }
        let schema = schema!
        var arrays: [ArrayData] = []
        arrays.reserveCapacity(selected.count)
        let threads = columnThreads
        if threads > 1 && selected.count > 1 && rows.rowCount >= 1024 {
            arrays = try convertInParallel(columns, schema: schema, threads: threads)
        } else {
            for (k, input) in selected.enumerated() {
                arrays.append(try columns.convert(input, to: types[k], name: schema.fields[k].name, dictionary: &dictionaries[k]))
            }
        }
        do {
            return try RecordBatch(schema: schema, columns: arrays, length: rows.rowCount)
        } catch {
            throw CSVError(.schemaMismatch(error.description))
        }
    }

    /// Converts the columns on up to `threads` threads; the first error (by column) wins.
    private mutating func convertInParallel(_ columns: BlockColumns, schema: Schema, threads: Int) throws(CSVError) -> [ArrayData] {
        let count = selected.count
        let results = UnsafeMutableBufferPointer<Result<ArrayData, CSVError>?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let dictionaryStates = UnsafeMutableBufferPointer<ByteStringInterner<Int32>>.allocate(capacity: count)
        _ = dictionaryStates.initialize(from: dictionaries)
        defer { dictionaryStates.deinitialize(); dictionaryStates.deallocate() }
        /// The pieces the workers share; each worker writes only its own columns' slots.
        struct Shared: @unchecked Sendable {
            let columns: BlockColumns
            let results: UnsafeMutableBufferPointer<Result<ArrayData, CSVError>?>
            let dictionaries: UnsafeMutableBufferPointer<ByteStringInterner<Int32>>
            let selected: [Int]
            let types: [DataType]
            let schema: Schema
        }
        let shared = Shared(columns: columns, results: results, dictionaries: dictionaryStates, selected: selected, types: types, schema: schema)
        let workers = min(threads, count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < count {
                do throws(CSVError) {
                    let array = try shared.columns.convert(shared.selected[k], to: shared.types[k], name: shared.schema.fields[k].name,
                                                           dictionary: &shared.dictionaries[k])
                    shared.results[k] = .success(array)
                } catch {
                    shared.results[k] = .failure(error)
                }
                k += workers
            }
        }
        for k in 0..<count { dictionaries[k] = dictionaryStates[k] }
        var arrays: [ArrayData] = []
        for k in 0..<count { arrays.append(try results[k]!.get()) }
        return arrays
    }

    private mutating func resolveSchema(_ columns: BlockColumns) throws(CSVError) {
        let width = expectedColumns ?? columns.rows.columnCount
        let names = inputNames ?? (0..<width).map { "f\($0)" }
        inputNames = names
        if let schema = options.schema, schema.fields.count != width {
            throw CSVError(.schemaMismatch("the input has \(width) columns, the schema \(schema.fields.count)"))
        }
        for name in options.columnTypes.keys where !names.contains(name) {
            throw CSVError(.noSuchColumn(name))
        }
        if let include = options.includeColumns {
            selected = []
            for name in include {
                guard let index = names.firstIndex(of: name) else { throw CSVError(.noSuchColumn(name)) }
                selected.append(index)
            }
        } else {
            selected = Array(0..<width)
        }
        var fields: [Field] = []
        for input in selected {
            let name = names[input]
            let type: DataType
            if let schema = options.schema {
                type = schema.fields[input].type
            } else if let given = options.columnTypes[name] {
                type = given
            } else {
                type = columns.inferKind(input).dataType(dictionaryEncodeStrings: options.dictionaryEncodeStrings)
            }
            guard BlockColumns.isSupported(type) else {
                throw CSVError(.unsupportedType("CSV values cannot be read as \(type)"), column: name)
            }
            types.append(type)
            let nullable = options.schema?.fields[input].nullable ?? true
            fields.append(Field(name, type, nullable: nullable, metadata: options.schema?.fields[input].metadata ?? [:]))
        }
        dictionaries = Array(repeating: ByteStringInterner<Int32>(), count: selected.count)
        schema = Schema(fields, metadata: options.schema?.metadata ?? [:])
    }
}

/// The machine's processors.
enum Processors {
    /// The number of processors online (at least 1).
    static var count: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
