import LightstreamArrow
@testable import LightstreamParquet
import Testing
import Vec64

/// Inputs a review found that could make the reader allocate from a claim or read values wrongly.
@Suite struct ReviewRegressionTests {
    private func schema(_ leaf: ParquetSchemaElement) -> [ParquetSchemaElement] {
        [ParquetSchemaElement(name: "root", childCount: 1), leaf]
    }

    @Test(arguments: [0, 1 << 24 + 1, Int(Int32.max)])
    func fixedLengthByteArrayWidthIsBounded(width: Int) {
        let leaf = ParquetSchemaElement(name: "f", type: .fixedLenByteArray, typeLength: width, repetition: .optional)
        #expect(throws: ParquetError.self) { try ParquetSchema(elements: schema(leaf)) }
    }

    @Test func decimalOnAFloatIsRefused() throws {
        let leaf = ParquetSchemaElement(name: "d", type: .float, repetition: .optional, convertedType: .decimal,
                                        scale: 2, precision: 5)
        let parquet = try ParquetSchema(elements: schema(leaf))
        #expect(throws: ParquetError.self) { try ArrowSchemaMapping(parquet) }
    }

    @Test func listGroupWithoutARepeatedChildIsRefused() throws {
        let elements = [
            ParquetSchemaElement(name: "root", childCount: 1),
            ParquetSchemaElement(name: "l", repetition: .optional, childCount: 1, convertedType: .list),
            ParquetSchemaElement(name: "element", type: .int32, repetition: .optional),
        ]
        let parquet = try ParquetSchema(elements: elements)
        #expect(throws: ParquetError.self) { try ArrowSchemaMapping(parquet) }
    }

    @Test func gatheringADictionaryIsBounded() throws {
        var dictionary = ValueBuffer(kind: .fixed(byteWidth: 1024))
        dictionary.data = Vec64<UInt8>(zeroedCount: 1024)
        dictionary.count = 1
        var values = ValueBuffer(kind: .fixed(byteWidth: 1024))
        let indices = [Int32](repeating: 0, count: 1000)
        do {
            try indices.withUnsafeBufferPointer { (i) throws(ParquetError) in
                try values.appendGathering(i, from: dictionary, maximumBytes: 100_000)
            }
            Issue.record("1000 values of 1 KiB passed a limit of 100 kB")
        } catch {
            guard case .limitExceeded = error.kind else { Issue.record("wrong error \(error)"); return }
        }
        #expect(values.data.count == 0)
    }

    @Test func deltaByteArrayExpansionIsBounded() throws {
        // First value 1000 bytes, then 99 values repeating it whole: 100 kB from about 1 kB.
        var prefixes = Vec64<UInt8>(), suffixes = Vec64<UInt8>()
        let prefixLengths = [Int32(0)] + [Int32](repeating: 1000, count: 99)
        let suffixLengths = [Int32(1000)] + [Int32](repeating: 0, count: 99)
        prefixLengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &prefixes) }
        suffixLengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &suffixes) }
        var bytes = Array(prefixes) + Array(suffixes)
        bytes += [UInt8](repeating: 65, count: 1000)
        var offsets = Vec64<Int64>(), data = Vec64<UInt8>()
        #expect(throws: ParquetError.self) {
            _ = try bytes.withUnsafeBytes { (raw) throws(ParquetError) in
                try DeltaByteArray.decode(raw, count: 100, offsets: &offsets, data: &data, maximumBytes: 50_000)
            }
        }
        offsets = Vec64<Int64>()
        data = Vec64<UInt8>()
        let used = try bytes.withUnsafeBytes { (raw) throws(ParquetError) in
            try DeltaByteArray.decode(raw, count: 100, offsets: &offsets, data: &data, maximumBytes: 200_000)
        }
        #expect(used == bytes.count)
        #expect(data.count == 100_000)
    }

    @Test func byteStreamSplitSectionMustHoldExactlyTheValues() {
        var values = ValueBuffer(kind: .fixed(byteWidth: 4))
        let bytes = [UInt8](repeating: 1, count: 4 * 10 + 4)
        #expect(throws: ParquetError.self) {
            _ = try bytes.withUnsafeBytes { (raw) throws(ParquetError) in
                try ValueDecoding.decode(raw, .byteStreamSplit, count: 10, physical: .float, into: &values)
            }
        }
    }

    @Test func narrowingADecimalChecksTheDroppedBytes() throws {
        // 2^40 does not fit decimal32; -1 and 5 do.
        var raw = Vec64<UInt8>(zeroedCount: 48)
        raw.withUnsafeMutableBufferPointer { b in
            let p = UnsafeMutableRawPointer(b.baseAddress!)
            p.storeBytes(of: Int64(5), toByteOffset: 0, as: Int64.self)
            p.storeBytes(of: Int64(-1), toByteOffset: 16, as: Int64.self)
            p.storeBytes(of: Int64(-1), toByteOffset: 24, as: Int64.self)
            p.storeBytes(of: Int64(1) << 40, toByteOffset: 32, as: Int64.self)
        }
        let array = ArrayData(type: .decimal128(precision: 9, scale: 0), length: 3, buffers: [raw.freeze()])
        #expect(throws: ParquetError.self) { try ArrayRetyping.finish(array, as: .decimal32(precision: 9, scale: 0)) }
        let fitting = try ArrayRetyping.finish(array.slice(0..<2), as: .decimal32(precision: 9, scale: 0))
        #expect(fitting.length == 2)
    }
}
