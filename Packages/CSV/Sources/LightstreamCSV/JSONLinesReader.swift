import LightstreamArrow
import LightstreamFraming
import Vec64

/// Reads JSON Lines (NDJSON) from a synchronous ``ByteSource`` (memory, a file, a pipe) batch
/// by batch: ``JSONLinesDecoder`` driven by a `FrameReader`, with errors as ``CSVError``.
///
/// ```swift
/// var reader = try JSONLinesReader(path: "events.jsonl")
/// while let batch = try reader.next() { ... }
/// let table = try JSONLinesReader(path: "events.jsonl").readAll()
/// ```
public struct JSONLinesReader<Source: ByteSource> {
    private var frames: FrameReader<JSONLinesDecoder, Source>
    private var done = false

    /// A reader of the JSON Lines text `source` delivers.
    public init(source: Source, options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        frames = FrameReader(decoder: try JSONLinesDecoder(options: options), source: source)
    }

    /// The decoder (its schema once known, the rows decoded).
    public var decoder: JSONLinesDecoder { frames.decoder }
    /// The schema, known after the first batch (or at the end, when a schema was given).
    public var schema: Schema? { frames.decoder.schema }

    /// The next batch, or `nil` after the last.
    public mutating func next() throws(CSVError) -> RecordBatch? {
        if done { return nil }
        do {
            if let batch = try frames.next() { return batch }
            done = true
            return nil
        } catch let error as FramingError {
            done = true
            throw frames.decoder.csvError(for: error)
        } catch {
            done = true
            throw CSVError(.io("\(error)"))
        }
    }

    /// Every remaining batch as a table (with the given schema and no rows, or no columns at all,
    /// when the input has no rows).
    public mutating func readAll() throws(CSVError) -> Table {
        var batches: [RecordBatch] = []
        while let batch = try next() { batches.append(batch) }
        let schema = self.schema ?? frames.decoder.options.schema ?? Schema([])
        do {
            return try Table(schema: schema, batches: batches)
        } catch {
            throw CSVError(.schemaMismatch(error.description))
        }
    }
}

extension JSONLinesReader where Source == BufferSource {
    /// A reader of JSON Lines text in memory.
    public init(buffer: Buffer, options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        try self.init(source: BufferSource([buffer]), options: options)
    }

    /// A reader of JSON Lines text in a string.
    public init(text: String, options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        try self.init(source: BufferSource(Array(text.utf8)), options: options)
    }
}

/// A JSON Lines reader of a file it opened and closes when it is done with it.
extension JSONLinesReader where Source == OwnedFileSource {
    /// A reader of the JSON Lines file at `path` (`-` for standard input).
    public init(path: String, options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        try self.init(source: try OwnedFileSource(path: path), options: options)
    }
}
