/// A Huffman decoding table for literals (RFC 8878 section 4.2): indexed by the next
/// ``indexBits`` bits of the stream whatever the tree's depth (shorter trees repeat their
/// entries), each entry holds `symbol << 8 | bitCount`.
struct ZstdHuffmanTable: Sendable {
    /// The deepest tree Zstandard allows, and the bits that index every table.
    static let indexBits = 11
    var entries: [UInt16]

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
        var entries = [UInt16](repeating: 0, count: 1 << Self.indexBits)
        var position = 0
        for weight in 1...maxBits {
            let span = 1 << (weight - 1 + Self.indexBits - maxBits)
            let bits = UInt16(maxBits + 1 - weight)
            for (symbol, w) in all.enumerated() where Int(w) == weight {
                let entry = UInt16(symbol) << 8 | bits
                for i in position..<(position + span) { entries[i] = entry }
                position += span
            }
        }
        self.entries = entries
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
        guard reader.bitsRemaining >= 0 else { throw CodecError(.corrupt("Huffman weights stream too short"), at: offset) }
        // Two interleaved states; the stream ends when an update reads past its start.
        while true {
            reader.reload()
            weights.append(fse.symbols[state1])
            state1 = Int(fse.baselines[state1]) + reader.read(Int(fse.bitCounts[state1]))
            if reader.bitsRemaining < 0 {
                weights.append(fse.symbols[state2])
                break
            }
            weights.append(fse.symbols[state2])
            state2 = Int(fse.baselines[state2]) + reader.read(Int(fse.bitCounts[state2]))
            if reader.bitsRemaining < 0 {
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
        entries.withUnsafeBufferPointer { entries in
            Self.decodeTail(&reader, entries.baseAddress!, from: destination, to: destination + n)
        }
        guard reader.isFullyConsumed else { throw CodecError(.corrupt("Huffman stream not consumed exactly"), at: offset) }
    }

    /// Decodes `n` symbols from four backward streams behind their 6-byte jump table (RFC 8878
    /// section 3.1.1.3.1.6), interleaved; every stream must be used exactly.
    func decodeFourStreams(
        _ source: UnsafePointer<UInt8>, count: Int, at offset: Int, into destination: UnsafeMutablePointer<UInt8>, n: Int
    ) throws(CodecError) {
        guard count >= 6 else { throw CodecError(.corrupt("literal jump table truncated"), at: offset) }
        let size1 = Int(source[0]) | Int(source[1]) << 8
        let size2 = Int(source[2]) | Int(source[3]) << 8
        let size3 = Int(source[4]) | Int(source[5]) << 8
        let size4 = count - 6 - size1 - size2 - size3
        guard size4 >= 1 else { throw CodecError(.corrupt("literal streams overrun their section"), at: offset) }
        let segment = (n + 3) / 4
        guard n - 3 * segment >= 0 else { throw CodecError(.corrupt("too few literals for four streams"), at: offset) }
        let start1 = source + 6, start2 = start1 + size1, start3 = start2 + size2, start4 = start3 + size3
        var r1 = try ZstdBackwardBitReader(start1, count: size1, at: offset + 6)
        var r2 = try ZstdBackwardBitReader(start2, count: size2, at: offset + 6 + size1)
        var r3 = try ZstdBackwardBitReader(start3, count: size3, at: offset + 6 + size1 + size2)
        var r4 = try ZstdBackwardBitReader(start4, count: size4, at: offset + 6 + size1 + size2 + size3)
        entries.withUnsafeBufferPointer { entries in
            let table = entries.baseAddress!
            var p1 = destination, p2 = p1 + segment, p3 = p2 + segment, p4 = p3 + segment
            let end4 = destination + n
            if size1 >= 8 && size2 >= 8 && size3 >= 8 && size4 >= 8 {
                Self.decodeFast(&r1, &r2, &r3, &r4, table, &p1, &p2, &p3, &p4, end4)
            }
            Self.decodeTail(&r1, table, from: p1, to: destination + segment)
            Self.decodeTail(&r2, table, from: p2, to: destination + 2 * segment)
            Self.decodeTail(&r3, table, from: p3, to: destination + 3 * segment)
            Self.decodeTail(&r4, table, from: p4, to: end4)
        }
        guard r1.isFullyConsumed && r2.isFullyConsumed && r3.isFullyConsumed && r4.isFullyConsumed else {
            throw CodecError(.corrupt("Huffman stream not consumed exactly"), at: offset)
        }
    }

    /// The four streams' bulk, five symbols per stream between refills, in runs whose length is
    /// computed up front so no check is needed inside: a refill moves back at most 7 bytes and the
    /// fourth stream (the shortest) bounds the output. Each container is held left-aligned with a
    /// 1 bit just below its unread bits, so the bits read since the last load are its trailing zeros.
    @inline(__always)
    private static func decodeFast(
        _ r1: inout ZstdBackwardBitReader, _ r2: inout ZstdBackwardBitReader,
        _ r3: inout ZstdBackwardBitReader, _ r4: inout ZstdBackwardBitReader, _ table: UnsafePointer<UInt16>,
        _ p1: inout UnsafeMutablePointer<UInt8>, _ p2: inout UnsafeMutablePointer<UInt8>,
        _ p3: inout UnsafeMutablePointer<UInt8>, _ p4: inout UnsafeMutablePointer<UInt8>,
        _ end4: UnsafeMutablePointer<UInt8>
    ) {
        var b1 = r1.sentinelContainer, b2 = r2.sentinelContainer, b3 = r3.sentinelContainer, b4 = r4.sentinelContainer
        var i1 = r1.position, i2 = r2.position, i3 = r3.position, i4 = r4.position
        let s1 = r1.start, s2 = r2.start, s3 = r3.start, s4 = r4.start
        while true {
            var runs = min(min(i1 - s1, i2 - s2), min(i3 - s3, i4 - s4)) / 7
            runs = min(runs, (end4 - p4) / 5)
            if runs <= 0 { break }
            repeat {
                decodeSymbol(&b1, table, into: p1)
                decodeSymbol(&b2, table, into: p2)
                decodeSymbol(&b3, table, into: p3)
                decodeSymbol(&b4, table, into: p4)
                decodeSymbol(&b1, table, into: p1 + 1)
                decodeSymbol(&b2, table, into: p2 + 1)
                decodeSymbol(&b3, table, into: p3 + 1)
                decodeSymbol(&b4, table, into: p4 + 1)
                decodeSymbol(&b1, table, into: p1 + 2)
                decodeSymbol(&b2, table, into: p2 + 2)
                decodeSymbol(&b3, table, into: p3 + 2)
                decodeSymbol(&b4, table, into: p4 + 2)
                decodeSymbol(&b1, table, into: p1 + 3)
                decodeSymbol(&b2, table, into: p2 + 3)
                decodeSymbol(&b3, table, into: p3 + 3)
                decodeSymbol(&b4, table, into: p4 + 3)
                decodeSymbol(&b1, table, into: p1 + 4)
                decodeSymbol(&b2, table, into: p2 + 4)
                decodeSymbol(&b3, table, into: p3 + 4)
                decodeSymbol(&b4, table, into: p4 + 4)
                p1 += 5
                p2 += 5
                p3 += 5
                p4 += 5
                refill(&b1, &i1)
                refill(&b2, &i2)
                refill(&b3, &i3)
                refill(&b4, &i4)
                runs &-= 1
            } while runs > 0
        }
        r1.resume(at: i1, consumed: b1.trailingZeroBitCount)
        r2.resume(at: i2, consumed: b2.trailingZeroBitCount)
        r3.resume(at: i3, consumed: b3.trailingZeroBitCount)
        r4.resume(at: i4, consumed: b4.trailingZeroBitCount)
    }

    /// Decodes one symbol from a left-aligned container.
    @inline(__always)
    private static func decodeSymbol(_ bits: inout UInt64, _ table: UnsafePointer<UInt16>, into destination: UnsafeMutablePointer<UInt8>) {
        let entry = table[Int(truncatingIfNeeded: bits &>> UInt64(64 - indexBits))]
        destination.pointee = UInt8(truncatingIfNeeded: entry &>> 8)
        bits &<<= UInt64(truncatingIfNeeded: entry)
    }

    /// Reloads a left-aligned container: moves back over the whole bytes read.
    @inline(__always)
    private static func refill(_ bits: inout UInt64, _ position: inout UnsafePointer<UInt8>) {
        let read = bits.trailingZeroBitCount
        position -= read &>> 3
        bits = (UInt64(littleEndian: UnsafeRawPointer(position).loadUnaligned(as: UInt64.self)) | 1) &<< UInt64(read & 7)
    }

    /// Decodes symbols into `start..<end` one at a time, reloading before each (short streams and
    /// the last bytes of long ones).
    private static func decodeTail(
        _ reader: inout ZstdBackwardBitReader, _ table: UnsafePointer<UInt16>,
        from start: UnsafeMutablePointer<UInt8>, to end: UnsafeMutablePointer<UInt8>
    ) {
        var p = start
        while p < end {
            reader.reload()
            let entry = table[Int(truncatingIfNeeded: reader.peek(indexBits))]
            p.pointee = UInt8(truncatingIfNeeded: entry &>> 8)
            reader.consumed &+= Int(truncatingIfNeeded: entry & 0xFF)
            p += 1
        }
    }
}
