import LightstreamArrow
import LightstreamFraming
import Vec64
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes JSON Lines (NDJSON) text into record batches, one batch per frame: a
/// ``FrameDecoder``, so `FrameReader` (memory, files, pipes), the async `FramedByteStream`
/// (sockets, stdin) and NIO pipelines drive it unchanged.
///
/// Each non-blank line holds one JSON object (RFC 8259, checked by a bounds-checked parser over
/// the raw bytes: escapes, surrogate pairs, UTF-8, nesting depth); its members are the row's
/// values, a missing member is null. A batch covers about ``JSONLinesReadOptions/blockSize``
/// bytes of input (whole lines).
///
/// The column types are given (``JSONLinesReadOptions/schema``) or inferred from the first block
/// as `pyarrow.json.read_json` infers them: null; boolean; int64, or double when a number has a
/// fraction or exponent or passes int64; `timestamp[s]` when every string is an ISO 8601
/// timestamp without a fraction (a zone is converted to UTC), else utf8; arrays as lists of
/// their elements' type; objects as structs of their members in order of first appearance;
/// columns in order of first appearance. Values of different JSON kinds in one field are an
/// error, as in pyarrow.
///
/// Deliberate differences from pyarrow: the types are fixed by the first block (pyarrow
/// promotes across blocks), so a later value that does not fit (a fraction in an int64 column,
/// a value in an all-null column, a new field) is an error naming its row and column; each line
/// must hold exactly one object; binary columns of a given schema are read from base64 (as
/// ``JSONLinesEncoder`` writes them; pyarrow takes the string's bytes); empty input is an empty
/// table, not an error.
///
/// The Framing protocols throw ``FramingError``; ``csvError(for:)`` recovers the ``CSVError``
/// (kind, row = line number, column path, byte offset) behind one.
public struct JSONLinesDecoder: TextBatchDecoder, Sendable {
    public typealias Frame = RecordBatch

    /// The options the decoder reads with.
    public let options: JSONLinesReadOptions
    /// The schema of the batches, known once the first batch is decoded.
    public private(set) var schema: Schema?
    /// The number of rows (non-blank lines) decoded so far.
    public private(set) var rowsDecoded = 0

    private var dictionaries: [String: ByteStringInterner<Int32>] = [:]
    /// The line number of the first line at `prefix`.
    private var nextLine = 1
    /// Bytes at the start of the window already read (blank lines) but not consumed.
    private var prefix = 0
    /// The window size below which decoding again cannot finish a block.
    private var wantedWindow = 0
    private var tape = JSONTape()
    private var lastError: CSVError?

    /// A decoder reading with `options`.
    ///
    /// - Throws: ``CSVError/Kind/invalidOptions(_:)`` for options out of range, or
    ///   ``CSVError/Kind/unsupportedType(_:)`` for a schema type JSON Lines cannot read (views,
    ///   unions, intervals, run-end encoded, dictionaries other than `dictionary<int32, utf8>`).
    public init(options: JSONLinesReadOptions = JSONLinesReadOptions()) throws(CSVError) {
        try options.validated()
        self.options = options
    }

    /// The ``CSVError`` behind a ``FramingError`` thrown by this decoder (or by a reader driving
    /// it); errors of the byte source become ``CSVError/Kind/io(_:)``.
    /// The schema of an input without rows, when the options give one.
    public var givenSchema: Schema? { options.schema }

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

    /// One block of whole lines as a batch; `nil` when more input is needed (or, when final,
    /// when there is nothing left).
    private mutating func step(_ window: ByteWindow, isFinal: Bool) throws(CSVError) -> DecodeStep<RecordBatch>? {
        let count = window.count
        let blockSize = options.blockSize, maximumLine = options.maximumLineBytes
        return try window.bytes.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(CSVError) -> DecodeStep<RecordBatch>? in
            while true {
                let start = prefix
                if start >= count {
                    if isFinal, schema == nil, let given = options.schema { schema = given }
                    return isFinal ? nil : needMore(count + 1)
                }
                // Phase 1: where the block ends (newlines only, so a window that is too short
                // costs a scan, not a parse).
                var position = start, end = start, line = nextLine
                while position < count {
                    let newline = memchr(bytes.baseAddress! + position, 0x0A, count - position)
                    if let newline {
                        let lineEnd = bytes.baseAddress!.distance(to: UnsafeRawPointer(newline))
                        if lineEnd - position > maximumLine { throw tooLong(line, window.streamOffset + position) }
                        position = lineEnd + 1
                        end = position
                        line += 1
                        if end - start >= blockSize { break }
                    } else {
                        if count - position > maximumLine { throw tooLong(line, window.streamOffset + position) }
                        if isFinal { end = count }
                        break
                    }
                }
                let blockDone = end - start >= blockSize || (isFinal && end == count)
                guard blockDone else {
                    // Wait for a block, then grow geometrically (the line that crosses the block
                    // size is long); stop at one byte past the line limit, where the line is an
                    // error. Blocks end at the first line end past the block size whatever the
                    // chunking, so any split of the input gives the same batches.
                    var wanted = count - start < blockSize ? start + blockSize + 1 : count + max(count / 2, 4096)
                    wanted = min(wanted, position + maximumLine + 1)
                    return needMore(max(count + 1, wanted))
                }
                // Phase 2: parse the block's lines.
                tape.removeAll()
                var lineStart = start
                line = nextLine
                while lineStart < end {
                    var lineEnd = lineStart
                    while lineEnd < end && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                    var first = lineStart
                    while first < lineEnd, bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D { first += 1 }
                    if first < lineEnd {
                        tape.lineNumbers.append(line)
                        tape.lineStarts.append(lineStart)
                        do throws(JSONTape.ParseFailure) {
                            try tape.parseLine(bytes, start: lineStart, end: lineEnd, maximumDepth: options.maximumNestingDepth)
                        } catch {
                            throw CSVError(error.kind, row: line, byteOffset: window.streamOffset + error.offset)
                        }
                    }
                    line += 1
                    lineStart = lineEnd + 1
                }
                nextLine = line
                if tape.rowCount == 0 {
                    // Only blank lines: go on past them.
                    prefix = end
                    if isFinal && end >= count {
                        prefix = 0
                        if schema == nil, let given = options.schema { schema = given }
                        return nil
                    }
                    continue
                }
                let batch = try convert(bytes, streamOffset: window.streamOffset)
                rowsDecoded += tape.rowCount
                prefix = 0
                wantedWindow = 0
                return .frame(batch, consumed: end)
            }
        }
    }

    private func tooLong(_ line: Int, _ offset: Int) -> CSVError {
        CSVError(.rowTooLong(maximum: options.maximumLineBytes), row: line, byteOffset: offset)
    }

    private mutating func needMore(_ window: Int) -> DecodeStep<RecordBatch>? {
        wantedWindow = window
        return nil
    }

    /// The batch of the parsed block (fixing the schema on the first one).
    private mutating func convert(_ block: UnsafeRawBufferPointer, streamOffset: Int) throws(CSVError) -> RecordBatch {
        let inferring = options.schema == nil || options.unexpectedFields == .infer
        var columns = JSONColumns(block: block, tape: tape, streamOffset: streamOffset, unexpected: options.unexpectedFields,
                                  addFields: schema == nil && inferring, dictionaries: dictionaries)
        if schema == nil {
            if inferring {
                let fields = try columns.resolveFields(tape.roots, given: options.schema?.fields ?? [], path: "")
                schema = Schema(fields, metadata: options.schema?.metadata ?? [:])
            } else {
                schema = options.schema
            }
        }
        let schema = schema!
        let (_, values) = try columns.members(tape.roots, names: schema.fields.map(\.name), add: false, path: "")
        var arrays: [ArrayData] = []
        arrays.reserveCapacity(schema.fields.count)
        for (field, nodes) in zip(schema.fields, values) {
            arrays.append(try columns.convert(nodes, to: field.type, path: field.name))
        }
        dictionaries = columns.dictionaries
        do {
            return try RecordBatch(schema: schema, columns: arrays, length: tape.rowCount)
        } catch {
            throw CSVError(.schemaMismatch(error.description))
        }
    }
}
