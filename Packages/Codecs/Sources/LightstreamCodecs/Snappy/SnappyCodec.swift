import Vec64

/// Snappy in its raw (block) format, pure Swift.
///
/// A compressed unit is a little-endian base-128 varint holding the uncompressed length (at most
/// 2³² − 1), followed by elements: literals (bytes stored as they are) and copies (a length and
/// an offset back into the output already produced, with 1-, 2- or 4-byte offsets). This is the
/// format of `snappy::RawCompress` and `cramjam.snappy.compress_raw`, not the framing format.
///
/// Compression works like the reference: the input is cut into 64 KiB fragments and each is
/// matched greedily through a hash table of 4-byte sequences, skipping faster through data that
/// does not match. Decompression checks the declared length against `limit` before allocating,
/// then checks every element against the input and output bounds.
///
/// ```swift
/// let codec = SnappyCodec()
/// let packed = try codec.compress(Array("hello hello hello".utf8))
/// let bytes = try codec.decompress(packed, limit: 1 << 20)
/// ```
public struct SnappyCodec: CompressionCodec {
    /// The largest uncompressed length the format can declare.
    public static let maxUncompressedLength = Int(UInt32.max)

    public init() {}

    /// `snappy`.
    public var name: String { "snappy" }

    /// The most bytes ``compress(_:into:)`` appends for `inputCount` input bytes.
    public static func maxCompressedLength(_ inputCount: Int) -> Int {
        32 + inputCount + inputCount / 6
    }

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError) {
        guard input.count <= Self.maxUncompressedLength else {
            throw CodecError(.unsupported("snappy cannot hold \(input.count) bytes (at most 2^32 - 1)"), at: 0)
        }
        let start = output.count
        var written = 0
        output.appendUninitialized(count: Self.maxCompressedLength(input.count)) { destination in
            written = SnappyCompressor.compress(input, into: UnsafeMutableRawPointer(destination.baseAddress!))
        }
        output.resize(to: start + written, fill: 0)
    }

    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        let (declared, headerSize) = try SnappyDecompressor.readPreamble(input)
        let limit = Swift.max(0, limit)
        guard declared <= limit else { throw CodecError(.outputTooLarge(limit: limit), at: 0) }
        // A 3-byte copy element yields at most 64 bytes, the densest the format gets: a declared
        // length beyond that for the bytes left cannot be met, so fail before allocating it.
        let body = input.count - headerSize
        guard declared <= (body / 3 + 1) * 64 else { throw CodecError(.truncated, at: input.count) }

        let start = output.count
        var failure: CodecError?
        output.reserveWithin(extra: declared, start: start, limit: declared)
        output.appendUninitialized(count: declared) { destination in
            do throws(CodecError) {
                try SnappyDecompressor.decode(input, from: headerSize, into: destination)
            } catch {
                failure = error
            }
        }
        if let failure {
            output.resize(to: start, fill: 0)
            throw failure
        }
    }
}
