import Vec64

/// Raw DEFLATE (RFC 1951) in pure Swift: the compressed data of gzip, zip and PNG without any
/// header or checksum.
///
/// Decompression handles stored, fixed-Huffman and dynamic-Huffman blocks through two-level
/// lookup tables and rejects every malformed stream with a ``CodecError``: invalid or
/// over-subscribed codes, distances before the output's start, truncation, and bytes after the
/// final block. Compression finds matches through hash chains (longer chains and lazy matching
/// at higher levels) and writes each block as stored, fixed or dynamic Huffman, whichever is
/// smallest.
///
/// ```swift
/// let codec = DeflateCodec(level: 6)
/// let packed = try codec.compress(Array("hello hello hello".utf8))
/// let bytes = try codec.decompress(packed, limit: 1 << 20)
/// ```
public struct DeflateCodec: CompressionCodec {
    /// The compression level, 0 (stored blocks only) to 9 (slowest, smallest); values outside
    /// are clamped. Decompression ignores it.
    public let level: Int

    /// A codec compressing at `level` (0...9, default 6 as in zlib).
    public init(level: Int = 6) {
        self.level = Swift.min(9, Swift.max(0, level))
    }

    /// `deflate`.
    public var name: String { "deflate" }

    /// The most bytes ``compress(_:into:)`` appends for `inputCount` input bytes.
    public static func maxCompressedLength(_ inputCount: Int) -> Int {
        inputCount + inputCount / 4096 + 64
    }

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError) {
        DeflateEncoder(level: level).compress(input, into: &output)
    }

    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        var inflate = Inflate(input, into: &output, limit: limit, expected: nil)
        do throws(CodecError) {
            let end = try inflate.stream(at: 0, into: &output)
            guard end == input.count else {
                throw CodecError(.corrupt("\(input.count - end) bytes after the end of the deflate stream"), at: end)
            }
            inflate.finish(&output)
        } catch {
            output.resize(to: inflate.start, fill: 0)
            throw error
        }
    }
}
