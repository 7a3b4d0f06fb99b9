import Vec64

/// The body compression codecs of the Arrow IPC format.
public enum IPCCompression: Int8, Sendable, CaseIterable {
    /// LZ4 frame format.
    case lz4Frame = 0
    /// Zstandard.
    case zstd = 1
}

/// A body compression codec for IPC buffers: each buffer is stored as its uncompressed length
/// (Int64, little-endian; -1 for "not compressed") followed by the compressed bytes.
///
/// The Codecs layer supplies LZ4 frame and Zstd implementations; until then no codec is built in,
/// and reading a compressed body fails with a clear error.
public protocol IPCBodyCodec: Sendable {
    /// Which compression this codec implements, as recorded in the message metadata.
    var compression: IPCCompression { get }
    /// Compresses `input`.
    func compress(_ input: Buffer) throws -> Buffer
    /// Decompresses `input` into exactly `uncompressedLength` bytes.
    func decompress(_ input: Buffer, uncompressedLength: Int) throws -> Buffer
}
