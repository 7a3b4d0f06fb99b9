import LightstreamArrow
import LightstreamFraming
import Vec64

/// Encodes record batches as CSV text: a ``FrameEncoder`` (one batch per frame; the header
/// before the first), so `FrameWriter` (memory, files, pipes) and the async `FrameSink`
/// (sockets, stdout) drive it unchanged.
///
/// Values are rendered column by column (the type switch outside the loop over values) and then
/// interleaved into rows, quoted per ``CSVWriteOptions/quoting``.
public struct CSVEncoder: FrameEncoder, Sendable {
    public typealias Frame = RecordBatch

    /// The schema every batch must have.
    public let schema: Schema
    /// The options the encoder writes with.
    public let options: CSVWriteOptions
    private var wroteHeader = false
    private let terminator: [UInt8]
    private let nullText: [UInt8]
    /// 1 for the bytes that make a value need quotes.
    private let special: [UInt8]
    private var lastError: CSVError?
    /// Text that a reader would take for null unless quoted (pyarrow's null spellings).
    private let nullSpellings = ByteStringSet(CSVReadOptions.pyarrowNullValues)

    /// An encoder of batches of `schema`.
    ///
    /// - Throws: ``CSVError/Kind/unsupportedType(_:)`` naming the first column CSV cannot hold
    ///   (a nested one when ``CSVWriteOptions/nestedAsJSON`` is off), or
    ///   ``CSVError/Kind/invalidOptions(_:)``.
    public init(schema: Schema, options: CSVWriteOptions = CSVWriteOptions()) throws(CSVError) {
        try options.validated()
        for field in schema.fields where !CellText.isWritable(field.type, nestedAsJSON: options.nestedAsJSON) {
            throw CSVError(.unsupportedType("column '\(field.name)' is \(field.type), which CSV holds only as JSON text (CSVWriteOptions.nestedAsJSON)"), column: field.name)
        }
        self.schema = schema
        self.options = options
        terminator = Array(options.lineTerminator.utf8)
        nullText = Array(options.nullText.utf8)
        var special = [UInt8](repeating: 0, count: 256)
        for b in [options.delimiter, options.quote, UInt8(ascii: "\r"), UInt8(ascii: "\n")] { special[Int(b)] = 1 }
        self.special = special
    }

    /// The ``CSVError`` behind a ``FramingError`` thrown by this encoder.
    public func csvError(for error: FramingError) -> CSVError {
        if let lastError, lastError.framingError == error { return lastError }
        return CSVError(.io(error.description))
    }

    public mutating func encode(_ batch: RecordBatch, into output: inout FrameOutput) throws(FramingError) {
        do {
            var text: [UInt8] = []
            try encode(batch, into: &text)
            text.withUnsafeBytes { output.append(bytes: $0) }
        } catch {
            lastError = error
            throw error.framingError
        }
    }

    /// Appends the CSV text of `batch` (after the header, the first time) to `out`.
    public mutating func encode(_ batch: RecordBatch, into out: inout [UInt8]) throws(CSVError) {
        guard batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw CSVError(.schemaMismatch("a batch's columns are \(batch.schema.fields.map(\.type)), the writer's \(schema.fields.map(\.type))"))
        }
        encodeHeaderIfNeeded(into: &out)
        let n = batch.length
        guard n > 0 else { return }
        let columns = batch.columns.count
        var rendered: [[UInt8]] = []
        var ends: [[Int]] = []
        var nulls: [[Bool]] = []
        var isText: [Bool] = []
        for column in batch.columns {
            var bytes: [UInt8] = [], e: [Int] = [], z: [Bool] = []
            bytes.reserveCapacity(n * 8)
            e.reserveCapacity(n)
            isText.append(CellText.render(column, binaryEncoding: options.binaryEncoding, into: &bytes, ends: &e, nulls: &z))
            rendered.append(bytes)
            ends.append(e)
            nulls.append(z)
        }
        out.reserveCapacity(out.count + rendered.reduce(0) { $0 + $1.count } + n * (columns + terminator.count + 2))
        for row in 0..<n {
            for c in 0..<columns {
                if c > 0 { out.append(options.delimiter) }
                if nulls[c][row] { out.append(contentsOf: nullText); continue }
                let start = row == 0 ? 0 : ends[c][row - 1]
                let written = rendered[c].withUnsafeBytes { all in
                    appendCell(UnsafeRawBufferPointer(rebasing: all[start..<ends[c][row]]), text: isText[c], into: &out)
                }
                if !written {
                    let value = rendered[c].withUnsafeBytes { CSVError.excerpt(UnsafeRawBufferPointer(rebasing: $0[start..<ends[c][row]])) }
                    throw CSVError(.invalidValue(type: "unquoted CSV cell (CSVWriteOptions.quoting is .none)", text: value), column: schema.fields[c].name)
                }
            }
            out.append(contentsOf: terminator)
        }
    }

    /// Appends the header line if it is due and not written yet (quoted as needed; with
    /// ``CSVWriteOptions/Quoting/none`` names are written as they are).
    public mutating func encodeHeaderIfNeeded(into out: inout [UInt8]) {
        guard !wroteHeader else { return }
        wroteHeader = true
        guard options.header else { return }
        for (k, field) in schema.fields.enumerated() {
            if k > 0 { out.append(options.delimiter) }
            var name = field.name
            name.withUTF8 { bytes in
                if !appendCell(UnsafeRawBufferPointer(bytes), text: true, into: &out) { out.append(contentsOf: bytes) }
            }
        }
        out.append(contentsOf: terminator)
    }

    /// One cell, quoted when the options and its bytes say so; `false` (and nothing written)
    /// when it needs quotes that ``CSVWriteOptions/Quoting/none`` forbids.
    @inline(__always)
    private func appendCell(_ value: UnsafeRawBufferPointer, text: Bool, into out: inout [UInt8]) -> Bool {
        var needsQuotes = options.quoting == .allValues
            || (text && (nullSpellings.contains(value) || (!nullText.isEmpty && value.elementsEqual(nullText))))
        if !needsQuotes {
            for b in value where special[Int(b)] != 0 { needsQuotes = true; break }
        }
        guard needsQuotes else { out.append(contentsOf: value); return true }
        if options.quoting == .none { return false }
        let quote = options.quote
        out.append(quote)
        for b in value {
            out.append(b)
            if b == quote { out.append(quote) }
        }
        out.append(quote)
        return true
    }
}

/// Writes record batches as CSV to a synchronous ``ByteSink`` (memory, a file, a pipe), with
/// errors as ``CSVError``.
///
/// ```swift
/// var writer = try CSVWriter(sink: MemorySink(), schema: table.schema)
/// try writer.write(table)
/// let bytes = try writer.finish().buffer
/// ```
public struct CSVWriter<Sink: ByteSink> {
    private var encoder: CSVEncoder
    private var sink: Sink
    private var pending: [UInt8] = []
    /// Buffered bytes at which `write` passes them to the sink.
    public let flushThreshold: Int

    /// A writer of batches of `schema` to `sink`.
    public init(sink: Sink, schema: Schema, options: CSVWriteOptions = CSVWriteOptions(), flushThreshold: Int = 1 << 20) throws(CSVError) {
        encoder = try CSVEncoder(schema: schema, options: options)
        self.sink = sink
        self.flushThreshold = flushThreshold
    }

    /// Writes one batch (the header first, before the first batch).
    public mutating func write(_ batch: RecordBatch) throws(CSVError) {
        try encoder.encode(batch, into: &pending)
        if pending.count >= flushThreshold { try pass() }
    }

    /// Writes every batch of `table`.
    public mutating func write(_ table: Table) throws(CSVError) {
        for batch in table.batches { try write(batch) }
    }

    /// Writes the header if no batch was written, flushes, and returns the sink.
    public consuming func finish() throws(CSVError) -> Sink {
        var header: [UInt8] = []
        encoder.encodeHeaderIfNeeded(into: &header)
        pending.append(contentsOf: header)
        try pass()
        do { try sink.flush() } catch { throw CSVError(.io("\(error)")) }
        return sink
    }

    private mutating func pass() throws(CSVError) {
        guard !pending.isEmpty else { return }
        let bytes = Buffer(copying: pending)   // one copy into aligned memory the sink may keep
        pending.removeAll(keepingCapacity: true)
        do { try sink.write([bytes]) } catch { throw CSVError(.io("\(error)")) }
    }
}
