import LightstreamCodecs
import Vec64

/// Decompresses page bodies with the column chunk's codec.
struct PageDecompressor: Sendable {
    let compression: ParquetCompression

    init(_ compression: ParquetCompression) throws(ParquetError) {
        switch compression {
        case .uncompressed, .snappy, .gzip, .zstd, .lz4, .lz4Raw: break
        case .brotli: throw ParquetError(.unsupported("codec BROTLI is not supported"))
        case .lzo: throw ParquetError(.unsupported("codec LZO is not supported"))
        default: throw ParquetError(.unsupported("unknown codec \(compression.rawValue)"))
        }
        self.compression = compression
    }

    /// Appends the decompressed form of `input` to `output`; it must be exactly `size` bytes.
    func decompress(_ input: UnsafeRawBufferPointer, size: Int, into output: inout Vec64<UInt8>) throws(ParquetError) {
        let start = output.count
        if input.isEmpty && size == 0 { return }
        do throws(CodecError) {
            switch compression {
            case .snappy: try SnappyCodec().decompress(input, into: &output, limit: size)
            case .gzip: try GzipCodec().decompress(input, into: &output, limit: size)
            case .zstd: try ZstdCodec().decompress(input, into: &output, limit: size)
            case .lz4Raw: try LZ4RawCodec().decompress(input, into: &output, limit: size)
            case .lz4: try decompressHadoopLZ4(input, size: size, into: &output)
            default: output.append(contentsOf: input.assumingMemoryBound(to: UInt8.self))
            }
        } catch {
            throw ParquetError(.codec(error))
        }
        guard output.count - start == size else {
            throw ParquetError(.corruptPage("page decompressed to \(output.count - start) bytes, header says \(size)"))
        }
    }

    /// The deprecated LZ4 codec: Hadoop's framing (big-endian decompressed and compressed sizes
    /// before each raw block), or a bare raw block as some writers produced.
    private func decompressHadoopLZ4(_ input: UnsafeRawBufferPointer, size: Int, into output: inout Vec64<UInt8>) throws(CodecError) {
        let start = output.count
        var position = 0
        var framed = true
        while position < input.count {
            guard input.count - position >= 8 else { framed = false; break }
            let decompressed = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            let compressed = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self)))
            guard compressed <= input.count - position - 8, decompressed <= size - (output.count - start) else { framed = false; break }
            let before = output.count
            do throws(CodecError) {
                try LZ4RawCodec().decompress(UnsafeRawBufferPointer(rebasing: input[(position + 8)..<(position + 8 + compressed)]),
                                             into: &output, limit: decompressed)
            } catch {
                framed = false
                break
            }
            guard output.count - before == decompressed else { framed = false; break }
            position += 8 + compressed
        }
        if framed && output.count - start == size { return }
        output.resize(to: start, fill: 0)
        try LZ4RawCodec().decompress(input, into: &output, limit: size)
    }
}
