import Testing
import LightstreamArrow
import Vec64

@Suite("Logical equality")
struct EqualityTests {
    @Test func ignoresNullSlotBytes() {
        let validity = Bitmap([true, false, true]).alignedBuffer()
        let a = ArrayData(type: .int32, length: 3, validity: validity, buffers: [Buffer(values: [1, 0, 3] as [Int32])])
        let b = ArrayData(type: .int32, length: 3, validity: validity, buffers: [Buffer(values: [1, 99, 3] as [Int32])])
        #expect(a.logicallyEquals(b))
        let strings1 = ArrayData(type: .utf8, length: 2, validity: Bitmap([false, true]).alignedBuffer(),
                                 buffers: [Buffer(values: [0, 4, 5] as [Int32]), Buffer(copying: Array("junkx".utf8))])
        #expect(strings1.logicallyEquals(StringArray([nil, "x"]).data))
    }

    @Test func ignoresOffsetsAndSlicing() {
        let full = Int64Array([9, 1, nil, 3, 9])
        let slice = full.slice(1..<4)
        #expect(slice == Int64Array([1, nil, 3]))
        let strings = StringArray(["zz", "a", "bb", "zz"]).slice(1..<3)
        #expect(strings == StringArray(["a", "bb"]))
        #expect(StringArray(["q", "a", "bb"], type: .utf8View).slice(1..<3) == StringArray(["a", "bb"], type: .utf8View))
    }

    @Test func ignoresPaddingAndValidityBitOffset() throws {
        // The same bits at bit offset 3 of a longer, dirty buffer.
        let dirty = Buffer(copying: [0b1010_1111, 0xFF] as [UInt8])
        let a = ArrayData(type: .int8, length: 3, offset: 3, validity: dirty, buffers: [Buffer(values: [0, 0, 0, 1, 2, 3] as [Int8])])
        let b = Int8Array([1, 2, nil]).data
        #expect(!a.logicallyEquals(b))
        let c = Int8Array([1, nil, 3]).data
        #expect(a.logicallyEquals(c))
    }

    @Test func comparesDictionariesByValue() {
        var b1 = DictionaryBuilder<Int8, String>()
        for v in ["x", "y", "x"] { b1.append(v) }
        let a = b1.finish()
        // Same values, a different dictionary order and an unused entry.
        let b = ArrayData(type: a.type, length: 3, buffers: [Buffer(values: [2, 0, 2] as [Int8])], dictionary: StringArray(["y", "unused", "x"]).data)
        #expect(a.logicallyEquals(b))
        let c = ArrayData(type: a.type, length: 3, buffers: [Buffer(values: [2, 0, 0] as [Int8])], dictionary: StringArray(["y", "unused", "x"]).data)
        #expect(!a.logicallyEquals(c))
    }

    @Test func detectsDifferences() {
        #expect(Int64Array([1, 2]) != Int64Array([1, 3]))
        #expect(Int64Array([1, nil]) != Int64Array([1, 0]))
        #expect(!Int64Array([1] as [Int64]).data.logicallyEquals(Int32Array([1] as [Int32]).data))
        #expect(ListArray([[1], [2, 3]] as [[Int64?]?]) != ListArray([[1, 2], [3]] as [[Int64?]?]))
        #expect(!Samples.sparseUnion.logicallyEquals(Samples.sparseUnion.slice(0..<2)))
    }

    @Test func runEndEncodedComparesRuns() {
        let r = Samples.runEndEncoded
        let other = ArrayData(type: r.type, length: 5, children: [Int32Array([1, 2, 3, 4, 5] as [Int32]).data, StringArray(["a", "a", "a", "b", nil]).data])
        #expect(r.logicallyEquals(other))
        #expect(r.slice(2..<4).logicallyEquals(other.slice(2..<4)))
    }

    @Test func tablesCompareAcrossChunkings() throws {
        let whole = try RecordBatch(["a": Int64Array(Array(0..<10) as [Int64]), "b": StringArray((0..<10).map { "s\($0)" })])
        let t1 = try Table(batches: [whole])
        let t2 = try Table(batches: [whole.slice(0..<3), whole.slice(3..<3), whole.slice(3..<10)])
        #expect(t1 == t2)
        let t3 = try Table(batches: [whole.slice(0..<9)])
        #expect(t1 != t3)
    }

    @Test("random slices compare equal to rebuilt arrays", arguments: 0..<5)
    func randomSlices(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let values: [Int64?] = (0..<300).map { _ in Bool.random(using: &rng) ? Int64.random(in: -99...99, using: &rng) : nil }
        let strings: [String?] = values.map { $0.map { "v\($0)" } }
        let a = Int64Array(values), s = StringArray(strings, type: seed % 2 == 0 ? .utf8 : .utf8View)
        for _ in 0..<50 {
            let lo = Int.random(in: 0...300, using: &rng), hi = Int.random(in: lo...300, using: &rng)
            #expect(a.slice(lo..<hi) == Int64Array(Array(values[lo..<hi])))
            #expect(Array(s.slice(lo..<hi)) == Array(strings[lo..<hi]))
            #expect(a.slice(lo..<hi).nullCount == values[lo..<hi].filter { $0 == nil }.count)
        }
    }
}
