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
/// ``CodecBodyCompression`` supplies LZ4 frame and Zstd on the Codecs layer. A reader checks the
/// declared length against its ``IPCLimits`` before calling ``decompress(_:uncompressedLength:)``;
/// an implementation must still not trust it (the compressed bytes decide how much is produced).
public protocol IPCBodyCodec: Sendable {
    /// Which compression this codec implements, as recorded in the message metadata.
    var compression: IPCCompression { get }
    /// Compresses `input`.
    func compress(_ input: Buffer) throws -> Buffer
    /// Decompresses `input` into exactly `uncompressedLength` bytes.
    func decompress(_ input: Buffer, uncompressedLength: Int) throws -> Buffer
}
