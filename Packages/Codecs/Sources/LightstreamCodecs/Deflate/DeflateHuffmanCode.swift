/// A canonical Huffman code built from symbol frequencies with a length limit, as the encoder
/// writes it: the code length of each symbol and its code bit-reversed (DEFLATE sends codes
/// most significant bit first into a least-significant-first stream).
struct DeflateHuffmanCode {
    var lengths: [UInt8]
    var codes: [UInt16]

    /// The code of the given lengths (canonical, section 3.2.2).
    init(lengths: [UInt8]) {
        self.lengths = lengths
        codes = [UInt16](repeating: 0, count: lengths.count)
        var lengthCounts = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { lengthCounts[Int(length)] += 1 }
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            code = (code + lengthCounts[length - 1]) << 1
            nextCode[length] = code
        }
        for symbol in lengths.indices where lengths[symbol] > 0 {
            let length = Int(lengths[symbol])
            codes[symbol] = UInt16(InflateTable.reverse(nextCode[length], bits: length))
            nextCode[length] += 1
        }
    }

    /// The optimal-within-the-limit code for `frequencies` (at least two must be nonzero, so the
    /// code is complete; symbols of frequency 0 get no code).
    init(frequencies: [UInt32], limit: Int) {
        self.init(lengths: Self.lengths(frequencies, limit: limit))
    }

    /// Huffman code lengths for `frequencies`, no longer than `limit`.
    ///
    /// The lengths come from the Huffman tree (merging the two lightest nodes, leaves and
    /// merged nodes kept in two sorted queues). If the tree is deeper than the limit, the counts
    /// of codes per length are clamped to the limit, then rebalanced until the Kraft sum is
    /// exactly one: while it is above, a code just short of the longest moves one level deeper;
    /// while below, the longest code that fits the gap moves one level up. The lengths then go
    /// to the symbols in order of frequency, the shortest to the most frequent.
    static func lengths(_ frequencies: [UInt32], limit: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: frequencies.count)
        // The used symbols, lightest first.
        let leaves = frequencies.indices.filter { frequencies[$0] > 0 }.sorted {
            (frequencies[$0], $0) < (frequencies[$1], $1)
        }
        if leaves.count < 2 {
            for symbol in leaves { result[symbol] = 1 }
            return result
        }
        let m = leaves.count
        // Nodes 0..<m are the leaves; m..<2m-1 the merged nodes in order of creation.
        var weight = [UInt64](repeating: 0, count: 2 * m - 1)
        var parent = [Int](repeating: 0, count: 2 * m - 1)
        for i in 0..<m { weight[i] = UInt64(frequencies[leaves[i]]) }
        var nextLeaf = 0
        var nextMerged = m
        for created in m..<(2 * m - 1) {
            var pair = (0, 0)
            for k in 0..<2 {
                let takeLeaf = nextLeaf < m && (nextMerged >= created || weight[nextLeaf] <= weight[nextMerged])
                let node: Int
                if takeLeaf {
                    node = nextLeaf
                    nextLeaf += 1
                } else {
                    node = nextMerged
                    nextMerged += 1
                }
                if k == 0 { pair.0 = node } else { pair.1 = node }
            }
            weight[created] = weight[pair.0] + weight[pair.1]
            parent[pair.0] = created
            parent[pair.1] = created
        }
        var depth = [Int](repeating: 0, count: 2 * m - 1)
        for node in stride(from: 2 * m - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }

        var lengthCounts = [Int](repeating: 0, count: limit + 1)
        for i in 0..<m { lengthCounts[Swift.min(depth[i], limit)] += 1 }
        // The Kraft sum in units of 2^-limit.
        let full = 1 << limit
        var kraft = 0
        for length in 1...limit { kraft += lengthCounts[length] << (limit - length) }
        while kraft > full {
            var length = limit - 1
            while lengthCounts[length] == 0 { length -= 1 }
            lengthCounts[length] -= 1
            lengthCounts[length + 1] += 1
            kraft -= 1 << (limit - length - 1)
        }
        while kraft < full {
            var length = limit
            while length > 1 && (lengthCounts[length] == 0 || 1 << (limit - length) > full - kraft) { length -= 1 }
            lengthCounts[length] -= 1
            lengthCounts[length - 1] += 1
            kraft += 1 << (limit - length)
        }
        // Longest codes to the lightest symbols.
        var leaf = 0
        for length in stride(from: limit, through: 1, by: -1) {
            for _ in 0..<lengthCounts[length] {
                result[leaves[leaf]] = UInt8(length)
                leaf += 1
            }
        }
        return result
    }
}
