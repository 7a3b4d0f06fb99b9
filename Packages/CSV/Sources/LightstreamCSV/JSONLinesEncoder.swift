import LightstreamArrow
import LightstreamFraming
import Vec64

/// Encodes record batches as JSON Lines text: a ``FrameEncoder`` (one batch per frame), so
/// `FrameWriter` (memory, files, pipes) and the async `FrameSink` (sockets, stdout) drive it
/// unchanged.
///
/// Each row becomes one line `{"column":value,...}\n`: keys escaped as JSON strings, values as
/// ``JSONValueEncoding`` renders every Arrow type (nulls as `null`, or left out with
/// ``JSONLinesWriteOptions/omitNullFields``; NaN and infinities as `null`; binary as base64;
/// dates, times and timestamps as ISO 8601 strings; lists as arrays; structs and maps with string
/// keys as objects).
public struct JSONLinesEncoder: FrameEncoder, Sendable {
    public typealias Frame = RecordBatch

    /// The schema every batch must have.
    public let schema: Schema
    /// The options the encoder writes with.
    public let options: JSONLinesWriteOptions
    /// Each column's key, escaped, with its `:`.
    private let keys: [[UInt8]]
    private var lastError: CSVError?

    /// An encoder of batches of `schema` (every Arrow type can be written).
    public init(schema: Schema, options: JSONLinesWriteOptions = JSONLinesWriteOptions()) {
        self.schema = schema
        self.options = options
        keys = schema.fields.map { field in
            var key: [UInt8] = []
            JSONValueEncoding.appendString(field.name, into: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
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

    /// Appends the JSON Lines text of `batch` (one line per row) to `out`.
    ///
    /// - Throws: ``CSVError/Kind/schemaMismatch(_:)`` when the batch's columns are not the
    ///   schema's.
    public func encode(_ batch: RecordBatch, into out: inout [UInt8]) throws(CSVError) {
        guard batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
            throw CSVError(.schemaMismatch("a batch's columns are \(batch.schema.fields.map(\.type)), the writer's \(schema.fields.map(\.type))"))
        }
        let columns = batch.columns
        out.reserveCapacity(out.count + batch.length * (keys.reduce(2) { $0 + $1.count + 8 }))
        for row in 0..<batch.length {
            out.append(UInt8(ascii: "{"))
            var first = true
            for (c, column) in columns.enumerated() {
                if options.omitNullFields && column.isNull(row) { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: keys[c])
                JSONValueEncoding.append(column, at: row, into: &out)
            }
            out.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        }
    }
}

/// Writes record batches as JSON Lines to a synchronous ``ByteSink`` (memory, a file, a pipe),
/// with errors as ``CSVError``.
///
/// ```swift
/// var writer = JSONLinesWriter(sink: MemorySink(), schema: table.schema)
/// try writer.write(table)
/// let bytes = try writer.finish().buffer
/// ```
public struct JSONLinesWriter<Sink: ByteSink> {
    private var encoder: JSONLinesEncoder
    private var sink: Sink
    private var pending: [UInt8] = []
    /// Buffered bytes at which `write` passes them to the sink.
    public let flushThreshold: Int

    /// A writer of batches of `schema` to `sink`.
    public init(sink: Sink, schema: Schema, options: JSONLinesWriteOptions = JSONLinesWriteOptions(), flushThreshold: Int = 1 << 20) {
        encoder = JSONLinesEncoder(schema: schema, options: options)
        self.sink = sink
        self.flushThreshold = flushThreshold
    }

    /// Writes one batch, one line per row.
    public mutating func write(_ batch: RecordBatch) throws(CSVError) {
        try encoder.encode(batch, into: &pending)
        if pending.count >= flushThreshold { try pass() }
    }

    /// Writes every batch of `table`.
    public mutating func write(_ table: Table) throws(CSVError) {
        for batch in table.batches { try write(batch) }
    }

    /// Flushes and returns the sink.
    public consuming func finish() throws(CSVError) -> Sink {
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
