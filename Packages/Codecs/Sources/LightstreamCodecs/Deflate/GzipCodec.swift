import Vec64

/// gzip (RFC 1952) in pure Swift: DEFLATE data in members with a header, a CRC-32 and the size.
///
/// Decompression reads every member of the input back to back (as `gunzip` and Python's
/// `gzip.decompress` do; Parquet's GZIP pages may hold several), skips zero bytes between and
/// after members, accepts the optional header fields (FEXTRA, FNAME, FCOMMENT, and FHCRC, whose
/// checksum it checks) and checks each member's CRC-32 and ISIZE against the decoded bytes
/// (``CodecError/Kind/checksumMismatch``). Compression writes one member with a minimal header
/// (no name, time stamp 0) through ``DeflateCodec``.
///
/// ```swift
/// let codec = GzipCodec(level: 6)
/// let packed = try codec.compress(Array("hello hello hello".utf8))
/// let bytes = try codec.decompress(packed, limit: 1 << 20)
/// ```
public struct GzipCodec: CompressionCodec {
    /// The compression level, 0 (stored blocks only) to 9 (slowest, smallest); values outside
    /// are clamped. Decompression ignores it.
    public let level: Int

    /// A codec compressing at `level` (0...9, default 6 as in zlib and Python's `gzip`).
    public init(level: Int = 6) {
        self.level = Swift.min(9, Swift.max(0, level))
    }

    /// `gzip`.
    public var name: String { "gzip" }

    /// The most bytes ``compress(_:into:)`` appends for `inputCount` input bytes.
    public static func maxCompressedLength(_ inputCount: Int) -> Int {
        DeflateCodec.maxCompressedLength(inputCount) + 18
    }

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError) {
        let header = GzipHeader.minimal(extraFlags: level >= 9 ? 2 : level == 1 ? 4 : 0)
        header.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        DeflateEncoder(level: level).compress(input, into: &output)
        let crc = CRC32.checksum(input)
        let size = UInt32(truncatingIfNeeded: input.count)
        withUnsafeBytes(of: (crc.littleEndian, size.littleEndian)) { trailer in
            output.append(contentsOf: trailer.bindMemory(to: UInt8.self))
        }
    }

    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        guard input.count > 0 else { throw CodecError(.truncated, at: 0) }
        // The last member's size, when the input ends in a trailer: the room to start with.
        let expected = input.count >= 18 ? Int(GzipHeader.readLE32(input, input.count - 4)) : nil
        var inflate = Inflate(input, into: &output, limit: limit, expected: expected)
        do throws(CodecError) {
            var position = 0
            while position < input.count {
                if position > 0 && input[position] == 0 {
                    position += 1
                    continue
                }
                let body = try GzipHeader.read(input, at: position)
                let memberStart = inflate.produced
                let end = try inflate.stream(at: body, into: &output)
                guard input.count - end >= 8 else { throw CodecError(.truncated, at: input.count) }
                let crc = inflate.decoded(from: memberStart, in: output)
                guard crc == GzipHeader.readLE32(input, end) else { throw CodecError(.checksumMismatch, at: end) }
                guard UInt32(truncatingIfNeeded: inflate.produced - memberStart) == GzipHeader.readLE32(input, end + 4) else {
                    throw CodecError(.checksumMismatch, at: end + 4)
                }
                position = end + 8
            }
            inflate.finish(&output)
        } catch {
            output.resize(to: inflate.start, fill: 0)
            throw error
        }
    }
}
