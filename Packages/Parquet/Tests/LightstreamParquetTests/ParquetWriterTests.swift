import Foundation
import LightstreamArrow
import LightstreamFraming
@testable import LightstreamParquet
import Testing
import Vec64

/// The writer's round trips through our reader: every Arrow type Parquet can hold, every
/// option, sliced batches, several row groups, empty and all-null columns; plus the errors.
@Suite struct ParquetWriterTests {
    /// Types that come back exactly (names as pyarrow reads them back: `element`; a map's
    /// entries named after the map, `key`, `value`).
    static let fields: [Field] = [
        Field("i8", .int8), Field("i16", .int16, nullable: false), Field("i32", .int32), Field("i64", .int64),
        Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64),
        Field("f16", .float16), Field("f32", .float32), Field("f64", .float64, nullable: false),
        Field("dec32", .decimal32(precision: 7, scale: 2)), Field("dec64", .decimal64(precision: 15, scale: 3)),
        Field("dec128", .decimal128(precision: 20, scale: 4)), Field("dec256", .decimal256(precision: 40, scale: 5)),
        Field("flag", .boolean), Field("s", .utf8), Field("ls", .largeUtf8), Field("sv", .utf8View),
        Field("b", .binary), Field("lb", .largeBinary), Field("bv", .binaryView), Field("fsb", .fixedSizeBinary(byteWidth: 5)),
        Field("d32", .date32), Field("t32", .time32(.millisecond)), Field("t64us", .time64(.microsecond)),
        Field("t64ns", .time64(.nanosecond)), Field("ts_ms_utc", .timestamp(.millisecond, timezone: "UTC")),
        Field("ts_us", .timestamp(.microsecond, timezone: nil)), Field("ts_ns_paris", .timestamp(.nanosecond, timezone: "Europe/Paris")),
        Field("dur", .duration(.millisecond)), Field("nothing", .null),
        Field("dict", .dictionary(index: .int32, value: .utf8, ordered: false)),
        Field("list", .list(Field("element", .int32))), Field("llist", .largeList(Field("element", .utf8))),
        Field("fsl", .fixedSizeList(Field("element", .int16), listSize: 3)),
        Field("st", .struct([Field("a", .int32), Field("b", .list(Field("element", .utf8)))])),
        Field("m", .map(entries: Field("m", .struct([Field("key", .utf8, nullable: false), Field("value", .int64)]), nullable: false),
                        keysSorted: false)),
        Field("nested", .list(Field("element", .list(Field("element", .int64, nullable: false))))),
        Field("req_list", .list(Field("element", .float64, nullable: false)), nullable: false),
    ]

    /// A table of `fields` in batches of random sizes, some of them slices (non-zero offsets).
    static func table(seed: UInt64, rows: Int, fields: [Field] = fields) throws -> Table {
        var random = RandomArrays(seed: seed)
        let schema = Schema(fields)
        var batches: [RecordBatch] = []
        var left = rows
        while left > 0 || batches.isEmpty {
            let n = min(left, random.int(1..<max(2, rows / 3 + 1)))
            let pad = random.chance(0.5) ? random.int(1..<5) : 0
            let columns = fields.map { random.array($0.type, length: n + pad, nullable: $0.nullable).slice(pad ..< n + pad) }
            batches.append(try RecordBatch(schema: schema, columns: columns, length: n))
            left -= n
            if n == 0 { break }
        }
        return try Table(schema: schema, batches: batches)
    }

    static func write(_ table: Table, _ options: ParquetWriteOptions) throws -> Buffer {
        var writer = try ParquetWriter(sink: MemorySink(), schema: table.schema, options: options)
        try writer.write(table)
        return try writer.finish().buffer
    }

    /// `table` without schema metadata, to compare content and types.
    static func plain(_ table: Table) throws -> Table {
        let schema = Schema(table.schema.fields)
        return try Table(schema: schema, batches: table.batches.map { try RecordBatch(schema: schema, columns: $0.columns, length: $0.length) })
    }

    /// Expects `read` to hold `expected`, column by column (so a failure names the column).
    static func expectEqual(_ read: Table, _ expected: Table, _ label: String) throws {
        #expect(read.rowCount == expected.rowCount, "\(label): rows")
        #expect(read.schema.fields.map(\.name) == expected.schema.fields.map(\.name), "\(label): names")
        for (i, field) in expected.schema.fields.enumerated() where i < read.schema.fields.count {
            #expect(read.schema.fields[i] == field, "\(label): field \(field.name) read as \(read.schema.fields[i])")
            let a = try Table(schema: Schema([field]), batches: expected.batches.map { try RecordBatch(schema: Schema([field]), columns: [$0.columns[i]], length: $0.length) })
            let b = try Table(schema: Schema([field]), batches: read.batches.map { try RecordBatch(schema: Schema([field]), columns: [$0.columns[i]], length: $0.length) })
            #expect(a == b, "\(label): column \(field.name) differs")
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let options: ParquetWriteOptions
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        func make(_ name: String, _ change: (inout ParquetWriteOptions) -> Void) -> Case {
            var options = ParquetWriteOptions()
            options.rowGroupRows = 97
            change(&options)
            return Case(name: name, options: options)
        }
        return [
            make("defaults (snappy, dictionary, v1)") { _ in },
            make("uncompressed v2") { $0.compression = .uncompressed; $0.dataPageVersion = .v2 },
            make("zstd without dictionary") { $0.compression = .zstd; $0.dictionary = false },
            make("gzip v2, page index, checksums") { $0.compression = .gzip; $0.dataPageVersion = .v2; $0.pageIndex = true; $0.pageChecksums = true },
            make("lz4_raw, pages of 7 rows or 100 bytes") { $0.compression = .lz4Raw; $0.dataPageRows = 7; $0.dataPageBytes = 100 },
            make("dictionary falls back at 40 bytes") { $0.dictionaryPageBytes = 40; $0.dataPageRows = 13 },
            make("one row group, no statistics, no ARROW:schema kept for nothing") { $0.rowGroupRows = 1 << 20; $0.statistics = false },
        ]
    }()

    @Test(arguments: cases)
    func everyTypeRoundTrips(_ test: Case) throws {
        for seed: UInt64 in [1, 2] {
            let table = try Self.table(seed: seed, rows: 300)
            let file = try Self.write(table, test.options)
            let reader = try ParquetFileReader(buffer: file)
            #expect(reader.rowGroupCount == (300 + test.options.rowGroupRows - 1) / test.options.rowGroupRows)
            try Self.expectEqual(Self.plain(try reader.readAll()), Self.plain(table), "\(test.name), seed \(seed)")
            // Batches of 11 through the iterator and with threads off hold the same.
            var options = ParquetReadOptions()
            options.batchSize = 11
            options.useThreads = false
            var batches: [RecordBatch] = []
            var iterator = try ParquetFileReader(buffer: file, options: options).batches()
            while let batch = try iterator.next() { batches.append(batch) }
            try Self.expectEqual(Self.plain(Table(schema: reader.schema, batches: batches)), Self.plain(table), "\(test.name) in batches")
        }
    }

    @Test("value encodings per column", arguments: [
        ("i32", ParquetEncoding.deltaBinaryPacked), ("i64", .deltaBinaryPacked), ("f32", .byteStreamSplit), ("f64", .byteStreamSplit),
        ("fsb", .byteStreamSplit), ("s", .deltaLengthByteArray), ("b", .deltaByteArray), ("fsb", .deltaByteArray), ("dec128", .byteStreamSplit),
        ("u64", .byteStreamSplit), ("sv", .deltaByteArray),
    ])
    func encodings(_ column: String, _ encoding: ParquetEncoding) throws {
        let table = try Self.table(seed: 9, rows: 400)
        for version in [ParquetDataPageVersion.v1, .v2] {
            var options = ParquetWriteOptions()
            options.dataPageVersion = version
            options.dataPageRows = 50
            options.columns[column] = ParquetColumnOptions(dictionary: false, encoding: encoding)
            let file = try Self.write(table, options)
            let reader = try ParquetFileReader(buffer: file)
            let index = reader.parquetSchema.columns.firstIndex { $0.dottedPath == column }!
            #expect(reader.metadata.rowGroups[0].columns[index].metadata?.encodings.contains(encoding) == true)
            try Self.expectEqual(Self.plain(try reader.readAll()), Self.plain(table), "\(column) in \(encoding)")
        }
    }

    @Test func anEncodingATypeCannotTakeIsRefused() throws {
        var options = ParquetWriteOptions()
        options.columns["s"] = ParquetColumnOptions(encoding: .deltaBinaryPacked)
        #expect(throws: ParquetError.self) { try ParquetWriter(sink: MemorySink(), schema: Schema([Field("s", .utf8)]), options: options) }
    }

    @Test func emptyTablesAndAllNullColumns() throws {
        let empty = try Table(schema: Schema(Self.fields), batches: [])
        let file = try Self.write(empty, ParquetWriteOptions())
        let reader = try ParquetFileReader(buffer: file)
        #expect(reader.metadata.rowCount == 0 && reader.rowGroupCount == 0)
        #expect(reader.schema.fields == Self.fields)
        #expect(try reader.readAll().rowCount == 0)

        // Every nullable column all null.
        let nullable = Self.fields.filter(\.nullable)
        let schema = Schema(nullable)
        let columns = nullable.map { field -> ArrayData in
            var random = RandomArrays(seed: 3)
            let full = random.array(field.type, length: 50, nullable: false)
            // The null type has no validity bitmap: all its slots are null by type.
            return ArrayData(type: full.type, length: 50, validity: full.type == .null ? nil : Buffer(copying: [UInt8](repeating: 0, count: 7)),
                             buffers: full.buffers, children: full.children, dictionary: full.dictionary)
        }
        let table = try Table(schema: schema, batches: [try RecordBatch(schema: schema, columns: columns, length: 50)])
        let read = try ParquetFileReader(buffer: try Self.write(table, ParquetWriteOptions())).readAll()
        try Self.expectEqual(Self.plain(read), Self.plain(table), "all null")
    }

    @Test("date64, time32(s) and timestamp(s) are stored as pyarrow stores them")
    func coercedTypes() throws {
        let schema = Schema([Field("d64", .date64), Field("t32s", .time32(.second)), Field("ts", .timestamp(.second, timezone: nil))])
        let columns = [
            ArrayData(type: .date64, length: 3, buffers: [Buffer(values: [Int64(0), 86_400_000 * 3, -86_400_000])]),
            ArrayData(type: .time32(.second), length: 3, buffers: [Buffer(values: [Int32(0), 61, 86_399])]),
            ArrayData(type: .timestamp(.second, timezone: nil), length: 3, buffers: [Buffer(values: [Int64(0), 1_700_000_000, -5])]),
        ]
        let table = try Table(schema: schema, batches: [try RecordBatch(schema: schema, columns: columns, length: 3)])
        var options = ParquetWriteOptions()
        options.storeArrowSchema = false
        let reader = try ParquetFileReader(buffer: try Self.write(table, options))
        let elements = reader.parquetSchema.columns.map(\.element)
        #expect(elements[0].logicalType == .date && elements[0].type == .int32)
        #expect(elements[1].logicalType == .time(unit: .millis, adjustedToUTC: true))
        #expect(elements[2].logicalType == .timestamp(unit: .millis, adjustedToUTC: false))
        let batch = try reader.readRowGroup(0)
        #expect(batch.columns[0].buffers[0].load(Int32.self, at: 1) == 3 && batch.columns[0].buffers[0].load(Int32.self, at: 2) == -1)
        #expect(batch.columns[1].buffers[0].load(Int32.self, at: 2) == 86_399_000)
        #expect(batch.columns[2].buffers[0].load(Int64.self, at: 1) == 1_700_000_000_000)
    }

    @Test func statisticsAreWritten() throws {
        let schema = Schema([Field("i", .int32), Field("s", .utf8), Field("u", .uint32), Field("f", .float64)])
        var i = PrimitiveBuilder<Int32>(), s = StringBuilder(), u = PrimitiveBuilder<UInt32>(), f = PrimitiveBuilder<Double>()
        for v in [5, -3, 9, 0] { i.append(Int32(v)) }
        i.appendNull()
        for v in ["pear", "apple", "zebra", "Ärger"] { s.append(v) }
        s.appendNull()
        for v: UInt32 in [1, 0xFFFF_FFFF, 7, 2, 3] { u.append(v) }
        for v in [0.5, -0.0, .nan, 3.25, 0.0] { f.append(v) }
        let table = try Table(schema: schema, batches: [try RecordBatch(schema: schema, columns: [i.finish(), s.finish(), u.finish(), f.finish()], length: 5)])
        let reader = try ParquetFileReader(buffer: try Self.write(table, ParquetWriteOptions()))
        let stats = reader.metadata.rowGroups[0].columns.map { $0.metadata!.statistics! }
        #expect(stats[0].min == [0xFD, 0xFF, 0xFF, 0xFF] && stats[0].max == [9, 0, 0, 0] && stats[0].nullCount == 1)
        #expect(stats[1].min == Array("apple".utf8) && stats[1].max == Array("Ärger".utf8) && stats[1].nullCount == 1)
        #expect(stats[2].min == [1, 0, 0, 0] && stats[2].max == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(stats[3].min == withUnsafeBytes(of: (-0.0).bitPattern.littleEndian, Array.init))
        #expect(stats[3].max == withUnsafeBytes(of: (3.25).bitPattern.littleEndian, Array.init))
    }

    @Test func pageIndexIsReadable() throws {
        let schema = Schema([Field("i", .int64, nullable: false), Field("s", .utf8)])
        var i = PrimitiveBuilder<Int64>(), s = StringBuilder()
        for k in 0..<1000 { i.append(Int64(k)); if k % 10 == 0 { s.appendNull() } else { s.append("v\(k / 100)") } }
        let table = try Table(schema: schema, batches: [try RecordBatch(schema: schema, columns: [i.finish(), s.finish()], length: 1000)])
        var options = ParquetWriteOptions()
        options.pageIndex = true
        options.dataPageRows = 100
        let reader = try ParquetFileReader(buffer: try Self.write(table, options))
        let offsets = try #require(try reader.offsetIndex(rowGroup: 0, column: 0))
        #expect(offsets.pageLocations.map(\.firstRowIndex) == (0..<10).map { Int64($0 * 100) })
        let index = try #require(try reader.columnIndex(rowGroup: 0, column: 0))
        #expect(index.boundaryOrder == 1 && index.nullPages == Array(repeating: false, count: 10))
        #expect(index.minValues[3] == withUnsafeBytes(of: Int64(300).littleEndian, Array.init))
        let strings = try #require(try reader.columnIndex(rowGroup: 0, column: 1))
        #expect(strings.nullCounts == Array(repeating: 10, count: 10))
    }

    @Test func unsupportedTypesNameTheColumn() throws {
        let cases: [DataType] = [
            .union(.sparse, [Field("a", .int32)], typeIDs: [0]),
            .runEndEncoded(runEnds: Field("r", .int32, nullable: false), values: Field("v", .utf8)),
            .listView(Field("e", .int32)), .interval(.monthDayNano), .struct([]),
        ]
        for type in cases {
            #expect {
                _ = try ParquetWriter(sink: MemorySink(), schema: Schema([Field("ok", .int32), Field("outer", .struct([Field("bad", type)]))]))
            } throws: { error in
                "\(error)".contains("outer.bad") && (error as? ParquetError).map { if case .unsupported = $0.kind { true } else { false } } == true
            }
        }
    }

    @Test func nullsInANonNullableColumnAreRefused() throws {
        let schema = Schema([Field("i", .int32, nullable: false)])
        var builder = PrimitiveBuilder<Int32>()
        builder.append(1)
        builder.appendNull()
        var writer = try ParquetWriter(sink: MemorySink(), schema: schema)
        #expect(throws: ParquetError.self) {
            try writer.write(try RecordBatch(schema: schema, columns: [builder.finish()], length: 2))
            try writer.finish()
        }
    }

    @Test func writesAfterFinishAndOtherSchemasAreRefused() throws {
        let table = try Self.table(seed: 4, rows: 10, fields: [Field("a", .int32)])
        var writer = try ParquetWriter(sink: MemorySink(), schema: table.schema)
        #expect(throws: ParquetError.self) { try writer.write(try Self.table(seed: 4, rows: 3, fields: [Field("b", .int32)])) }
        try writer.write(table)
        try writer.finish()
        #expect(throws: ParquetError.self) { try writer.write(table) }
    }

    @Test func aWriterDroppedBeforeFinishLeavesNoCompleteFile() throws {
        let table = try Self.table(seed: 5, rows: 200, fields: [Field("a", .int64)])
        let sink = CollectingSink()
        var options = ParquetWriteOptions()
        options.rowGroupRows = 50
        var writer: ParquetWriter<CollectingSink>? = try ParquetWriter(sink: sink, schema: table.schema, options: options)
        try writer!.write(table)
        writer = nil
        #expect(sink.count > 4)
        #expect(throws: ParquetError.self) { try ParquetFileReader(buffer: sink.joined()) }
    }

    @Test("required fixed-width PLAIN pages are the Arrow buffer itself")
    func zeroCopyPages() throws {
        let values = Buffer(values: (0..<100_000).map { Int64($0 * 3) })
        let schema = Schema([Field("x", .int64, nullable: false)])
        let batch = try RecordBatch(schema: schema, columns: [ArrayData(type: .int64, length: 100_000, buffers: [values])], length: 100_000)
        var options = ParquetWriteOptions()
        options.compression = .uncompressed
        options.dictionary = false
        let sink = CollectingSink()
        var writer = try ParquetWriter(sink: sink, schema: schema, options: options)
        try writer.write(batch)
        try writer.finish()
        #expect(sink.pieces.contains { $0.sharesOwner(with: values) })
        let read = try ParquetFileReader(buffer: sink.joined()).readAll()
        #expect(read.batches[0].columns[0].logicallyEquals(batch.columns[0]))
    }

    @Test("nullable columns without nulls: v2 pages keep the Arrow buffer, compressed or not",
          arguments: [ParquetCompression.uncompressed, .snappy])
    func zeroCopyNullablePages(_ compression: ParquetCompression) throws {
        let values = Buffer(values: (0..<50_000).map { Double($0) / 4 })
        let schema = Schema([Field("x", .float64)])
        let batch = try RecordBatch(schema: schema, columns: [ArrayData(type: .float64, length: 50_000, buffers: [values])], length: 50_000)
        var options = ParquetWriteOptions()
        options.compression = compression
        options.dictionary = false
        options.dataPageVersion = .v2
        options.pageChecksums = true
        let sink = CollectingSink()
        var writer = try ParquetWriter(sink: sink, schema: schema, options: options)
        try writer.write(batch)
        try writer.finish()
        #expect(sink.pieces.contains { $0.sharesOwner(with: values) } == (compression == .uncompressed))
        var read = ParquetReadOptions()
        read.verifyChecksums = true
        let table = try ParquetFileReader(buffer: sink.joined(), options: read).readAll()
        #expect(table.batches[0].columns[0].logicallyEquals(batch.columns[0]))
    }

    @Test func malformedArraysAreAnErrorNotACrash() throws {
        let schema = Schema([Field("s", .utf8)])
        // Offsets past the end of the data.
        let broken = ArrayData(type: .utf8, length: 2, buffers: [Buffer(values: [Int32(0), 3, 900]), Buffer(copying: Array("abc".utf8))])
        var writer = try ParquetWriter(sink: MemorySink(), schema: schema)
        #expect(throws: ParquetError.self) { try writer.write(try RecordBatch(schema: schema, columns: [broken], length: 2)) }
    }

    @Test func arrowDictionariesAreWrittenFromTheirDictionary() throws {
        // Two batches with different dictionaries: one chunk dictionary of the distinct values.
        let type = DataType.dictionary(index: .int32, value: .utf8, ordered: false)
        let schema = Schema([Field("d", type)])
        func batch(_ words: [String], _ indices: [Int32]) throws -> RecordBatch {
            var s = StringBuilder()
            for w in words { s.append(w) }
            let array = ArrayData(type: type, length: indices.count, buffers: [Buffer(values: indices)], dictionary: s.finish())
            return try RecordBatch(schema: schema, columns: [array], length: indices.count)
        }
        let table = try Table(schema: schema, batches: [try batch(["x", "y"], [0, 1, 1, 0]), try batch(["y", "z", "x"], [2, 1, 0, 0])])
        let reader = try ParquetFileReader(buffer: try Self.write(table, ParquetWriteOptions()))
        #expect(reader.metadata.rowGroups[0].columns[0].metadata?.encodings.contains(.rleDictionary) == true)
        try Self.expectEqual(Self.plain(try reader.readAll()), Self.plain(table), "dictionaries")
    }

    @Test func dictionaryEntriesThatAreNullAreWrittenAsNulls() throws {
        // Slot 1 points at a null dictionary entry, slot 3 is a null index: both are null.
        let type = DataType.dictionary(index: .int8, value: .utf8, ordered: false)
        let schema = Schema([Field("d", type)])
        var s = StringBuilder()
        s.append("a"); s.appendNull(); s.append("c")
        var ib = PrimitiveBuilder<Int8>()
        for v: Int8? in [0, 1, 2, nil, 1, 0] { ib.append(v) }
        let ix = ib.finish()
        let array = ArrayData(type: type, length: 6, validity: ix.validity, buffers: ix.buffers, dictionary: s.finish())
        let table = try Table(schema: schema, batches: [try RecordBatch(schema: schema, columns: [array], length: 6)])
        let read = try ParquetFileReader(buffer: try Self.write(table, ParquetWriteOptions())).readAll()
        let column = read.batches[0].columns[0]
        #expect((0..<6).map { column.isNull($0) } == [false, true, false, true, true, false])
        #expect(read.batches[0].columns[0].nullCount == 3)
        var options = ParquetWriteOptions()
        options.dictionary = false
        let plainRead = try ParquetFileReader(buffer: try Self.write(table, options)).readAll()
        #expect(plainRead.batches[0].columns[0].nullCount == 3)
        // A non-nullable field whose dictionary entry is null is refused like any null.
        let required = Schema([Field("d", type, nullable: false)])
        let dense = ArrayData(type: type, length: 2, buffers: [Buffer(values: [Int8(0), 1])], dictionary: array.dictionary)
        var writer = try ParquetWriter(sink: MemorySink(), schema: required)
        #expect(throws: ParquetError.self) {
            try writer.write(try RecordBatch(schema: required, columns: [dense], length: 2))
            try writer.finish()
        }
    }

    @Test func listsOfDictionariesRoundTrip() throws {
        let dictionaryType = DataType.dictionary(index: .int32, value: .utf8, ordered: false)
        let listType = DataType.list(Field("element", dictionaryType))
        let schema = Schema([Field("l", listType)])
        var s = StringBuilder()
        for w in ["p", "q", "r"] { s.append(w) }
        let values = ArrayData(type: dictionaryType, length: 5, buffers: [Buffer(values: [Int32(2), 0, 1, 1, 2])], dictionary: s.finish())
        // [[r, p], null, [], [q, q, r]]
        let list = ArrayData(type: listType, length: 4, validity: Bitmap([true, false, true, true]).alignedBuffer(),
                             buffers: [Buffer(values: [Int32(0), 2, 2, 2, 5])], children: [values])
        let table = try Table(schema: schema, batches: [try RecordBatch(schema: schema, columns: [list], length: 4)])
        let read = try ParquetFileReader(buffer: try Self.write(table, ParquetWriteOptions())).readAll()
        try Self.expectEqual(Self.plain(read), Self.plain(table), "list<dictionary>")
    }

    @Test func manyRowsManyRowGroups() throws {
        let fields = [Field("id", .int64, nullable: false), Field("v", .float64), Field("s", .utf8)]
        let table = try Self.table(seed: 11, rows: 120_000, fields: fields)
        var options = ParquetWriteOptions()
        options.rowGroupRows = 50_000
        let reader = try ParquetFileReader(buffer: try Self.write(table, options))
        #expect(reader.metadata.rowGroups.map(\.rowCount) == [50_000, 50_000, 20_000])
        try Self.expectEqual(Self.plain(try reader.readAll()), Self.plain(table), "120k rows")
    }
}

/// A sink that keeps the pieces it is given (by reference), for zero-copy and crash checks.
final class CollectingSink: ByteSink {
    var pieces: [Buffer] = []
    var count: Int { pieces.reduce(0) { $0 + $1.count } }
    func write(_ pieces: [Buffer]) throws { self.pieces += pieces }
    func joined() -> Buffer { Buffer(copying: pieces.flatMap(\.array)) }
}
