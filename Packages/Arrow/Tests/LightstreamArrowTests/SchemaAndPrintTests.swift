import Testing
import LightstreamArrow

@Suite("Schema, batches and printing")
struct SchemaAndPrintTests {
    @Test("type names match pyarrow", arguments: [
        (DataType.int64, "int64"), (.float64, "double"), (.utf8, "string"), (.largeBinary, "large_binary"),
        (.timestamp(.millisecond, timezone: "UTC"), "timestamp[ms, tz=UTC]"), (.date32, "date32[day]"),
        (.decimal128(precision: 10, scale: 2), "decimal128(10, 2)"), (.list(of: .int32), "list<item: int32>"),
        (.struct([Field("a", .int8), Field("b", .utf8, nullable: false)]), "struct<a: int8, b: string not null>"),
        (.map(key: .utf8, value: .int64), "map<string, int64>"),
        (.dictionary(index: .int32, value: .utf8, ordered: false), "dictionary<values=string, indices=int32, ordered=0>"),
        (.fixedSizeList(Field("item", .float32), listSize: 3), "fixed_size_list<item: float>[3]"),
    ])
    func typeNames(_ type: DataType, _ name: String) {
        #expect(type.description == name)
    }

    @Test func extensionTypesLiveInFieldMetadata() {
        let field = Field.extension("id", name: "arrow.uuid", storage: .fixedSizeBinary(byteWidth: 16))
        #expect(field.extensionName == "arrow.uuid")
        #expect(field.extensionMetadata == "")
        #expect(field.type == .fixedSizeBinary(byteWidth: 16))
        #expect(Field("plain", .int8).extensionName == nil)
    }

    @Test func batchChecksColumns() {
        #expect(throws: ArrowSchemaError.columnLengthMismatch(column: "b", expected: 2, actual: 1)) {
            try RecordBatch(["a": Int64Array([1, 2] as [Int64]), "b": Int64Array([1] as [Int64])])
        }
        #expect(throws: ArrowSchemaError.columnTypeMismatch(column: "a", expected: .int32, actual: .int64)) {
            try RecordBatch(schema: Schema([Field("a", .int32)]), columns: [Int64Array([1] as [Int64])])
        }
        #expect(throws: ArrowSchemaError.columnCountMismatch(fields: 1, columns: 0)) {
            try RecordBatch(schema: Schema([Field("a", .int32)]), columns: [])
        }
    }

    @Test func tableChecksSchemas() throws {
        let a = try RecordBatch(["x": Int64Array([1] as [Int64])])
        let b = try RecordBatch(["y": Int64Array([1] as [Int64])])
        #expect(throws: ArrowSchemaError.schemaMismatch(batch: 1)) { try Table(batches: [a, b]) }
    }

    @Test func printsAnAlignedTable() throws {
        let batch = try RecordBatch([
            "id": Int64Array([1, 2, nil]),
            "name": StringArray(["alpha", nil, "c"]),
            "tags": ListArray([["x"], [], nil] as [[String?]?]),
        ])
        #expect(batch.description == """
        id    | name   | tags
        int64 | string | list<item: string>
        ------+--------+-------------------
        1     | alpha  | ["x"]
        2     | null   | []
        null  | c      | null
        (3 rows, 3 columns)
        """)
    }

    @Test func truncatesLongTables() throws {
        let batch = try RecordBatch(["n": Int64Array(Array(0..<1000) as [Int64])])
        let table = try Table(name: "numbers", batches: [batch.slice(0..<500), batch.slice(500..<1000)])
        let lines = table.formatted(maxRows: 4).split(separator: "\n")
        #expect(lines.first == "numbers")
        #expect(lines.map(String.init).suffix(6) == ["0", "1", "…", "998", "999", "(1000 rows, 1 column)"])
    }
}
