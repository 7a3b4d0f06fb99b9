import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import LightstreamFramingConformance
import Testing
import Vec64

func readCSV(_ text: String, _ options: CSVReadOptions = CSVReadOptions()) throws -> Table {
    var reader = try CSVReader(text: text, options: options)
    return try reader.readAll()
}

func column(_ table: Table, _ index: Int) -> [String] {
    table.batches.flatMap { batch in (0..<batch.length).map { batch.columns[index].formatValue(at: $0) } }
}

@Suite struct CSVReaderTests {
    /// The types and values pyarrow.csv.read_csv infers for one column (checked by hand against
    /// pyarrow 20; the integration suite checks the same matrix against a live pyarrow).
    static let inference: [(String, [String], DataType, [String])] = [
        ("ints", ["1", "-2", "007", "-0"], .int64, ["1", "-2", "7", "0"]),
        ("plus sign is a float", ["1", "+3"], .float64, ["1.0", "3.0"]),
        ("padded ints", [" 1", "2\t"], .int64, ["1", "2"]),
        ("hex", ["0x10", "0XfF"], .int64, ["16", "255"]),
        ("int64 range", ["9223372036854775807", "-9223372036854775808"], .int64, ["9223372036854775807", "-9223372036854775808"]),
        ("past int64", ["9223372036854775808", "1"], .float64, ["9.223372036854776e+18", "1.0"]),
        ("floats", ["1.5", ".5", "5.", "1e5", "-1E-3", "inf", "-Infinity"], .float64, ["1.5", "0.5", "5.0", "100000.0", "-0.001", "inf", "-inf"]),
        ("nan is null", ["nan", "1.5"], .float64, ["null", "1.5"]),
        ("NAN parses", ["NAN", "1.5"], .float64, ["nan", "1.5"]),
        ("bools", ["True", "FALSE", "true", "0"], .boolean, ["true", "false", "true", "false"]),
        ("1 and true", ["1", "true"], .boolean, ["true", "true"]),
        ("0 and 1", ["0", "1"], .int64, ["0", "1"]),
        ("dates", ["2020-01-01", " 2020-02-29"], .date32, ["2020-01-01", "2020-02-29"]),
        ("bad date", ["2021-02-29", "2021-02-28"], .utf8, ["2021-02-29", "2021-02-28"]),
        ("times", ["12:34:56", "01:02"], .time32(.second), ["12:34:56", "01:02:00"]),
        ("time with fraction", ["12:34:56.5", "01:02:03"], .utf8, ["12:34:56.5", "01:02:03"]),
        ("timestamps", ["2020-01-01 12:00:00", "2020-01-01T01:02", "2020-01-01 13", "2020-01-02"], .timestamp(.second, timezone: nil),
         ["2020-01-01 12:00:00", "2020-01-01 01:02:00", "2020-01-01 13:00:00", "2020-01-02 00:00:00"]),
        ("fractions", ["2020-01-01 00:00:00.123456789", "2020-01-01 00:00:00"], .timestamp(.nanosecond, timezone: nil),
         ["2020-01-01 00:00:00.123456789", "2020-01-01 00:00:00.000000000"]),
        ("zones", ["2020-01-01 00:00:00+01:00", "2020-01-01T00:00Z", "2020-01-01 00:00:00+0530"], .timestamp(.second, timezone: "UTC"),
         ["2019-12-31 23:00:00Z", "2020-01-01 00:00:00Z", "2019-12-31 18:30:00Z"]),
        ("zoned fractions", ["2020-01-01T00:00:00.5Z", "2020-01-01T00:00:00Z"], .timestamp(.nanosecond, timezone: "UTC"),
         ["2020-01-01 00:00:00.500000000Z", "2020-01-01 00:00:00.000000000Z"]),
        ("zone and no zone", ["2020-01-01T00:00:00Z", "2020-01-01 00:00:00"], .utf8, ["2020-01-01T00:00:00Z", "2020-01-01 00:00:00"]),
        ("ten fraction digits", ["2020-01-01 00:00:00.1234567891"], .utf8, ["2020-01-01 00:00:00.1234567891"]),
        ("all null", ["NA", "NULL", "\"\"", "null"], .null, ["null", "null", "null", "null"]),
        ("nulls in ints", ["1", "\"\"", "N/A", "NaN"], .int64, ["1", "null", "null", "null"]),
        ("strings keep null spellings", ["a", "NA", "null"], .utf8, ["a", "NA", "null"]),
        ("int then date", ["1", "2020-01-01"], .utf8, ["1", "2020-01-01"]),
        ("int bool float", ["1", "true", "1.5"], .utf8, ["1", "true", "1.5"]),
        ("padded bool is text", [" true", "false"], .utf8, [" true", "false"]),
    ]

    @Test(arguments: inference.indices)
    func infersLikePyarrow(_ index: Int) throws {
        let (name, values, type, expected) = Self.inference[index]
        let table = try readCSV("c\n" + values.joined(separator: "\n") + "\n")
        #expect(table.schema.fields[0].type == type, "\(name)")
        #expect(column(table, 0) == expected, "\(name)")
    }

    @Test func quotingRFC4180() throws {
        let table = try readCSV("a,b\n\"x\"\"y\",2\n\"ab\"c,3\n\"multi\nline\",4\r\n\"with,comma\",5\r\n\"\",6\n")
        #expect(column(table, 0) == ["x\"y", "abc", "multi\nline", "with,comma", ""])
        #expect(column(table, 1) == ["2", "3", "4", "5", "6"])
    }

    @Test func quotedEmptyIsNullInNumbers() throws {
        let table = try readCSV("a\n\"1\"\n\"\"\n2\n")
        #expect(table.schema.fields[0].type == .int64)
        #expect(column(table, 0) == ["1", "null", "2"])
    }

    @Test func headerOnlyGivesNullColumns() throws {
        let table = try readCSV("a,b\n")
        #expect(table.schema == Schema([Field("a", .null), Field("b", .null)]))
        #expect(table.rowCount == 0)
    }

    @Test func emptyInputGivesEmptyTable() throws {
        let table = try readCSV("")
        #expect(table.schema.fields.isEmpty && table.rowCount == 0)
    }

    @Test func noHeaderNamesColumns() throws {
        var options = CSVReadOptions()
        options.header = false
        let table = try readCSV("1,x\n2,y\n", options)
        #expect(table.schema.fields.map(\.name) == ["f0", "f1"])
        #expect(column(table, 0) == ["1", "2"])
        options.columnNames = ["n", "s"]
        #expect(try readCSV("1,x\n2,y\n", options).schema.fields.map(\.name) == ["n", "s"])
    }

    @Test func dialects() throws {
        var options = CSVReadOptions()
        options.delimiter = UInt8(ascii: ";")
        options.escape = UInt8(ascii: "\\")
        options.commentPrefix = UInt8(ascii: "#")
        options.skipRows = 1
        let table = try readCSV("garbage line\n# comment\na;b\n1;x\\;y\n\n# another\n2;\"q\\\"\"\n", options)
        #expect(table.schema.fields.map(\.name) == ["a", "b"])
        #expect(column(table, 1) == ["x;y", "q\""])
        options = CSVReadOptions()
        options.delimiter = UInt8(ascii: "\t")
        #expect(column(try readCSV("a\tb\n1\t2\n", options), 1) == ["2"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let table = try readCSV("\u{FEFF}a,b\n1,2\n")
        #expect(table.schema.fields.map(\.name) == ["a", "b"])
    }

    @Test func crlfAndNoTrailingNewline() throws {
        let table = try readCSV("a,b\r\n1,2\r\n3,4")
        #expect(column(table, 0) == ["1", "3"] && column(table, 1) == ["2", "4"])
    }

    @Test func givenTypesAndSchema() throws {
        var options = CSVReadOptions()
        options.columnTypes = ["a": .int16, "b": .decimal128(precision: 5, scale: 2), "c": .timestamp(.millisecond, timezone: nil), "d": .utf8]
        let table = try readCSV("a,b,c,d\n-7,1.25,2020-01-01 00:00:00.5,12\n,-3,2020-01-01,\n", options)
        #expect(table.schema.fields.map(\.type) == [.int16, .decimal128(precision: 5, scale: 2), .timestamp(.millisecond, timezone: nil), .utf8])
        #expect(column(table, 0) == ["-7", "null"])
        #expect(column(table, 1) == ["1.25", "-3.00"])
        #expect(column(table, 2) == ["2020-01-01 00:00:00.500", "2020-01-01 00:00:00.000"])
        #expect(column(table, 3) == ["12", ""])
        try table.validate()
    }

    @Test func includeColumnsAndDictionary() throws {
        var options = CSVReadOptions()
        options.includeColumns = ["c", "a"]
        options.dictionaryEncodeStrings = true
        let table = try readCSV("a,b,c\nx,1,2\ny,2,3\nx,3,4\n", options)
        #expect(table.schema.fields.map(\.name) == ["c", "a"])
        #expect(table.schema.fields[1].type == .dictionary(index: .int32, value: .utf8, ordered: false))
        #expect(column(table, 1) == ["x", "y", "x"])
        #expect(table.batches[0].columns[1].dictionary?.length == 2)
        try table.validate()
    }

    @Test func valueThatDoesNotParseNamesRowAndColumn() throws {
        var options = CSVReadOptions()
        options.columnTypes = ["n": .int32]
        #expect {
            _ = try readCSV("s,n\nx,1\ny,oops\n", options)
        } throws: { error in
            guard let error = error as? CSVError, case .invalidValue(_, "oops") = error.kind else { return false }
            return error.row == 3 && error.column == "n" && error.byteOffset == 8
        }
    }

    @Test func raggedRowsAreErrorsOrSkipped() throws {
        #expect {
            _ = try readCSV("a,b\n1,2\n3\n4,5\n")
        } throws: { error in
            guard let error = error as? CSVError, case .raggedRow(2, 1) = error.kind else { return false }
            return error.row == 3 && error.byteOffset == 8
        }
        var options = CSVReadOptions()
        options.invalidRows = .skip
        var reader = try CSVReader(text: "a,b\n1,2\n3\n4,5,6\n7,8\n", options: options)
        let table = try reader.readAll()
        #expect(column(table, 0) == ["1", "7"])
        #expect(reader.decoder.skippedRows == 2)
        #expect(reader.decoder.skippedRowSamples.map(\.row) == [3, 4])
    }

    @Test func unterminatedQuoteIsAnError() {
        #expect {
            _ = try readCSV("a,b\n1,\"open\n2,3\n")
        } throws: { error in
            guard let error = error as? CSVError else { return false }
            return error.kind == .unterminatedQuote && error.row == 2
        }
    }

    @Test func longRowIsRefused() {
        var options = CSVReadOptions()
        options.maximumRowBytes = 100
        #expect {
            _ = try readCSV("a\n" + String(repeating: "x", count: 500), options)
        } throws: { error in
            (error as? CSVError)?.kind == .rowTooLong(maximum: 100)
        }
    }

    @Test func invalidUTF8InferredAsBinaryButRefusedForUTF8() throws {
        var bytes = Array("a\n".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        var reader = try CSVReader(buffer: Buffer(copying: bytes))
        #expect(try reader.readAll().schema.fields[0].type == .binary)
        var options = CSVReadOptions()
        options.columnTypes = ["a": .utf8]
        bytes = Array("a\nok\n".utf8) + [0xFF] + Array("\n".utf8)
        reader = try CSVReader(buffer: Buffer(copying: bytes), options: options)
        #expect {
            _ = try reader.readAll()
        } throws: { error in
            (error as? CSVError)?.kind == .invalidUTF8 && (error as? CSVError)?.row == 3
        }
    }

    @Test func batchesFollowBlockSizeAndFixTypes() throws {
        var options = CSVReadOptions()
        options.blockSize = 64
        let rows = (0..<100).map { "\($0),name\($0)" }.joined(separator: "\n")
        let table = try readCSV("i,s\n" + rows + "\n", options)
        #expect(table.batches.count > 5)
        #expect(table.rowCount == 100)
        #expect(column(table, 0) == (0..<100).map(String.init))
        options.blockSize = 16
        // The first block infers int64; a later float does not fit it.
        #expect {
            _ = try readCSV("x\n1\n2\n3\n4\n5\n6\n7\n8\n9\n1.5\n", options)
        } throws: { error in
            guard let error = error as? CSVError, case .invalidValue = error.kind else { return false }
            return error.row == 11 && error.column == "x"
        }
    }

    /// Any split of the input into chunks gives the same batches.
    @Test(arguments: 0..<20)
    func randomChunkBoundaries(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var text = "id,name,score,when\n"
        for i in 0..<200 {
            let name = ["plain", "with,comma", "quote\"d", "new\nline", "", "ünï"][Int(random.next() % 6)]
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            text += "\(i),\(quoted),\(Double(Int(random.next() % 10_000)) / 8),2024-01-\(String.twoDigits(Int(random.next() % 28) + 1)) 10:00:00\(i % 3 == 0 ? "\r\n" : "\n")"
        }
        let bytes = Array(text.utf8)
        var options = CSVReadOptions()
        options.blockSize = 512
        var whole = try CSVReader(buffer: Buffer(copying: bytes), options: options)
        let expected = try whole.readAll()
        var chunks: [[UInt8]] = []
        var at = 0
        while at < bytes.count {
            let size = Int(random.next() % 97) + 1
            chunks.append(Array(bytes[at..<min(bytes.count, at + size)]))
            at += size
        }
        var split = try CSVReader(source: BufferSource(chunks: chunks), options: options)
        let table = try split.readAll()
        #expect(table == expected)
        #expect(table.rowCount == 200)
        #expect(table.schema.fields.map(\.type) == [.int64, .utf8, .float64, .timestamp(.second, timezone: nil)])
        try table.validate()
    }
}

extension String {
    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
