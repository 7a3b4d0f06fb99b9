import Testing
import LightstreamCodecs

@Suite struct CRC32Tests {
    @Test func knownValues() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
        #expect(CRC32.checksum([UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
    }

    /// Feeding the bytes in random pieces gives the checksum of the whole.
    @Test(arguments: [1, 7, 8, 9, 64, 1000, 65_537])
    func incrementalEqualsWhole(_ size: Int) {
        var random = TestRandom(seed: UInt64(size))
        let data = random.bytes(size)
        let whole = CRC32.checksum(data)
        var crc = CRC32()
        var at = 0
        data.withUnsafeBytes { raw in
            while at < size {
                let n = min(size - at, random.below(20))
                crc.update(UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)]))
                at += n
            }
        }
        #expect(crc.value == whole)
        let half = size / 2
        let continued = data.withUnsafeBytes { raw in
            var second = CRC32(continuing: CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[..<half])))
            second.update(UnsafeRawBufferPointer(rebasing: raw[half...]))
            return second.value
        }
        #expect(continued == whole)
    }

    /// Python's zlib.crc32 agrees on random data of many sizes (every offset modulo 8).
    @Test func matchesPythonZlib() throws {
        let sizes = Array(0..<20) + [63, 64, 65, 255, 4096, 100_003, 1 << 20]
        var random = TestRandom(seed: 32)
        let data = random.bytes(sizes.reduce(0, +))
        var expressions: [String] = []
        var at = 0
        for n in sizes {
            expressions.append("u32(zlib.crc32(d[\(at):\(at + n)]))")
            at += n
        }
        let results = try DeflateData.python(expressions, input: data)
        #expect(results.count == sizes.count)
        at = 0
        for (n, result) in zip(sizes, results) {
            let ours = data.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[at..<(at + n)])) }
            let theirs = UInt32(result[0]) | UInt32(result[1]) << 8 | UInt32(result[2]) << 16 | UInt32(result[3]) << 24
            #expect(ours == theirs, "\(n) bytes")
            at += n
        }
    }
}
