/// A Zstandard frame header (RFC 8878 section 3.1.1.1): what decoding the frame needs from it.
struct ZstdFrameHeader {
    /// The decoded size, when the header gives it.
    var contentSize: Int?
    var hasChecksum: Bool
    /// The largest block the frame may hold: 128 KiB, or the window when smaller.
    var blockMaximum: Int

    /// Reads the header at `start` (after the magic); returns it and where the first block starts.
    static func read(_ base: UnsafePointer<UInt8>, count: Int, at start: Int) throws(CodecError) -> (ZstdFrameHeader, Int) {
        var position = start
        guard position < count else { throw CodecError(.truncated, at: position) }
        let descriptor = Int(base[position])
        position += 1
        let contentSizeFlag = descriptor >> 6
        let singleSegment = descriptor & 0x20 != 0
        guard descriptor & 0x08 == 0 else { throw CodecError(.corrupt("reserved frame header bit set"), at: start) }
        let dictionaryIDBytes = [0, 1, 2, 4][descriptor & 3]
        var blockMaximum = ZstdDecoder.blockMaximumSize
        if !singleSegment {
            guard position < count else { throw CodecError(.truncated, at: position) }
            // The whole frame is kept in memory, so the window only bounds the block size.
            let windowLog = 10 + Int(base[position] >> 3)
            let windowSize = (1 << windowLog) + (1 << windowLog) / 8 * Int(base[position] & 7)
            blockMaximum = min(blockMaximum, windowSize)
            position += 1
        }
        guard count - position >= dictionaryIDBytes else { throw CodecError(.truncated, at: position) }
        let dictionaryID = ZstdDecoder.readLE(base, position, bytes: dictionaryIDBytes)
        if dictionaryID != 0 {
            throw CodecError(.unsupported("zstd dictionaries (frame needs dictionary \(dictionaryID))"), at: position)
        }
        position += dictionaryIDBytes
        let contentSizeBytes = contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][contentSizeFlag]
        guard count - position >= contentSizeBytes else { throw CodecError(.truncated, at: position) }
        var contentSize: Int?
        if contentSizeBytes > 0 {
            var value = ZstdDecoder.readLE(base, position, bytes: contentSizeBytes)
            if contentSizeBytes == 2 { value += 256 }
            // Sizes beyond Int are beyond any limit too.
            contentSize = value > UInt64(Int.max) ? Int.max : Int(value)
        }
        position += contentSizeBytes
        let header = ZstdFrameHeader(contentSize: contentSize, hasChecksum: descriptor & 0x04 != 0, blockMaximum: blockMaximum)
        return (header, position)
    }
}
