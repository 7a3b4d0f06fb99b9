import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import LightstreamFramingConformance
import Testing
import Vec64

func writeJSONLines(_ table: Table, _ options: JSONLinesWriteOptions = JSONLinesWriteOptions()) throws -> String {
    var writer = JSONLinesWriter(sink: MemorySink(), schema: table.schema, options: options)
    try writer.write(table)
    return String(decoding: try writer.finish().buffer.array, as: UTF8.self)
}

/// Random tables of the types JSON Lines round-trips (with a given schema), from a seed: nulls
/// everywhere, unicode, quotes, backslashes and control characters in strings, sliced batches.
enum RandomJSONTables {
    static let strings = ["", "plain", "quote \" and \\ backslash", "tab\tnew\nline\r", "\u{1}\u{1F}\u{7F}", "ünïcödé", "😀 emoji", "slash /", "{\"json\":[1]}"]

    static func table(seed: UInt64, batches: Int = 3) throws -> Table {
        var rng = SplitMix64(seed: seed)
        var result: [RecordBatch] = []
        for b in 0..<batches {
            let n = b == 1 ? 0 : Int.random(in: 1...120, using: &rng)
            let start = Int.random(in: 0...5, using: &rng)
            result.append(try batch(rows: n + start, rng: &rng).slice(start..<(start + n)))
        }
        return try Table(batches: result)
    }

    static func batch(rows n: Int, rng: inout SplitMix64) throws -> RecordBatch {
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Int.random(in: 0..<5, using: &rng) == 0 ? nil : value() }
        func text() -> String { strings[Int.random(in: 0..<strings.count, using: &rng)] + String(Int.random(in: 0...999, using: &rng)) }
        let ints = (0..<n).map { _ in maybe(Int64.random(in: .min ... .max, using: &rng)) }
        let int8s = (0..<n).map { _ in maybe(Int8.random(in: .min ... .max, using: &rng)) }
        let uint64s = (0..<n).map { _ in maybe(UInt64.random(in: .min ... .max, using: &rng)) }
        let doubles = (0..<n).map { _ in maybe(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng))).flatMap { $0.isFinite ? $0 : 0.5 } }
        let floats = (0..<n).map { _ in maybe(Float.random(in: -1e6...1e6, using: &rng)) }
        let bools = (0..<n).map { _ in maybe(Bool.random(using: &rng)) }
        let texts = (0..<n).map { _ in maybe(text()) }
        let bytes = (0..<n).map { _ in maybe((0..<Int.random(in: 0...7, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }) }
        let stampsMs = (0..<n).map { _ in maybe(Int64.random(in: -62_000_000_000_000...250_000_000_000_000, using: &rng)) }
        let stampsNs = (0..<n).map { _ in maybe(Int64.random(in: .min / 2 ... .max / 2, using: &rng)) }
        let dates = (0..<n).map { _ in maybe(Int32.random(in: -700_000...2_000_000, using: &rng)) }
        let times = (0..<n).map { _ in maybe(Int64.random(in: 0..<86_400_000_000, using: &rng)) }
        let decimals = (0..<n).map { _ in maybe(Int128(Int64.random(in: .min ... .max, using: &rng)) * 1000) }
        let lists = (0..<n).map { _ in maybe((0..<Int.random(in: 0...4, using: &rng)).map { _ in maybe(Int32.random(in: .min ... .max, using: &rng)) }) }
        let labels = ["red", "green", "blue", "ünï"]

        var listBuilder = ListBuilder(PrimitiveBuilder<Int32>())
        for list in lists {
            if let list { listBuilder.append { child in for v in list { child.append(v) } } } else { listBuilder.appendNull() }
        }
        var largeListBuilder = LargeListBuilder(StringBuilder())
        for _ in 0..<n {
            if let count = maybe(Int.random(in: 0...3, using: &rng)) {
                let values = (0..<count).map { _ in maybe(text()) }
                largeListBuilder.append { child in for v in values { child.append(v) } }
            } else { largeListBuilder.appendNull() }
        }
        var structBuilder = StructBuilder(["a": PrimitiveBuilder<Int64>(), "b": StringBuilder()])
        for i in 0..<n {
            if Int.random(in: 0..<6, using: &rng) == 0 { structBuilder.appendNull() } else {
                structBuilder.append { row in
                    row.child(0, as: PrimitiveBuilder<Int64>.self) { $0.append(ints[i]) }
                    row.child(1, as: StringBuilder.self) { $0.append(texts[i]) }
                }
            }
        }
        var mapBuilder = ListBuilder(StructBuilder(["key": StringBuilder(), "value": PrimitiveBuilder<Int32>()]), itemName: "entries", itemNullable: false)
        for _ in 0..<n {
            if Int.random(in: 0..<5, using: &rng) == 0 { mapBuilder.appendNull(); continue }
            let count = Int.random(in: 0...3, using: &rng)
            let values = (0..<count).map { _ in maybe(Int32.random(in: -9...9, using: &rng)) }
            mapBuilder.append { entries in
                for (k, v) in values.enumerated() {
                    entries.append { row in
                        row.child(0, as: StringBuilder.self) { $0.append("k\(k)") }
                        row.child(1, as: PrimitiveBuilder<Int32>.self) { $0.append(v) }
                    }
                }
            }
        }
        let mapList = mapBuilder.finish()
        let mapType = DataType.map(key: .utf8, value: .int32)
        guard case let .map(entries, _) = mapType else { fatalError() }
        let map = ArrayData(type: mapType, length: n, validity: mapList.validity, buffers: mapList.buffers,
                            children: [mapList.children[0].withType(entries.type)])
        var indices = PrimitiveBuilder<Int32>()
        for _ in 0..<n { if let i = maybe(Int32.random(in: 0..<4, using: &rng)) { indices.append(i) } else { indices.appendNull() } }
        let indexData = indices.finish()
        let dictionary = ArrayData(type: .dictionary(index: .int32, value: .utf8, ordered: false), length: n, validity: indexData.validity,
                                   buffers: indexData.buffers, dictionary: StringArray(labels).data)

        return try RecordBatch([
            "int64": Int64Array(ints), "int8": Int8Array(int8s), "uint64": UInt64Array(uint64s), "float64": Float64Array(doubles),
            "float32": Float32Array(floats), "bool": BooleanArray(bools), "text": StringArray(texts),
            "large text": StringArray(texts, type: .largeUtf8), "binary": BinaryArray(bytes),
            "ts ms UTC": Int64Array(stampsMs, type: .timestamp(.millisecond, timezone: "UTC")),
            "ts ns": Int64Array(stampsNs, type: .timestamp(.nanosecond, timezone: nil)),
            "date": Int32Array(dates, type: .date32), "time": Int64Array(times, type: .time64(.microsecond)),
            "decimal": Decimal128Array(decimals, type: .decimal128(precision: 38, scale: 3)),
            "list": listBuilder.finish(), "large list": largeListBuilder.finish(), "struct \"q\"": structBuilder.finish(),
            "map": map, "dictionary": dictionary,
        ])
    }
}

@Suite struct JSONLinesWriterTests {
    @Test func oneObjectPerRow() throws {
        let batch = try RecordBatch([
            "a": Int64Array([1, nil, 3]), "b \"q\"\n": StringArray(["x", "y\"\\\u{1}", nil]), "c": Float64Array([1.5, .nan, -.infinity]),
        ])
        let text = try writeJSONLines(try Table(batches: [batch]))
        #expect(text == """
            {"a":1,"b \\"q\\"\\n":"x","c":1.5}
            {"a":null,"b \\"q\\"\\n":"y\\"\\\\\\u0001","c":null}
            {"a":3,"b \\"q\\"\\n":null,"c":null}

            """)
        var options = JSONLinesWriteOptions()
        options.omitNullFields = true
        #expect(try writeJSONLines(try Table(batches: [batch]), options) == """
            {"a":1,"b \\"q\\"\\n":"x","c":1.5}
            {"b \\"q\\"\\n":"y\\"\\\\\\u0001","c":null}
            {"a":3,"c":null}

            """)
    }

    @Test func everyTypeAsJSON() throws {
        let batch = try RecordBatch([
            "ts": Int64Array([1_500], type: .timestamp(.millisecond, timezone: "Europe/Paris")), "d": Int32Array([18_262], type: .date32),
            "bin": BinaryArray([[0x68, 0x69]]), "dec": Decimal128Array([-12345], type: .decimal128(precision: 9, scale: 2)),
            "dur": Int64Array([-5], type: .duration(.second)), "u": UInt64Array([.max]),
        ])
        #expect(try writeJSONLines(try Table(batches: [batch])) == """
            {"ts":"1970-01-01 00:00:01.500Z","d":"2020-01-01","bin":"aGk=","dec":-123.45,"dur":-5,"u":18446744073709551615}

            """)
    }

    @Test func encoderRefusesOtherSchemas() throws {
        let encoder = JSONLinesEncoder(schema: Schema([Field("a", .int64)]))
        var out: [UInt8] = []
        #expect(throws: CSVError.self) { try encoder.encode(try RecordBatch(["a": StringArray(["x"])]), into: &out) }
    }

    /// What the writer writes, the reader (given the schema) reads back equal, for random tables.
    @Test(arguments: 0..<12)
    func roundTripsRandomTables(_ seed: UInt64) throws {
        let table = try RandomJSONTables.table(seed: seed)
        let text = try writeJSONLines(table)
        var options = JSONLinesReadOptions()
        options.schema = table.schema
        options.blockSize = 1 << Int(seed % 12 + 6)
        let read = try readJSONLines(text, options)
        try read.validate()
        #expect(read == table)
        // Delivered in random chunks, too.
        var random = SplitMix64(seed: seed)
        let bytes = Array(text.utf8)
        var chunks: [[UInt8]] = []
        var at = 0
        while at < bytes.count {
            let size = Int(random.next() % 300) + 1
            chunks.append(Array(bytes[at..<min(bytes.count, at + size)]))
            at += size
        }
        var reader = try JSONLinesReader(source: BufferSource(chunks: chunks), options: options)
        #expect(try reader.readAll() == table)
    }

    /// Inferred, the types are pyarrow.json's: the writer's output of plain columns reads back to
    /// the same values.
    @Test func roundTripInferred() throws {
        let batch = try RecordBatch([
            "i": Int64Array([1, nil, -9_223_372_036_854_775_808]), "f": Float64Array([0.1, 2.5e-300, nil]), "b": BooleanArray([true, nil, false]),
            "s": StringArray(["a\"b", "\u{0}", nil]), "t": Int64Array([0, nil, 1_700_000_000], type: .timestamp(.second, timezone: nil)),
        ])
        let table = try Table(batches: [batch])
        #expect(try readJSONLines(try writeJSONLines(table)) == table)
    }
}
