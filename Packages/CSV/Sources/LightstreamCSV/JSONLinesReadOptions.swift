import LightstreamArrow

/// How to read JSON Lines (NDJSON) text: one JSON object per line. The defaults read what
/// `pyarrow.json.read_json` reads with its defaults, with the same inferred types (see
/// ``JSONLinesDecoder`` for the differences).
public struct JSONLinesReadOptions: Sendable {
    /// What happens to an object member whose key is not a field of the schema (pyarrow's
    /// `unexpected_field_behavior`).
    public enum UnexpectedFields: Sendable, Equatable {
        /// Skip the member.
        case ignore
        /// Stop with ``CSVError/Kind/invalidValue(type:text:)`` naming the row and the field.
        case error
        /// Add the field with an inferred type (pyarrow's default). Fields are added only while
        /// the first block fixes the schema; a new field in a later block is an error, as with
        /// ``error``.
        case infer
    }

    /// The number of input bytes one batch covers, at most (lines are never split; a batch holds
    /// at least one line). pyarrow's default, 1 MiB.
    public var blockSize = 1 << 20
    /// The schema of the batches: every field is read as its type (no inference); members not in
    /// it are handled per ``unexpectedFields``. `nil` infers every type from the first block.
    public var schema: Schema? = nil
    /// What to do with members not in ``schema`` (or, without a schema, not in the first block).
    public var unexpectedFields: UnexpectedFields = .infer
    /// The longest line, in bytes; a longer one is ``CSVError/Kind/rowTooLong(maximum:)`` (so a
    /// missing newline cannot make the reader buffer everything).
    public var maximumLineBytes = 64 << 20
    /// The deepest nesting of arrays and objects in a line (the line's object is depth 1); deeper
    /// is ``CSVError/Kind/invalidJSON(_:)``. At most 1000.
    public var maximumNestingDepth = 64

    /// The defaults (pyarrow's, with a 64 MiB line limit and nesting depth 64).
    public init() {}

    func validated() throws(CSVError) {
        func fail(_ why: String) -> CSVError { CSVError(.invalidOptions(why)) }
        if blockSize < 1 { throw fail("blockSize must be at least 1") }
        if maximumLineBytes < 1 || maximumLineBytes > 1 << 40 { throw fail("maximumLineBytes must be between 1 and 2^40") }
        if maximumNestingDepth < 1 || maximumNestingDepth > 1000 { throw fail("maximumNestingDepth must be between 1 and 1000") }
        if let schema {
            for field in schema.fields {
                if let why = JSONColumns.unsupportedReason(field.type) {
                    throw CSVError(.unsupportedType("column '\(field.name)' is \(field.type): \(why)"), column: field.name)
                }
            }
            var seen = Set<String>()
            for field in schema.fields where !seen.insert(field.name).inserted {
                throw fail("the schema names the field '\(field.name)' twice")
            }
        }
    }
}

/// How to write JSON Lines text: one JSON object per row, values as ``JSONValueEncoding``
/// renders them (readable by `pyarrow.json.read_json` and by ``JSONLinesReader``).
public struct JSONLinesWriteOptions: Sendable {
    /// Whether a row's null values are left out of its object instead of written as `null`
    /// (top-level columns only; nulls inside lists and structs are always written).
    public var omitNullFields = false

    /// The defaults: every column in every object, nulls as `null`.
    public init() {}
}
