import Testing
import LightstreamArrow
import Vec64

/// One test per structural check of `validate()`: each corrupts a valid array in one way and
/// expects that kind of error, at the right path and index.
@Suite("validate() catches each corruption")
struct ValidationTests {
    func expectKind(_ data: ArrayData, path: [String] = ["col"], index: Int? = nil, _ kind: ArrowValidationError.Kind,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try data.validate(path: ["col"])
            Issue.record("expected \(kind), validation passed", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, sourceLocation: sourceLocation)
            #expect(error.path == path, sourceLocation: sourceLocation)
            if let index { #expect(error.index == index, sourceLocation: sourceLocation) }
        }
    }

    @Test func negativeLength() {
        expectKind(ArrayData(type: .int32, length: -1, buffers: [Buffer()]), .negativeLengthOrOffset(length: -1, offset: 0))
    }

    @Test func valueBufferTooSmall() {
        expectKind(ArrayData(type: .int64, length: 3, buffers: [Buffer(values: [1, 2] as [Int64])]), .bufferTooSmall(buffer: "values", needed: 24, actual: 16))
    }

    @Test func valueBufferTooSmallForOffset() {
        let data = ArrayData(type: .int32, length: 2, offset: 1, buffers: [Buffer(values: [1, 2] as [Int32])])
        expectKind(data, .bufferTooSmall(buffer: "values", needed: 12, actual: 8))
    }

    @Test func validityTooSmall() {
        let data = ArrayData(type: .int8, length: 9, validity: Buffer(copying: [0xFF] as [UInt8]), buffers: [Buffer(values: [Int8](repeating: 0, count: 9))])
        expectKind(data, .bufferTooSmall(buffer: "validity", needed: 2, actual: 1))
    }

    @Test func wrongBufferCount() {
        expectKind(ArrayData(type: .utf8, length: 0, buffers: [Buffer()]), .wrongBufferCount(expected: 2, actual: 1))
    }

    @Test func wrongChildCount() {
        expectKind(ArrayData(type: .list(of: .int8), length: 0, buffers: [Buffer()]), .wrongChildCount(expected: 1, actual: 0))
    }

    @Test func nullCountMismatch() {
        let good = Int32Array([1, nil, 3]).data
        let bad = ArrayData(type: .int32, length: 3, validity: good.validity, buffers: good.buffers, nullCount: 2)
        expectKind(bad, .nullCountMismatch(declared: 2, actual: 1))
    }

    @Test func offsetsNotMonotonic() {
        let data = ArrayData(type: .utf8, length: 3, buffers: [Buffer(values: [0, 2, 1, 3] as [Int32]), Buffer(copying: Array("abc".utf8))])
        expectKind(data, index: 1, .offsetsNotMonotonic(previous: 2, next: 1))
    }

    @Test func offsetPastData() {
        let data = ArrayData(type: .largeBinary, length: 2, buffers: [Buffer(values: [0, 1, 9] as [Int64]), Buffer(copying: [1, 2] as [UInt8])])
        expectKind(data, index: 1, .offsetOutOfBounds(value: 9, bound: 2))
    }

    @Test func negativeFirstOffset() {
        let data = ArrayData(type: .binary, length: 1, buffers: [Buffer(values: [-1, 1] as [Int32]), Buffer(copying: [1, 2] as [UInt8])])
        expectKind(data, index: 0, .offsetOutOfBounds(value: -1, bound: 2))
    }

    @Test func offsetsBufferTooShort() {
        let data = ArrayData(type: .utf8, length: 3, buffers: [Buffer(values: [0, 1] as [Int32]), Buffer(copying: [65] as [UInt8])])
        expectKind(data, .bufferTooSmall(buffer: "offsets", needed: 16, actual: 8))
    }

    @Test func invalidUTF8() {
        let data = ArrayData(type: .utf8, length: 2, buffers: [Buffer(values: [0, 1, 3] as [Int32]), Buffer(copying: [65, 0xC3, 0x28] as [UInt8])])
        expectKind(data, index: 1, .invalidUTF8)
    }

    @Test("UTF-8 edge cases", arguments: [
        ([0xE0, 0x80, 0x80] as [UInt8], false), // overlong
        ([0xED, 0xA0, 0x80], false), // surrogate
        ([0xF4, 0x90, 0x80, 0x80], false), // past U+10FFFF
        ([0xF0, 0x9F, 0x98, 0x80], true), // emoji
        ([0xC2], false), // truncated
        (Array("plain ascii text, long enough".utf8), true),
    ])
    func utf8EdgeCases(_ bytes: [UInt8], _ valid: Bool) {
        let data = ArrayData(type: .utf8, length: 1, buffers: [Buffer(values: [0, Int32(bytes.count)]), Buffer(copying: bytes)])
        #expect(((try? data.validate()) != nil) == valid)
    }

    @Test func viewBufferIndexOutOfRange() {
        let views = Buffer(values: [13, 0x6161_6161, 3, 0] as [UInt32])
        let data = ArrayData(type: .binaryView, length: 1, buffers: [views, Buffer(copying: [UInt8](repeating: 0x61, count: 13))])
        expectKind(data, index: 0, .viewBufferIndexOutOfRange(index: 3, bufferCount: 1))
    }

    @Test func viewPastDataBuffer() {
        let views = Buffer(values: [13, 0x6161_6161, 0, 5] as [UInt32])
        let data = ArrayData(type: .binaryView, length: 1, buffers: [views, Buffer(copying: [UInt8](repeating: 0x61, count: 13))])
        expectKind(data, index: 0, .offsetOutOfBounds(value: 18, bound: 13))
    }

    @Test func viewPrefixMismatch() {
        let views = Buffer(values: [13, 0x6262_6262, 0, 0] as [UInt32])
        let data = ArrayData(type: .utf8View, length: 1, buffers: [views, Buffer(copying: [UInt8](repeating: 0x61, count: 13))])
        expectKind(data, index: 0, .viewPrefixMismatch)
    }

    @Test func listOffsetPastChild() {
        let data = ArrayData(type: .list(of: .int64), length: 1, buffers: [Buffer(values: [0, 5] as [Int32])], children: [Int64Array([1] as [Int64]).data])
        expectKind(data, index: 0, .offsetOutOfBounds(value: 5, bound: 1))
    }

    @Test func listViewPastChild() {
        let data = ArrayData(type: .listView(Field("item", .int64)), length: 1, buffers: [Buffer(values: [1] as [Int32]), Buffer(values: [1] as [Int32])],
                             children: [Int64Array([1] as [Int64]).data])
        expectKind(data, index: 0, .offsetOutOfBounds(value: 2, bound: 1))
    }

    @Test func errorInChildNamesThePath() {
        let badChild = ArrayData(type: .utf8, length: 1, buffers: [Buffer(values: [0, 2] as [Int32]), Buffer(copying: [0xFF, 0xFF] as [UInt8])])
        let s = ArrayData(type: .struct([Field("inner", .utf8)]), length: 1, children: [badChild])
        let list = ArrayData(type: .list(Field("element", s.type)), length: 1, buffers: [Buffer(values: [0, 1] as [Int32])], children: [s])
        expectKind(list, path: ["col", "element", "inner"], index: 0, .invalidUTF8)
    }

    @Test func structChildTooShort() {
        let data = ArrayData(type: .struct([Field("a", .int8)]), length: 3, children: [Int8Array([1] as [Int8]).data])
        expectKind(data, .childTooShort(needed: 3, actual: 1))
    }

    @Test func fixedSizeListChildTooShort() {
        let data = ArrayData(type: .fixedSizeList(Field("item", .int8), listSize: 3), length: 2, children: [Int8Array([1, 2, 3] as [Int8]).data])
        expectKind(data, .childTooShort(needed: 6, actual: 3))
    }

    @Test func missingDictionary() {
        let data = ArrayData(type: .dictionary(index: .int8, value: .utf8, ordered: false), length: 1, buffers: [Buffer(values: [0] as [Int8])])
        expectKind(data, .missingDictionary)
    }

    @Test func dictionaryIndexOutOfRange() {
        let data = ArrayData(type: .dictionary(index: .int16, value: .utf8, ordered: false), length: 2, buffers: [Buffer(values: [0, 2] as [Int16])],
                             dictionary: StringArray(["a", "b"]).data)
        expectKind(data, index: 1, .dictionaryIndexOutOfRange(index: 2, dictionaryLength: 2))
    }

    @Test func negativeDictionaryIndex() {
        let data = ArrayData(type: .dictionary(index: .int8, value: .utf8, ordered: false), length: 1, buffers: [Buffer(values: [-1] as [Int8])],
                             dictionary: StringArray(["a"]).data)
        expectKind(data, index: 0, .dictionaryIndexOutOfRange(index: -1, dictionaryLength: 1))
    }

    @Test func invalidUnionTypeID() {
        let u = Samples.sparseUnion
        let data = ArrayData(type: u.type, length: 3, buffers: [Buffer(values: [0, 3, 0] as [Int8])], children: u.children)
        expectKind(data, index: 1, .invalidUnionTypeID(3))
    }

    @Test func denseUnionOffsetPastChild() {
        let u = Samples.denseUnion
        let data = ArrayData(type: u.type, length: 3, buffers: [u.buffers[0], Buffer(values: [0, 4, 1] as [Int32])], children: u.children)
        expectKind(data, index: 1, .offsetOutOfBounds(value: 4, bound: 1))
    }

    @Test func unionWithValidity() {
        let u = Samples.sparseUnion
        let data = ArrayData(type: u.type, length: 3, validity: Bitmap(repeating: true, count: 3).alignedBuffer(), buffers: u.buffers, children: u.children)
        expectKind(data, .unexpectedValidity)
    }

    @Test func runEndsNotIncreasing() {
        let r = Samples.runEndEncoded
        let data = ArrayData(type: r.type, length: 5, children: [Int32Array([3, 3, 5] as [Int32]).data, r.children[1]])
        expectKind(data, index: 1, .runEndsNotIncreasing(previous: 3, next: 3))
    }

    @Test func runEndsTooShort() {
        let r = Samples.runEndEncoded
        let data = ArrayData(type: r.type, length: 6, children: r.children)
        expectKind(data, .runEndsTooShort(lastRunEnd: 5, needed: 6))
    }

    @Test func nullRunEnd() {
        let r = Samples.runEndEncoded
        let data = ArrayData(type: r.type, length: 5, children: [Int32Array([3, nil, 5]).data, r.children[1]])
        expectKind(data, .nullRunEnd)
    }

    @Test func nullMapKey() {
        let m = Samples.map
        let entries = m.children[0]
        let keys = StringArray(["a", nil]).data
        let badEntries = ArrayData(type: entries.type, length: 2, children: [keys, entries.children[1]])
        let data = ArrayData(type: m.type, length: 3, validity: m.validity, buffers: m.buffers, children: [badEntries])
        expectKind(data, index: 0, .nullMapKey)
    }

    @Test("invalid types", arguments: [
        DataType.decimal128(precision: 39, scale: 0), .decimal32(precision: 5, scale: 6), .fixedSizeBinary(byteWidth: -1),
        .time32(.nanosecond), .time64(.second), .dictionary(index: .float32, value: .utf8, ordered: false),
        .union(.sparse, [Field("a", .int8)], typeIDs: [1, 2]),
    ])
    func invalidTypes(_ type: DataType) {
        let data = ArrayData(type: type, length: 0, buffers: Array(repeating: Buffer(), count: type.layout.fixedBufferCount))
        do {
            try data.validate()
            Issue.record("\(type) passed validation")
        } catch {
            guard case .invalidType = error.kind else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test func errorsDescribeWhatAndWhere() {
        let error = ArrowValidationError(path: ["a", "b"], index: 4, kind: .invalidUTF8)
        #expect(error.description == "field 'a.b' at index 4: string value is not valid UTF-8")
    }

    @Test func recordBatchValidationNamesTheColumn() throws {
        let bad = ArrayData(type: .int64, length: 2, buffers: [Buffer(values: [1] as [Int64])])
        let batch = try RecordBatch(["ok": Int64Array([1, 2] as [Int64]), "broken": bad])
        #expect(throws: ArrowValidationError(path: ["broken"], kind: .bufferTooSmall(buffer: "values", needed: 16, actual: 8))) {
            try batch.validate()
        }
    }
}
