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
public typealias JSONLinesReader<Source: ByteSource> = TextBatchReader<JSONLinesDecoder, Source>

extension TextBatchReader where Decoder == JSONLinesDecoder {
    /// A reader of the JSON Lines text `source` delivers.
    public init(source: Source, options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        self.init(decoder: try JSONLinesDecoder(options: options), source: source)
    }
}

extension TextBatchReader where Decoder == JSONLinesDecoder, Source == BufferSource {
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
extension TextBatchReader where Decoder == JSONLinesDecoder, Source == OwnedFileSource {
    /// A reader of the JSON Lines file at `path` (`-` for standard input).
    public init(path: String, options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        try self.init(source: try OwnedFileSource.opening(path), options: options)
    }
}
