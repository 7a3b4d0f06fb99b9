import Testing
import Vec64
@testable import LightstreamParquet

/// PLAIN, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY byte arrays.
@Suite struct ByteArrayEncodingTests {
    enum Kind: CaseIterable, Sendable { case plain, deltaLength, delta }

    func encode(_ kind: Kind, _ strings: [[UInt8]]) throws -> [UInt8] {
        let (offsets, data) = offsetsAndData(strings)
        var out = Vec64<UInt8>()
        try offsets.withUnsafeBufferPointer { (o) throws in
            try data.withUnsafeBytes { (d) throws in
                switch kind {
                case .plain: try PlainByteArray.encode(offsets: o, data: d, to: &out)
                case .deltaLength: try DeltaLengthByteArray.encode(offsets: o, data: d, to: &out)
                case .delta: try DeltaByteArray.encode(offsets: o, data: d, to: &out)
                }
            }
        }
        return out.array
    }

    func decode<O: FixedWidthInteger & SignedInteger>(
        _ kind: Kind, _ raw: UnsafeRawBufferPointer, count: Int, offsets: inout Vec64<O>, data: inout Vec64<UInt8>
    ) throws(ParquetError) -> Int {
        switch kind {
        case .plain: return try PlainByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
        case .deltaLength: return try DeltaLengthByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
        case .delta: return try DeltaByteArray.decode(raw, count: count, offsets: &offsets, data: &data)
        }
    }

    @Test(arguments: Kind.allCases)
    func roundTripRandomStrings(kind: Kind) throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<30 {
            let strings = randomStrings(Int.random(in: 0...400, using: &rng), maxLength: Int.random(in: 0...30, using: &rng), using: &rng)
            let bytes = try encode(kind, strings)
            // Two pages appended to the same Int64 and Int32 outputs.
            var offsets64 = Vec64<Int64>()
            var offsets32 = Vec64<Int32>()
            var data64 = Vec64<UInt8>()
            var data32 = Vec64<UInt8>()
            for _ in 0..<2 {
                try bytes.withUnsafeBytes { (raw) throws in
                    #expect(try decode(kind, raw, count: strings.count, offsets: &offsets64, data: &data64) == raw.count)
                    #expect(try decode(kind, raw, count: strings.count, offsets: &offsets32, data: &data32) == raw.count)
                }
            }
            #expect(values(offsets: offsets64.array, data: data64.array) == strings + strings)
            #expect(values(offsets: offsets32.array, data: data32.array) == strings + strings)
        }
    }

    @Test func plainScanGivesSizesFirst() throws {
        let strings: [[UInt8]] = [Array("Hello".utf8), [], Array("World!".utf8)]
        let bytes = try encode(.plain, strings)
        #expect(bytes == [5, 0, 0, 0] + Array("Hello".utf8) + [0, 0, 0, 0, 6, 0, 0, 0] + Array("World!".utf8))
        try bytes.withUnsafeBytes { (raw) throws in
            let (valueBytes, consumed) = try PlainByteArray.scan(raw, count: 3)
            #expect(valueBytes == 11 && consumed == bytes.count)
        }
    }

    @Test func specDeltaLengthAndDeltaStrings() throws {
        // Encodings.md: "Hello", "World", "Foobar", "ABCDEF" -> lengths 5 5 6 6 + concatenation.
        let hello = ["Hello", "World", "Foobar", "ABCDEF"].map { Array($0.utf8) }
        var lengths = Vec64<UInt8>()
        ([5, 5, 6, 6] as [Int32]).withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &lengths) }
        #expect(try encode(.deltaLength, hello) == lengths.array + Array("HelloWorldFoobarABCDEF".utf8))
        // "axis", "axle", "babble", "babyhood" -> prefixes 0 2 0 3, suffix lengths 4 2 6 5, "axislebabbleyhood".
        let axis = ["axis", "axle", "babble", "babyhood"].map { Array($0.utf8) }
        var expected = Vec64<UInt8>()
        ([0, 2, 0, 3] as [Int32]).withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &expected) }
        ([4, 2, 6, 5] as [Int32]).withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &expected) }
        expected.append(contentsOf: Array("axislebabbleyhood".utf8))
        #expect(try encode(.delta, axis) == expected.array)
        var offsets = Vec64<Int32>()
        var data = Vec64<UInt8>()
        try expected.array.withUnsafeBytes { (raw) throws in
            _ = try DeltaByteArray.decode(raw, count: 4, offsets: &offsets, data: &data)
        }
        #expect(values(offsets: offsets.array, data: data.array) == axis)
    }

    @Test func prefixLongerThanThePreviousValueIsCorrupt() throws {
        var bytes = Vec64<UInt8>()
        ([0, 5] as [Int32]).withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &bytes) }
        ([2, 1] as [Int32]).withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, to: &bytes) }
        bytes.append(contentsOf: Array("abc".utf8))
        var offsets = Vec64<Int32>()
        var data = Vec64<UInt8>()
        let error = bytes.array.withUnsafeBytes { raw in
            #expect(throws: ParquetError.self) { _ = try DeltaByteArray.decode(raw, count: 2, offsets: &offsets, data: &data) }
        }
        guard case .corruptPage(let why)? = error?.kind else { Issue.record("expected corruptPage"); return }
        #expect(why.contains("prefix length 5"))
    }

    @Test func int32OffsetOverflowIsLimitExceeded() throws {
        let bytes = try encode(.plain, [Array("abcdef".utf8)])
        var offsets = Vec64<Int32>()
        offsets.append(0)
        var data = Vec64<UInt8>()
        // Fake a data vector near the Int32 limit without allocating it: the check only reads
        // `data.count`, so emulate it through `ByteArrayOutput.prepare` directly.
        #expect(throws: ParquetError.self) {
            try ByteArrayOutput.prepare(&offsets, data: data, extraBytes: Int(Int32.max) + 1, what: "test")
        }
        try ByteArrayOutput.prepare(&offsets, data: data, extraBytes: Int(Int32.max), what: "test")
        try bytes.withUnsafeBytes { (raw) throws in
            _ = try PlainByteArray.decode(raw, count: 1, offsets: &offsets, data: &data)
        }
        #expect(offsets.array == [0, 6])
        var offsets64 = Vec64<Int64>()
        try ByteArrayOutput.prepare(&offsets64, data: data, extraBytes: Int(Int32.max) + 1, what: "test")
    }

    @Test(arguments: Kind.allCases)
    func claimedCountsAndMalformedInput(kind: Kind) throws {
        var rng = SplitMix64(seed: 6)
        let strings = randomStrings(40, maxLength: 12, using: &rng)
        let bytes = try encode(kind, strings)
        // A count of 2^31 against a small page throws before allocating anything for it.
        bytes.withUnsafeBytes { raw in
            var offsets = Vec64<Int64>()
            var data = Vec64<UInt8>()
            #expect(throws: ParquetError.self) { _ = try decode(kind, raw, count: 1 << 31, offsets: &offsets, data: &data) }
            #expect(offsets.capacity < 1 << 20)
        }
        mutations(of: bytes, flips: 400, seed: 13) { raw throws(ParquetError) in
            var offsets = Vec64<Int32>()
            var data = Vec64<UInt8>()
            let used = try decode(kind, raw, count: strings.count, offsets: &offsets, data: &data)
            #expect(used <= raw.count)
            #expect(offsets.count == strings.count + 1)
            #expect(Int(offsets.last!) == data.count)
        }
    }
}
