import LightstreamArrow
import LightstreamFraming
import Vec64

/// A decoder of a text format into record batches whose errors are ``CSVError``s (CSV, JSON
/// Lines), for ``TextBatchReader``.
public protocol TextBatchDecoder: FrameDecoder where Frame == RecordBatch {
    /// The schema of the batches, once known.
    var schema: Schema? { get }
    /// The schema of an input without rows, when the options give one.
    var givenSchema: Schema? { get }
    /// The ``CSVError`` behind a ``FramingError`` this decoder (or a reader driving it) threw.
    func csvError(for error: FramingError) -> CSVError
}

/// Reads a text format from a synchronous ``ByteSource`` (memory, a file, a pipe) batch by
/// batch: a ``TextBatchDecoder`` driven by a `FrameReader`, with errors as ``CSVError``.
/// ``CSVReader`` and ``JSONLinesReader`` are its two forms.
///
/// ```swift
/// var reader = try CSVReader(path: "trades.csv")
/// while let batch = try reader.next() { ... }
/// let table = try CSVReader(path: "trades.csv").readAll()
/// ```
public struct TextBatchReader<Decoder: TextBatchDecoder, Source: ByteSource> {
    private var frames: FrameReader<Decoder, Source>
    private var done = false

    /// A reader that decodes what `source` delivers with `decoder`.
    public init(decoder: Decoder, source: Source) {
        frames = FrameReader(decoder: decoder, source: source)
    }

    /// The decoder (its schema once known, row counts).
    public var decoder: Decoder { frames.decoder }
    /// The schema, known after the first batch.
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

    /// Every remaining batch as a table (for CSV without rows: the header's columns typed null;
    /// with a given schema and no rows: that schema; no columns at all for empty input).
    public mutating func readAll() throws(CSVError) -> Table {
        var batches: [RecordBatch] = []
        while let batch = try next() { batches.append(batch) }
        let schema = self.schema ?? frames.decoder.givenSchema ?? Schema([])
        do {
            return try Table(schema: schema, batches: batches)
        } catch {
            throw CSVError(.schemaMismatch(error.description))
        }
    }
}

/// Reads CSV batch by batch: ``CSVDecoder`` driven by a `FrameReader`.
public typealias CSVReader<Source: ByteSource> = TextBatchReader<CSVDecoder, Source>

extension TextBatchReader where Decoder == CSVDecoder {
    /// A reader of the CSV text `source` delivers.
    public init(source: Source, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        self.init(decoder: try CSVDecoder(options: options), source: source)
    }
}

extension TextBatchReader where Decoder == CSVDecoder, Source == BufferSource {
    /// A reader of CSV text in memory.
    public init(buffer: Buffer, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        try self.init(source: BufferSource([buffer]), options: options)
    }

    /// A reader of CSV text in a string.
    public init(text: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        try self.init(source: BufferSource(Array(text.utf8)), options: options)
    }
}

/// A CSV reader of a file it opened and closes when it is done with it.
extension TextBatchReader where Decoder == CSVDecoder, Source == OwnedFileSource {
    /// A reader of the CSV file at `path` (`-` for standard input).
    public init(path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        try self.init(source: try OwnedFileSource.opening(path), options: options)
    }
}

extension OwnedFileSource {
    /// Opens `path`, with a failure as ``CSVError/Kind/io(_:)``.
    static func opening(_ path: String) throws(CSVError) -> OwnedFileSource {
        do {
            return try OwnedFileSource(path: path)
        } catch {
            throw CSVError(.io(error.description))
        }
    }
}
