import LightstreamFraming

/// Why CSV or JSON Lines text could not be read or a table could not be written: what was wrong,
/// and where.
///
/// Rows are counted from 1 and include the header and skipped rows, as an editor shows them;
/// `byteOffset` counts from the first byte of input.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Kind: Equatable, Sendable {
        /// A row has `found` fields where the header (or first row) has `expected`.
        case raggedRow(expected: Int, found: Int)
        /// Input ended inside a quoted field.
        case unterminatedQuote
        /// A row is longer than ``CSVReadOptions/maximumRowBytes`` (a JSON Lines line longer than
        /// ``JSONLinesReadOptions/maximumLineBytes``).
        case rowTooLong(maximum: Int)
        /// A row has more fields than ``CSVReadOptions/maximumColumns``.
        case tooManyColumns(maximum: Int)
        /// A value does not parse as the column's type (given or inferred); `text` is the value
        /// (cut to 80 bytes).
        case invalidValue(type: String, text: String)
        /// A string column's value (any string of a JSON Lines line) is not valid UTF-8.
        case invalidUTF8
        /// A column named in the options (`includeColumns`, `columnTypes`) is not in the input.
        case noSuchColumn(String)
        /// The header names a column the given schema does not have, or the other way round.
        case schemaMismatch(String)
        /// The type cannot be read from or written to text; the text says which and why.
        case unsupportedType(String)
        /// A JSON Lines line is not a JSON object, or its JSON is malformed; the text says why.
        case invalidJSON(String)
        /// The options contradict each other or are out of range; the text says which.
        case invalidOptions(String)
        /// Reading or writing bytes failed.
        case io(String)
    }

    /// What was wrong.
    public var kind: Kind
    /// The 1-based row (counting the header and skipped rows), when known.
    public var row: Int?
    /// The column's name, when known.
    public var column: String?
    /// The offset of the row's (or value's) first byte in the whole input, when known.
    public var byteOffset: Int?

    /// An error of `kind` at the given place.
    public init(_ kind: Kind, row: Int? = nil, column: String? = nil, byteOffset: Int? = nil) {
        self.kind = kind
        self.row = row
        self.column = column
        self.byteOffset = byteOffset
    }

    /// The problem and where it is, as one line.
    public var description: String {
        let what: String = switch kind {
        case let .raggedRow(expected, found): "expected \(expected) fields, found \(found)"
        case .unterminatedQuote: "input ended inside a quoted field"
        case let .rowTooLong(maximum): "a row is longer than the maximum of \(maximum) bytes (CSVReadOptions.maximumRowBytes, JSONLinesReadOptions.maximumLineBytes)"
        case let .tooManyColumns(maximum): "a row has more than the maximum of \(maximum) fields (CSVReadOptions.maximumColumns)"
        case let .invalidValue(type, text): "'\(text)' is not a valid \(type)"
        case .invalidUTF8: "invalid UTF-8 in a string"
        case let .noSuchColumn(name): "no column named '\(name)'"
        case let .schemaMismatch(why): "schema mismatch: \(why)"
        case let .unsupportedType(why): why
        case let .invalidJSON(why): "invalid JSON: \(why)"
        case let .invalidOptions(why): "invalid options: \(why)"
        case let .io(why): "I/O failed: \(why)"
        }
        var place: [String] = []
        if let row { place.append("row \(row)") }
        if let column { place.append("column '\(column)'") }
        if let byteOffset { place.append("byte \(byteOffset)") }
        return place.isEmpty ? what : "\(what) (\(place.joined(separator: ", ")))"
    }
}

extension CSVError {
    /// The error as a ``FramingError`` for the Framing protocols (whose decoders throw only
    /// `FramingError`); the decoder keeps the original for ``CSVDecoder/csvError(for:)``.
    var framingError: FramingError {
        FramingError(.malformed(description), at: byteOffset ?? 0)
    }

    /// A value's text for an error message: at most 80 bytes, invalid UTF-8 repaired.
    static func excerpt(_ bytes: UnsafeRawBufferPointer) -> String {
        let cut = bytes.count > 80 ? UnsafeRawBufferPointer(rebasing: bytes[0..<80]) : bytes
        let text = String(decoding: cut, as: UTF8.self)
        return bytes.count > 80 ? text + "…" : text
    }
}
