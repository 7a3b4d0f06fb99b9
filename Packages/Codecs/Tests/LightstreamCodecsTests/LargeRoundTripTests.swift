import Foundation
import Testing
import Vec64
import LightstreamCodecs

/// 64 MiB through every codec: the largest inputs the codecs are specified for.
@Suite struct LargeRoundTripTests {
    static let size = 64 << 20

    /// Half an Int64 column (`i * 1000 + i * 7919 % 1000`), half words from a small vocabulary,
    /// built with unsafe pointers so debug builds stay quick.
    static let data: [UInt8] = [UInt8](unsafeUninitializedCapacity: size) { bytes, count in
        let base = bytes.baseAddress!
        let half = size / 2
        UnsafeMutableRawPointer(base).withMemoryRebound(to: Int64.self, capacity: half / 8) { column in
            for i in 0..<(half / 8) { column[i] = Int64(i * 1000 + (i * 7919) % 1000).littleEndian }
        }
        let words = ["arrow ", "columnar ", "buffer ", "stream\n", "frame ", "swift ", "zero ", "copy "].map { Array($0.utf8) }
        var random = TestRandom(seed: 64)
        var at = half
        while at < size {
            let word = words[random.below(words.count)]
            let n = min(word.count, size - at)
            word.withUnsafeBufferPointer { (base + at).update(from: $0.baseAddress!, count: n) }
            at += n
        }
        count = size
    }

    @Test(arguments: [
        ("lz4_raw", LZ4RawCodec() as any CompressionCodec), ("lz4_frame", LZ4FrameCodec()), ("snappy", SnappyCodec()),
        ("zstd1", ZstdCodec(level: 1)), ("zstd3", ZstdCodec(level: 3)), ("gzip6", GzipCodec(level: 6)),
    ])
    func roundTrips64MiB(_ name: String, _ codec: any CompressionCodec) throws {
        let data = Self.data
        let compressed = try codec.compress(data)
        #expect(compressed.count < data.count * 3 / 4, "\(name): \(compressed.count) bytes")
        let back = try codec.decompress(compressed, limit: data.count)
        #expect(back.count == data.count && memcmp(back, data, data.count) == 0, "\(name): round trip differs")
    }
}
