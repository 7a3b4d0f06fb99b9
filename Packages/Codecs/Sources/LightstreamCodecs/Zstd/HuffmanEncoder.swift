/// Huffman coding of literals: code lengths (at most 11 bits), the tree description
/// (direct or FSE-compressed weights) and the backward-written streams.
struct ZstdHuffmanEncoder {
    var codes = [Int](repeating: 0, count: 256)
    var lengths = [Int](repeating: 0, count: 256)
    /// The tree description bytes (header byte included).
    var description: [UInt8] = []

    /// Builds a code for `frequencies` (at least two used symbols); nil when the tree cannot be described.
    init?(frequencies: [Int]) {
        var lengths = Self.codeLengths(frequencies)
        var maxBits = lengths.max() ?? 0
        var scaled = frequencies
        while maxBits > 11 {
            scaled = scaled.map { $0 == 0 ? 0 : ($0 >> 1) | 1 }
            lengths = Self.codeLengths(scaled)
            maxBits = lengths.max() ?? 0
        }
        guard maxBits > 0, let maxSymbol = lengths.lastIndex(where: { $0 > 0 }) else { return nil }
        var weights = lengths.map { $0 == 0 ? 0 : maxBits + 1 - $0 }
        // Canonical codes in the decoder's order: by weight, then symbol; lowest weights first.
        var position = 0
        for weight in 1...maxBits {
            for symbol in 0...maxSymbol where weights[symbol] == weight {
                codes[symbol] = position >> (weight - 1)
                position += 1 << (weight - 1)
            }
        }
        guard position == 1 << maxBits else { return nil }
        self.lengths = lengths
        weights.removeSubrange(maxSymbol...)
        if weights.count <= 128 {
            description.append(UInt8(127 + weights.count))
            var i = 0
            while i < weights.count {
                let high = weights[i], low = i + 1 < weights.count ? weights[i + 1] : 0
                description.append(UInt8(high << 4 | low))
                i += 2
            }
        } else {
            guard let compressed = Self.compressWeights(weights), compressed.count < 128 else { return nil }
            description.append(UInt8(compressed.count))
            description.append(contentsOf: compressed)
        }
    }

    /// Huffman code lengths (unlimited) by the two-queue method over sorted leaves.
    static func codeLengths(_ frequencies: [Int]) -> [Int] {
        let leaves = frequencies.indices.filter { frequencies[$0] > 0 }.sorted {
            frequencies[$0] != frequencies[$1] ? frequencies[$0] < frequencies[$1] : $0 < $1
        }
        var lengths = [Int](repeating: 0, count: frequencies.count)
        if leaves.count < 2 { return lengths }
        // Nodes: leaves first (0..<n), then internal nodes; parent links give depths.
        let n = leaves.count
        var weight = leaves.map { frequencies[$0] } + [Int](repeating: 0, count: n - 1)
        var parent = [Int](repeating: -1, count: 2 * n - 1)
        var leaf = 0, node = n, next = n
        func takeSmallest() -> Int {
            if leaf < n && (node >= next || weight[leaf] <= weight[node]) {
                leaf += 1
                return leaf - 1
            }
            node += 1
            return node - 1
        }
        while next < 2 * n - 1 {
            let a = takeSmallest(), b = takeSmallest()
            weight[next] = weight[a] + weight[b]
            parent[a] = next
            parent[b] = next
            next += 1
        }
        var depth = [Int](repeating: 0, count: 2 * n - 1)
        for i in stride(from: 2 * n - 3, through: 0, by: -1) { depth[i] = depth[parent[i]] + 1 }
        for i in 0..<n { lengths[leaves[i]] = depth[i] }
        return lengths
    }

    /// The weights as an FSE table description plus a two-state backward stream.
    static func compressWeights(_ weights: [Int]) -> [UInt8]? {
        var frequencies = [Int](repeating: 0, count: 12)
        for w in weights { frequencies[w] += 1 }
        guard frequencies.filter({ $0 > 0 }).count >= 2 else { return nil }
        let log = 6
        let counts = ZstdFSEEncoder.normalize(frequencies, log: log)
        guard let table = try? ZstdFSETable(counts: counts, accuracyLog: log, at: 0) else { return nil }
        let encoder = ZstdFSEEncoder(table: table, symbolCount: counts.count)
        let m = weights.count
        var states = [Int](repeating: 0, count: m)
        var updates = [(bits: Int, count: Int)](repeating: (0, 0), count: m)
        states[m - 1] = encoder.lastState(for: weights[m - 1])
        states[m - 2] = encoder.lastState(for: weights[m - 2])
        // The final update (after symbol m-2) must read past the stream's start.
        guard table.bitCounts[states[m - 2]] > 0 else { return nil }
        for i in stride(from: m - 3, through: 0, by: -1) {
            let step = encoder.step(symbol: weights[i], next: states[i + 2])
            states[i] = step.state
            updates[i] = (step.bits, step.count)
        }
        var out: [UInt8] = []
        ZstdFSEEncoder.writeDescription(counts, log: log, into: &out)
        // At most 6 bits per weight.
        out += ZstdBitWriter.bytes(capacity: m + 8) { writer in
            for i in stride(from: m - 3, through: 0, by: -1) { writer.write(updates[i].bits, updates[i].count) }
            writer.write(states[1], log)
            writer.write(states[0], log)
            writer.writeEndMark()
        }
        return out
    }

    /// One backward stream holding `symbols` (decoded first to last).
    func encodeStream(_ symbols: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // At most 11 bits per symbol.
        codes.withUnsafeBufferPointer { codes in
            lengths.withUnsafeBufferPointer { lengths in
                ZstdBitWriter.bytes(capacity: 2 * symbols.count + 8) { writer in
                    var i = symbols.count - 1
                    while i >= 0 {
                        let s = Int(symbols[i])
                        writer.write(codes[s], lengths[s])
                        i -= 1
                    }
                    writer.writeEndMark()
                }
            }
        }
    }
}
