import Foundation
import Testing
import Vec64
import LightstreamCodecs

/// DEFLATE and gzip: round trips, and both directions against Python's zlib and gzip.
@Suite struct DeflateTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [42]),
        ("two bytes", [7, 7]),
        ("text", DeflateData.text(200_000)),
        ("random 70 KiB", DeflateData.random(70_000, seed: 1)),
        ("zeros 300 KB", [UInt8](repeating: 0, count: 300_000)),
        ("period 3", (0..<100_000).map { UInt8($0 % 3) }),
        ("small alphabet", DeflateData.random(60_000, seed: 2).map { UInt8(ascii: "a") + $0 % 3 }),
        ("chunks", DeflateData.chunks(150_000, seed: 3)),
        ("integers", (0..<20_000).flatMap { i in withUnsafeBytes(of: Int64(i * 1000 + i % 7).littleEndian, Array.init) }),
    ]

    static let codecs: [any CompressionCodec] = [
        DeflateCodec(level: 0), DeflateCodec(level: 1), DeflateCodec(level: 4), DeflateCodec(level: 6), DeflateCodec(level: 9),
        GzipCodec(level: 0), GzipCodec(level: 1), GzipCodec(level: 6), GzipCodec(level: 9),
    ]

    @Test(arguments: inputs.indices)
    func roundTrips(_ index: Int) throws {
        let (name, data) = Self.inputs[index]
        for codec in Self.codecs {
            let packed = try codec.compress(data)
            let back = try codec.decompress(packed, limit: data.count)
            #expect(DeflateData.same(back, data), "\(name), \(codec.name)")
            if data.count > 1000, !(codec is DeflateCodec && (codec as! DeflateCodec).level == 0),
               !(codec is GzipCodec && (codec as! GzipCodec).level == 0), !name.hasPrefix("random") {
                #expect(packed.count < data.count / 2, "\(name), \(codec.name): \(packed.count) bytes")
            }
            if name.hasPrefix("random") { #expect(packed.count <= data.count + data.count / 1000 + 64, "\(name)") }
        }
    }

    /// Every size from 0 to 300 and a few around block and window boundaries round-trip.
    @Test func roundTripsManySizes() throws {
        let source = DeflateData.chunks(140_000, seed: 9)
        for size in Array(0...300) + [32_767, 32_768, 32_769, 65_535, 65_536, 65_537, 131_073] {
            let data = Array(source.prefix(size))
            for codec in [GzipCodec(level: 1), GzipCodec(level: 6), GzipCodec(level: 0)] {
                let back = try codec.decompress(try codec.compress(data), limit: size)
                #expect(DeflateData.same(back, data), "\(size) bytes, level \(codec.level)")
            }
        }
    }

    /// Python's gzip (levels 0, 1, 6, 9) and raw zlib streams decode to the same bytes here.
    @Test(arguments: inputs.indices)
    func decodesPythonStreams(_ index: Int) throws {
        let (name, data) = Self.inputs[index]
        let levels = [0, 1, 6, 9]
        let results = try DeflateData.python(
            levels.map { "gzip.compress(d, compresslevel=\($0), mtime=0)" } + levels.map { "raw(d, \($0))" }, input: data)
        #expect(results.count == 8)
        for (i, packed) in results.enumerated() {
            let codec: any CompressionCodec = i < 4 ? GzipCodec() : DeflateCodec()
            let back = try codec.decompress(packed, limit: data.count)
            #expect(DeflateData.same(back, data), "\(name): \(codec.name) level \(levels[i % 4])")
        }
    }

    /// Python's gzip and zlib decode what this encoder writes, at every level.
    @Test(arguments: inputs.indices)
    func pythonDecodesOurStreams(_ index: Int) throws {
        let (name, data) = Self.inputs[index]
        for level in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] {
            let gz = try GzipCodec(level: level).compress(data)
            let raw = try DeflateCodec(level: level).compress(data)
            var both = withUnsafeBytes(of: UInt32(gz.count).littleEndian, Array.init)
            both += gz + raw
            let results = try DeflateData.python(
                ["gzip.decompress(d[4:4 + struct.unpack('<I', d[:4])[0]])",
                 "inflate(d[4 + struct.unpack('<I', d[:4])[0]:])"], input: both)
            #expect(results.count == 2 && DeflateData.same(results[0], data), "\(name): gzip level \(level)")
            #expect(results.count == 2 && DeflateData.same(results[1], data), "\(name): deflate level \(level)")
        }
    }

    /// Random chunked data of random sizes round-trips at random levels, and Python agrees.
    @Test(arguments: 0..<12)
    func randomChunkedData(_ seed: Int) throws {
        var random = TestRandom(seed: UInt64(1000 + seed))
        let data = DeflateData.chunks(random.below(90_000), seed: UInt64(seed))
        let level = random.below(10)
        let packed = try GzipCodec(level: level).compress(data)
        #expect(DeflateData.same(try GzipCodec().decompress(packed, limit: data.count), data), "seed \(seed)")
        let python = try DeflateData.python(["gzip.decompress(d)"], input: packed)
        #expect(python.count == 1 && DeflateData.same(python[0], data), "seed \(seed), level \(level)")
        let theirs = try DeflateData.python(["gzip.compress(d, compresslevel=\(level), mtime=0)"], input: data)
        #expect(DeflateData.same(try GzipCodec().decompress(theirs[0], limit: data.count), data), "seed \(seed)")
    }

    /// Members back to back decode to their contents back to back (Parquet's
    /// concatenated_gzip_members); zero bytes between and after members are skipped.
    @Test func concatenatedMembers() throws {
        let a = DeflateData.text(50_000, seed: 1), b = DeflateData.chunks(70_000, seed: 2), c: [UInt8] = []
        let python = try DeflateData.python(
            ["gzip.compress(d[:50000], 6, mtime=0) + gzip.compress(d[50000:], 1, mtime=0) + gzip.compress(b'', mtime=0)"],
            input: a + b)
        #expect(DeflateData.same(try GzipCodec().decompress(python[0], limit: 120_000), a + b))
        let ours = try GzipCodec(level: 1).compress(a) + GzipCodec(level: 9).compress(b) + GzipCodec().compress(c)
        #expect(DeflateData.same(try GzipCodec().decompress(ours, limit: 120_000), a + b))
        let padded = try GzipCodec().compress(a) + [0, 0, 0] + GzipCodec().compress(b) + [0, 0]
        #expect(DeflateData.same(try GzipCodec().decompress(padded, limit: 120_000), a + b))
        #expect(DeflateData.failure(GzipCodec(), ours, limit: 119_999)?.kind == .outputTooLarge(limit: 119_999))
        // Python reads our members back to back too.
        let back = try DeflateData.python(["gzip.decompress(d)"], input: ours)
        #expect(DeflateData.same(back[0], a + b))
    }

    /// Every optional header field (FTEXT, FEXTRA, FNAME, FCOMMENT, FHCRC) is read and skipped;
    /// a wrong header CRC is a checksum mismatch.
    @Test func headerFields() throws {
        let data = DeflateData.text(5000)
        let body = try DeflateCodec().compress(data)
        var header: [UInt8] = [0x1F, 0x8B, 8, 1 | 2 | 4 | 8 | 16, 1, 2, 3, 4, 0, 3]
        header += [5, 0, 65, 66, 2, 0, 9]            // FEXTRA: 5 bytes (subfield "AB", 2 bytes)
        header += Array("name.txt".utf8) + [0]      // FNAME
        header += Array("a comment".utf8) + [0]     // FCOMMENT
        let headerCRC = CRC32.checksum(header)
        header += [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8 & 0xFF)]
        let trailer = withUnsafeBytes(of: (CRC32.checksum(data).littleEndian, UInt32(data.count).littleEndian), Array.init)
        let member = header + body + trailer
        #expect(DeflateData.same(try GzipCodec().decompress(member, limit: data.count), data))
        let python = try DeflateData.python(["gzip.decompress(d)"], input: member)
        #expect(DeflateData.same(python[0], data))

        var badHeaderCRC = member
        badHeaderCRC[header.count - 1] ^= 1
        #expect(throws: CodecError(.checksumMismatch, at: header.count - 2)) {
            try GzipCodec().decompress(badHeaderCRC, limit: 1 << 20)
        }
    }

    /// A second member's matches may not reach into the first member's output.
    @Test func membersDoNotShareAWindow() throws {
        let a = Array("abcdefgh".utf8)
        // A fixed block: one match of length 8, distance 8, then end of block.
        let first = try GzipCodec(level: 0).compress(a)
        var writer = BitStream()
        writer.bits(1, 1); writer.bits(1, 2)                // final, fixed
        writer.fixedLiteral(262)                             // length 8
        writer.bits(0b00110, 5, reversed: true)              // distance code 6: 9...12
        writer.bits(0, 2)                                    // +0: distance 9
        writer.fixedLiteral(256)
        let second = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + writer.bytes + [UInt8](repeating: 0, count: 8)
        let error = DeflateData.failure(GzipCodec(), first + second)
        #expect(error.map { "\($0.kind)".contains("reaches before") } == true, "\(String(describing: error))")
    }
}

/// Writes DEFLATE bits by hand for the malformed-stream tests.
struct BitStream {
    var bytes: [UInt8] = []
    var count = 0

    mutating func bits(_ value: Int, _ n: Int, reversed: Bool = false) {
        for i in 0..<n {
            let bit = reversed ? (value >> (n - 1 - i)) & 1 : (value >> i) & 1
            if count % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8(bit) << UInt8(count % 8)
            count += 1
        }
    }

    /// A symbol of the fixed literal/length code (section 3.2.6), most significant bit first.
    mutating func fixedLiteral(_ symbol: Int) {
        switch symbol {
        case 0..<144: bits(0x30 + symbol, 8, reversed: true)
        case 144..<256: bits(0x190 + symbol - 144, 9, reversed: true)
        case 256..<280: bits(symbol - 256, 7, reversed: true)
        default: bits(0xC0 + symbol - 280, 8, reversed: true)
        }
    }
}
