import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import LightstreamFramingConformance
import Testing
import Vec64

func readJSONLines(_ text: String, _ options: JSONLinesReadOptions = JSONLinesReadOptions()) throws -> Table {
    var reader = try JSONLinesReader(text: text, options: options)
    return try reader.readAll()
}

func readJSONLines(bytes: [UInt8], _ options: JSONLinesReadOptions = JSONLinesReadOptions()) throws -> Table {
    var reader = try JSONLinesReader(buffer: Buffer(copying: bytes), options: options)
    return try reader.readAll()
}

/// The error reading `text` throws, or `nil`.
func jsonLinesError(_ text: String, _ options: JSONLinesReadOptions = JSONLinesReadOptions()) -> CSVError? {
    jsonLinesError(bytes: Array(text.utf8), options)
}

func jsonLinesError(bytes: [UInt8], _ options: JSONLinesReadOptions = JSONLinesReadOptions()) -> CSVError? {
    do {
        _ = try readJSONLines(bytes: bytes, options)
        return nil
    } catch let error as CSVError {
        return error
    } catch {
        return CSVError(.io("not a CSVError: \(error)"))
    }
}

@Suite struct JSONLinesReaderTests {
    /// The type and values `pyarrow.json.read_json` gives for a field `c` holding these JSON
    /// values, one line each. Checked against pyarrow 26.0.1 (`pj.read_json(...)`, printing
    /// `t.schema.field("c").type` and `t.column("c").to_pylist()`).
    static let inference: [(String, [String], DataType, [String])] = [
        ("ints", ["1", "-2", "0"], .int64, ["1", "-2", "0"]),
        ("int then float", ["1", "1.5"], .float64, ["1.0", "1.5"]),
        ("null then int", ["null", "1"], .int64, ["null", "1"]),
        ("int64 max", ["9223372036854775807"], .int64, ["9223372036854775807"]),
        ("past int64", ["9223372036854775808"], .float64, ["9.223372036854776e+18"]),
        ("exponent", ["1e2"], .float64, ["100.0"]),
        ("minus zero int", ["-0"], .int64, ["0"]),
        ("minus zero float", ["-0.0", "1E5"], .float64, ["-0.0", "100000.0"]),
        ("bools", ["true", "false", "null"], .boolean, ["true", "false", "null"]),
        ("date string", ["\"2020-01-01\""], .timestamp(.second, timezone: nil), ["2020-01-01 00:00:00"]),
        ("timestamp", ["\"2020-01-01 00:00:00\""], .timestamp(.second, timezone: nil), ["2020-01-01 00:00:00"]),
        ("timestamp T", ["\"2020-01-01T00:00:00\""], .timestamp(.second, timezone: nil), ["2020-01-01 00:00:00"]),
        ("timestamp hour", ["\"2020-01-01 13\""], .timestamp(.second, timezone: nil), ["2020-01-01 13:00:00"]),
        ("timestamp minute", ["\"2020-01-01 13:05\""], .timestamp(.second, timezone: nil), ["2020-01-01 13:05:00"]),
        ("zone Z", ["\"2020-01-01T00:00:00Z\""], .timestamp(.second, timezone: nil), ["2020-01-01 00:00:00"]),
        ("offset", ["\"2020-01-01T00:00:00+01:00\""], .timestamp(.second, timezone: nil), ["2019-12-31 23:00:00"]),
        ("offset without colon", ["\"2020-01-01 00:00:00+0100\""], .timestamp(.second, timezone: nil), ["2019-12-31 23:00:00"]),
        ("negative offset", ["\"1970-01-01T00:00:00-00:30\""], .timestamp(.second, timezone: nil), ["1970-01-01 00:30:00"]),
        ("fraction is a string", ["\"2020-01-01 00:00:00.5\""], .utf8, ["2020-01-01 00:00:00.5"]),
        ("zoned fraction is a string", ["\"2020-01-01T00:00:00.000Z\""], .utf8, ["2020-01-01T00:00:00.000Z"]),
        ("time is a string", ["\"12:34:56\""], .utf8, ["12:34:56"]),
        ("bad hour is a string", ["\"2020-01-01 25:00:00\""], .utf8, ["2020-01-01 25:00:00"]),
        ("short month is a string", ["\"2020-1-01\""], .utf8, ["2020-1-01"]),
        ("trailing space is a string", ["\"2020-01-01 00:00:00 \""], .utf8, ["2020-01-01 00:00:00 "]),
        ("string then timestamp", ["\"x\"", "\"2020-01-01\""], .utf8, ["x", "2020-01-01"]),
        ("escapes", ["\"a\\u00e9\\ud83d\\ude00\\n\""], .utf8, ["aé😀\n"]),
        ("NUL escape", ["\"x\\u0000y\""], .utf8, ["x\u{0}y"]),
        ("list of ints", ["[1,2]", "[]", "null"], .list(of: .int64), ["[1, 2]", "[]", "null"]),
        ("list mixed numbers", ["[1,2.5]"], .list(of: .float64), ["[1.0, 2.5]"]),
        ("empty list", ["[]"], .list(of: .null), ["[]"]),
        ("nested lists", ["[[1],[2,3]]"], .list(of: .list(of: .int64)), ["[[1], [2, 3]]"]),
        ("objects", ["{\"x\":1}", "{\"y\":\"a\"}"], .struct([Field("x", .int64), Field("y", .utf8)]), ["{x: 1, y: null}", "{x: null, y: \"a\"}"]),
        ("empty object", ["{}"], .struct([]), ["{}"]),
        ("all null", ["null", "null"], .null, ["null", "null"]),
    ]

    @Test(arguments: inference.indices)
    func infersLikePyarrow(_ index: Int) throws {
        let (name, values, type, expected) = Self.inference[index]
        let table = try readJSONLines(values.map { "{\"c\":\($0)}\n" }.joined())
        #expect(table.schema.fields.map(\.type) == [type], "\(name)")
        #expect(column(table, 0) == expected, "\(name)")
        try table.validate()
    }

    /// pyarrow refuses these too ("changed from boolean to number", ...).
    @Test(arguments: [["true", "1"], ["1", "\"a\""], ["[1]", "{\"x\":1}"], ["\"a\"", "[1]"]])
    func mixedKindsAreErrors(_ values: [String]) {
        let error = jsonLinesError(values.map { "{\"c\":\($0)}\n" }.joined())
        guard case .invalidValue = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(error?.row == 2)
        #expect(error?.column == "c")
    }

    @Test func numberTooLargeForDouble() {
        // pyarrow: "Number too big to be stored in double".
        let error = jsonLinesError("{\"c\":1e400}\n")
        guard case .invalidValue = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(error?.row == 1)
    }

    @Test func columnsInOrderOfFirstAppearance() throws {
        let table = try readJSONLines("{\"b\":1}\n\n  \n{\"a\":2,\"b\":3}\r\n{\"c\":true}")
        #expect(table.schema.fields.map(\.name) == ["b", "a", "c"])
        #expect(column(table, 0) == ["1", "3", "null"])
        #expect(column(table, 1) == ["null", "2", "null"])
        #expect(column(table, 2) == ["null", "null", "true"])
    }

    @Test func nestedStructsAndListsOfStructs() throws {
        let table = try readJSONLines("""
            {"a":{"b":{"c":null}},"l":[{"x":1},{"y":[true]}]}
            {"a":{"b":{"c":"x"}},"l":null}
            {"a":null,"l":[]}

            """)
        #expect(table.schema.fields[0].type == .struct([Field("b", .struct([Field("c", .utf8)]))]))
        #expect(table.schema.fields[1].type == .list(of: .struct([Field("x", .int64), Field("y", .list(of: .boolean))])))
        #expect(column(table, 1) == ["[{x: 1, y: null}, {x: null, y: [true]}]", "null", "[]"])
        try table.validate()
    }

    @Test func emptyInput() throws {
        #expect(try readJSONLines("").schema == Schema([]))
        #expect(try readJSONLines("\n \n").rowCount == 0)
        var options = JSONLinesReadOptions()
        options.schema = Schema([Field("a", .int32)])
        let table = try readJSONLines("\n", options)
        #expect(table.schema == options.schema)
        #expect(table.rowCount == 0)
    }

    // MARK: Types fixed by the first block

    @Test func laterBlockMustFit() {
        var options = JSONLinesReadOptions()
        options.blockSize = 16
        // The first block fixes int64; a fraction later is an error naming row and column.
        let error = jsonLinesError("{\"x\":1}\n{\"x\":2}\n{\"x\":3}\n{\"x\":2.5}\n", options)
        guard case .invalidValue = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(error?.row == 4)
        #expect(error?.column == "x")
        #expect(error?.byteOffset == 29)
        // A new field in a later block.
        let added = jsonLinesError("{\"x\":1}\n{\"x\":2}\n{\"x\":3}\n{\"y\":1}\n", options)
        guard case .schemaMismatch = added?.kind else { Issue.record("\(String(describing: added))"); return }
        #expect(added?.row == 4)
        #expect(added?.column == "y")
    }

    @Test func laterIntegersFitDoubles() throws {
        var options = JSONLinesReadOptions()
        options.blockSize = 8
        let table = try readJSONLines("{\"x\":1.5}\n{\"x\":2}\n", options)
        #expect(table.batches.count == 2)
        #expect(column(table, 0) == ["1.5", "2.0"])
    }

    // MARK: Given schema

    @Test func givenSchemaConversions() throws {
        var options = JSONLinesReadOptions()
        let fields: [Field] = [
            Field("i8", .int8), Field("u16", .uint16), Field("i32", .int32), Field("i64", .int64), Field("u64", .uint64),
            Field("f32", .float32), Field("f64", .float64), Field("b", .boolean), Field("s", .utf8), Field("ls", .largeUtf8),
            Field("bin", .binary), Field("ts", .timestamp(.millisecond, timezone: "UTC")), Field("d", .date32), Field("t", .time64(.microsecond)),
            Field("dec", .decimal128(precision: 10, scale: 2)), Field("dec2", .decimal128(precision: 10, scale: 2)),
            Field("l", .largeList(of: .int16)), Field("st", .struct([Field("a", .utf8), Field("b", .float64)])),
            Field("m", .map(key: .utf8, value: .int32)), Field("dict", .dictionary(index: .int32, value: .utf8, ordered: false)),
            Field("fsb", .fixedSizeBinary(byteWidth: 2)), Field("date64", .date64), Field("dur", .duration(.second)),
        ]
        options.schema = Schema(fields)
        let line = """
            {"i8":-128,"u16":65535,"i32":-2147483648,"i64":-9223372036854775808,"u64":18446744073709551615,\
            "f32":0.1,"f64":0.1,"b":true,"s":"h\\u00e9","ls":"x","bin":"aGk=","ts":"2020-01-01T00:00:00.123Z",\
            "d":"2020-02-29","t":"12:00:00.000001","dec":12.34,"dec2":"-0.5","l":[1,null,-3],"st":{"b":1,"a":"q"},\
            "m":{"k":1,"j":2},"dict":"red","fsb":"AAE=","date64":"1970-01-02","dur":-5}

            """
        let table = try readJSONLines(line + "{\"dict\":\"blue\"}\n{\"dict\":\"red\",\"m\":null}\n", options)
        #expect(table.schema == options.schema)
        try table.validate()
        let row0 = fields.indices.map { column(table, $0)[0] }
        #expect(row0 == [
            "-128", "65535", "-2147483648", "-9223372036854775808", "18446744073709551615",
            "0.1", "0.1", "true", "hé", "x", "6869", "2020-01-01 00:00:00.123Z", "2020-02-29", "12:00:00.000001",
            "12.34", "-0.50", "[1, null, -3]", "{a: \"q\", b: 1.0}", "[\"k\": 1, \"j\": 2]", "red", "0001", "1970-01-02", "-5s",
        ].map { $0 })
        #expect(column(table, 19) == ["red", "blue", "red"])
        // 64-bit integers are exact (2^53 + 1 does not survive a Double).
        let big = try readJSONLines("{\"x\":9007199254740993}\n")
        #expect(column(big, 0) == ["9007199254740993"])
    }

    @Test(arguments: [
        (DataType.int8, "300"), (.int32, "1.5"), (.uint8, "-1"), (.int64, "\"1\""), (.utf8, "1"), (.boolean, "1"),
        (.timestamp(.second, timezone: nil), "\"2020-01-01 00:00:00.5\""), (.date32, "\"2021-02-29\""), (.binary, "\"not base64\""),
        (.decimal128(precision: 3, scale: 1), "123.4"), (.list(of: .int64), "{}"), (.struct([Field("a", .int64)]), "[1]"), (.null, "1"),
    ])
    func givenSchemaRefusesValues(_ type: DataType, _ value: String) {
        var options = JSONLinesReadOptions()
        options.schema = Schema([Field("x", type)])
        let error = jsonLinesError("{\"x\":null}\n{\"x\":\(value)}\n", options)
        guard case .invalidValue = error?.kind else { Issue.record("\(type) \(value): \(String(describing: error))"); return }
        #expect(error?.row == 2)
        #expect(error?.column == "x")
        #expect(error?.byteOffset == 16)
    }

    @Test func unexpectedFields() throws {
        var options = JSONLinesReadOptions()
        options.schema = Schema([Field("a", .int32)])
        let text = "{\"a\":1,\"b\":2,\"c\":{\"d\":\"x\"}}\n"
        // infer (pyarrow's default): added after the schema's fields.
        let inferred = try readJSONLines(text, options)
        #expect(inferred.schema.fields.map(\.type) == [.int32, .int64, .struct([Field("d", .utf8)])])
        options.unexpectedFields = .ignore
        #expect(try readJSONLines(text, options).schema == options.schema)
        options.unexpectedFields = .error
        let error = jsonLinesError(text, options)
        guard case .schemaMismatch = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(error?.column == "b")
        #expect(error?.row == 1)
    }

    @Test func unsupportedSchemaTypes() {
        var options = JSONLinesReadOptions()
        options.schema = Schema([Field("x", .interval(.monthDayNano))])
        #expect(throws: CSVError.self) { _ = try JSONLinesDecoder(options: options) }
        options.schema = Schema([Field("x", .utf8View)])
        #expect(throws: CSVError.self) { _ = try JSONLinesDecoder(options: options) }
    }

    // MARK: Malformed input

    /// Every malformed line: a typed error with its kind, line number and the byte at fault.
    static let malformed: [(String, String, Int, Int)] = [
        // (name, text, row, byte offset)
        ("truncated object", "{\"a\":1}\n{\"a\":", 2, 13),
        ("truncated string", "{\"a\":\"abc", 1, 5),
        ("truncated literal", "{\"a\":tru}", 1, 5),
        ("missing colon", "{\"a\" 1}", 1, 5),
        ("missing comma", "{\"a\":1 \"b\":2}", 1, 7),
        ("trailing comma", "{\"a\":1,}", 1, 7),
        ("single quotes", "{'a':1}", 1, 1),
        ("leading zero", "{\"a\":01}", 1, 6),
        ("bare minus", "{\"a\":-}", 1, 5),
        ("dot without digits", "{\"a\":1.}", 1, 5),
        ("exponent without digits", "{\"a\":1e}", 1, 5),
        ("plus sign", "{\"a\":+1}", 1, 5),
        ("NaN", "{\"a\":NaN}", 1, 5),
        ("bad escape", "{\"a\":\"\\x\"}", 1, 6),
        ("short unicode escape", "{\"a\":\"\\u12\"}", 1, 6),
        ("lone high surrogate", "{\"a\":\"\\ud800\"}", 1, 6),
        ("high surrogate then a non-surrogate", "{\"a\":\"\\ud800\\u0041\"}", 1, 6),
        ("lone low surrogate", "{\"a\":\"\\udc00\"}", 1, 6),
        ("raw control character", "{\"a\":\"a\tb\"}", 1, 7),
        ("array line", "{\"a\":1}\n[1]\n", 2, 8),
        ("number line", "1\n", 1, 0),
        ("string line", "\"x\"\n", 1, 0),
        ("two objects on a line", "{\"a\":1} {\"a\":2}\n", 1, 8),
        ("duplicate key", "{\"a\":1,\"a\":2}\n", 1, 7),
        ("unclosed array", "{\"a\":[1,2}\n", 1, 9),
    ]

    @Test(arguments: malformed.indices)
    func malformedLines(_ index: Int) {
        let (name, text, row, offset) = Self.malformed[index]
        let error = jsonLinesError(text)
        guard case .invalidJSON = error?.kind else { Issue.record("\(name): \(String(describing: error))"); return }
        #expect(error?.row == row, "\(name): \(error!)")
        #expect(error?.byteOffset == offset, "\(name): \(error!)")
    }

    @Test func invalidUTF8() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]] {
            let line = Array("{\"ok\":1}\n{\"a\":\"x".utf8) + bad + Array("\"}\n".utf8)
            let error = jsonLinesError(bytes: line)
            #expect(error?.kind == .invalidUTF8, "\(bad)")
            #expect(error?.row == 2)
            // A key, too.
            let key = Array("{\"".utf8) + bad + Array("\":1}\n".utf8)
            #expect(jsonLinesError(bytes: key)?.kind == .invalidUTF8, "\(bad)")
        }
        // Outside a string, a non-ASCII byte is not JSON.
        guard case .invalidJSON = jsonLinesError(bytes: [0x7B, 0xFF, 0x7D])?.kind else { Issue.record("0xFF outside a string"); return }
    }

    @Test func deepNesting() throws {
        var options = JSONLinesReadOptions()
        options.maximumNestingDepth = 5
        // The line's object is depth 1: four more levels fit.
        _ = try readJSONLines("{\"a\":[[[{}]]]}\n", options)
        let error = jsonLinesError("{\"a\":[[[[{}]]]]}\n", options)
        guard case .invalidJSON = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(error?.byteOffset == 9)
        // The default limit (64): a million brackets are an error, not a stack overflow.
        let deep = "{\"a\":" + String(repeating: "[", count: 1_000_000) + "\n"
        guard case .invalidJSON = jsonLinesError(deep)?.kind else { Issue.record("deep"); return }
    }

    @Test func longLine() {
        var options = JSONLinesReadOptions()
        options.maximumLineBytes = 100
        options.blockSize = 16
        let long = "{\"a\":\"" + String(repeating: "x", count: 200) + "\"}"
        for text in ["{\"a\":1}\n" + long + "\n{\"a\":2}\n", "{\"a\":1}\n" + long, "{\"a\":1}\n" + long.prefix(150)] {
            let error = jsonLinesError(text, options)
            #expect(error?.kind == .rowTooLong(maximum: 100), "\(String(describing: error))")
            #expect(error?.row == 2)
            #expect(error?.byteOffset == 8)
            // Delivered a byte at a time, too: the reader stops at the limit, not at the end.
            var reader = try! JSONLinesReader(source: BufferSource(Array(text.utf8), chunkSize: 1), options: options)
            #expect(throws: CSVError.self) { _ = try reader.readAll() }
        }
        options.maximumLineBytes = 300
        #expect(jsonLinesError("{\"a\":\"s\"}\n" + long + "\n", options) == nil)
    }

    @Test func invalidOptions() {
        for change: (inout JSONLinesReadOptions) -> Void in [{ $0.blockSize = 0 }, { $0.maximumLineBytes = 0 }, { $0.maximumNestingDepth = 0 },
                                                            { $0.maximumNestingDepth = 100_000 },
                                                            { $0.schema = Schema([Field("a", .int8), Field("a", .int8)]) }] {
            var options = JSONLinesReadOptions()
            change(&options)
            #expect(throws: CSVError.self) { _ = try JSONLinesDecoder(options: options) }
        }
    }

    // MARK: Chunking

    /// Any split of the input into chunks gives the same batches.
    @Test(arguments: 0..<20)
    func randomChunkBoundaries(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var text = ""
        for i in 0..<200 {
            let name = ["plain", "with \\\"quote\\\"", "new\\nline", "", "ünï", "\\ud83d\\ude00"][Int(random.next() % 6)]
            let tags = (0..<Int(random.next() % 4)).map { "\($0)" }.joined(separator: ",")
            text += "{\"id\":\(i),\"name\":\"\(name)\",\"score\":\(Double(Int(random.next() % 10_000)) / 8),\"tags\":[\(tags)],"
                + "\"when\":\"2024-01-\(String.twoDigits(Int(random.next() % 28) + 1)) 10:00:00\"}\(i % 3 == 0 ? "\r\n" : "\n")"
            if i % 17 == 0 { text += "\n" }
        }
        let bytes = Array(text.utf8)
        var options = JSONLinesReadOptions()
        options.blockSize = 512
        var whole = try JSONLinesReader(buffer: Buffer(copying: bytes), options: options)
        var expected: [RecordBatch] = []
        while let batch = try whole.next() { expected.append(batch) }
        var chunks: [[UInt8]] = []
        var at = 0
        while at < bytes.count {
            let size = Int(random.next() % 97) + 1
            chunks.append(Array(bytes[at..<min(bytes.count, at + size)]))
            at += size
        }
        var split = try JSONLinesReader(source: BufferSource(chunks: chunks), options: options)
        var batches: [RecordBatch] = []
        while let batch = try split.next() { batches.append(batch) }
        #expect(batches == expected)
        #expect(batches.count > 1)
        let table = try Table(batches: batches)
        #expect(table.rowCount == 200)
        #expect(table.schema.fields.map(\.type) == [.int64, .utf8, .float64, .list(of: .int64), .timestamp(.second, timezone: nil)])
        try table.validate()
    }
}
