import Vec64

/// Compresses into one Zstandard frame: greedy LZ77 (``ZstdMatchFinder``), Huffman literals,
/// FSE-coded sequences (custom tables for blocks of 64 sequences or more, else predefined),
/// content checksum.
struct ZstdEncoder {
    let level: Int
    /// Inputs up to `1 << windowLog` bytes become single-segment frames (the window is the whole
    /// content); larger ones get a window of `1 << windowLog` bytes that matches never reach past.
    var windowLog = 27

    /// One LZ77 sequence: literals, then a match given by its offset value (a repeat code, or the
    /// distance + 3).
    struct Sequence {
        var literalLength: UInt32
        var offsetValue: UInt32
        var matchLength: UInt32
    }

    func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) {
        let n = input.count
        var out: [UInt8] = []
        out.reserveCapacity(n / 2 + 64)
        writeFrameHeader(contentSize: n, into: &out)
        guard n > 0, let raw = input.baseAddress else {
            out += [1, 0, 0]   // one empty raw block, the last
            appendLE32(UInt32(truncatingIfNeeded: XXHash64.hash(nil, count: 0)), into: &out)
            output.append(contentsOf: out)
            return
        }
        let source = raw.bindMemory(to: UInt8.self, capacity: input.count)
        var repeats = (1, 4, 8)
        let maxDistance = n <= 1 << windowLog ? n : (1 << windowLog) - 1
        // A block never exceeds the window (RFC 8878 Block_Maximum_Size).
        let blockSize = min(128 * 1024, 1 << windowLog)
        let finder = ZstdMatchFinder(level: level, blockSize: blockSize)
        var start = 0
        while start < n {
            let end = min(n, start + blockSize)
            let last = end == n
            let blockHeaderAt = out.count
            out += [0, 0, 0]
            let size = end - start
            var kind = 0
            var stored = size
            if isRun(source, start, end) {
                kind = 1
                stored = 1
                out.append(source[start])
            } else {
                var reps = repeats
                finder.findSequences(source, start: start, end: end, maxDistance: maxDistance, repeats: &reps)
                let body = encodeBlockBody(
                    literals: UnsafeBufferPointer(start: finder.literals, count: finder.literalCount),
                    sequences: UnsafeBufferPointer(start: finder.sequences, count: finder.sequenceCount))
                if body.count < size {
                    kind = 2
                    stored = body.count
                    out += body
                    repeats = reps
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(start: source + start, count: size))
                }
            }
            let header = (last ? 1 : 0) | kind << 1 | (kind == 1 ? size : stored) << 3
            out[blockHeaderAt] = UInt8(truncatingIfNeeded: header)
            out[blockHeaderAt + 1] = UInt8(truncatingIfNeeded: header >> 8)
            out[blockHeaderAt + 2] = UInt8(truncatingIfNeeded: header >> 16)
            start = end
        }
        appendLE32(UInt32(truncatingIfNeeded: XXHash64.hash(raw, count: n)), into: &out)
        output.append(contentsOf: out)
    }

    private func appendLE32(_ v: UInt32, into out: inout [UInt8]) {
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
    }

    private func writeFrameHeader(contentSize n: Int, into out: inout [UInt8]) {
        appendLE32(ZstdDecoder.magic, into: &out)
        let single = n <= 1 << windowLog
        var sizeFlag: Int
        var sizeBytes: Int
        if single && n < 256 {
            sizeFlag = 0
            sizeBytes = 1
        } else if single && n < 65536 + 256 {
            sizeFlag = 1
            sizeBytes = 2
        } else if n <= Int(UInt32.max) {
            sizeFlag = 2
            sizeBytes = 4
        } else {
            sizeFlag = 3
            sizeBytes = 8
        }
        out.append(UInt8(sizeFlag << 6 | (single ? 0x20 : 0) | 0x04))
        if !single { out.append(UInt8((windowLog - 10) << 3)) }
        let value = UInt64(sizeBytes == 2 ? n - 256 : n)
        for k in 0..<sizeBytes { out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    }

    private func isRun(_ s: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let first = s[start]
        for i in (start + 1)..<max(start + 1, end) where s[i] != first { return false }
        return end - start > 16
    }

    /// The offset value (repeat code or distance + 3) for a match, updating the repeat offsets
    /// exactly as the decoder will.
    static func offsetValue(distance d: Int, literalLength: Int, repeats r: inout (Int, Int, Int)) -> Int {
        if literalLength > 0 {
            if d == r.0 { return 1 }
            if d == r.1 { r = (d, r.0, r.2); return 2 }
            if d == r.2 { r = (d, r.0, r.1); return 3 }
        } else {
            if d == r.1 { r = (d, r.0, r.2); return 1 }
            if d == r.2 { r = (d, r.0, r.1); return 2 }
            if d == r.0 - 1 { r = (d, r.0, r.1); return 3 }
        }
        r = (d, r.0, r.1)
        return d + 3
    }

    /// The literals section then the sequences section of a compressed block.
    private func encodeBlockBody(literals: UnsafeBufferPointer<UInt8>, sequences: UnsafeBufferPointer<Sequence>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(literals.count + sequences.count * 3 + 64)
        encodeLiterals(literals, into: &out)
        encodeSequences(sequences, into: &out)
        return out
    }
}
