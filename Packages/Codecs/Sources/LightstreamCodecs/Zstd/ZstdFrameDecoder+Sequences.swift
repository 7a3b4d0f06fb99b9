/// A block's sequences section (RFC 8878 section 3.1.1.3.2): its header and tables, then the
/// sequences, decoded and executed in chunks of ``sequenceChunk`` (few live values per loop, and
/// the decoded chunk stays in the L1 cache).
extension ZstdFrameDecoder {
    /// The most sequences decoded before they are executed.
    static let sequenceChunk = 256

    func decodeSequences(_ p: UnsafePointer<UInt8>, size: Int, at offset: Int, literalCount: Int) throws(CodecError) {
        guard size >= 1 else { throw CodecError(.truncated, at: offset) }
        let b0 = Int(p[0])
        var sequenceCount: Int
        var used: Int
        if b0 < 128 {
            sequenceCount = b0
            used = 1
        } else if b0 < 255 {
            guard size >= 2 else { throw CodecError(.truncated, at: offset) }
            sequenceCount = ((b0 - 128) << 8) + Int(p[1])
            used = 2
        } else {
            guard size >= 3 else { throw CodecError(.truncated, at: offset) }
            sequenceCount = Int(p[1]) + (Int(p[2]) << 8) + 0x7F00
            used = 3
        }
        if sequenceCount == 0 {
            try output.append(literals, count: literalCount, at: offset)
            return
        }
        guard size - used >= 1 else { throw CodecError(.truncated, at: offset + used) }
        let modes = Int(p[used])
        guard modes & 3 == 0 else { throw CodecError(.corrupt("reserved sequence mode bits set"), at: offset + used) }
        used += 1
        try sequenceTables.load(.literalLength, mode: modes >> 6, p, available: size, used: &used, at: offset)
        try sequenceTables.load(.offset, mode: (modes >> 4) & 3, p, available: size, used: &used, at: offset)
        try sequenceTables.load(.matchLength, mode: (modes >> 2) & 3, p, available: size, used: &used, at: offset)

        let streamAt = offset + used
        let reader = try ZstdBackwardBitReader(p + used, count: size - used, at: streamAt)
        var executor = ZstdSequenceExecutor(
            output: output, literals: literals, count: literalCount, repeats: repeats, at: streamAt)
        let chunk = sequences
        try sequenceTables.states.withUnsafeBufferPointer { (states) throws(CodecError) in
            var decoder = ZstdSequenceDecoder(reader, states: states.baseAddress!, accuracyLogs: sequenceTables.accuracyLogs)
            var remaining = sequenceCount
            while remaining > 0 {
                let n = min(remaining, Self.sequenceChunk)
                remaining -= n
                decoder.decode(n, into: chunk, endingBlock: remaining == 0)
                try executor.execute(chunk, count: n)
            }
            guard decoder.isFullyConsumed else {
                throw CodecError(.corrupt("sequence bitstream not consumed exactly"), at: streamAt)
            }
        }
        repeats = executor.repeats
        try executor.finish()
    }
}
