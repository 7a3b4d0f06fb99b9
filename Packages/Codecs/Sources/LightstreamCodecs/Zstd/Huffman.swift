/// A Huffman decoding table for literals (RFC 8878 section 4.2): indexed by the next
/// `maxBits` bits, each entry holds `symbol << 8 | bitCount`.
struct ZstdHuffmanTable: Sendable {
    var entries: [UInt16]
    var maxBits: Int

    /// Builds the table from the weights of symbols `0..<weights.count`; the last symbol's
    /// weight (symbol `weights.count`) is implied.
    init(weights: [UInt8], at offset: Int) throws(CodecError) {
        guard weights.count <= 255 else { throw CodecError(.corrupt("too many Huffman weights"), at: offset) }
        var total = 0
        for w in weights {
            guard w <= 11 else { throw CodecError(.corrupt("Huffman weight above 11"), at: offset) }
            if w > 0 { total += 1 << Int(w - 1) }
        }
        guard total > 0 else { throw CodecError(.corrupt("Huffman tree with one symbol"), at: offset) }
        let maxBits = Int.bitWidth - total.leadingZeroBitCount
        guard maxBits <= 11 else { throw CodecError(.corrupt("Huffman tree deeper than 11 bits"), at: offset) }
        let rest = (1 << maxBits) - total
        guard rest > 0, rest & (rest - 1) == 0 else {
            throw CodecError(.corrupt("Huffman weights do not complete a tree"), at: offset)
        }
        var all = weights
        all.append(UInt8(Int.bitWidth - rest.leadingZeroBitCount))
        var entries = [UInt16](repeating: 0, count: 1 << maxBits)
        var position = 0
        for weight in 1...maxBits {
            let span = 1 << (weight - 1)
            let bits = UInt16(maxBits + 1 - weight)
            for (symbol, w) in all.enumerated() where Int(w) == weight {
                let entry = UInt16(symbol) << 8 | bits
                for i in position..<(position + span) { entries[i] = entry }
                position += span
            }
        }
        self.entries = entries
        self.maxBits = maxBits
    }

    /// Reads a Huffman tree description; returns the table and the bytes used.
    static func read(_ bytes: UnsafePointer<UInt8>, count: Int, at offset: Int) throws(CodecError) -> (ZstdHuffmanTable, Int) {
        guard count >= 1 else { throw CodecError(.truncated, at: offset) }
        let header = Int(bytes[0])
        var weights: [UInt8] = []
        if header >= 128 {
            let n = header - 127
            let used = (n + 1) / 2
            guard 1 + used <= count else { throw CodecError(.truncated, at: offset) }
            weights.reserveCapacity(n)
            for i in 0..<n {
                let byte = bytes[1 + i / 2]
                weights.append(i & 1 == 0 ? byte >> 4 : byte & 15)
            }
            return (try ZstdHuffmanTable(weights: weights, at: offset), 1 + used)
        }
        let size = header
        guard size > 0 else { throw CodecError(.corrupt("empty Huffman weights stream"), at: offset) }
        guard 1 + size <= count else { throw CodecError(.truncated, at: offset) }
        let description = try ZstdFSETable.readDescription(
            bytes + 1, count: size, at: offset + 1, maxSymbol: 11, maxLog: 6)
        let fse = try ZstdFSETable(counts: description.counts, accuracyLog: description.log, at: offset + 1)
        guard description.used < size else { throw CodecError(.corrupt("Huffman weights stream is empty"), at: offset) }
        var reader = try ZstdBackwardBitReader(
            bytes + 1 + description.used, count: size - description.used, at: offset + 1 + description.used)
        let log = fse.accuracyLog
        var state1 = reader.read(log)
        var state2 = reader.read(log)
        guard reader.bitPosition >= 0 else { throw CodecError(.corrupt("Huffman weights stream too short"), at: offset) }
        while true {
            weights.append(fse.symbols[state1])
            state1 = Int(fse.baselines[state1]) + reader.read(Int(fse.bitCounts[state1]))
            if reader.bitPosition < 0 {
                weights.append(fse.symbols[state2])
                break
            }
            weights.append(fse.symbols[state2])
            state2 = Int(fse.baselines[state2]) + reader.read(Int(fse.bitCounts[state2]))
            if reader.bitPosition < 0 {
                weights.append(fse.symbols[state1])
                break
            }
            guard weights.count <= 255 else { throw CodecError(.corrupt("too many Huffman weights"), at: offset) }
        }
        return (try ZstdHuffmanTable(weights: weights, at: offset), 1 + size)
    }

    /// Decodes `n` symbols from one backward stream into `destination`; the stream must be used exactly.
    func decodeStream(
        _ source: UnsafePointer<UInt8>, count: Int, at offset: Int, into destination: UnsafeMutablePointer<UInt8>, n: Int
    ) throws(CodecError) {
        var reader = try ZstdBackwardBitReader(source, count: count, at: offset)
        let maxBits = maxBits
        try entries.withUnsafeBufferPointer { (table) throws(CodecError) in
            for i in 0..<n {
                let entry = table[reader.peek(maxBits)]
                destination[i] = UInt8(truncatingIfNeeded: entry >> 8)
                reader.bitPosition -= Int(entry & 0xFF)
                if reader.bitPosition < 0 {
                    throw CodecError(.corrupt("Huffman stream overrun"), at: offset)
                }
            }
        }
        guard reader.bitPosition == 0 else { throw CodecError(.corrupt("Huffman stream not fully consumed"), at: offset) }
    }
}
