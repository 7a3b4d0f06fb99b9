import Testing
import LightstreamArrow
import Vec64

/// Hand-assembled data with absurd sizes, wrong child types or inconsistent counts: validation
/// and the typed views must answer with an error, never trap.
@Suite("Hostile array data")
struct HostileInputTests {
    static let hugeShapes: [(String, ArrayData)] = [
        ("int64 length 2^61", ArrayData(type: .int64, length: 1 << 61, buffers: [Buffer()])),
        ("int8 length max with validity", ArrayData(type: .int8, length: .max, validity: Buffer(), buffers: [Buffer()])),
        ("utf8 length max", ArrayData(type: .utf8, length: .max, buffers: [Buffer(), Buffer()])),
        ("fixed_size_binary width 2^62", ArrayData(type: .fixedSizeBinary(byteWidth: 1 << 62), length: 4, buffers: [Buffer()])),
        ("offset near max", ArrayData(type: .int32, length: 1, offset: .max - 1, buffers: [Buffer()])),
        ("views length max", ArrayData(type: .utf8View, length: .max, buffers: [Buffer()])),
        ("list_view length max", ArrayData(type: .listView(Field("item", .int8)), length: .max, buffers: [Buffer(), Buffer()], children: [Int8Array([1] as [Int8]).data])),
        ("fixed_size_list size 2^62", ArrayData(type: .fixedSizeList(Field("item", .int8), listSize: 1 << 62), length: 4, children: [Int8Array([1] as [Int8]).data])),
    ]

    @Test("absurd sizes are errors", arguments: hugeShapes.map(\.0))
    func absurdSizes(_ name: String) {
        let data = Self.hugeShapes.first { $0.0 == name }!.1
        #expect(throws: ArrowValidationError.self) { try data.validate() }
    }

    @Test func typedViewsRejectAbsurdSizes() {
        #expect(throws: ArrowTypeMismatch.self) { try Int64Array(ArrayData(type: .int64, length: 1 << 61, buffers: [Buffer()])) }
        #expect(throws: ArrowTypeMismatch.self) { try StringArray(ArrayData(type: .utf8, length: .max, buffers: [Buffer(), Buffer()])) }
        #expect(throws: ArrowTypeMismatch.self) { try BooleanArray(ArrayData(type: .boolean, length: .max, buffers: [Buffer()])) }
    }

    @Test func bitmapViewRejectsHugeCounts() {
        let buffer = Buffer(copying: [0xFF] as [UInt8])
        #expect(throws: BufferError.self) { try Bitmap(buffer: buffer, count: .max) }
        #expect(throws: BufferError.self) { try Bitmap(buffer: buffer, bitOffset: 1, count: .max) }
    }

    @Test func childOfTheWrongType() {
        let list = ArrayData(type: .list(of: .int32), length: 1, buffers: [Buffer(values: [0, 0] as [Int32])],
                             children: [ArrayData(type: .struct([]), length: 1)])
        #expect(throws: ArrowValidationError.self) { try list.validate() }
        let ree = ArrayData(type: Samples.runEndEncoded.type, length: 1, children: [Float32Array([1] as [Float]).data, StringArray(["a"]).data])
        #expect(throws: ArrowValidationError.self) { try ree.validate() }
        let dictionary = ArrayData(type: .dictionary(index: .int8, value: .utf8, ordered: false), length: 1,
                                   buffers: [Buffer(values: [0] as [Int8])], dictionary: Int64Array([1] as [Int64]).data)
        #expect(throws: ArrowValidationError.self) { try dictionary.validate() }
    }

    @Test func declaredNullCountWithoutBitmap() {
        let data = ArrayData(type: .int32, length: 3, buffers: [Buffer(values: [1, 2, 3] as [Int32])], nullCount: 3)
        #expect(throws: ArrowValidationError(path: [], kind: .nullCountMismatch(declared: 3, actual: 0))) { try data.validate() }
        let negative = ArrayData(type: .int32, length: 1, validity: Bitmap([true]).alignedBuffer(), buffers: [Buffer(values: [1] as [Int32])], nullCount: -1)
        #expect(throws: ArrowValidationError.self) { try negative.validate() }
    }

    @Test func mapKeysAreCheckedAfterTheirBuffers() {
        let m = Samples.map
        let entries = m.children[0]
        // Keys claim a validity bitmap that has no bytes.
        let keys = ArrayData(type: .utf8, length: 2, validity: Buffer(), buffers: entries.children[0].buffers)
        let badEntries = ArrayData(type: entries.type, length: 2, children: [keys, entries.children[1]])
        let data = ArrayData(type: m.type, length: 3, validity: m.validity, buffers: m.buffers, children: [badEntries])
        #expect(throws: ArrowValidationError.self) { try data.validate() }
    }

    @Test func buildersCountZeroWidthSlots() throws {
        var fixed = FixedSizeBinaryBuilder(byteWidth: 0)
        fixed.append([]); fixed.appendNull(); fixed.append([])
        let a = fixed.finish()
        #expect(a.length == 3 && a.nullCount == 1)
        try a.validate()
        var empty = StructBuilder([:])
        empty.append { _ in }
        empty.appendNull()
        let s = empty.finish()
        #expect(s.length == 2 && s.nullCount == 1)
        try s.validate()
    }

    @Test func wideDictionaryIndices() {
        var b = DictionaryBuilder<UInt64, String>()
        b.append("a"); b.append("b"); b.append("a")
        #expect(Array(try! DictionaryArray(b.finish())) == [0, 1, 0])
    }

    // MARK: - Issue 12 regressions

    @Test func printingAHugeListCellIsBoundedByTheCellWidth() throws {
        // A valid list<null> whose one cell holds 2^40 nulls (408 bytes as an IPC file), and a
        // large_list of 2^62 nulls: printing shows the first elements and stops.
        let huge = ArrayData(type: .list(of: .null), length: 1, buffers: [Buffer(values: [Int32(0), Int32.max])],
                             children: [ArrayData(type: .null, length: Int(Int32.max))])
        try huge.validate()
        let batch = try RecordBatch(["l": huge])
        let text = batch.formatted(maxRows: 5, maxWidth: 40)
        #expect(text.contains("[null, null"))
        #expect(text.contains("…"))
        #expect(text.count < 1000)
        let larger = ArrayData(type: .largeList(Field("item", .null)), length: 1, buffers: [Buffer(values: [Int64(0), Int64(1) << 62])],
                               children: [ArrayData(type: .null, length: 1 << 62)])
        try larger.validate()
        #expect(larger.formatValue(at: 0, maxLength: 30).hasSuffix("…"))
        // Nested lists multiply: 3 levels of 1,000 elements each stop at the budget too.
        let inner = ArrayData(type: .list(of: .int8), length: 1000, buffers: [Buffer(values: (0...1000).map { Int32($0 * 1000) })],
                              children: [Int8Array(Array(repeating: 1, count: 1_000_000)).data])
        let outer = ArrayData(type: .list(Field("item", inner.type)), length: 1, buffers: [Buffer(values: [Int32(0), 1000])], children: [inner])
        #expect(outer.formatValue(at: 0, maxLength: 100).utf8.count <= 104)
        // Long strings and binaries are read only as far as the budget.
        let long = StringArray([String(repeating: "é", count: 100_000)]).data
        #expect(long.formatValue(at: 0, maxLength: 11) == String(repeating: "é", count: 5) + "…")
        #expect(long.formatValue(at: 0).count == 100_000)
    }

    @Test func tableRowCountsCannotOverflow() {
        let half = ArrayData(type: .null, length: Int.max / 2 + 1)
        let schema = Schema([Field("n", .null)])
        #expect(throws: ArrowSchemaError.rowCountOverflow) {
            let batch = try RecordBatch(schema: schema, columns: [half])
            _ = try Table(batches: [batch, batch])
        }
    }

    @Test func listViewSlotsOutOfBoundsAreInvalidEvenWhenNull() {
        // Slot 1 is null but its offset points far past the child.
        let bad = ArrayData(type: .listView(Field("item", .int64)), length: 2, validity: Samples.bits([true, false]),
                            buffers: [Samples.int32Buffer([0, 1_000_000]), Samples.int32Buffer([1, 5])],
                            children: [Int64Array([1, 2] as [Int64]).data])
        #expect(throws: ArrowValidationError.self) { try bad.validate() }
    }

    @Test func inlineViewsMustBeZeroPadded() throws {
        var view = [UInt8](repeating: 0, count: 16)
        view[0] = 2                     // length 2
        view[4] = UInt8(ascii: "h")
        view[5] = UInt8(ascii: "i")
        let good = ArrayData(type: .utf8View, length: 1, buffers: [Buffer(copying: view)])
        try good.validate()
        view[9] = 0x41                  // a stray byte after the value
        let bad = ArrayData(type: .utf8View, length: 1, buffers: [Buffer(copying: view)])
        #expect(throws: ArrowValidationError.self) { try bad.validate() }
    }

    @Test func aBatchWithoutColumnsKeepsItsLength() throws {
        let batch = try RecordBatch(schema: Schema([]), columns: [], length: 17)
        #expect(batch.length == 17)
        #expect(batch.slice(2..<5).length == 3)
        #expect(throws: ArrowSchemaError.self) {
            try RecordBatch(schema: Schema([Field("x", .int8)]), columns: [Int8Array([1] as [Int8])], length: 2)
        }
    }
}
