import Foundation
import Testing
import Vec64
import LightstreamCodecs

/// Malformed DEFLATE and gzip input: every case is a `CodecError`, never a crash or output past
/// the limit, and the caller's output is left as it was.
@Suite struct DeflateMalformedTests {
    static let sample = DeflateData.text(3000, seed: 8) + DeflateData.chunks(1500, seed: 8)

    /// A complete code-length code: 4 bits for each length 0...15, none for 16-18. Its codes
    /// are the lengths themselves.
    static func dynamicHeader(literal: [Int], distance: [Int], final: Bool = true) -> BitStream {
        var s = BitStream()
        s.bits(final ? 1 : 0, 1)
        s.bits(2, 2)
        s.bits(literal.count - 257, 5)
        s.bits(distance.count - 1, 5)
        s.bits(15, 4)
        for symbol in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15] { s.bits(symbol < 16 ? 4 : 0, 3) }
        for length in literal + distance { s.bits(length, 4, reversed: true) }
        return s
    }

    static func kind(_ codec: some CompressionCodec, _ bytes: [UInt8], limit: Int = 1 << 20) -> String {
        DeflateData.failure(codec, bytes, limit: limit).map { "\($0.kind)" } ?? "no error"
    }

    /// Every proper prefix of a stream is truncated, at every level and in both formats.
    @Test(arguments: [0, 1, 6])
    func everyPrefixIsTruncated(_ level: Int) throws {
        let gz = try GzipCodec(level: level).compress(Self.sample)
        let raw = try DeflateCodec(level: level).compress(Self.sample)
        for (codec, packed) in [(GzipCodec() as any CompressionCodec, gz), (DeflateCodec(), raw)] {
            for n in 0..<packed.count {
                let error = DeflateData.failure(codec, Array(packed.prefix(n)))
                #expect(error?.kind == .truncated, "\(codec.name) level \(level), prefix \(n) of \(packed.count): \(String(describing: error))")
            }
        }
    }

    /// Flipping any one bit never crashes: it throws or decodes within the limit. In gzip the
    /// CRC catches every flip that still decodes.
    @Test(arguments: [0, 1, 6, 9])
    func flippedBits(_ level: Int) throws {
        let data = Array(Self.sample.prefix(700))
        let gz = try GzipCodec(level: level).compress(data)
        let raw = try DeflateCodec(level: level).compress(data)
        for bit in 0..<(gz.count * 8) {
            var bad = gz
            bad[bit / 8] ^= 1 << UInt8(bit % 8)
            if let back = try? GzipCodec().decompress(bad, limit: 2048) {
                // Only flips of unchecked bits survive (the header's time stamp, XFL, OS and FTEXT,
                // padding before stored blocks and after the last): never with other data.
                #expect(DeflateData.same(back, data), "bit \(bit) of \(gz.count * 8)")
            }
        }
        for bit in 0..<(raw.count * 8) {
            var bad = raw
            bad[bit / 8] ^= 1 << UInt8(bit % 8)
            _ = DeflateData.failure(DeflateCodec(), bad, limit: 2048)
        }
    }

    /// Random bytes, alone and after a valid gzip header, only ever throw or decode within the limit.
    @Test func randomInput() {
        var random = TestRandom(seed: 77)
        for _ in 0..<3000 {
            let junk = random.bytes(random.below(300))
            _ = DeflateData.failure(DeflateCodec(), junk, limit: 5000)
            _ = DeflateData.failure(GzipCodec(), [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + junk, limit: 5000)
        }
    }

    @Test func checksums() throws {
        let gz = try GzipCodec().compress(Self.sample)
        var badCRC = gz
        badCRC[gz.count - 8] ^= 0x10
        #expect(throws: CodecError(.checksumMismatch, at: gz.count - 8)) { try GzipCodec().decompress(badCRC) }
        var badSize = gz
        badSize[gz.count - 1] ^= 0x01
        #expect(throws: CodecError(.checksumMismatch, at: gz.count - 4)) { try GzipCodec().decompress(badSize) }
        // The second member's trailer is checked too.
        var second = gz + gz
        second[second.count - 5] ^= 0x80
        #expect(throws: CodecError(.checksumMismatch, at: second.count - 8)) { try GzipCodec().decompress(second) }
    }

    @Test(arguments: [0, 1, 6])
    func limits(_ level: Int) throws {
        let data = Self.sample
        for codec in [GzipCodec(level: level) as any CompressionCodec, DeflateCodec(level: level)] {
            let packed = try codec.compress(data)
            #expect(try codec.decompress(packed, limit: data.count).count == data.count)
            #expect(DeflateData.failure(codec, packed, limit: data.count - 1)?.kind == .outputTooLarge(limit: data.count - 1))
            #expect(DeflateData.failure(codec, packed, limit: 0)?.kind == .outputTooLarge(limit: 0))
            // A bomb: 10 MB of zeros stops at the limit without reserving more.
            let bomb = try codec.compress([UInt8](repeating: 0, count: 10_000_000))
            var output = Vec64<UInt8>(repeating: 9, count: 100)
            #expect(throws: CodecError.self) {
                try bomb.withUnsafeBytes { try codec.decompress($0, into: &output, limit: 1_000_000) }
            }
            #expect(output.count == 100 && output.capacity <= 100 + 1_000_000 + 128, "capacity \(output.capacity)")
            #expect(output.withUnsafeBufferPointer { $0.allSatisfy { $0 == 9 } })
        }
    }

    /// A failing second member leaves nothing of the first in the output.
    @Test func failureRestoresTheOutput() throws {
        let gz = try GzipCodec().compress(Self.sample)
        let input = gz + Array(gz.prefix(gz.count - 3))
        var output = Vec64<UInt8>(repeating: 7, count: 3)
        #expect(throws: CodecError(.truncated, at: input.count)) {
            try input.withUnsafeBytes { try GzipCodec().decompress($0, into: &output, limit: 1 << 20) }
        }
        #expect(output.count == 3)
    }

    @Test func gzipHeaders() {
        #expect(Self.kind(GzipCodec(), []) == "truncated")
        #expect(Self.kind(GzipCodec(), [0x1F, 0x8B, 8, 0, 0]) == "truncated")
        #expect(Self.kind(GzipCodec(), [0x1F, 0x8C, 8, 0, 0, 0, 0, 0, 0, 255, 3, 0]).hasPrefix("corrupt(\"not a gzip member"))
        #expect(Self.kind(GzipCodec(), [0x1F, 0x8B, 7, 0, 0, 0, 0, 0, 0, 255, 3, 0]).hasPrefix("unsupported"))
        #expect(Self.kind(GzipCodec(), [0x1F, 0x8B, 8, 0x20, 0, 0, 0, 0, 0, 255, 3, 0]).contains("reserved"))
        #expect(Self.kind(GzipCodec(), [0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 255, 9, 0, 1]) == "truncated")   // FEXTRA
        #expect(Self.kind(GzipCodec(), [0x1F, 0x8B, 8, 8, 0, 0, 0, 0, 0, 255, 65, 66]) == "truncated")    // FNAME
        // A member followed by something that is not a member (nor zero padding).
        let gz = (try? GzipCodec().compress([1, 2, 3])) ?? []
        #expect(Self.kind(GzipCodec(), gz + [0x1F]) == "truncated")
        #expect(Self.kind(GzipCodec(), gz + [0, 0] + [UInt8](repeating: 5, count: 20)).hasPrefix("corrupt(\"not a gzip member"))
    }

    @Test func blockErrors() throws {
        func raw(_ build: (inout BitStream) -> Void) -> [UInt8] {
            var s = BitStream()
            build(&s)
            return s.bytes
        }
        // Block type 3.
        #expect(Self.kind(DeflateCodec(), raw { $0.bits(1, 1); $0.bits(3, 2); $0.bits(0, 13) }).contains("reserved"))
        // A stored block whose NLEN is not the complement of LEN.
        #expect(Self.kind(DeflateCodec(), [1, 5, 0, 0xFA, 0xFE, 1, 2, 3, 4, 5]).contains("complement"))
        #expect(try DeflateCodec().decompress([1, 5, 0, 0xFA, 0xFF, 1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5])
        // Fixed literal/length symbols 286 and 287, distance symbols 30 and 31.
        for symbol in [286, 287] {
            #expect(Self.kind(DeflateCodec(), raw { $0.bits(1, 1); $0.bits(1, 2); $0.fixedLiteral(symbol); $0.bits(0, 16) })
                .contains("invalid literal/length code"))
        }
        for code in [30, 31] {
            let bytes = raw {
                $0.bits(1, 1); $0.bits(1, 2); $0.fixedLiteral(65); $0.fixedLiteral(257); $0.bits(code, 5, reversed: true)
                $0.fixedLiteral(256); $0.bits(0, 16)
            }
            #expect(Self.kind(DeflateCodec(), bytes).contains("invalid distance code"))
        }
        // A match before any output, and one reaching one byte too far.
        #expect(Self.kind(DeflateCodec(), raw { $0.bits(1, 1); $0.bits(1, 2); $0.fixedLiteral(257); $0.bits(0, 5); $0.fixedLiteral(256) })
            .contains("reaches before"))
        let tooFar = raw {
            $0.bits(1, 1); $0.bits(1, 2); $0.fixedLiteral(65); $0.fixedLiteral(66)
            $0.fixedLiteral(257); $0.bits(2, 5, reversed: true); $0.fixedLiteral(256)   // distance 3
        }
        #expect(Self.kind(DeflateCodec(), tooFar).contains("reaches before"))
        let nearEnough = raw {
            $0.bits(1, 1); $0.bits(1, 2); $0.fixedLiteral(65); $0.fixedLiteral(66)
            $0.fixedLiteral(257); $0.bits(1, 5, reversed: true); $0.fixedLiteral(256)   // distance 2, overlapping
        }
        #expect(try DeflateCodec().decompress(nearEnough) == Array("ABABA".utf8))
        // Data after the final block.
        #expect(Self.kind(DeflateCodec(), nearEnough + [0]).contains("after the end"))
    }

    @Test func dynamicHeaderErrors() throws {
        var literal = [Int](repeating: 0, count: 257)
        literal[65] = 1
        literal[256] = 1
        let valid = Self.dynamicHeader(literal: literal, distance: [0])
        var withSymbols = valid
        withSymbols.bits(0, 1)   // 'A' (code 0)
        withSymbols.bits(1, 1)   // end of block (code 1)
        #expect(try DeflateCodec().decompress(withSymbols.bytes) == [65])

        // HLIT 287 and HDIST 31 are beyond the alphabets.
        var s = BitStream(); s.bits(1, 1); s.bits(2, 2); s.bits(30, 5); s.bits(0, 5); s.bits(0, 20)
        #expect(Self.kind(DeflateCodec(), s.bytes).contains("literal/length codes"))
        s = BitStream(); s.bits(1, 1); s.bits(2, 2); s.bits(0, 5); s.bits(30, 5); s.bits(0, 20)
        #expect(Self.kind(DeflateCodec(), s.bytes).contains("distance codes"))

        // Code-length codes: over-subscribed (three of length 1) and incomplete (one of length 2).
        for lengths in [[1, 1, 1], [2]] {
            s = BitStream(); s.bits(1, 1); s.bits(2, 2); s.bits(0, 5); s.bits(0, 5); s.bits(lengths.count == 3 ? 0 : 0, 4)
            for i in 0..<4 { s.bits(i < lengths.count ? lengths[i] : 0, 3) }
            s.bits(0, 16)
            #expect(Self.kind(DeflateCodec(), s.bytes).contains("code-length code"), "\(lengths)")
        }

        // A repeat (16) with no length before it; zero runs (18) past the end.
        s = BitStream(); s.bits(1, 1); s.bits(2, 2); s.bits(0, 5); s.bits(0, 5); s.bits(0, 4)
        s.bits(1, 3); s.bits(0, 3); s.bits(0, 3); s.bits(1, 3)   // 16 and 0 have 1-bit codes: 0 -> "0", 16 -> "1"
        s.bits(1, 1); s.bits(0, 2); s.bits(0, 16)
        #expect(Self.kind(DeflateCodec(), s.bytes).contains("no previous length"))
        s = BitStream(); s.bits(1, 1); s.bits(2, 2); s.bits(0, 5); s.bits(0, 5); s.bits(0, 4)
        s.bits(0, 3); s.bits(0, 3); s.bits(1, 3); s.bits(1, 3)   // 18 -> "1", 0 -> "0"
        for _ in 0..<3 { s.bits(1, 1); s.bits(127, 7) }
        s.bits(0, 16)
        #expect(Self.kind(DeflateCodec(), s.bytes).contains("past the"))

        // No end-of-block code; an over-subscribed and an incomplete literal/length code.
        var noEnd = [Int](repeating: 0, count: 257)
        noEnd[0] = 1; noEnd[1] = 1
        #expect(Self.kind(DeflateCodec(), Self.dynamicHeader(literal: noEnd, distance: [0]).bytes + [0, 0]).contains("end-of-block"))
        var over = literal
        over[66] = 1
        #expect(Self.kind(DeflateCodec(), Self.dynamicHeader(literal: over, distance: [0]).bytes + [0, 0]).contains("over-subscribed"))
        var incomplete = [Int](repeating: 0, count: 257)
        incomplete[0] = 2; incomplete[1] = 2; incomplete[256] = 2
        #expect(Self.kind(DeflateCodec(), Self.dynamicHeader(literal: incomplete, distance: [0]).bytes + [0, 0]).contains("incomplete"))
        // Distance codes: two of length 1 and one more of length 2 is over-subscribed.
        #expect(Self.kind(DeflateCodec(), Self.dynamicHeader(literal: literal, distance: [1, 1, 2]).bytes + [0, 0])
            .contains("distance code: over-subscribed"))

        // A single code of one bit is allowed: a block holding only its end.
        var onlyEnd = [Int](repeating: 0, count: 257)
        onlyEnd[256] = 1
        var empty = Self.dynamicHeader(literal: onlyEnd, distance: [1])
        empty.bits(0, 1)
        #expect(try DeflateCodec().decompress(empty.bytes) == [])
    }
}
