/// How to write CSV text. The defaults write RFC 4180 CSV that `pyarrow.csv.read_csv` (and this
/// library's reader) read back to the same values.
public struct CSVWriteOptions: Sendable {
    /// When values are put in quotes.
    public enum Quoting: Sendable, Equatable {
        /// Only values that hold the delimiter, a quote, CR or LF, and strings that a reader
        /// would take for null unquoted (empty, `NA`, `null`... pyarrow's null spellings);
        /// RFC 4180's minimal quoting.
        case needed
        /// Every non-null value (pyarrow's `all_valid`).
        case allValues
        /// Never; a value that would need quotes is an error naming its column.
        case none
    }

    /// The field delimiter.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// The quote character.
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// When values are quoted.
    public var quoting: Quoting = .needed
    /// Whether the first line names the columns.
    public var header = true
    /// The text of a null (empty, as pyarrow writes it).
    public var nullText = ""
    /// The end of each line: `"\n"` (default) or `"\r\n"` (RFC 4180).
    public var lineTerminator = "\n"
    /// How binary values are written: raw bytes (quoted where needed; what pyarrow writes and
    /// reads), hexadecimal or base64.
    public var binaryEncoding: BinaryTextEncoding = .raw
    /// Whether nested values (lists, structs, maps, unions) and intervals are written as JSON
    /// text in their cell; when `false` such a column is an error naming it.
    public var nestedAsJSON = true

    /// The defaults.
    public init() {}

    func validated() throws(CSVError) {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        if delimiter == cr || delimiter == lf || delimiter == quote {
            throw CSVError(.invalidOptions("the delimiter cannot be CR, LF or the quote"))
        }
        if quote == cr || quote == lf { throw CSVError(.invalidOptions("the quote cannot be CR or LF")) }
        if lineTerminator != "\n" && lineTerminator != "\r\n" && lineTerminator != "\r" {
            throw CSVError(.invalidOptions("the line terminator must be \\n, \\r\\n or \\r"))
        }
    }
}
