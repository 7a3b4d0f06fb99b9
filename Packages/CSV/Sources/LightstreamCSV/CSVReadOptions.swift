import LightstreamArrow

/// How binary values are spelled in text: the raw bytes (as pyarrow reads and writes them),
/// lowercase hexadecimal, or standard base64 with padding.
public enum BinaryTextEncoding: Sendable, Equatable {
    /// The bytes themselves (quoted where they hold a delimiter, quote or newline).
    case raw
    /// Two lowercase hexadecimal digits per byte.
    case hex
    /// RFC 4648 base64 with `=` padding.
    case base64
}

/// How to read CSV text: the dialect, the header, the types and the limits. The defaults read
/// what `pyarrow.csv.read_csv` reads with its defaults, with the same inferred types and nulls.
public struct CSVReadOptions: Sendable {
    // MARK: Dialect

    /// The field delimiter (`,` by default; `;`, `\t`, `|` or any byte other than a quote,
    /// escape, CR or LF).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// The quote character, or `nil` for no quoting.
    public var quote: UInt8? = UInt8(ascii: "\"")
    /// Whether a doubled quote inside a quoted field stands for one quote (RFC 4180).
    public var doubleQuote = true
    /// An escape character (such as `\`) that makes the next byte literal, or `nil` for none.
    public var escape: UInt8? = nil
    /// Lines starting with this byte are skipped, or `nil` for no comments.
    public var commentPrefix: UInt8? = nil
    /// Whether empty lines are skipped (pyarrow's `ignore_empty_lines`) rather than read as rows.
    public var ignoreEmptyLines = true

    // MARK: Rows

    /// Whether the first row (after ``skipRows``) names the columns; without it the columns are
    /// named ``columnNames`` or `f0, f1, ...`.
    public var header = true
    /// The column names to use instead of the header row (which is then read as data unless
    /// ``header`` is also true, in which case it is skipped).
    public var columnNames: [String]? = nil
    /// Rows skipped before the header (quoted newlines respected).
    public var skipRows = 0
    /// The number of input bytes one batch covers, at most (rows are never split; a batch
    /// holds at least one row). pyarrow's default, 1 MiB.
    public var blockSize = 1 << 20
    /// The number of rows one batch holds, at most.
    public var batchRows = Int.max
    /// The threads that convert a block's columns at once: 1 (the default) converts on the
    /// calling thread only; 0 uses one per core. Batches and their order do not change.
    public var threads = 1
    /// What happens to a row with the wrong number of fields.
    public var invalidRows: InvalidRowHandling = .error

    /// What to do with a row whose field count differs from the header's.
    public enum InvalidRowHandling: Sendable, Equatable {
        /// Stop with ``CSVError/Kind/raggedRow(expected:found:)``.
        case error
        /// Skip the row and count it in ``CSVDecoder/skippedRows`` (the first few are kept in
        /// ``CSVDecoder/skippedRowSamples``).
        case skip
    }

    // MARK: Conversion

    /// The column types, by name: a column named here is read as that type (a value that does
    /// not parse is ``CSVError/Kind/invalidValue(type:text:)``); the others are inferred.
    public var columnTypes: [String: DataType] = [:]
    /// A complete schema: the columns must match it by position (and by name when there is a
    /// header); no types are inferred. Overrides ``columnTypes``.
    public var schema: Schema? = nil
    /// The columns to read, in this order; `nil` reads all of them.
    public var includeColumns: [String]? = nil
    /// The spellings of null (pyarrow's list by default). They apply to non-string columns, and
    /// to string columns only with ``stringsCanBeNull``.
    public var nullValues: [String] = CSVReadOptions.pyarrowNullValues
    /// The spellings of true.
    public var trueValues: [String] = ["1", "True", "TRUE", "true"]
    /// The spellings of false.
    public var falseValues: [String] = ["0", "False", "FALSE", "false"]
    /// Whether a string column's null spellings are nulls (pyarrow: `False`).
    public var stringsCanBeNull = false
    /// Whether a quoted value can be a null spelling (pyarrow: `True`).
    public var quotedStringsCanBeNull = true
    /// Whether inferred string columns come out dictionary-encoded (`dictionary<int32, utf8>`),
    /// with one dictionary growing over the batches, so each batch's dictionary extends the
    /// previous one.
    public var dictionaryEncodeStrings = false
    /// How binary columns given in ``columnTypes``/``schema`` are spelled in the text.
    public var binaryEncoding: BinaryTextEncoding = .raw
    /// Whether a string column's values are checked to be UTF-8 (an inferred column with
    /// invalid UTF-8 becomes binary, as in pyarrow; a given `utf8` column is an error).
    public var checkUTF8 = true

    // MARK: Limits

    /// The longest row, in bytes; a longer one is ``CSVError/Kind/rowTooLong(maximum:)`` (so a
    /// missing newline or an unbalanced quote cannot make the reader buffer everything).
    public var maximumRowBytes = 64 << 20
    /// The most fields in a row.
    public var maximumColumns = 100_000

    /// pyarrow's default null spellings.
    public static let pyarrowNullValues = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null",
    ]

    /// The defaults (pyarrow's).
    public init() {}

    /// Checks that the options are usable together.
    func validated() throws(CSVError) {
        func fail(_ why: String) -> CSVError { CSVError(.invalidOptions(why)) }
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        if delimiter == cr || delimiter == lf { throw fail("the delimiter cannot be CR or LF") }
        if let quote, quote == delimiter || quote == cr || quote == lf { throw fail("the quote cannot be the delimiter, CR or LF") }
        if let escape, escape == delimiter || escape == cr || escape == lf || escape == quote {
            throw fail("the escape cannot be the delimiter, the quote, CR or LF")
        }
        if blockSize < 1 { throw fail("blockSize must be at least 1") }
        if batchRows < 1 { throw fail("batchRows must be at least 1") }
        if threads < 0 { throw fail("threads cannot be negative") }
        if skipRows < 0 { throw fail("skipRows cannot be negative") }
        if maximumRowBytes < 1 || maximumRowBytes > Int(UInt32.max >> 2) {
            throw fail("maximumRowBytes must be between 1 and \(UInt32.max >> 2)")
        }
        if maximumColumns < 1 { throw fail("maximumColumns must be at least 1") }
    }
}
