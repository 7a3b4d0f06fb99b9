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
    private let numbersAreSafe: Bool

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
        // Numbers, dates, times and booleans are spelled with these bytes only; unless the
        // delimiter or quote is one of them, such cells never need quotes.
        let numeric = Set("0123456789+-.eE:TZ infatrusl".utf8)
        numbersAreSafe = !numeric.contains(options.delimiter) && !numeric.contains(options.quote)
    }

    /// The ``CSVError`` behind a ``FramingError`` thrown by this encoder.
    public func csvError(for error: FramingError) -> CSVError {
        if let lastError, lastError.framingError == error { return lastError }
        return CSVError(.io(error.description))
    }

    public mutating func encode(_ batch: RecordBatch, into output: inout FrameOutput) throws(FramingError) {
        do {
            var text = ByteWriter(capacity: 1 << 16)
            defer { text.deallocate() }
            try encode(batch, into: &text)
            output.append(bytes: text.bytes)
        } catch {
            lastError = error
            throw error.framingError
        }
    }

    /// Appends the CSV text of `batch` (after the header, the first time) to `out`.
    public mutating func encode(_ batch: RecordBatch, into out: inout [UInt8]) throws(CSVError) {
        var text = ByteWriter(capacity: 1 << 16)
        defer { text.deallocate() }
        try encode(batch, into: &text)
        out.append(contentsOf: text.bytes)
    }

    mutating func encode(_ batch: RecordBatch, into out: inout ByteWriter) throws(CSVError) {
        guard batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw CSVError(.schemaMismatch("a batch's columns are \(batch.schema.fields.map(\.type)), the writer's \(schema.fields.map(\.type))"))
        }
        encodeHeaderIfNeeded(into: &out)
        let n = batch.length
        guard n > 0 else { return }
        let columns = batch.columns.count
        // Every column's values rendered one after the other (column-major), then interleaved.
        var cells = ByteWriter(capacity: n * columns * 8)
        defer { cells.deallocate() }
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: n * columns)
        let nulls = UnsafeMutablePointer<Bool>.allocate(capacity: n * columns)
        defer { ends.deallocate(); nulls.deallocate() }
        var mayNeedQuotes: [Bool] = []
        var isText: [Bool] = []
        for (c, column) in batch.columns.enumerated() {
            let text = CellText.render(column, binaryEncoding: options.binaryEncoding, into: &cells, ends: ends + c * n, nulls: nulls + c * n)
            isText.append(text)
            mayNeedQuotes.append(text || !numbersAreSafe || options.quoting == .allValues)
        }
        out.reserve(cells.count + n * (columns + terminator.count) + 64)
        let delimiter = options.delimiter
        for row in 0..<n {
            for c in 0..<columns {
                if c > 0 { out.append(delimiter) }
                let k = c * n + row
                if nulls[k] {
                    out.append(contentsOf: nullText.withUnsafeBytes { $0 })
                    continue
                }
                let start = k == 0 ? 0 : ends[k - 1]
                let value = UnsafeRawBufferPointer(rebasing: cells.bytes[start..<ends[k]])
                if !mayNeedQuotes[c] {
                    out.append(contentsOf: value)
                } else if !appendCell(value, text: isText[c], into: &out) {
                    throw CSVError(.invalidValue(type: "unquoted CSV cell (CSVWriteOptions.quoting is .none)", text: CSVError.excerpt(value)),
                                   row: row + 1, column: schema.fields[c].name)
                }
            }
            terminator.withUnsafeBytes { out.append(contentsOf: $0) }
        }
    }

    /// Appends the header line if it is due and not written yet (quoted as needed; with
    /// ``CSVWriteOptions/Quoting/none`` names are written as they are).
    public mutating func encodeHeaderIfNeeded(into out: inout [UInt8]) {
        var text = ByteWriter(capacity: 256)
        defer { text.deallocate() }
        encodeHeaderIfNeeded(into: &text)
        out.append(contentsOf: text.bytes)
    }

    mutating func encodeHeaderIfNeeded(into out: inout ByteWriter) {
        guard !wroteHeader else { return }
        wroteHeader = true
        guard options.header else { return }
        for (k, field) in schema.fields.enumerated() {
            if k > 0 { out.append(options.delimiter) }
            var name = field.name
            name.withUTF8 { bytes in
                if !appendCell(UnsafeRawBufferPointer(bytes), text: true, into: &out) { out.append(contentsOf: UnsafeRawBufferPointer(bytes)) }
            }
        }
        out.append(bytes: terminator)
    }

    /// One cell, quoted when the options and its bytes say so; `false` (and nothing written)
    /// when it needs quotes that ``CSVWriteOptions/Quoting/none`` forbids.
    @inline(__always)
    private func appendCell(_ value: UnsafeRawBufferPointer, text: Bool, into out: inout some TextOutput) -> Bool {
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
    /// The bytes not yet passed to the sink, in memory this box frees (copied on write, so
    /// copies of a writer never share them).
    private final class Pending {
        var bytes: ByteWriter
        init(capacity: Int) { bytes = ByteWriter(capacity: capacity) }
        init(copying other: Pending) {
            bytes = ByteWriter(capacity: other.bytes.capacity)
            bytes.append(contentsOf: other.bytes.bytes)
        }
        deinit { bytes.deallocate() }
    }

    private var encoder: CSVEncoder
    private var sink: Sink
    private var pending: Pending
    /// Buffered bytes at which `write` passes them to the sink.
    public let flushThreshold: Int

    /// A writer of batches of `schema` to `sink`.
    public init(sink: Sink, schema: Schema, options: CSVWriteOptions = CSVWriteOptions(), flushThreshold: Int = 1 << 20) throws(CSVError) {
        encoder = try CSVEncoder(schema: schema, options: options)
        self.sink = sink
        self.flushThreshold = flushThreshold
        pending = Pending(capacity: min(flushThreshold, 1 << 20) + 4096)
    }

    private mutating func uniquePending() -> Pending {
        if !isKnownUniquelyReferenced(&pending) { pending = Pending(copying: pending) }
        return pending
    }

    /// Writes one batch (the header first, before the first batch).
    public mutating func write(_ batch: RecordBatch) throws(CSVError) {
        let box = uniquePending()
        try encoder.encode(batch, into: &box.bytes)
        if box.bytes.count >= flushThreshold { try pass() }
    }

    /// Writes every batch of `table`.
    public mutating func write(_ table: Table) throws(CSVError) {
        for batch in table.batches { try write(batch) }
    }

    /// Writes the header if no batch was written, flushes, and returns the sink.
    public consuming func finish() throws(CSVError) -> Sink {
        let box = uniquePending()
        encoder.encodeHeaderIfNeeded(into: &box.bytes)
        try pass()
        do { try sink.flush() } catch { throw CSVError(.io("\(error)")) }
        return sink
    }

    /// Hands the pending bytes to the sink without copying them (the sink's buffer frees them).
    private mutating func pass() throws(CSVError) {
        let box = uniquePending()
        guard box.bytes.count > 0 else { return }
        let memory = box.bytes.bytes
        let bytes = Buffer(unsafeForeignBytes: memory) { UnsafeMutableRawPointer(mutating: $0.baseAddress!).deallocate() }
        box.bytes = ByteWriter(capacity: min(flushThreshold, 1 << 20) + 4096)
        do { try sink.write([bytes]) } catch { throw CSVError(.io("\(error)")) }
    }
}
