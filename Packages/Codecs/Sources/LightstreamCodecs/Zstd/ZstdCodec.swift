import Vec64

/// Zstandard (RFC 8878) in pure Swift.
///
/// Decompression handles every frame feature except dictionaries: single-segment and windowed
/// frames, raw, RLE and compressed blocks, Huffman and FSE entropy in all modes, content
/// checksums, concatenated and skippable frames. Compression writes one frame with a content
/// checksum: LZ77 sequences (hash-table match finder), Huffman-coded literals when they shrink,
/// FSE-coded sequences (custom tables, or predefined ones for short blocks), RLE blocks for runs
/// and raw blocks when a block does not compress. Inputs over 128 MiB get a 128 MiB window.
public struct ZstdCodec: CompressionCodec {
    public let name = "zstd"
    /// The compression level. Levels up to 2 hash 6-byte keys and index three positions per match
    /// (faster); 3 and above hash 4-byte keys, also keep a long-match (8-byte) table and index
    /// every position inside matches. Any value is accepted.
    public let level: Int

    public init(level: Int = 3) {
        self.level = level
    }

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError) {
        ZstdEncoder(level: level).compress(input, into: &output)
    }

    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        try ZstdDecoder.decompress(input, into: &output, limit: limit)
    }
}
