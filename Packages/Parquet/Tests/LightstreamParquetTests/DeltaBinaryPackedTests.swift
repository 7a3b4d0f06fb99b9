import Testing
import Vec64
@testable import LightstreamParquet

@Suite struct DeltaBinaryPackedTests {
    func encode<T: FixedWidthInteger & SignedInteger>(_ values: [T], blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
        var out = Vec64<UInt8>()
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, blockSize: blockSize, miniblocksPerBlock: miniblocks, to: &out) }
        return out.array
    }

    func decode<T: FixedWidthInteger & SignedInteger & BitwiseCopyable>(_ bytes: [UInt8], as: T.Type, count: Int) throws -> (values: [T], consumed: Int) {
        try bytes.withUnsafeBytes { raw in
            var decoder = try DeltaBinaryPackedDecoder<T>(bytes: raw)
            var out = Vec64<T>()
            try decoder.decode(count: count, appendingTo: &out)
            return (out.array, decoder.bytesConsumed)
        }
    }

    @Test func specExampleOneWithAValidBlockSize() throws {
        // Encodings.md example 1 (1...5) with block size 128 and 4 miniblocks (the spec's 8 is
        // invalid): header 128, 4, 5, first 1; block min delta 1, widths 0 0 0 0, no data.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
        #expect(encode([1, 2, 3, 4, 5] as [Int32]) == bytes)
        let (values, consumed) = try decode(bytes, as: Int32.self, count: 5)
        #expect(values == [1, 2, 3, 4, 5])
        #expect(consumed == bytes.count)
    }

    @Test func specExampleTwoWithAValidBlockSize() throws {
        // Example 2 (7, 5, 3, 1, 2, 3, 4, 5): min delta -2, relative deltas 0 0 0 3 3 3 3 at 2 bits
        // in the first 32-value miniblock (8 bytes, zero padded).
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        #expect(encode([7, 5, 3, 1, 2, 3, 4, 5] as [Int64]) == bytes)
        let (values, consumed) = try decode(bytes, as: Int64.self, count: 100)
        #expect(values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(consumed == bytes.count)
    }

    @Test(arguments: [(128, 4), (128, 1), (256, 8), (1024, 2)])
    func roundTripInt64(blockSize: Int, miniblocks: Int) throws {
        var rng = SplitMix64(seed: UInt64(blockSize * 31 + miniblocks))
        for trial in 0..<40 {
            let count = Int.random(in: 0...3000, using: &rng)
            // Trials cover every delta width up to 64 bits, extremes included.
            let width = trial % 65
            var values: [Int64] = []
            var v = Int64.random(in: .min ... .max, using: &rng)
            for _ in 0..<count {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: v = .max
                case 1: v = .min
                default: v = v &+ Int64(bitPattern: rng.next() & BitWords.lowMask(width)) &- Int64(bitPattern: BitWords.lowMask(width) >> 1)
                }
                values.append(v)
            }
            let bytes = encode(values, blockSize: blockSize, miniblocks: miniblocks)
            let (decoded, consumed) = try decode(bytes, as: Int64.self, count: count)
            #expect(decoded == values)
            #expect(consumed == bytes.count)
            // Random chunk sizes.
            let chunked: [Int64] = try bytes.withUnsafeBytes { raw in
                var decoder = try DeltaBinaryPackedDecoder<Int64>(bytes: raw)
                var result: [Int64] = []
                while decoder.remaining > 0 {
                    var chunk = [Int64](repeating: 0, count: Int.random(in: 1...200, using: &rng))
                    let got = try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!, count: $0.count) }
                    result += chunk.prefix(got)
                }
                #expect(decoder.bytesConsumed == raw.count)
                return result
            }
            #expect(chunked == values)
        }
    }

    @Test(arguments: 0...32)
    func roundTripInt32(width: Int) throws {
        var rng = SplitMix64(seed: UInt64(width) + 99)
        let count = Int.random(in: 0...1000, using: &rng)
        var v = Int32.random(in: .min ... .max, using: &rng)
        let values: [Int32] = (0..<count).map { _ in
            v = v &+ Int32(truncatingIfNeeded: rng.next() & BitWords.lowMask(width))
            return v
        }
        let bytes = encode(values)
        let (decoded, consumed) = try decode(bytes, as: Int32.self, count: count)
        #expect(decoded == values)
        #expect(consumed == bytes.count)
    }

    @Test func invalidHeadersAndWidths() {
        let bad: [[UInt8]] = [
            [0x40, 0x01, 0x01, 0x00],                     // block size 64
            [0x80, 0x01, 0x03, 0x01, 0x00],               // 3 miniblocks
            [0x80, 0x01, 0x08, 0x01, 0x00],               // 16 values per miniblock
            [0x80, 0x01, 0x00, 0x01, 0x00],               // 0 miniblocks
            [0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00], // 2^31 values
            [0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 33, 0, 0, 0] + [UInt8](repeating: 0, count: 200), // 33 bits for Int32
        ]
        for bytes in bad {
            #expect(throws: ParquetError.self) { _ = try decode(bytes, as: Int32.self, count: 10) }
        }
    }

    @Test func claimedCountIsNotAllocated() throws {
        // 2^31 - 1 values claimed, eight blocks of zero-width deltas: a valid encoding whose values
        // only the caller's count bounds; then a claim the bytes cannot back throws early.
        let constant: [UInt8] = [0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x0A] + [UInt8](repeating: 0, count: 5 * 8)
        let (values, _) = try decode(constant, as: Int64.self, count: 1000)
        #expect(values == [Int64](repeating: 5, count: 1000))
        let truncated: [UInt8] = [0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x0A, 0x00, 9, 9, 9, 9, 1, 2, 3]
        #expect(throws: ParquetError.self) { _ = try decode(truncated, as: Int64.self, count: Int(Int32.max)) }
    }

    @Test func malformedInputThrowsOrDecodes() {
        var rng = SplitMix64(seed: 21)
        let values = (0..<300).map { _ in Int64.random(in: -1000...1000, using: &rng) }
        let bytes = encode(values, blockSize: 128, miniblocks: 4)
        mutations(of: bytes, flips: 500, seed: 8) { raw throws(ParquetError) in
            var decoder = try DeltaBinaryPackedDecoder<Int64>(bytes: raw)
            var out = [Int64](repeating: 0, count: 400)
            let got = try out.withUnsafeMutableBufferPointer { (p) throws(ParquetError) in try decoder.decode(into: p.baseAddress!, count: p.count) }
            #expect(got <= 400)
            #expect(decoder.bytesConsumed <= raw.count)
        }
    }
}
