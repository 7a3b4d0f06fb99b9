import LightstreamCodecs
import Vec64

/// The IPC body codecs built on the pure-Swift Codecs layer: LZ4 frame and Zstd, as the Arrow
/// format specifies them for compressed bodies.
public struct CodecBodyCompression: IPCBodyCodec {
    public let compression: IPCCompression
    let codec: any CompressionCodec

    /// LZ4 frame bodies.
    public static let lz4Frame = CodecBodyCompression(compression: .lz4Frame, codec: LZ4FrameCodec())
    /// Zstd bodies at the default level.
    public static let zstd = CodecBodyCompression(compression: .zstd, codec: ZstdCodec())

    /// Every built-in codec by kind (the readers' default).
    public static let all: [IPCCompression: any IPCBodyCodec] = [.lz4Frame: lz4Frame, .zstd: zstd]

    public func compress(_ input: Buffer) throws -> Buffer {
        var output = Vec64<UInt8>()
        try input.withUnsafeBytes { raw in try codec.compress(raw, into: &output) }
        return output.freeze()
    }

    /// Decompresses `input` into exactly `uncompressedLength` bytes. The length comes from the
    /// input, so nothing is reserved from it alone: the output starts at what the compressed
    /// bytes could plausibly produce and grows as they decode, never past `uncompressedLength`.
    public func decompress(_ input: Buffer, uncompressedLength: Int) throws -> Buffer {
        let plausible = input.count.multipliedReportingOverflow(by: 16)
        var output = Vec64<UInt8>(minimumCapacity: min(uncompressedLength, plausible.overflow ? Int.max : max(plausible.partialValue, 1 << 16)))
        try input.withUnsafeBytes { raw in try codec.decompress(raw, into: &output, limit: uncompressedLength) }
        guard output.count == uncompressedLength else {
            throw IPCError("a compressed buffer decompressed to \(output.count) bytes, its prefix says \(uncompressedLength)")
        }
        return output.freeze()
    }
}
