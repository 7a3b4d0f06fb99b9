import Testing
import Vec64
@testable import LightstreamParquet

@Suite struct RLEBitPackedHybridTests {
    /// Decodes `count` values of `bytes` in one call.
    func decodeAll(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt64] {
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(bytes: raw, bitWidth: bitWidth)
            var out = [UInt64](repeating: 0, count: count)
            let got = try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return Array(out.prefix(got))
        }
    }

    @Test func specBitPackedAndRLERuns() throws {
        // A bit-packed run of 0...7 at 3 bits (Encodings.md's packing), then 100 x 4 as an RLE run.
        let bytes: [UInt8] = [0x03, 0x88, 0xC6, 0xFA, 0xC8, 0x01, 0x04]
        let decoded = try decodeAll(bytes, bitWidth: 3, count: 200)
        #expect(decoded == [0, 1, 2, 3, 4, 5, 6, 7] + [UInt64](repeating: 4, count: 100))
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 3)
        encoder.append(contentsOf: [UInt8](0...7) + [UInt8](repeating: 4, count: 100))
        #expect(encoder.finish().array == bytes)
    }

    @Test(arguments: 0...64)
    func roundTripRandom(bitWidth: Int) throws {
        var rng = SplitMix64(seed: 1000 + UInt64(bitWidth))
        let mask = BitWords.lowMask(bitWidth)
        for _ in 0..<12 {
            let count = Int.random(in: 0...2000, using: &rng)
            var values: [UInt64] = []
            // Mix runs of repeats with random stretches.
            while values.count < count {
                let v = rng.next() & mask
                let n = Swift.min(count - values.count, Bool.random(using: &rng) ? Int.random(in: 1...40, using: &rng) : 1)
                values += [UInt64](repeating: v, count: n)
            }
            var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
            encoder.append(contentsOf: values)
            let bytes = encoder.finish().array
            #expect(try decodeAll(bytes, bitWidth: bitWidth, count: count) == values)

            // Random chunk sizes give the same values, and the decoder stops at `count`.
            let chunked: [UInt64] = try bytes.withUnsafeBytes { raw in
                var decoder = try RLEBitPackedHybridDecoder(bytes: raw, bitWidth: bitWidth)
                var result: [UInt64] = []
                while result.count < count {
                    let n = Int.random(in: 1...70, using: &rng)
                    var chunk = [UInt64](repeating: 0, count: n)
                    let got = try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    #expect(got > 0)
                    if got == 0 { break }
                    result += chunk.prefix(got)
                }
                return result
            }
            #expect(Array(chunked.prefix(count)) == values)
        }
    }

    @Test func levelsAndIndicesIntoNarrowTypes() throws {
        var rng = SplitMix64(seed: 5)
        let levels = (0..<5000).map { _ in UInt16.random(in: 0...5, using: &rng) }
        var encoder = RLEBitPackedHybridEncoder(bitWidth: 3)
        encoder.append(contentsOf: levels)
        let bytes = encoder.finishLengthPrefixed().array
        try bytes.withUnsafeBytes { raw in
            let (runs, consumed) = try RLEBitPackedHybridDecoder.lengthPrefixed(raw)
            #expect(consumed == raw.count)
            var decoder = try RLEBitPackedHybridDecoder(bytes: runs, bitWidth: 3)
            var out = Vec64<UInt16>()
            try decoder.decode(count: levels.count, appendingTo: &out)
            #expect(out.array == levels)
            #expect(decoder.bytesConsumed == runs.count)
            // One more value is not there.
            #expect(throws: ParquetError.self) { try decoder.decode(count: 1, appendingTo: &out) }
            #expect(out.count == levels.count)
        }
        // Dictionary indices as Int32, checked against the dictionary size.
        let indices = (0..<3000).map { _ in Int32.random(in: 0..<1000, using: &rng) }
        var indexEncoder = RLEBitPackedHybridEncoder(bitWidth: 10)
        indexEncoder.append(contentsOf: indices)
        let indexBytes = indexEncoder.finish().array
        try indexBytes.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(bytes: raw, bitWidth: 10)
            var out = Vec64<Int32>()
            try decoder.decode(count: indices.count, appendingTo: &out)
            #expect(out.array == indices)
            try out.withUnsafeBufferPointer { try DictionaryIndices.check($0, dictionaryCount: 1000) }
            let maximum = indices.max()!
            let error = out.withUnsafeBufferPointer { p in
                #expect(throws: ParquetError.self) { try DictionaryIndices.check(p, dictionaryCount: Int(maximum)) }
            }
            if case .corruptPage(let why)? = error?.kind { #expect(why.contains("index \(maximum)")) } else { Issue.record("wrong error") }
        }
        for bad: [Int32] in [[0, -1, 2], [Int32.min], [5, 1000]] {
            bad.withUnsafeBufferPointer { p in
                _ = #expect(throws: ParquetError.self) { try DictionaryIndices.check(p, dictionaryCount: 1000) }
            }
        }
        try [Int32]([0, 999]).withUnsafeBufferPointer { try DictionaryIndices.check($0, dictionaryCount: 1000) }
        // A bit width wider than the output type is corrupt, not truncation.
        try indexBytes.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(bytes: raw, bitWidth: 10)
            var out = Vec64<UInt8>()
            #expect(throws: ParquetError.self) { try decoder.decode(count: 1, appendingTo: &out) }
        }
    }

    @Test func booleansIntoBitmapAtOffset() throws {
        var rng = SplitMix64(seed: 9)
        for _ in 0..<50 {
            var bools: [Bool] = []
            let count = Int.random(in: 0...1500, using: &rng)
            while bools.count < count {
                let n = Swift.min(count - bools.count, Int.random(in: 1...30, using: &rng))
                bools += Bool.random(using: &rng) ? [Bool](repeating: Bool.random(using: &rng), count: n) : (0..<n).map { _ in Bool.random(using: &rng) }
            }
            var encoder = RLEBitPackedHybridEncoder(bitWidth: 1)
            encoder.append(contentsOf: bools.map { $0 ? UInt8(1) : 0 })
            let bytes = encoder.finish().array
            let offset = Int.random(in: 0...20, using: &rng)
            var bits = Vec64<UInt8>()
            try bytes.withUnsafeBytes { raw in
                var decoder = try RLEBitPackedHybridDecoder(bytes: raw, bitWidth: 1)
                var done = 0
                while done < count {
                    let n = try decoder.decodeBooleans(count: Int.random(in: 1...100, using: &rng), into: &bits, at: offset + done)
                    if n == 0 { break }
                    done += n
                }
                #expect(done >= count)
            }
            let b = bits.array
            #expect((0..<count).allSatisfy { (b[(offset + $0) / 8] >> UInt8((offset + $0) % 8)) & 1 == (bools[$0] ? 1 : 0) })
        }
    }

    @Test func claimsBeyondTheBytesAllocateNothing() throws {
        // An RLE run claiming 2^31 - 1 values is fine to stream: the caller's buffer bounds it.
        let rle: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]
        #expect(try decodeAll(rle, bitWidth: 1, count: 100) == [UInt64](repeating: 1, count: 100))
        // A bit-packed run claiming 2^30 groups with 3 bytes yields the 8 values those bytes hold.
        let packed: [UInt8] = [0x81, 0x80, 0x80, 0x80, 0x08, 0x88, 0xC6, 0xFA]
        #expect(try decodeAll(packed, bitWidth: 3, count: 1 << 20) == [0, 1, 2, 3, 4, 5, 6, 7])
        // A partial last group: 5 of 8 values at 4 bits fit in 3 bytes (the last half-filled).
        let partial: [UInt8] = [0x03, 0x21, 0x43, 0x05]
        #expect(try decodeAll(partial, bitWidth: 4, count: 8) == [1, 2, 3, 4, 5, 0])
        // A header over 32 bits and a repeated value wider than the bit width are corrupt.
        #expect(throws: ParquetError.self) { try decodeAll([0xFE, 0xFF, 0xFF, 0xFF, 0x7F, 0x01], bitWidth: 1, count: 1) }
        #expect(throws: ParquetError.self) { try decodeAll([0x02, 0x02], bitWidth: 1, count: 1) }
        #expect(throws: ParquetError.self) { try decodeAll([0x02, 0x00], bitWidth: 65, count: 1) }
        // The RLE value is cut off.
        #expect(throws: ParquetError.self) { try decodeAll([0x02, 0x01], bitWidth: 9, count: 1) }
        // A length prefix longer than the bytes.
        _ = [UInt8]([0x10, 0, 0, 0, 1]).withUnsafeBytes { raw in
            #expect(throws: ParquetError.self) { _ = try RLEBitPackedHybridDecoder.lengthPrefixed(raw) }
        }
    }

    @Test func malformedInputThrowsOrDecodes() {
        var rng = SplitMix64(seed: 77)
        for bitWidth in [1, 3, 8, 13, 32, 64] {
            var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
            let values = (0..<150).map { i in i % 40 < 20 ? UInt64(7) & BitWords.lowMask(bitWidth) : rng.next() & BitWords.lowMask(bitWidth) }
            encoder.append(contentsOf: values)
            let bytes = encoder.finish().array
            mutations(of: bytes, flips: 300, seed: UInt64(bitWidth)) { raw throws(ParquetError) in
                var decoder = try RLEBitPackedHybridDecoder(bytes: raw, bitWidth: bitWidth)
                var out = [UInt64](repeating: 0, count: 200)
                let got = try out.withUnsafeMutableBufferPointer { (p) throws(ParquetError) in try decoder.decode(into: p) }
                #expect(got <= 200)
                #expect(decoder.bytesConsumed <= raw.count)
                #expect(out.prefix(got).allSatisfy { $0 & ~BitWords.lowMask(bitWidth) == 0 })
            }
        }
    }

    @Test func deprecatedBitPackedLevelsAreMSBFirst() throws {
        // Encodings.md: 0...7 at 3 bits, MSB-first: 00000101 00111001 01110111.
        let spec: [UInt8] = [0b0000_0101, 0b0011_1001, 0b0111_0111]
        try spec.withUnsafeBytes { raw in
            var out = [UInt16](repeating: 9, count: 8)
            let used = try out.withUnsafeMutableBufferPointer { try BitPackedLevels.decode(raw, count: 8, bitWidth: 3, into: $0.baseAddress!) }
            #expect(used == 3)
            #expect(out == [0, 1, 2, 3, 4, 5, 6, 7])
            var one = [UInt16](repeating: 0, count: 9)
            #expect(throws: ParquetError.self) { try one.withUnsafeMutableBufferPointer { _ = try BitPackedLevels.decode(raw, count: 9, bitWidth: 3, into: $0.baseAddress!) } }
        }
        var encoded = Vec64<UInt8>()
        [UInt16](0...7).withUnsafeBufferPointer { BitPackedLevels.encode($0, bitWidth: 3, to: &encoded) }
        #expect(encoded.array == spec)
        var rng = SplitMix64(seed: 4)
        for bitWidth in 0...16 {
            let levels = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt16(truncatingIfNeeded: rng.next() & BitWords.lowMask(bitWidth)) }
            var bytes = Vec64<UInt8>()
            levels.withUnsafeBufferPointer { BitPackedLevels.encode($0, bitWidth: bitWidth, to: &bytes) }
            let exact = bytes.array
            var out = [UInt16](repeating: 0, count: levels.count)
            let used = try exact.withUnsafeBytes { raw in
                try out.withUnsafeMutableBufferPointer { try BitPackedLevels.decode(raw, count: levels.count, bitWidth: bitWidth, into: $0.baseAddress!) }
            }
            #expect(used == exact.count)
            #expect(out == levels)
        }
    }
}
