import Testing
import Vec64
@testable import LightstreamParquet

/// PLAIN fixed-width and boolean values, BYTE_STREAM_SPLIT.
@Suite struct FixedWidthEncodingTests {
    @Test func byteStreamSplitSpecExample() throws {
        let encoded: [UInt8] = [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6]
        let values: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
        var out = Vec64<UInt8>()
        try encoded.withUnsafeBytes { (raw) throws in #expect(try ByteStreamSplit.decode(raw, count: 3, byteWidth: 4, appendingTo: &out) == 12) }
        #expect(out.array == values)
        var back = Vec64<UInt8>()
        values.withUnsafeBytes { ByteStreamSplit.encode($0, byteWidth: 4, to: &back) }
        #expect(back.array == encoded)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 8, 12, 16])
    func byteStreamSplitRoundTrip(byteWidth: Int) throws {
        var rng = SplitMix64(seed: UInt64(byteWidth))
        for count in [0, 1, 7, 100, 1500] {
            let values = (0..<(count * byteWidth)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var encoded = Vec64<UInt8>()
            values.withUnsafeBytes { ByteStreamSplit.encode($0, byteWidth: byteWidth, to: &encoded) }
            for i in 0..<count { for b in 0..<byteWidth { #expect(encoded[b * count + i] == values[i * byteWidth + b]) } }
            var decoded = Vec64<UInt8>()
            try encoded.array.withUnsafeBytes { (raw) throws in _ = try ByteStreamSplit.decode(raw, count: count, byteWidth: byteWidth, appendingTo: &decoded) }
            #expect(decoded.array == values)
            if count > 0 {
                try encoded.array.dropLast().withUnsafeBytes { (raw) throws in
                    _ = #expect(throws: ParquetError.self) { _ = try ByteStreamSplit.decode(raw, count: count, byteWidth: byteWidth, appendingTo: &decoded) }
                }
            }
        }
        [UInt8](repeating: 0, count: 8).withUnsafeBytes { raw in
            var out = Vec64<UInt8>()
            #expect(throws: ParquetError.self) { _ = try ByteStreamSplit.decode(raw, count: 1 << 31, byteWidth: byteWidth, appendingTo: &out) }
        }
    }

    @Test func plainBooleansAtBitOffsets() throws {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<100 {
            let bools = (0..<Int.random(in: 0...300, using: &rng)).map { _ in Bool.random(using: &rng) }
            var source = [UInt8](repeating: 0, count: (bools.count + 7) / 8 + 1)
            let sourceOffset = Int.random(in: 0...7, using: &rng)
            for (i, b) in bools.enumerated() where b { source[(i + sourceOffset) / 8] |= 1 << UInt8((i + sourceOffset) % 8) }
            var encoded = Vec64<UInt8>()
            source.withUnsafeBytes { PlainBoolean.encode(bits: $0, bitOffset: sourceOffset, count: bools.count, to: &encoded) }
            #expect(encoded.count == (bools.count + 7) / 8)
            let offset = Int.random(in: 0...40, using: &rng)
            var bits = Vec64<UInt8>()
            try encoded.array.withUnsafeBytes { (raw) throws in
                #expect(try PlainBoolean.decode(raw, count: bools.count, into: &bits, at: offset) == encoded.count)
                if !bools.isEmpty {
                    var spare = Vec64<UInt8>()
                    #expect(throws: ParquetError.self) { _ = try PlainBoolean.decode(raw, count: bools.count + 8, into: &spare, at: 0) }
                }
            }
            let b = bits.array
            #expect((0..<bools.count).allSatisfy { (b[(offset + $0) / 8] >> UInt8((offset + $0) % 8)) & 1 == (bools[$0] ? 1 : 0) })
        }
    }

    @Test func plainFixedWidth() throws {
        let numbers: [Int64] = [1, -2, .max, .min]
        var values = Vec64<Int64>()
        try numbers.withUnsafeBytes { (raw) throws in
            #expect(try PlainFixedWidth.decode(raw, count: 4, into: &values) == 32)
            var bytes = Vec64<UInt8>()
            #expect(try PlainFixedWidth.decode(raw, count: 2, byteWidth: 16, into: &bytes) == 32)
            #expect(throws: ParquetError.self) { _ = try PlainFixedWidth.decode(raw, count: 5, into: &values) }
            #expect(throws: ParquetError.self) { _ = try PlainFixedWidth.decode(raw, count: 1 << 62, byteWidth: 4, into: &bytes) }
        }
        #expect(values.array == numbers)
    }
}
