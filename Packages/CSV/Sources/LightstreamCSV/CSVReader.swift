import LightstreamArrow
import LightstreamFraming
import SystemPackage
import Vec64

/// Reads CSV from a synchronous ``ByteSource`` (memory, a file, a pipe) batch by batch:
/// ``CSVDecoder`` driven by a `FrameReader`, with errors as ``CSVError``.
///
/// ```swift
/// var reader = try CSVReader(path: "trades.csv")
/// while let batch = try reader.next() { ... }
/// let table = try CSVReader(path: "trades.csv").readAll()
/// ```
public struct CSVReader<Source: ByteSource> {
    private var frames: FrameReader<CSVDecoder, Source>
    private var done = false

    /// A reader of the CSV text `source` delivers.
    public init(source: Source, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        frames = FrameReader(decoder: try CSVDecoder(options: options), source: source)
    }

    /// The decoder (its schema once known, skipped-row counts).
    public var decoder: CSVDecoder { frames.decoder }
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

    /// Every remaining batch as a table (an empty table with the header's columns, typed null,
    /// when there are no rows; no columns at all for empty input).
    public mutating func readAll() throws(CSVError) -> Table {
        var batches: [RecordBatch] = []
        while let batch = try next() { batches.append(batch) }
        let schema = self.schema ?? Schema([])
        do {
            return try Table(schema: schema, batches: batches)
        } catch {
            throw CSVError(.schemaMismatch(error.description))
        }
    }
}

extension CSVReader where Source == BufferSource {
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
extension CSVReader where Source == OwnedFileSource {
    /// A reader of the CSV file at `path` (`-` for standard input).
    public init(path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        try self.init(source: try OwnedFileSource(path: path), options: options)
    }
}

/// A file descriptor source that owns its descriptor and closes it when the last copy goes away.
public struct OwnedFileSource: ByteSource {
    private final class Handle: Sendable {
        let descriptor: FileDescriptor
        let owned: Bool
        init(_ descriptor: FileDescriptor, owned: Bool) { self.descriptor = descriptor; self.owned = owned }
        deinit { if owned { try? descriptor.close() } }
    }
    private let handle: Handle
    private var source: FileDescriptorSource

    /// Opens `path` for reading (`-` is standard input, not closed).
    public init(path: String) throws(CSVError) {
        if path == "-" {
            handle = Handle(.standardInput, owned: false)
        } else {
            do {
                handle = Handle(try FileDescriptor.open(FilePath(path), .readOnly), owned: true)
            } catch {
                throw CSVError(.io("cannot open \(path): \(error)"))
            }
        }
        source = FileDescriptorSource(handle.descriptor)
    }

    public mutating func read(into buffer: inout StreamBuffer, minimumCapacity: Int) throws -> Bool {
        try source.read(into: &buffer, minimumCapacity: minimumCapacity)
    }
}
