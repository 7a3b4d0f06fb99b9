import LightstreamArrow
import Testing
import Vec64
@testable import LightstreamParquet

// MARK: - Helpers

/// The little-endian bytes of an integer (the PLAIN encoding of one value).
private func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
private func le(_ value: Float) -> [UInt8] { le(value.bitPattern) }
private func le(_ value: Double) -> [UInt8] { le(value.bitPattern) }

/// Array conveniences over the builder's buffer API.
extension StatisticsBuilder {
    mutating func add(int32 values: [Int32]) { values.withUnsafeBufferPointer { add($0) } }
    mutating func add(int64 values: [Int64]) { values.withUnsafeBufferPointer { add($0) } }
    mutating func add(float values: [Float]) { values.withUnsafeBufferPointer { add($0) } }
    mutating func add(double values: [Double]) { values.withUnsafeBufferPointer { add($0) } }
    mutating func add(byteValues values: [[UInt8]]) {
        let (offsets, data) = offsetsAndData(values)
        data.withUnsafeBytes { raw in offsets.withUnsafeBufferPointer { addByteArrays(data: raw, offsets: $0) } }
    }
    mutating func add(eachBytes values: [[UInt8]]) {
        for v in values { v.withUnsafeBytes { add(bytes: $0) } }
    }
    var minMax: [[UInt8]?] { let s = statistics(); return [s.min, s.max] }
}

private func builder(_ type: ParquetPhysicalType, _ order: ParquetSortOrder, typeLength: Int? = nil) -> StatisticsBuilder {
    StatisticsBuilder(physicalType: type, sortOrder: order, typeLength: typeLength)
}

/// Half-float bits to Float by the formula (independent of the builder's integer keys).
private func halfToFloat(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F), mantissa = Float(bits & 0x3FF)
    if exponent == 0x1F { return mantissa == 0 ? sign * .infinity : .nan }
    if exponent == 0 { return sign * mantissa * Float(sign: .plus, exponent: -24, significand: 1) }
    return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
}

/// The sign-extended 32-byte form of a big-endian two's complement value with its sign bit
/// flipped: unsigned lexicographic order of these is the numeric order (the naive reference).
private func decimalKey(_ value: [UInt8]) -> [UInt8] {
    let negative = (value.first ?? 0) >= 0x80
    var key = [UInt8](repeating: negative ? 0xFF : 0, count: 32 - value.count) + value
    key[0] ^= 0x80
    return key
}

/// Splits `count` items into random contiguous ranges (some empty).
private func randomSplits(_ count: Int, using rng: inout SplitMix64) -> [Range<Int>] {
    var cuts = (0..<Int.random(in: 0...5, using: &rng)).map { _ in Int.random(in: 0...count, using: &rng) }
    cuts += [0, count]
    cuts.sort()
    return zip(cuts, cuts.dropFirst()).map { $0..<$1 }
}

// MARK: - Sort orders

@Suite struct StatisticsBuilderTests {
    static let orderCases: [(ParquetSchemaElement, ParquetSortOrder)] = [
        (.init(name: "b", type: .boolean), .unsigned),
        (.init(name: "i", type: .int32), .signed),
        (.init(name: "l", type: .int64), .signed),
        (.init(name: "t", type: .int96), .undefined),
        (.init(name: "f", type: .float), .float),
        (.init(name: "d", type: .double), .float),
        (.init(name: "s", type: .byteArray), .bytesUnsigned),
        (.init(name: "x", type: .fixedLenByteArray, typeLength: 5), .bytesUnsigned),
        (.init(name: "u8", type: .int32, convertedType: .uint8), .unsigned),
        (.init(name: "u32", type: .int32, convertedType: .uint32), .unsigned),
        (.init(name: "u64", type: .int64, convertedType: .uint64), .unsigned),
        (.init(name: "i16", type: .int32, convertedType: .int16), .signed),
        (.init(name: "ui", type: .int32, logicalType: .integer(bitWidth: 32, signed: false)), .unsigned),
        (.init(name: "ul", type: .int64, logicalType: .integer(bitWidth: 64, signed: false)), .unsigned),
        (.init(name: "si", type: .int32, logicalType: .integer(bitWidth: 8, signed: true)), .signed),
        // The logical type decides over a contradicting converted type.
        (.init(name: "lt", type: .int32, convertedType: .uint32, logicalType: .integer(bitWidth: 32, signed: true)), .signed),
        (.init(name: "d32", type: .int32, convertedType: .decimal, logicalType: .decimal(precision: 9, scale: 2)), .signed),
        (.init(name: "d64", type: .int64, convertedType: .decimal), .signed),
        (.init(name: "dba", type: .byteArray, convertedType: .decimal), .decimalBytes),
        (.init(name: "dfl", type: .fixedLenByteArray, typeLength: 16, logicalType: .decimal(precision: 38, scale: 0)), .decimalBytes),
        (.init(name: "date", type: .int32, logicalType: .date), .signed),
        (.init(name: "date2", type: .int32, convertedType: .date), .signed),
        (.init(name: "tm", type: .int32, convertedType: .timeMillis), .signed),
        (.init(name: "ts", type: .int64, logicalType: .timestamp(unit: .nanos, adjustedToUTC: true)), .signed),
        (.init(name: "tsm", type: .int64, convertedType: .timestampMicros), .signed),
        (.init(name: "t64", type: .int64, logicalType: .time(unit: .micros, adjustedToUTC: false)), .signed),
        (.init(name: "str", type: .byteArray, convertedType: .utf8, logicalType: .string), .bytesUnsigned),
        (.init(name: "enum", type: .byteArray, convertedType: .enum), .bytesUnsigned),
        (.init(name: "json", type: .byteArray, logicalType: .json), .bytesUnsigned),
        (.init(name: "bson", type: .byteArray, convertedType: .bson), .bytesUnsigned),
        (.init(name: "uuid", type: .fixedLenByteArray, typeLength: 16, logicalType: .uuid), .bytesUnsigned),
        (.init(name: "f16", type: .fixedLenByteArray, typeLength: 2, logicalType: .float16), .float16),
        (.init(name: "f16bad", type: .fixedLenByteArray, typeLength: 4, logicalType: .float16), .undefined),
        (.init(name: "iv", type: .fixedLenByteArray, typeLength: 12, convertedType: .interval), .undefined),
        (.init(name: "var", type: .byteArray, logicalType: .variant), .undefined),
        (.init(name: "geo", type: .byteArray, logicalType: .geometry), .undefined),
        (.init(name: "other", type: .byteArray, logicalType: .other(42)), .undefined),
        (.init(name: "unk", type: .int32, logicalType: .unknown), .signed),
        (.init(name: "bad", type: .byteArray, logicalType: .date), .undefined),
        (.init(name: "bad2", type: .double, convertedType: .uint32), .undefined),
        (.init(name: "group", childCount: 2), .undefined),
    ]

    @Test(arguments: orderCases)
    func sortOrderFollowsTheSpecification(element: ParquetSchemaElement, expected: ParquetSortOrder) {
        #expect(ParquetSortOrder(element) == expected, "\(element.name)")
    }

    // MARK: Hand-checked values

    @Test func signedInt32() {
        var b = builder(.int32, .signed)
        b.add(int32: [5, Int32.max, -1, 0, Int32.min, 7])
        b.addNulls(3)
        let s = b.statistics()
        #expect(s.min == [0x00, 0x00, 0x00, 0x80])
        #expect(s.max == [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(s.nullCount == 3)
        #expect(s.nanCount == nil && s.distinctCount == nil && !s.isDeprecatedMinMax)
        #expect(b.valueCount == 6 && b.nullCount == 3)
    }

    @Test func unsignedInt32ComparesBitPatterns() {
        var b = builder(.int32, .unsigned)
        b.add(int32: [7, -1, Int32.max, Int32.min, 1])
        #expect(b.minMax == [le(UInt32(1)), [0xFF, 0xFF, 0xFF, 0xFF]])
        b.add(int32: [0])
        #expect(b.minMax == [le(UInt32(0)), le(UInt32.max)])
        var small = builder(.int32, .unsigned)
        small.add(int32: [Int32.min, 3])    // 0x80000000 is the max as unsigned
        #expect(small.minMax == [le(UInt32(3)), [0x00, 0x00, 0x00, 0x80]])
    }

    @Test func signedAndUnsignedInt64() {
        var s = builder(.int64, .signed)
        s.add(int64: [Int64.max, -2, Int64.min, 9])
        #expect(s.minMax == [le(Int64.min), le(Int64.max)])
        var u = builder(.int64, .unsigned)
        u.add(int64: [Int64.max, -2, Int64.min, 9])
        #expect(u.minMax == [le(UInt64(9)), le(UInt64.max - 1)])
    }

    @Test func booleansOrderFalseBeforeTrue() {
        var b = builder(.boolean, .unsigned)
        b.addBooleans(trueCount: 3, falseCount: 0)
        #expect(b.minMax == [[1], [1]])
        b.addBooleans(trueCount: 0, falseCount: 2)
        #expect(b.minMax == [[0], [1]])
        var f = builder(.boolean, .unsigned)
        f.addBooleans(trueCount: 0, falseCount: 0)
        #expect(!f.hasMinMax)
        f.addBooleans(trueCount: 0, falseCount: 1)
        #expect(f.minMax == [[0], [0]])
    }

    @Test func floatsIgnoreNaNAndFixZeroSigns() {
        var b = builder(.float, .float)
        b.add(float: [.nan, 3.5, -Float.nan, -2, .nan, 10])
        #expect(b.minMax == [le(Float(-2)), le(Float(10))])
        #expect(b.nanCount == 3 && b.valueCount == 6)
        #expect(b.statistics().nanCount == nil)

        // A +0.0 min is written as -0.0, a -0.0 max as +0.0.
        var zeros = builder(.float, .float)
        zeros.add(float: [0.0, 0.0, -0.0])
        #expect(zeros.minMax == [le(Float(-0.0)), le(Float(0.0))])
        var positive = builder(.double, .float)
        positive.add(double: [0.0, 1.5, 7])
        #expect(positive.minMax == [le(-0.0), le(7.0)])
        var negative = builder(.double, .float)
        negative.add(double: [-0.0, -3])
        #expect(negative.minMax == [le(-3.0), le(0.0)])

        var infinities = builder(.double, .float)
        infinities.add(double: [.infinity, .nan, -.infinity])
        #expect(infinities.minMax == [le(-Double.infinity), le(Double.infinity)])
        var onlyInfinity = builder(.float, .float)
        onlyInfinity.add(float: [.infinity])
        #expect(onlyInfinity.minMax == [le(Float.infinity), le(Float.infinity)])
    }

    @Test(arguments: [1, 3, 4, 8, 9, 17, 100])
    func allNaNHasNoMinMax(count: Int) {
        var f = builder(.float, .float)
        f.add(float: [Float](repeating: .nan, count: count))
        var d = builder(.double, .float)
        d.add(double: (0..<count).map { $0 % 2 == 0 ? .nan : -.nan })
        d.addNulls(2)
        for b in [f, d] {
            #expect(!b.hasMinMax)
            #expect(b.minMax == [nil, nil])
            #expect(b.columnIndexBounds() == nil)
            #expect(b.nanCount == count && b.valueCount == count)
        }
        #expect(d.statistics().nullCount == 2)
        // A NaN in a long buffer does not hide the values around it.
        var mixed = builder(.float, .float)
        mixed.add(float: (0..<count).map { $0 == count / 2 ? 42 : .nan })
        #expect(mixed.minMax == [le(Float(42)), le(Float(42))])
    }

    @Test func float16ComparesHalfFloats() {
        func half(_ bits: [UInt16]) -> [[UInt8]] { bits.map { le($0) } }
        var b = builder(.fixedLenByteArray, .float16, typeLength: 2)
        // 1.0, -2.0, NaN, 65504 (max finite), -NaN, 0x0001 (smallest subnormal)
        b.add(eachBytes: half([0x3C00, 0xC000, 0x7E00, 0x7BFF, 0xFE00, 0x0001]))
        #expect(b.minMax == [le(UInt16(0xC000)), le(UInt16(0x7BFF))])
        #expect(b.nanCount == 2)
        var inf = builder(.fixedLenByteArray, .float16, typeLength: 2)
        inf.add(byteValues: half([0x7C00, 0x3C00, 0xFC00, 0x7C01]))
        #expect(inf.minMax == [le(UInt16(0xFC00)), le(UInt16(0x7C00))])
        #expect(inf.nanCount == 1)
        var zeros = builder(.fixedLenByteArray, .float16, typeLength: 2)
        zeros.add(byteValues: half([0x0000, 0x8000, 0x0000]))
        #expect(zeros.minMax == [[0x00, 0x80], [0x00, 0x00]])
        var positive = builder(.fixedLenByteArray, .float16, typeLength: 2)
        positive.add(eachBytes: half([0x0000, 0x4000]))
        #expect(positive.minMax == [[0x00, 0x80], le(UInt16(0x4000))])
        var nans = builder(.fixedLenByteArray, .float16, typeLength: 2)
        nans.add(byteValues: half([0x7E00, 0xFFFF, 0x7C01]))
        #expect(!nans.hasMinMax && nans.nanCount == 3)
    }

    @Test func unsignedBytesAndEmptyStrings() {
        var b = builder(.byteArray, .bytesUnsigned)
        b.add(byteValues: [Array("b".utf8), Array("ab".utf8), [0xFF], Array("abc".utf8)])
        #expect(b.minMax == [Array("ab".utf8), [0xFF]])
        b.add(eachBytes: [[]])
        #expect(b.minMax == [[], [0xFF]])
        var only = builder(.byteArray, .bytesUnsigned)
        only.add(byteValues: [[], []])
        #expect(only.minMax == [[], []])
        #expect(only.hasMinMax)
        // Bytes above 0x7F are greater (unsigned), a prefix comes first.
        var high = builder(.byteArray, .bytesUnsigned)
        high.add(eachBytes: [[0x80, 0x00], [0x7F, 0xFF, 0xFF], [0x80]])
        #expect(high.minMax == [[0x7F, 0xFF, 0xFF], [0x80, 0x00]])
        // Long values differing only after eight bytes.
        var long = builder(.byteArray, .bytesUnsigned)
        long.add(byteValues: [Array("abcdefghijk".utf8), Array("abcdefghij".utf8), Array("abcdefghijl".utf8)])
        #expect(long.minMax == [Array("abcdefghij".utf8), Array("abcdefghijl".utf8)])
    }

    @Test func decimalBytesCompareByValue() {
        var b = builder(.byteArray, .decimalBytes)
        // 1, -1, 255 (0x00FF), -256 (0xFF00), 127
        b.add(byteValues: [[0x01], [0xFF], [0x00, 0xFF], [0xFF, 0x00], [0x7F]])
        #expect(b.minMax == [[0xFF, 0x00], [0x00, 0xFF]])
        // Sign extension: 0xFF10 (-240) equals 0x...FFFF10; 0x10 < 0x0100; -128 (0x80) > 0xFF7F (-129).
        var ext = builder(.byteArray, .decimalBytes)
        ext.add(eachBytes: [[0x80], [0xFF, 0x7F], [0x10], [0x01, 0x00], [0x00, 0x00, 0x00, 0x05]])
        #expect(ext.minMax == [[0xFF, 0x7F], [0x01, 0x00]])
        // Negative below positive whatever the length; an empty value is zero.
        var signs = builder(.byteArray, .decimalBytes)
        signs.add(byteValues: [[0x00, 0x00, 0x00, 0x01], [0xFF, 0xFF, 0xFF, 0xFF, 0xFE], [], [0x7F, 0xFF]])
        #expect(signs.minMax == [[0xFF, 0xFF, 0xFF, 0xFF, 0xFE], [0x7F, 0xFF]])
        var zero = builder(.byteArray, .decimalBytes)
        zero.add(eachBytes: [[], [0xFF], [0x01]])
        #expect(zero.minMax == [[0xFF], [0x01]])
        // FIXED_LEN_BYTE_ARRAY decimals (16 bytes): -1 < 0 < 2^64.
        var fixed = builder(.fixedLenByteArray, .decimalBytes, typeLength: 16)
        let minusOne = [UInt8](repeating: 0xFF, count: 16)
        let zeroes = [UInt8](repeating: 0, count: 16)
        let big = [UInt8](repeating: 0, count: 7) + [1] + [UInt8](repeating: 0, count: 8)
        fixed.add(byteValues: [zeroes, big, minusOne])
        #expect(fixed.minMax == [minusOne, big])
    }

    @Test func undefinedOrderCountsOnly() {
        var b = builder(.int96, .undefined)
        b.add(eachBytes: [[UInt8](repeating: 1, count: 12)])
        b.addNulls(4)
        let s = b.statistics()
        #expect(s.min == nil && s.max == nil && s.nullCount == 4)
        #expect(b.columnIndexBounds() == nil)
        var interval = builder(.fixedLenByteArray, .undefined, typeLength: 12)
        interval.add(byteValues: [[UInt8](repeating: 2, count: 12)])
        #expect(!interval.hasMinMax && interval.valueCount == 1)
        var ints = builder(.int64, .undefined)
        ints.add(int64: [1, 2])
        #expect(!ints.hasMinMax)
    }

    @Test func nullsOnly() {
        var b = builder(.byteArray, .bytesUnsigned)
        b.addNulls(10)
        #expect(b.statistics() == ParquetStatistics(nullCount: 10))
        #expect(b.columnIndexBounds() == nil)
        #expect(builder(.int32, .signed).statistics() == ParquetStatistics(nullCount: 0))
    }

    @Test func oversizedMinOrMaxDropsBoth() {
        var b = builder(.byteArray, .bytesUnsigned)
        b.add(byteValues: [Array("a".utf8), Array("zzzzz".utf8)])
        b.addNulls(1)
        #expect(b.statistics(maximumValueBytes: 5).max == Array("zzzzz".utf8))
        let limited = b.statistics(maximumValueBytes: 4)
        #expect(limited.min == nil && limited.max == nil && limited.nullCount == 1)
        var c = builder(.byteArray, .bytesUnsigned)
        c.add(byteValues: [[UInt8](repeating: 0x61, count: 5000), Array("b".utf8)])
        #expect(c.statistics().min == nil)
        #expect(c.statistics(maximumValueBytes: 5000).min?.count == 5000)
    }

    // MARK: Column index bounds

    @Test func columnIndexBoundsTruncateBytes() throws {
        func bounds(_ values: [[UInt8]], _ length: Int) throws -> (min: [UInt8], max: [UInt8]) {
            var b = builder(.byteArray, .bytesUnsigned)
            b.add(byteValues: values)
            return try #require(b.columnIndexBounds(truncatedTo: length))
        }
        // Short values stay whole.
        var r = try bounds([Array("abc".utf8), Array("abd".utf8)], 64)
        #expect(r.min == Array("abc".utf8) && r.max == Array("abd".utf8))
        r = try bounds([Array("abcdef".utf8), Array("abxyz".utf8)], 3)
        #expect(r.min == Array("abc".utf8) && r.max == Array("aby".utf8))
        // Trailing 0xFF bytes are dropped before the increment.
        r = try bounds([[0x61, 0xFF, 0xFF, 0x10], [0x00]], 3)
        #expect(r.max == [0x62])
        #expect(r.min == [0x00])
        r = try bounds([[0x61, 0x62, 0xFF, 0x10]], 3)
        #expect(r.min == [0x61, 0x62, 0xFF] && r.max == [0x61, 0x63])
        // Every byte 0xFF: the max stays whole.
        r = try bounds([[0xFF, 0xFF, 0xFF, 0xFF], [0x01]], 2)
        #expect(r.max == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(r.min == [0x01])
        // UTF-8: cut at a code point boundary, increment the last code point.
        r = try bounds([Array("héllo".utf8)], 2)     // h C3 A9 ...
        #expect(r.min == Array("h".utf8) && r.max == Array("i".utf8))
        r = try bounds([Array("aé€x".utf8)], 5)     // a C3A9 E282AC x: "aé" then 2 bytes of € cut off
        #expect(r.min == Array("aé".utf8) && r.max == Array("aê".utf8))
        r = try bounds([Array("a😀b".utf8)], 4)     // a F09F9880: the emoji does not fit
        #expect(r.min == Array("a".utf8) && r.max == Array("b".utf8))
        // U+007F -> U+0080 needs two bytes: the code point before is incremented instead.
        r = try bounds([[0x61, 0x7F, 0x7F, 0x78]], 3)
        #expect(r.max == [0x61, 0xC2, 0x80])
        #expect(r.min == [0x61, 0x7F, 0x7F])
        // U+10FFFF has no successor; the surrogates are skipped.
        r = try bounds([Array("a\u{10FFFF}zz".utf8)], 5)
        #expect(r.max == Array("b".utf8))
        r = try bounds([Array("\u{10FFFF}\u{10FFFF}z".utf8)], 8)
        #expect(r.max == Array("\u{10FFFF}\u{10FFFF}z".utf8))
        r = try bounds([Array("\u{D7FF}abc".utf8)], 3)
        #expect(r.max == Array("\u{E000}".utf8))
        // Every bound holds its values.
        for (values, length) in [([Array("héllo".utf8), Array("zzz".utf8)], 2), ([[0x61, 0x7F, 0x7F, 0x78]], 3)] {
            let got = try bounds(values, length)
            for v in values {
                #expect(!v.lexicographicallyPrecedes(got.min) && !got.max.lexicographicallyPrecedes(v))
            }
        }
    }

    @Test func columnIndexBoundsOfOtherOrders() throws {
        // Decimals and fixed-length bytes are never shortened; floats follow the zero rule.
        var d = builder(.byteArray, .decimalBytes)
        let long = [UInt8](repeating: 0x01, count: 80)
        d.add(byteValues: [long, [0x00]])
        #expect(try #require(d.columnIndexBounds(truncatedTo: 8)).max == long)
        var f = builder(.fixedLenByteArray, .bytesUnsigned, typeLength: 80)
        f.add(byteValues: [long])
        #expect(try #require(f.columnIndexBounds(truncatedTo: 8)).min == long)
        var z = builder(.float, .float)
        z.add(float: [0, 0])
        let bounds = try #require(z.columnIndexBounds())
        #expect(bounds.min == le(Float(-0.0)) && bounds.max == le(Float(0.0)))
        var i = builder(.int32, .signed)
        i.add(int32: [3, -3])
        #expect(i.columnIndexBounds()?.min == le(Int32(-3)))
    }

    // MARK: Properties against naive references, and merges

    @Test(arguments: [ParquetSortOrder.signed, .unsigned])
    func randomInt32AndInt64(order: ParquetSortOrder) {
        var rng = SplitMix64(seed: order == .signed ? 101 : 202)
        for round in 0..<60 {
            let count = Int.random(in: 0...300, using: &rng)
            let spread = round % 3 == 0 ? Int64(10) : Int64.max
            let values64 = (0..<count).map { _ in Int64.random(in: -spread...spread, using: &rng) &* (round % 2 == 0 ? 1 : -1) }
            let values32 = values64.map { Int32(truncatingIfNeeded: $0) }
            let nulls = Int.random(in: 0...3, using: &rng)

            var one32 = builder(.int32, order), one64 = builder(.int64, order)
            one32.add(int32: values32); one32.addNulls(nulls)
            one64.add(int64: values64); one64.addNulls(nulls)

            let expected32: [[UInt8]?] = count == 0 ? [nil, nil] : order == .signed
                ? [le(values32.min()!), le(values32.max()!)]
                : [le(values32.map { UInt32(bitPattern: $0) }.min()!), le(values32.map { UInt32(bitPattern: $0) }.max()!)]
            let expected64: [[UInt8]?] = count == 0 ? [nil, nil] : order == .signed
                ? [le(values64.min()!), le(values64.max()!)]
                : [le(values64.map { UInt64(bitPattern: $0) }.min()!), le(values64.map { UInt64(bitPattern: $0) }.max()!)]
            #expect(one32.minMax == expected32)
            #expect(one64.minMax == expected64)
            #expect(one32.statistics().nullCount == Int64(nulls))

            var merged32 = builder(.int32, order), merged64 = builder(.int64, order)
            for range in randomSplits(count, using: &rng) {
                var page32 = builder(.int32, order), page64 = builder(.int64, order)
                page32.add(int32: Array(values32[range])); page64.add(int64: Array(values64[range]))
                merged32.merge(page32); merged64.merge(page64)
            }
            merged32.addNulls(nulls); merged64.addNulls(nulls)
            #expect(merged32.statistics() == one32.statistics())
            #expect(merged64.statistics() == one64.statistics())
            #expect(merged32.valueCount == count && merged32.hasMinMax == (count > 0))
        }
    }

    @Test func randomFloatsAndDoubles() {
        var rng = SplitMix64(seed: 303)
        let specials: [Double] = [.nan, -.nan, 0.0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        for round in 0..<80 {
            let count = Int.random(in: 0...200, using: &rng)
            let nanRate = [0.0, 0.1, 0.9, 1.0][round % 4]
            let doubles: [Double] = (0..<count).map { _ in
                if Double.random(in: 0..<1, using: &rng) < nanRate { return .nan }
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: return specials.randomElement(using: &rng)!
                case 1: return Double(Int.random(in: -3...3, using: &rng))
                case 2: return Double(bitPattern: rng.next())
                default: return Double.random(in: -1e6...1e6, using: &rng)
                }
            }
            let floats = doubles.map { Float($0) }

            func expected<T: BinaryFloatingPoint>(_ values: [T], _ encode: (T) -> [UInt8]) -> [[UInt8]?] {
                let finite = values.filter { !$0.isNaN }
                guard var low = finite.min(), var high = finite.max() else { return [nil, nil] }
                if low == 0 { low = -0.0 }
                if high == 0 { high = 0.0 }
                return [encode(low), encode(high)]
            }
            var f = builder(.float, .float), d = builder(.double, .float)
            f.add(float: floats)
            d.add(double: doubles)
            #expect(f.minMax == expected(floats) { le($0) }, "round \(round)")
            #expect(d.minMax == expected(doubles) { le($0) }, "round \(round)")
            #expect(f.nanCount == floats.filter(\.isNaN).count)
            #expect(d.nanCount == doubles.filter(\.isNaN).count)

            var mergedF = builder(.float, .float), mergedD = builder(.double, .float)
            for range in randomSplits(count, using: &rng) {
                var pf = builder(.float, .float), pd = builder(.double, .float)
                pf.add(float: Array(floats[range])); pd.add(double: Array(doubles[range]))
                mergedF.merge(pf); mergedD.merge(pd)
            }
            #expect(mergedF.statistics() == f.statistics() && mergedF.nanCount == f.nanCount)
            #expect(mergedD.statistics() == d.statistics() && mergedD.columnIndexBounds()?.max == d.columnIndexBounds()?.max)
        }
    }

    @Test func randomFloat16() {
        var rng = SplitMix64(seed: 404)
        for round in 0..<60 {
            let count = Int.random(in: 0...150, using: &rng)
            let bits: [UInt16] = (0..<count).map { _ in
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: [0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE01, 0x0001, 0x8001, 0x3C00][Int.random(in: 0..<9, using: &rng)]
                case 1: UInt16(truncatingIfNeeded: rng.next()) | (round % 2 == 0 ? 0 : 0x7C00)    // often NaN or infinite
                default: UInt16(truncatingIfNeeded: rng.next())
                }
            }
            let values = bits.map { le($0) }
            var b = builder(.fixedLenByteArray, .float16, typeLength: 2)
            if round % 2 == 0 { b.add(byteValues: values) } else { b.add(eachBytes: values) }
            let numbers = bits.map { (bits: $0, value: halfToFloat($0)) }.filter { !$0.value.isNaN }
            if let low = numbers.min(by: { $0.value < $1.value }), let high = numbers.max(by: { $0.value < $1.value }) {
                let lowBits: UInt16 = low.value == 0 ? 0x8000 : low.bits
                let highBits: UInt16 = high.value == 0 ? 0x0000 : high.bits
                #expect(b.minMax == [le(lowBits), le(highBits)], "round \(round)")
            } else {
                #expect(!b.hasMinMax)
            }
            #expect(b.nanCount == count - numbers.count)
            var merged = builder(.fixedLenByteArray, .float16, typeLength: 2)
            for range in randomSplits(count, using: &rng) {
                var page = builder(.fixedLenByteArray, .float16, typeLength: 2)
                page.add(byteValues: Array(values[range]))
                merged.merge(page)
            }
            #expect(merged.statistics() == b.statistics() && merged.nanCount == b.nanCount)
        }
    }

    @Test func randomBooleans() {
        var rng = SplitMix64(seed: 505)
        for _ in 0..<50 {
            let bools = (0..<Int.random(in: 0...20, using: &rng)).map { _ in Int.random(in: 0..<4, using: &rng) == 0 }
            var one = builder(.boolean, .unsigned)
            one.addBooleans(trueCount: bools.filter { $0 }.count, falseCount: bools.filter { !$0 }.count)
            let expected: [[UInt8]?] = bools.isEmpty ? [nil, nil] : [[bools.contains(false) ? 0 : 1], [bools.contains(true) ? 1 : 0]]
            #expect(one.minMax == expected)
            var merged = builder(.boolean, .unsigned)
            for range in randomSplits(bools.count, using: &rng) {
                var page = builder(.boolean, .unsigned)
                page.addBooleans(trueCount: bools[range].filter { $0 }.count, falseCount: bools[range].filter { !$0 }.count)
                merged.merge(page)
            }
            #expect(merged.statistics() == one.statistics())
        }
    }

    @Test(arguments: [false, true])
    func randomByteStrings(largeOffsets: Bool) {
        var rng = SplitMix64(seed: largeOffsets ? 606 : 607)
        for round in 0..<60 {
            let count = Int.random(in: 0...120, using: &rng)
            var values = randomStrings(count, maxLength: 12, using: &rng)
            if round % 3 == 0 {    // bytes above 0x7F must sort after ASCII
                values = values.map { $0.map { $0 == 0x61 ? 0xE1 : $0 == 0x62 ? 0xFF : $0 } }
            }
            var b = builder(.byteArray, .bytesUnsigned)
            let (offsets32, data) = offsetsAndData(values)
            // Offsets absolute into a larger buffer: values start after a 5-byte header.
            let padded = [UInt8](repeating: 0xEE, count: 5) + data + [0x00]
            if largeOffsets {
                let offsets = offsets32.map { Int64($0) + 5 }
                padded.withUnsafeBytes { raw in offsets.withUnsafeBufferPointer { b.addByteArrays(data: raw, offsets: $0) } }
            } else {
                let offsets = offsets32.map { $0 + 5 }
                padded.withUnsafeBytes { raw in offsets.withUnsafeBufferPointer { b.addByteArrays(data: raw, offsets: $0) } }
            }
            let sorted = values.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(b.minMax == (values.isEmpty ? [nil, nil] : [sorted.first!, sorted.last!]), "round \(round)")

            var single = builder(.byteArray, .bytesUnsigned)
            single.add(eachBytes: values)
            #expect(single.statistics() == b.statistics())

            var merged = builder(.byteArray, .bytesUnsigned)
            for range in randomSplits(count, using: &rng) {
                var page = builder(.byteArray, .bytesUnsigned)
                page.add(byteValues: Array(values[range]))
                merged.merge(page)
            }
            #expect(merged.statistics() == b.statistics())
            // Truncated bounds hold every value.
            let length = Int.random(in: 1...6, using: &rng)
            if let bounds = b.columnIndexBounds(truncatedTo: length) {
                #expect(bounds.min.count <= length)
                for v in values {
                    #expect(!v.lexicographicallyPrecedes(bounds.min) && !bounds.max.lexicographicallyPrecedes(v))
                }
            }
        }
    }

    @Test func randomDecimalBytes() {
        var rng = SplitMix64(seed: 707)
        for round in 0..<80 {
            let count = Int.random(in: 0...60, using: &rng)
            var values: [[UInt8]] = (0..<count).map { _ in
                let length = Int.random(in: 0...20, using: &rng)
                var v = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if !v.isEmpty && Bool.random(using: &rng) {    // redundant sign-extension bytes
                    let pad: UInt8 = v[0] >= 0x80 ? 0xFF : 0x00
                    v = [UInt8](repeating: pad, count: Int.random(in: 1...4, using: &rng)) + v
                }
                if Int.random(in: 0..<4, using: &rng) == 0 { v = Array(v.prefix(2)) }    // many short, close values
                return v
            }
            if round % 5 == 0 { values = values.map { Array($0.prefix(1)) } }
            var b = builder(.byteArray, .decimalBytes)
            b.add(byteValues: values)
            // The first least and first greatest value, by the sign-extended reference order.
            let low = values.min { decimalKey($0).lexicographicallyPrecedes(decimalKey($1)) }
            let high = values.max { decimalKey($0).lexicographicallyPrecedes(decimalKey($1)) }
            #expect(b.minMax == [low, high], "round \(round)")
            var merged = builder(.byteArray, .decimalBytes)
            for range in randomSplits(count, using: &rng) {
                var page = builder(.byteArray, .decimalBytes)
                page.add(eachBytes: Array(values[range]))
                merged.merge(page)
            }
            #expect(merged.statistics() == b.statistics())
        }
    }

    // MARK: Cross-check against the statistics real writers stored

    @Test func matchesChunkStatisticsOfCorpusFiles() throws {
        var checked: [String] = []
        var mismatches: [String] = []
        var zeroSignChunks: [String] = []
        var kinds = Set<String>()
        for name in try ParquetCorpus.names("data", suffix: ".parquet") {
            let path = ParquetCorpus.root.appendingPathComponent("data").appendingPathComponent(name).path
            var options = ParquetReadOptions()
            options.useArrowSchema = false    // the plain mapping: Arrow values are the physical ones
            options.useThreads = false
            guard let reader = try? ParquetFileReader(path: path, options: options) else { continue }
            // Flat columns (top-level, not repeated) with their Arrow field.
            let columns = reader.parquetSchema.columns.enumerated().compactMap { c, descriptor -> (Int, ParquetColumnDescriptor, Int)? in
                guard descriptor.maxRepetitionLevel == 0, descriptor.path.count == 1,
                      let field = reader.schema.fields.firstIndex(where: { $0.name == descriptor.path[0] }) else { return nil }
                return (c, descriptor, field)
            }
            var checkedHere = Set<String>()
            for g in 0..<reader.rowGroupCount {
                var batch: RecordBatch?
                for (c, descriptor, field) in columns {
                    guard let stats = reader.metadata.rowGroups[g].columns[c].metadata?.statistics,
                          !stats.isDeprecatedMinMax, let fileMin = stats.min, let fileMax = stats.max else { continue }
                    // arrow-rs truncates long binary statistics (is_min_value_exact = false), and the
                    // `_ieee754` columns use IEEE754_TOTAL_ORDER (NaN bounds, -0 < +0), not TYPE_ORDER:
                    // those differ by design.
                    if name == "binary_truncated_min_max.parquet" { continue }
                    if name == "floating_orders_nan_count.parquet" && descriptor.dottedPath.hasSuffix("_ieee754") { continue }
                    let order = ParquetSortOrder(descriptor.element)
                    // Old parquet-cpp stored NaN bounds (PARQUET-1225), which readers ignore.
                    if isNaN(fileMin, order, descriptor.physicalType) || isNaN(fileMax, order, descriptor.physicalType) { continue }
                    if batch == nil { batch = try? reader.readRowGroup(g) }
                    guard let batch else { continue }
                    let element = descriptor.element
                    var b = StatisticsBuilder(physicalType: descriptor.physicalType, sortOrder: order, typeLength: element.typeLength)
                    guard feed(batch.columns[field], element, into: &b) else { continue }
                    let ours = b.statistics()
                    let place = "\(name) \(descriptor.dottedPath) row group \(g)"
                    // Writers before the zero rule (parquet-mr 1.12) store a zero bound with either sign.
                    if ours.min != fileMin && isZero(fileMin, order, descriptor.physicalType) && isZero(ours.min, order, descriptor.physicalType)
                        || ours.max != fileMax && isZero(fileMax, order, descriptor.physicalType) && isZero(ours.max, order, descriptor.physicalType) {
                        zeroSignChunks.append(place)
                    }
                    if !sameBound(ours.min, fileMin, order, descriptor.physicalType) || !sameBound(ours.max, fileMax, order, descriptor.physicalType) {
                        mismatches.append("\(place): ours \(String(describing: ours.min))...\(String(describing: ours.max)), file \(fileMin)...\(fileMax)")
                    }
                    if let nulls = stats.nullCount, nulls != ours.nullCount {
                        mismatches.append("\(place): null count ours \(String(describing: ours.nullCount)), file \(nulls)")
                    }
                    checkedHere.insert("\(name):\(descriptor.dottedPath)")
                    kinds.insert("\(descriptor.physicalType)/\(order)")
                }
            }
            checked += checkedHere.sorted()
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(checked.count >= 20, "only \(checked.count) (file, column) pairs: \(checked)")
        for kind in ["INT32/signed", "INT64/signed", "FLOAT/float", "DOUBLE/float", "BYTE_ARRAY/bytesUnsigned"] {
            #expect(kinds.contains(kind), "no corpus column checked as \(kind)")
        }
        print("StatisticsBuilder corpus cross-check: \(checked.count) (file, column) pairs of \(kinds.sorted()); "
              + "zero bounds of the other sign: \(zeroSignChunks)")
    }
}

/// The float value of a FLOAT, DOUBLE or FLOAT16 bound, nil for other orders.
private func floatBound(_ bytes: [UInt8]?, _ order: ParquetSortOrder, _ physical: ParquetPhysicalType) -> Double? {
    guard let bytes else { return nil }
    switch (order, bytes.count) {
    case (.float16, 2): return Double(halfToFloat(UInt16(bytes[0]) | UInt16(bytes[1]) << 8))
    case (.float, 4) where physical == .float: return Double(Float(bitPattern: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
    case (.float, 8) where physical == .double: return Double(bitPattern: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    default: return nil
    }
}

private func isNaN(_ bytes: [UInt8]?, _ order: ParquetSortOrder, _ physical: ParquetPhysicalType) -> Bool {
    floatBound(bytes, order, physical)?.isNaN ?? false
}

private func isZero(_ bytes: [UInt8]?, _ order: ParquetSortOrder, _ physical: ParquetPhysicalType) -> Bool {
    floatBound(bytes, order, physical) == 0
}

/// Equal bytes, or (for floating-point orders) zeros of either sign.
private func sameBound(_ ours: [UInt8]?, _ file: [UInt8], _ order: ParquetSortOrder, _ physical: ParquetPhysicalType) -> Bool {
    ours == file || isZero(ours, order, physical) && isZero(file, order, physical)
}

/// Feeds the non-null values of a flat Arrow column, turned back into Parquet physical values,
/// into `builder`; false for types this check does not convert (the column is then skipped).
private func feed(_ array: ArrayData, _ element: ParquetSchemaElement, into builder: inout StatisticsBuilder) -> Bool {
    let valid = (0..<array.length).filter { !array.isNull($0) }
    builder.addNulls(array.length - valid.count)
    let values = array.buffers.isEmpty ? Buffer() : array.buffers[0]
    func load<T: BitwiseCopyable>(_: T.Type) -> [T] { valid.map { values.load(T.self, at: array.offset + $0) } }
    switch (builder.physicalType, array.type) {
    case (.int32, .int32), (.int32, .date32), (.int32, .time32), (.int32, .uint32):
        builder.add(int32: load(Int32.self))
    case (.int32, .int8): builder.add(int32: load(Int8.self).map { Int32($0) })
    case (.int32, .int16): builder.add(int32: load(Int16.self).map { Int32($0) })
    case (.int32, .uint8): builder.add(int32: load(UInt8.self).map { Int32($0) })
    case (.int32, .uint16): builder.add(int32: load(UInt16.self).map { Int32($0) })
    case (.int32, .decimal128): builder.add(int32: valid.map { Int32(truncatingIfNeeded: values.load(Int64.self, at: (array.offset + $0) * 2)) })
    case (.int64, .int64), (.int64, .uint64), (.int64, .time64), (.int64, .timestamp):
        builder.add(int64: load(Int64.self))
    case (.int64, .decimal128): builder.add(int64: valid.map { values.load(Int64.self, at: (array.offset + $0) * 2) })
    case (.float, .float32): builder.add(float: load(Float.self))
    case (.double, .float64): builder.add(double: load(Double.self))
    case (.boolean, .boolean):
        let trues = valid.filter { i in let bit = array.offset + i; return values.load(UInt8.self, at: bit >> 3) & (1 << UInt8(bit & 7)) != 0 }.count
        builder.addBooleans(trueCount: trues, falseCount: valid.count - trues)
    case (.byteArray, .utf8), (.byteArray, .binary), (.byteArray, .largeUtf8), (.byteArray, .largeBinary):
        if valid.count == array.length {
            // No nulls: the Arrow offsets and data as they are (offsets absolute into the data).
            let data = array.buffers[1]
            data.withUnsafeBytes { raw in
                values.withUnsafeBytes { offsetBytes in
                    if case .variableBinary(4) = array.type.layout {
                        offsetBytes.withMemoryRebound(to: Int32.self) { o in
                            builder.addByteArrays(data: raw, offsets: UnsafeBufferPointer(rebasing: o[array.offset...(array.offset + array.length)]))
                        }
                    } else {
                        offsetBytes.withMemoryRebound(to: Int64.self) { o in
                            builder.addByteArrays(data: raw, offsets: UnsafeBufferPointer(rebasing: o[array.offset...(array.offset + array.length)]))
                        }
                    }
                }
            }
        } else {
            for i in valid { array.binaryValue(at: i).withUnsafeBytes { builder.add(bytes: $0) } }
        }
    case (.fixedLenByteArray, .fixedSizeBinary), (.fixedLenByteArray, .float16):
        for i in valid { array.binaryValue(at: i).withUnsafeBytes { builder.add(bytes: $0) } }
    case (.fixedLenByteArray, .decimal128):
        // The big-endian two's complement of the stored width from the 16 little-endian bytes.
        guard let width = element.typeLength, width <= 16 else { return false }
        for i in valid {
            let little = values.slice((array.offset + i) * 16..<(array.offset + i + 1) * 16).array
            Array(little[0..<width].reversed()).withUnsafeBytes { builder.add(bytes: $0) }
        }
    default:
        return false
    }
    return true
}
