import Testing
import Vec64
@testable import LightstreamParquet

@Suite struct BitPackingTests {
    @Test(arguments: 0...64)
    func packUnpackRoundTrip(bitWidth: Int) {
        var rng = SplitMix64(seed: UInt64(bitWidth) &* 7919)
        let mask = BitWords.lowMask(bitWidth)
        for _ in 0..<20 {
            let count = Int.random(in: 0...300, using: &rng)
            let values = (0..<count).map { _ in rng.next() & mask }
            var packed = Vec64<UInt8>()
            values.withUnsafeBufferPointer { BitPacking.append($0.baseAddress!, count: count, bitWidth: bitWidth, to: &packed) }
            #expect(packed.count == (count * bitWidth + 7) / 8)
            // Unpack from an exact-size array so any read past the end would be caught by ASan.
            let bytes = packed.array
            let first = count == 0 ? 0 : Int.random(in: 0..<count, using: &rng)
            var out = [UInt64](repeating: 0xDEAD, count: count - first)
            bytes.withUnsafeBytes { raw in
                out.withUnsafeMutableBufferPointer { o in
                    BitPacking.unpack(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, byteCount: raw.count,
                                      firstValue: first, count: count - first, bitWidth: bitWidth, into: o.baseAddress!)
                }
            }
            #expect(out == Array(values[first...]))
        }
    }

    @Test func unpackIntoNarrowTypes() {
        var rng = SplitMix64(seed: 3)
        for bitWidth in 1...16 {
            let values = (0..<1000).map { _ in UInt16(truncatingIfNeeded: rng.next() & BitWords.lowMask(bitWidth)) }
            var packed = Vec64<UInt8>()
            values.withUnsafeBufferPointer { BitPacking.append($0.baseAddress!, count: values.count, bitWidth: bitWidth, to: &packed) }
            var out = [UInt16](repeating: 0, count: values.count)
            packed.withUnsafeBytes { raw in
                out.withUnsafeMutableBufferPointer {
                    BitPacking.unpack(raw.baseAddress!, byteCount: raw.count, firstValue: 0, count: values.count, bitWidth: bitWidth, into: $0.baseAddress!)
                }
            }
            #expect(out == values)
        }
    }

    @Test func specExampleThreeBitsLSBFirst() {
        // Encodings.md: 0...7 at 3 bits pack to 10001000 11000110 11111010.
        var packed = Vec64<UInt8>()
        let values: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7]
        values.withUnsafeBufferPointer { BitPacking.append($0.baseAddress!, count: 8, bitWidth: 3, to: &packed) }
        #expect(packed.array == [0b1000_1000, 0b1100_0110, 0b1111_1010])
    }

    @Test func copyAndFillBitsAtAnyOffset() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let sourceBits = (0..<Int.random(in: 0...300, using: &rng)).map { _ in Bool.random(using: &rng) }
            var source = [UInt8](repeating: 0, count: (sourceBits.count + 7) / 8)
            for (i, b) in sourceBits.enumerated() where b { source[i / 8] |= 1 << UInt8(i % 8) }
            let sourceStart = sourceBits.isEmpty ? 0 : Int.random(in: 0..<sourceBits.count, using: &rng)
            let count = sourceBits.count - sourceStart
            // A destination with existing bits that must be kept.
            let prefixBits = Int.random(in: 0...70, using: &rng)
            var bits = Vec64<UInt8>()
            BitPacking.fillBits(true, count: prefixBits, into: &bits, at: 0)
            source.withUnsafeBytes { raw in
                BitPacking.copyBits(from: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, byteCount: raw.count, sourceBit: sourceStart, count: count, into: &bits, at: prefixBits)
            }
            let fillCount = Int.random(in: 0...100, using: &rng)
            BitPacking.fillBits(false, count: fillCount, into: &bits, at: prefixBits + count)
            let b = bits.array
            func bit(_ i: Int) -> Bool { b[i / 8] & (1 << UInt8(i % 8)) != 0 }
            #expect((0..<prefixBits).allSatisfy { bit($0) })
            #expect((0..<count).allSatisfy { bit(prefixBits + $0) == sourceBits[sourceStart + $0] })
            #expect((0..<fillCount).allSatisfy { !bit(prefixBits + count + $0) })
        }
    }

    @Test func varintAndZigzag() throws {
        var out = Vec64<UInt8>()
        let numbers: [UInt64] = [0, 1, 127, 128, 300, UInt64(UInt32.max), UInt64.max]
        for n in numbers { Varint.append(n, to: &out) }
        let bytes = out.array
        try bytes.withUnsafeBytes { (raw) throws in
            var p = 0
            for n in numbers { #expect(try Varint.read(raw, at: &p, what: "test") == n) }
            #expect(p == raw.count)
        }
        for v: Int64 in [0, -1, 1, -2, .min, .max] { #expect(Varint.unzigzag(Varint.zigzag(v)) == v) }
        #expect(Varint.zigzag(-1) == 1 && Varint.zigzag(1) == 2)
        // 11 continuation bytes and a 10th byte carrying bits past 64 are corrupt, not a trap.
        for bad: [UInt8] in [[UInt8](repeating: 0xFF, count: 11) + [0], [UInt8](repeating: 0xFF, count: 9) + [0x02], [0x80]] {
            bad.withUnsafeBytes { raw in
                var p = 0
                #expect(throws: ParquetError.self) { _ = try Varint.read(raw, at: &p, what: "bad") }
            }
        }
    }
}
