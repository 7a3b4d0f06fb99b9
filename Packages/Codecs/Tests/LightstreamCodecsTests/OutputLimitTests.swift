import Foundation
import Testing
import Vec64
import LightstreamCodecs

/// Decompression never reserves more than the caller's limit: not through a declared size, not
/// through the output's geometric growth, not through a frame without a content size.
@Suite struct OutputLimitTests {
    /// A Zstandard frame without a content size (a windowed frame with a 16 MiB window) of
    /// `blocks` RLE blocks of 128 KiB each: 4 input bytes per block.
    static func zstdFrameWithoutContentSize(blocks: Int, byte: UInt8 = 0x5A) -> [UInt8] {
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x70]
        for i in 0..<blocks {
            let header = (i == blocks - 1 ? 1 : 0) | 1 << 1 | (128 << 10) << 3
            frame += [UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header >> 16), byte]
        }
        return frame
    }

    @Test func zstdFrameWithoutContentSizeDecodes() throws {
        let frame = Self.zstdFrameWithoutContentSize(blocks: 10)
        let bytes = try ZstdCodec().decompress(frame, limit: 10 << 17)
        #expect(bytes.count == 10 << 17 && bytes.allSatisfy { $0 == 0x5A })
        #expect(throws: CodecError(.outputTooLarge(limit: (10 << 17) - 1), at: 6 + 9 * 4 + 3)) {
            try ZstdCodec().decompress(frame, limit: (10 << 17) - 1)
        }
    }

    /// The reserved capacity stays within the bytes before plus the limit (64-byte rounding and
    /// the Zstd decoder's 32 bytes of slack allowed), for every codec, with and without bytes of
    /// the caller's before the output, for frames with and without a content size.
    @Test(arguments: [
        ("lz4_raw", LZ4RawCodec() as any CompressionCodec),
        ("lz4_frame", LZ4FrameCodec()),
        ("lz4_frame 64 KiB blocks, no content size", LZ4FrameCodec(blockMaximumSize: .kib64, storesContentSize: false)),
        ("snappy", SnappyCodec()),
        ("zstd", ZstdCodec()),
        ("deflate", DeflateCodec()),
        ("gzip", GzipCodec()),
    ])
    func capacityStaysWithinTheLimit(_ name: String, _ codec: any CompressionCodec) throws {
        var random = TestRandom(seed: 12)
        let data = (0..<600_000).map { i in i % 7 == 0 ? UInt8(random.below(256)) : UInt8(i / 1000 % 256) }
        let packed = try codec.compress(data)
        for prefix in [0, 1000] {
            var output = Vec64<UInt8>(repeating: 1, count: prefix)
            try packed.withUnsafeBytes { try codec.decompress($0, into: &output, limit: data.count) }
            #expect(output.count == prefix + data.count, "\(name)")
            #expect(output.capacity <= prefix + data.count + 128, "\(name): capacity \(output.capacity) after \(prefix) bytes")
        }
    }

    @Test func zstdWithoutContentSizeStaysWithinTheLimit() throws {
        let frame = Self.zstdFrameWithoutContentSize(blocks: 12)
        for prefix in [0, 1000] {
            var output = Vec64<UInt8>(repeating: 1, count: prefix)
            try frame.withUnsafeBytes { try ZstdCodec().decompress($0, into: &output, limit: 12 << 17) }
            #expect(output.count == prefix + 12 << 17)
            #expect(output.capacity <= prefix + (12 << 17) + 128, "capacity \(output.capacity) after \(prefix) bytes")
            // Past the limit: an error, and the reservation still stays within it.
            var limited = Vec64<UInt8>(repeating: 1, count: prefix)
            #expect(throws: CodecError.self) {
                try frame.withUnsafeBytes { try ZstdCodec().decompress($0, into: &limited, limit: 5 << 17) }
            }
            #expect(limited.count == prefix && limited.capacity <= prefix + (5 << 17) + 128, "capacity \(limited.capacity)")
        }
    }

    /// In a process of its own: a 256 MiB frame without a content size raises the peak resident
    /// memory by about its size, not two or three times that (the decoder once grew a buffer of its
    /// own, then copied it into the output).
    @Test func zstdWithoutContentSizePeaksNearItsSize() async {
        await #expect(processExitsWith: .success) {
            let size = 256 << 20
            let frame = OutputLimitTests.zstdFrameWithoutContentSize(blocks: size >> 17)
            func peakResidentBytes() -> Int {
                var usage = rusage()
                getrusage(RUSAGE_SELF.rawValue, &usage)
                return usage.ru_maxrss * 1024
            }
            let before = peakResidentBytes()
            var output = Vec64<UInt8>()
            try frame.withUnsafeBytes { try ZstdCodec().decompress($0, into: &output, limit: size) }
            let growth = peakResidentBytes() - before
            guard output.count == size, growth < size * 3 / 2 else {
                print("decoded \(output.count) bytes; peak resident memory grew by \(growth >> 20) MiB")
                exit(1)
            }
        }
    }

    /// A second frame that fails leaves nothing of the first in the output (found by fuzz-zstd).
    @Test func zstdFailureRestoresTheOutput() throws {
        let input: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x24, 0x03, 0x01, 0x00, 0x00, 0x93, 0xE9, 0xD8, 0x80]
        var output = Vec64<UInt8>(repeating: 7, count: 3)
        #expect(throws: CodecError(.corrupt("not a Zstandard frame (magic 2161699219)"), at: 10)) {
            try input.withUnsafeBytes { try ZstdCodec().decompress($0, into: &output, limit: 1000) }
        }
        #expect(output.count == 3)
    }
}
