import Foundation
import Testing
import Vec64
@testable import LightstreamCodecs

/// Deterministic test data.
private struct ZstdTestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

private enum ZstdData {
    static func random(_ n: Int, seed: UInt64 = 0x1234_5678) -> [UInt8] {
        var r = ZstdTestRandom(state: seed)
        return (0..<n).map { _ in UInt8(truncatingIfNeeded: r.next()) }
    }

    static func repetitive(_ n: Int) -> [UInt8] {
        let pattern = Array("abcabcabd-0123456789-".utf8)
        return (0..<n).map { i in i % 5000 < 4000 ? pattern[i % pattern.count] : UInt8(i / 5000 % 256) }
    }

    static func text(_ n: Int) -> [UInt8] {
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Lightstream", "column",
                     "arrow", "buffer", "compression", "zstandard", "entropy", "huffman", "über", "naïve", "\n"]
        var r = ZstdTestRandom(state: 99)
        var out: [UInt8] = []
        out.reserveCapacity(n + 16)
        while out.count < n {
            out.append(contentsOf: words[r.below(words.count)].utf8)
            out.append(r.below(10) == 0 ? UInt8(ascii: ",") : UInt8(ascii: " "))
        }
        return Array(out.prefix(n))
    }

    static func integers(_ count: Int) -> [UInt8] {
        var r = ZstdTestRandom(state: 7)
        var value: Int64 = 1_000_000
        var out: [UInt8] = []
        out.reserveCapacity(count * 8)
        for _ in 0..<count {
            value += Int64(r.below(100))
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    static func floats(_ count: Int) -> [UInt8] {
        var r = ZstdTestRandom(state: 11)
        var out: [UInt8] = []
        out.reserveCapacity(count * 8)
        for i in 0..<count {
            let value = Double(i / 16) * 0.25 + Double(r.below(4))
            withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }
}

/// Runs Python expressions over `d` (the input) and returns each result's bytes.
private func python(_ expressions: [String], input: [UInt8]) throws -> [[UInt8]] {
    let script = """
    import sys, struct, zstandard as z
    d = sys.stdin.buffer.read()
    def skippable(payload): return struct.pack('<II', 0x184D2A53, len(payload)) + payload
    for e in [\(expressions.map { "'''\($0)'''" }.joined(separator: ", "))]:
        r = eval(e)
        sys.stdout.buffer.write(struct.pack('<I', len(r)) + r)
    """
    let out = try PythonPeer.run(script, input: input)
    var results: [[UInt8]] = []
    var i = 0
    while i + 4 <= out.count {
        let n = Int(out[i]) | Int(out[i + 1]) << 8 | Int(out[i + 2]) << 16 | Int(out[i + 3]) << 24
        results.append(Array(out[(i + 4)..<(i + 4 + n)]))
        i += 4 + n
    }
    return results
}

private func decompressed(_ bytes: [UInt8], limit: Int = 1 << 30) throws(CodecError) -> [UInt8] {
    var out = Vec64<UInt8>()
    var failure: CodecError?
    bytes.withUnsafeBytes { raw in
        do throws(CodecError) { try ZstdCodec().decompress(raw, into: &out, limit: limit) } catch { failure = error }
    }
    if let failure { throw failure }
    return out.withUnsafeBufferPointer { Array($0) }
}

/// Byte equality without the generic (slow in debug builds) `Array ==`.
private func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in a.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
}

@Suite struct ZstdTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [42]),
        ("repetitive", ZstdData.repetitive(600_000)),
        ("random", ZstdData.random(150_000)),
        ("text", ZstdData.text(400_000)),
        ("integers", ZstdData.integers(50_000)),
        ("floats", ZstdData.floats(50_000)),
        ("zeros", [UInt8](repeating: 0, count: 300_000)),
        ("small alphabet", ZstdData.random(60_000).map { UInt8(ascii: "a") + $0 % 3 }),
        ("sparse", ZstdData.random(60_000).map { $0 < 8 ? $0 : 0 }),
    ]

    @Test func xxhash64KnownValues() {
        let empty: [UInt8] = []
        #expect(empty.withUnsafeBytes { XXHash64.hash($0.baseAddress, count: 0) } == 0xEF46_DB37_51D8_E999)
        let abc = Array("abc".utf8)
        #expect(abc.withUnsafeBytes { XXHash64.hash($0.baseAddress, count: 3) } == 0x44BC_2CF5_AD77_0999)
    }

    @Test func decompressesPythonFrames() throws {
        let expressions = [
            "z.ZstdCompressor(level=1).compress(d)",
            "z.ZstdCompressor(level=3, write_checksum=True).compress(d)",
            "z.ZstdCompressor(level=9, write_checksum=True, write_content_size=False).compress(d)",
            "z.ZstdCompressor(level=19, write_checksum=True).compress(d)",
            "z.ZstdCompressor(level=-5).compress(d)",
            "(lambda c: c.compress(d) + c.flush())(z.ZstdCompressor(level=5, write_checksum=True).compressobj())",
            "z.ZstdCompressor(level=3).compress(d[:len(d)//2]) + skippable(b'meta') + z.ZstdCompressor(level=19, write_checksum=True).compress(d[len(d)//2:])",
        ]
        for (name, data) in Self.inputs {
            let frames = try python(expressions, input: data)
            #expect(frames.count == expressions.count)
            for (expression, frame) in zip(expressions, frames) {
                do {
                    let out = try decompressed(frame)
                    #expect(same(out, data), "\(name): \(expression)")
                } catch {
                    Issue.record("\(name): \(expression): \(error)")
                }
            }
        }
    }

    @Test func decompressesLargeColumn() throws {
        var data = ZstdData.integers(200_000)
        data += ZstdData.text(1_200_000)
        let frames = try python([
            "z.ZstdCompressor(level=3, write_checksum=True).compress(d)",
            "z.ZstdCompressor(level=19, write_checksum=True).compress(d)",
        ], input: data)
        for frame in frames { #expect(same(try decompressed(frame), data)) }
    }

    /// Frames whose header declares a huge content size over one empty block, or whose block
    /// decodes past the block maximum (found by fuzzing): an error under any limit, and no
    /// up-front allocation of the declared size.
    @Test(arguments: [
        ("28b52ffde0ffffffffffffff7f010000", Int.max),
        ("28b52ffde0ffffffffffffffff010000", Int.max),
        ("28b52ffde00000000010000000010000", 1 << 36),
        ("28b52ffde00000000010000000010000", 1 << 30),
        // A 1 KiB window and one 11-byte compressed block that decodes to 150000 bytes.
        ("28b52ffd00005c0000186162630100faffe66e08450000000100ed89bb0302", 1 << 30),
    ])
    func lyingContentSizeIsAnErrorNotAnAllocation(hex: String, limit: Int) throws {
        let bytes = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        var output = Vec64<UInt8>()
        #expect(throws: CodecError.self) {
            try bytes.withUnsafeBytes { try ZstdCodec().decompress($0, into: &output, limit: limit) }
        }
        #expect(output.count == 0)
        #expect(output.capacity < 1 << 20)
    }

    @Test func limitIsEnforced() throws {
        let data = ZstdData.repetitive(100_000)
        let frames = try python([
            "z.ZstdCompressor(level=3).compress(d)",
            "z.ZstdCompressor(level=3, write_content_size=False).compress(d)",
        ], input: data)
        for frame in frames {
            #expect(throws: CodecError.self) { try decompressed(frame, limit: 99_999) }
            do {
                _ = try decompressed(frame, limit: 50_000)
            } catch {
                #expect(error.kind == .outputTooLarge(limit: 50_000))
            }
            #expect(same(try decompressed(frame, limit: 100_000), data))
        }
    }

    @Test func rejectsDictionariesAndBadChecksums() throws {
        let data = ZstdData.text(10_000)
        var frame = try python(["z.ZstdCompressor(level=3, write_checksum=True).compress(d)"], input: data)[0]
        frame[frame.count - 1] ^= 0xFF
        #expect(throws: CodecError(.checksumMismatch, at: frame.count - 4)) { try decompressed(frame) }
        // A frame header naming dictionary 7 (1-byte dictionary id, single segment, 1-byte size).
        let withDictionary: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x21, 7, 1, 1, 0, 0, 65]
        do {
            _ = try decompressed(withDictionary)
            Issue.record("dictionary frame accepted")
        } catch {
            if case .unsupported = error.kind {} else { Issue.record("wrong error \(error)") }
        }
    }

    /// A hand-built frame with RLE literals and RLE modes for all three sequence codes.
    @Test func decodesRLELiteralsAndRLESequenceModes() throws {
        let frame: [UInt8] = [
            0x28, 0xB5, 0x2F, 0xFD, 0x20, 12,       // magic, single segment, content size 12
            0x45, 0x00, 0x00,                       // last compressed block of 8 bytes
            0x21, 0x61,                             // RLE literals: 4 x "a"
            0x01, 0x54, 4, 2, 5,                    // 1 sequence, RLE codes LL 4, OF 2, ML 5
            0x04,                                   // offset extra bits 00, end marker
        ]
        #expect(try decompressed(frame) == [UInt8](repeating: 0x61, count: 12))
        var wrongSize = frame
        wrongSize[5] = 13
        #expect(throws: CodecError.self) { try decompressed(wrongSize) }
    }

    @Test func corruptInputNeverCrashes() throws {
        let sources = [ZstdData.text(20_000), ZstdData.integers(2_000), ZstdData.repetitive(30_000)]
        var frames: [[UInt8]] = []
        for data in sources {
            frames += try python([
                "z.ZstdCompressor(level=1).compress(d)",
                "z.ZstdCompressor(level=19, write_checksum=True).compress(d)",
                "z.ZstdCompressor(level=19).compress(d)",
            ], input: data)
        }
        frames.append(compressed(ZstdData.text(20_000)))
        frames.append(compressed(ZstdData.integers(3_000) + ZstdData.text(5_000), level: 1))
        var r = ZstdTestRandom(state: 2024)
        var failures = 0
        var successes = 0
        for round in 0..<3_000 {
            var bytes = frames[round % frames.count]
            switch r.below(5) {
            case 0:
                bytes = Array(bytes.prefix(r.below(bytes.count)))
            case 1:
                for _ in 0...r.below(3) {
                    bytes[r.below(bytes.count)] ^= UInt8(1 << r.below(8))
                }
            case 2:
                let at = r.below(bytes.count)
                bytes[at] = UInt8(truncatingIfNeeded: r.next())
            case 3:
                // Fabricated header and body: valid magic, random everything else.
                bytes = [0x28, 0xB5, 0x2F, 0xFD] + ZstdData.random(4 + r.below(60), seed: r.next() | 1)
            default:
                let at = 4 + r.below(min(bytes.count - 4, 40))
                for i in at..<min(bytes.count, at + 8) { bytes[i] = UInt8(truncatingIfNeeded: r.next()) }
            }
            do {
                _ = try decompressed(bytes, limit: 1 << 20)
                successes += 1
            } catch {
                failures += 1
            }
        }
        #expect(failures > 2_000)
        #expect(failures + successes == 3_000)
    }
}

private func compressed(_ bytes: [UInt8], level: Int = 3) -> [UInt8] {
    var out = Vec64<UInt8>()
    bytes.withUnsafeBytes { raw in
        do throws(CodecError) { try ZstdCodec(level: level).compress(raw, into: &out) } catch {
            Issue.record("compress failed: \(error)")
        }
    }
    return out.withUnsafeBufferPointer { Array($0) }
}

@Suite struct ZstdEncoderTests {
    @Test func roundTripsAndPythonAgrees() throws {
        for level in [1, 3] {
            for (name, data) in ZstdTests.inputs {
                let frame = compressed(data, level: level)
                do {
                    #expect(same(try decompressed(frame), data), "\(name) level \(level): own round trip")
                } catch {
                    Issue.record("\(name) level \(level): \(error)")
                }
                let back = try python(["z.ZstdDecompressor().decompress(d)"], input: frame)
                #expect(back.count == 1 && same(back[0], data), "\(name) level \(level): Python")
                if name != "random" && data.count > 1000 {
                    #expect(frame.count < data.count / 2, "\(name) level \(level): \(frame.count) of \(data.count)")
                }
            }
        }
    }

    @Test func largeInputRoundTrips() throws {
        let data = ZstdData.integers(150_000) + ZstdData.text(800_000) + ZstdData.random(100_000) + [UInt8](repeating: 7, count: 300_000)
        let frame = compressed(data)
        #expect(same(try decompressed(frame), data))
        let back = try python(["z.ZstdDecompressor().decompress(d)"], input: frame)
        #expect(same(back[0], data))
        #expect(frame.count < data.count / 3)
    }

    /// Inputs larger than the window get a window descriptor; matches stay inside the window.
    @Test func windowedFrames() throws {
        let data = ZstdData.text(300_000) + ZstdData.text(300_000)
        var encoder = ZstdEncoder(level: 3)
        encoder.windowLog = 16
        var out = Vec64<UInt8>()
        data.withUnsafeBytes { encoder.compress($0, into: &out) }
        let frame = out.withUnsafeBufferPointer { Array($0) }
        #expect(frame[4] & 0x20 == 0, "not single segment")
        #expect(frame[5] == (16 - 10) << 3, "window descriptor")
        #expect(same(try decompressed(frame), data))
        let back = try python(["z.ZstdDecompressor().decompress(d)"], input: frame)
        #expect(same(back[0], data))
    }

    @Test func smallRoundTrips() throws {
        var r = ZstdTestRandom(state: 5)
        for n in [0, 1, 2, 3, 4, 5, 8, 31, 32, 63, 64, 65, 200, 1023, 1024, 1025, 4096, 70_000] {
            let text = ZstdData.text(n)
            let bytes = (0..<n).map { _ in UInt8(r.below(3) * 60) }
            for data in [text, bytes, ZstdData.random(n, seed: UInt64(n) + 1)] {
                #expect(same(try decompressed(compressed(data)), data), "size \(n)")
            }
        }
    }
}
