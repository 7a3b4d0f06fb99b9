import Foundation
import Vec64
import LightstreamCodecs

/// Test inputs and Python cross-checks of the DEFLATE and gzip tests.
enum DeflateData {
    static func random(_ n: Int, seed: UInt64) -> [UInt8] {
        var random = TestRandom(seed: seed)
        return random.bytes(n)
    }

    static func text(_ n: Int, seed: UInt64 = 5) -> [UInt8] {
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "arrow", "column", "parquet",
                     "page", "gzip", "deflate", "huffman", "über", "naïve", "\n"]
        var random = TestRandom(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(n + 16)
        while out.count < n {
            out.append(contentsOf: words[random.below(words.count)].utf8)
            out.append(random.below(10) == 0 ? UInt8(ascii: ",") : UInt8(ascii: " "))
        }
        return Array(out.prefix(n))
    }

    /// Data built of random chunks: fresh random bytes, runs of one byte, copies of earlier
    /// stretches (near and up to 40 KiB back, overlapping or not), small-alphabet noise.
    static func chunks(_ n: Int, seed: UInt64) -> [UInt8] {
        var random = TestRandom(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(n + 300)
        while out.count < n {
            let length = 1 + random.below(random.below(4) == 0 ? 2000 : 40)
            switch random.below(5) {
            case 0: out.append(contentsOf: random.bytes(length))
            case 1: out.append(contentsOf: repeatElement(UInt8(random.below(256)), count: length))
            case 2 where !out.isEmpty, 3 where !out.isEmpty:
                let distance = 1 + random.below(min(out.count, random.below(2) == 0 ? 64 : 40_000))
                for _ in 0..<length { out.append(out[out.count - distance]) }
            default: for _ in 0..<length { out.append(UInt8(ascii: "a") + UInt8(random.below(4))) }
            }
        }
        return Array(out.prefix(n))
    }

    /// Runs Python expressions over `d` (the input, with `zlib`, `gzip` imported) and returns
    /// each result's bytes.
    static func python(_ expressions: [String], input: [UInt8]) throws -> [[UInt8]] {
        let script = """
        import sys, struct, zlib, gzip
        d = sys.stdin.buffer.read()
        def raw(d, level):
            c = zlib.compressobj(level, zlib.DEFLATED, -15)
            return c.compress(d) + c.flush()
        def inflate(d):
            o = zlib.decompressobj(-15)
            r = o.decompress(d) + o.flush()
            assert o.eof and not o.unused_data, 'raw deflate stream incomplete or followed by data'
            return r
        def u32(v): return struct.pack('<I', v & 0xFFFFFFFF)
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

    /// Byte equality without the generic (slow in debug builds) `Array ==`.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in a.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
    }

    /// The error of decompressing `bytes`, or nil (then the output must stay within the limit).
    static func failure(_ codec: some CompressionCodec, _ bytes: [UInt8], limit: Int = 1 << 20) -> CodecError? {
        do throws(CodecError) {
            let out = try codec.decompress(bytes, limit: limit)
            precondition(out.count <= limit)
            return nil
        } catch {
            return error
        }
    }
}
