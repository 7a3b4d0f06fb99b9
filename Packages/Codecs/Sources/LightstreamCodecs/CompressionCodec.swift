import Vec64

/// Why bytes could not be compressed or decompressed: what was wrong and where.
public struct CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The input breaks the format; the text says how.
        case corrupt(String)
        /// The input ends before the format says it should.
        case truncated
        /// The output would exceed the caller's limit (a decompression bomb or a wrong size).
        case outputTooLarge(limit: Int)
        /// A checksum in the input does not match the data.
        case checksumMismatch
        /// A valid feature this implementation does not support.
        case unsupported(String)
    }

    public var kind: Kind
    /// The byte offset in the input where the problem was found.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String { "\(kind) at input byte \(offset)" }
}

/// One compression format, pure Swift: compress into, decompress into with a bounded output.
public protocol CompressionCodec: Sendable {
    /// The format's name, e.g. `lz4_frame`, `zstd`, `snappy`.
    var name: String { get }

    /// Appends the compressed form of `input` to `output`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError)

    /// Appends the decompressed form of `input` (one complete compressed unit: a frame, a block or
    /// a sequence of frames as the format defines) to `output`, writing at most `limit` bytes;
    /// more is ``CodecError/Kind/outputTooLarge(limit:)``, never an allocation past the limit.
    func decompress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int) throws(CodecError)
}

extension CompressionCodec {
    /// The compressed form of `bytes`.
    public func compress(_ bytes: [UInt8]) throws(CodecError) -> [UInt8] {
        var out = Vec64<UInt8>()
        var failure: CodecError?
        bytes.withUnsafeBytes { raw in
            do throws(CodecError) { try compress(raw, into: &out) } catch { failure = error }
        }
        if let failure { throw failure }
        return out.withUnsafeBufferPointer { Array($0) }
    }

    /// The decompressed form of `bytes`, at most `limit` bytes.
    public func decompress(_ bytes: [UInt8], limit: Int = 1 << 30) throws(CodecError) -> [UInt8] {
        var out = Vec64<UInt8>()
        var failure: CodecError?
        bytes.withUnsafeBytes { raw in
            do throws(CodecError) { try decompress(raw, into: &out, limit: limit) } catch { failure = error }
        }
        if let failure { throw failure }
        return out.withUnsafeBufferPointer { Array($0) }
    }
}
