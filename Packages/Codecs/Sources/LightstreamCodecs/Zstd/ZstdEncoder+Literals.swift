/// A compressed block's literals section (RFC 8878 section 3.1.1.3.1).
extension ZstdEncoder {
    /// Writes the literals section: RLE when one byte repeats, Huffman-coded (one stream, or four
    /// with a jump table) when that is smaller, else raw.
    func encodeLiterals(_ literals: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let n = literals.count
        var frequencies = [Int](repeating: 0, count: 256)
        frequencies.withUnsafeMutableBufferPointer { counts in
            for b in literals { counts[Int(b)] &+= 1 }
        }
        let used = frequencies.filter { $0 > 0 }.count
        if used == 1 && n > 2 {
            writeRawOrRLEHeader(type: 1, size: n, into: &out)
            out.append(literals[0])
            return
        }
        if n >= 64 && used >= 2, let huffman = ZstdHuffmanEncoder(frequencies: frequencies) {
            var streams: [[UInt8]] = []
            if n <= 1023 {
                streams.append(huffman.encodeStream(literals))
            } else {
                let segment = (n + 3) / 4
                for k in 0..<4 {
                    let lower = min(n, k * segment), upper = k == 3 ? n : min(n, (k + 1) * segment)
                    streams.append(huffman.encodeStream(UnsafeBufferPointer(rebasing: literals[lower..<upper])))
                }
            }
            var payload = huffman.description
            if streams.count == 4 {
                for k in 0..<3 {
                    payload.append(UInt8(truncatingIfNeeded: streams[k].count))
                    payload.append(UInt8(truncatingIfNeeded: streams[k].count >> 8))
                }
            }
            for stream in streams { payload += stream }
            let compressed = payload.count
            let fitsJumpTable = streams.count == 1 || streams[0..<3].allSatisfy { $0.count <= 0xFFFF }
            if fitsJumpTable && compressed + 5 < n {
                if streams.count == 1 && compressed <= 1023 {
                    let v = 2 | n << 4 | compressed << 14
                    for k in 0..<3 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    out += payload
                    return
                } else if streams.count == 4 {
                    let largest = max(n, compressed)
                    if largest <= 1023 {
                        let v = 2 | 1 << 2 | n << 4 | compressed << 14
                        for k in 0..<3 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    } else if largest <= 16383 {
                        let v = 2 | 2 << 2 | n << 4 | compressed << 18
                        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    } else {
                        let v = 2 | 3 << 2 | n << 4 | compressed << 22
                        for k in 0..<5 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
                    }
                    out += payload
                    return
                }
            }
        }
        writeRawOrRLEHeader(type: 0, size: n, into: &out)
        out.append(contentsOf: literals)
    }

    private func writeRawOrRLEHeader(type: Int, size n: Int, into out: inout [UInt8]) {
        if n < 32 {
            out.append(UInt8(type | n << 3))
        } else if n < 4096 {
            let v = type | 1 << 2 | n << 4
            out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
        } else {
            let v = type | 3 << 2 | n << 4
            out += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16)]
        }
    }
}
