import Vec64

/// Decodes Zstandard frames (RFC 8878): every read and every offset and length is checked.
enum ZstdDecoder {
    static let magic: UInt32 = 0xFD2F_B528
    static let blockMaximumSize = 128 * 1024

    static func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        guard let raw = input.baseAddress, input.count > 0 else { throw CodecError(.truncated, at: 0) }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let count = input.count
        var position = 0
        var produced = 0
        while position < count {
            guard count - position >= 4 else { throw CodecError(.truncated, at: position) }
            let magic = readLE32(base, position)
            if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
                guard count - position >= 8 else { throw CodecError(.truncated, at: position) }
                let size = Int(readLE32(base, position + 4))
                guard size <= count - position - 8 else { throw CodecError(.truncated, at: position + 8) }
                position += 8 + size
                continue
            }
            guard magic == Self.magic else {
                throw CodecError(.corrupt("not a Zstandard frame (magic \(magic))"), at: position)
            }
            var frame = ZstdFrameDecoder(base: base, count: count, budget: max(0, limit - produced), limit: limit)
            position = try frame.decode(at: position + 4)
            let out = frame.output
            output.append(contentsOf: UnsafeBufferPointer(start: out.base, count: out.count))
            produced += out.count
        }
    }

    @inline(__always)
    static func readLE32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24
    }

    static func readLE(_ p: UnsafePointer<UInt8>, _ i: Int, bytes: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<bytes { v |= UInt64(p[i + k]) << UInt64(8 * k) }
        return v
    }

    static let literalLengthBaselines: [Int] = Array(0..<16) + [
        16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
    ]
    static let literalLengthBits: [Int] = Array(repeating: 0, count: 16) + [
        1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]
    static let matchLengthBaselines: [Int] = Array(3..<35) + [
        35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539,
    ]
    static let matchLengthBits: [Int] = Array(repeating: 0, count: 32) + [
        1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ]
}

/// The state of one frame being decoded: its output, the previous entropy tables and repeat offsets.
struct ZstdFrameDecoder {
    let base: UnsafePointer<UInt8>
    let count: Int
    let budget: Int
    let limit: Int
    var output: ZstdOutputBuffer
    var literals: [UInt8] = []
    var huffman: ZstdHuffmanTable?
    var literalLengthTable: ZstdFSETable?
    var offsetTable: ZstdFSETable?
    var matchLengthTable: ZstdFSETable?
    var repeats = (1, 4, 8)

    init(base: UnsafePointer<UInt8>, count: Int, budget: Int, limit: Int) {
        self.base = base
        self.count = count
        self.budget = budget
        self.limit = limit
        self.output = ZstdOutputBuffer(reserve: 0, budget: budget, limit: limit)
    }

    /// Decodes the frame whose header starts at `start` (after the magic); returns the end position.
    mutating func decode(at start: Int) throws(CodecError) -> Int {
        var position = start
        guard position < count else { throw CodecError(.truncated, at: position) }
        let descriptor = Int(base[position])
        position += 1
        let contentSizeFlag = descriptor >> 6
        let singleSegment = descriptor & 0x20 != 0
        guard descriptor & 0x08 == 0 else { throw CodecError(.corrupt("reserved frame header bit set"), at: start) }
        let hasChecksum = descriptor & 0x04 != 0
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
        var contentSize: UInt64?
        if contentSizeBytes > 0 {
            var value = ZstdDecoder.readLE(base, position, bytes: contentSizeBytes)
            if contentSizeBytes == 2 { value += 256 }
            contentSize = value
        }
        position += contentSizeBytes
        if let contentSize {
            guard contentSize <= UInt64(budget) else {
                throw CodecError(.outputTooLarge(limit: limit), at: start)
            }
            output = ZstdOutputBuffer(reserve: min(Int(contentSize), 1 << 26), budget: budget, limit: limit)
        }

        while true {
            guard count - position >= 3 else { throw CodecError(.truncated, at: position) }
            let header = Int(base[position]) | Int(base[position + 1]) << 8 | Int(base[position + 2]) << 16
            let blockStart = position
            position += 3
            let isLast = header & 1 != 0
            let size = header >> 3
            guard size <= blockMaximum else {
                throw CodecError(.corrupt("block size \(size) above the maximum \(blockMaximum)"), at: blockStart)
            }
            switch (header >> 1) & 3 {
            case 0:
                guard count - position >= size else { throw CodecError(.truncated, at: position) }
                try output.append(base + position, count: size, at: position)
                position += size
            case 1:
                guard count - position >= 1 else { throw CodecError(.truncated, at: position) }
                try output.append(repeating: base[position], count: size, at: position)
                position += 1
            case 2:
                guard count - position >= size else { throw CodecError(.truncated, at: position) }
                try decodeCompressedBlock(base + position, size: size, at: position)
                position += size
            default:
                throw CodecError(.corrupt("reserved block type"), at: blockStart)
            }
            if isLast { break }
        }

        if hasChecksum {
            guard count - position >= 4 else { throw CodecError(.truncated, at: position) }
            let stored = ZstdDecoder.readLE32(base, position)
            let computed = UInt32(truncatingIfNeeded: XXHash64.hash(output.base, count: output.count))
            guard stored == computed else { throw CodecError(.checksumMismatch, at: position) }
            position += 4
        }
        if let contentSize, contentSize != UInt64(output.count) {
            throw CodecError(.corrupt("frame content size \(contentSize) but \(output.count) bytes decoded"), at: start)
        }
        return position
    }

    // MARK: - Compressed blocks

    mutating func decodeCompressedBlock(_ p: UnsafePointer<UInt8>, size: Int, at offset: Int) throws(CodecError) {
        guard size >= 1 else { throw CodecError(.corrupt("empty compressed block"), at: offset) }
        let b0 = Int(p[0])
        let literalsType = b0 & 3
        let sizeFormat = (b0 >> 2) & 3
        var literalCount = 0
        var used = 0
        var rawLiterals: UnsafePointer<UInt8>?   // raw literals are read in place

        switch literalsType {
        case 0, 1:
            var headerSize = 1
            switch sizeFormat {
            case 0, 2:
                literalCount = b0 >> 3
            case 1:
                guard size >= 2 else { throw CodecError(.truncated, at: offset) }
                literalCount = (b0 >> 4) + (Int(p[1]) << 4)
                headerSize = 2
            default:
                guard size >= 3 else { throw CodecError(.truncated, at: offset) }
                literalCount = (b0 >> 4) + (Int(p[1]) << 4) + (Int(p[2]) << 12)
                headerSize = 3
            }
            guard literalCount <= ZstdDecoder.blockMaximumSize else {
                throw CodecError(.corrupt("literals larger than a block"), at: offset)
            }
            if literalsType == 0 {
                guard size - headerSize >= literalCount else { throw CodecError(.corrupt("raw literals overrun the block"), at: offset) }
                rawLiterals = p + headerSize
                used = headerSize + literalCount
            } else {
                guard size - headerSize >= 1 else { throw CodecError(.corrupt("RLE literals overrun the block"), at: offset) }
                literals = [UInt8](repeating: p[headerSize], count: max(literalCount, 1))
                used = headerSize + 1
            }
        default:
            var headerSize: Int
            var compressedSize: Int
            switch sizeFormat {
            case 0, 1:
                guard size >= 3 else { throw CodecError(.truncated, at: offset) }
                let v = b0 | Int(p[1]) << 8 | Int(p[2]) << 16
                literalCount = (v >> 4) & 0x3FF
                compressedSize = (v >> 14) & 0x3FF
                headerSize = 3
            case 2:
                guard size >= 4 else { throw CodecError(.truncated, at: offset) }
                let v = b0 | Int(p[1]) << 8 | Int(p[2]) << 16 | Int(p[3]) << 24
                literalCount = (v >> 4) & 0x3FFF
                compressedSize = v >> 18
                headerSize = 4
            default:
                guard size >= 5 else { throw CodecError(.truncated, at: offset) }
                let v = b0 | Int(p[1]) << 8 | Int(p[2]) << 16 | Int(p[3]) << 24 | Int(p[4]) << 32
                literalCount = (v >> 4) & 0x3FFFF
                compressedSize = v >> 22
                headerSize = 5
            }
            guard literalCount <= ZstdDecoder.blockMaximumSize else {
                throw CodecError(.corrupt("literals larger than a block"), at: offset)
            }
            guard size - headerSize >= compressedSize else {
                throw CodecError(.corrupt("compressed literals overrun the block"), at: offset)
            }
            var q = p + headerSize
            var remaining = compressedSize
            let streamsAt = offset + headerSize
            if literalsType == 2 {
                let (table, treeSize) = try ZstdHuffmanTable.read(q, count: remaining, at: streamsAt)
                huffman = table
                q += treeSize
                remaining -= treeSize
            }
            guard let table = huffman else {
                throw CodecError(.corrupt("treeless literals without a previous Huffman table"), at: offset)
            }
            literals = [UInt8](repeating: 0, count: max(literalCount, 1))
            try literals.withUnsafeMutableBufferPointer { (buffer) throws(CodecError) in
                let out = buffer.baseAddress!
                if sizeFormat == 0 {
                    try table.decodeStream(q, count: remaining, at: streamsAt, into: out, n: literalCount)
                    return
                }
                guard remaining >= 6 else { throw CodecError(.corrupt("literal jump table truncated"), at: streamsAt) }
                let s1 = Int(q[0]) | Int(q[1]) << 8
                let s2 = Int(q[2]) | Int(q[3]) << 8
                let s3 = Int(q[4]) | Int(q[5]) << 8
                let s4 = remaining - 6 - s1 - s2 - s3
                guard s4 >= 1 else { throw CodecError(.corrupt("literal streams overrun their section"), at: streamsAt) }
                let segment = (literalCount + 3) / 4
                let lastSegment = literalCount - 3 * segment
                guard lastSegment >= 0 else { throw CodecError(.corrupt("too few literals for four streams"), at: streamsAt) }
                var s = q + 6
                try table.decodeStream(s, count: s1, at: streamsAt, into: out, n: segment)
                s += s1
                try table.decodeStream(s, count: s2, at: streamsAt, into: out + segment, n: segment)
                s += s2
                try table.decodeStream(s, count: s3, at: streamsAt, into: out + 2 * segment, n: segment)
                s += s3
                try table.decodeStream(s, count: s4, at: streamsAt, into: out + 3 * segment, n: lastSegment)
            }
            used = headerSize + compressedSize
        }

        if let rawLiterals {
            try decodeSequences(p + used, size: size - used, at: offset + used, literals: rawLiterals, literalCount: literalCount)
        } else {
            let local = literals
            try local.withUnsafeBufferPointer { (buffer) throws(CodecError) in
                try decodeSequences(
                    p + used, size: size - used, at: offset + used, literals: buffer.baseAddress!, literalCount: literalCount)
            }
        }
    }

    // MARK: - Sequences

    func table(
        mode: Int, previous: ZstdFSETable?, predefined: ZstdFSETable, maxSymbol: Int, maxLog: Int,
        _ p: UnsafePointer<UInt8>, available: Int, used: inout Int, at offset: Int
    ) throws(CodecError) -> ZstdFSETable {
        switch mode {
        case 0:
            return predefined
        case 1:
            guard available - used >= 1 else { throw CodecError(.truncated, at: offset + used) }
            let symbol = p[used]
            guard Int(symbol) <= maxSymbol else { throw CodecError(.corrupt("RLE sequence symbol out of range"), at: offset + used) }
            used += 1
            return ZstdFSETable(rle: symbol)
        case 2:
            let description = try ZstdFSETable.readDescription(
                p + used, count: available - used, at: offset + used, maxSymbol: maxSymbol, maxLog: maxLog)
            let table = try ZstdFSETable(counts: description.counts, accuracyLog: description.log, at: offset + used)
            used += description.used
            return table
        default:
            guard let previous else { throw CodecError(.corrupt("repeat mode without a previous table"), at: offset + used) }
            return previous
        }
    }

    mutating func decodeSequences(
        _ p: UnsafePointer<UInt8>, size: Int, at offset: Int, literals: UnsafePointer<UInt8>, literalCount: Int
    ) throws(CodecError) {
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
        let ll = try table(
            mode: modes >> 6, previous: literalLengthTable, predefined: ZstdFSETable.predefinedLiteralLengths,
            maxSymbol: 35, maxLog: 9, p, available: size, used: &used, at: offset)
        let of = try table(
            mode: (modes >> 4) & 3, previous: offsetTable, predefined: ZstdFSETable.predefinedOffsets,
            maxSymbol: 31, maxLog: 8, p, available: size, used: &used, at: offset)
        let ml = try table(
            mode: (modes >> 2) & 3, previous: matchLengthTable, predefined: ZstdFSETable.predefinedMatchLengths,
            maxSymbol: 52, maxLog: 9, p, available: size, used: &used, at: offset)
        literalLengthTable = ll
        offsetTable = of
        matchLengthTable = ml

        let streamAt = offset + used
        var reader = try ZstdBackwardBitReader(p + used, count: size - used, at: streamAt)
        var llState = reader.read(ll.accuracyLog)
        var ofState = reader.read(of.accuracyLog)
        var mlState = reader.read(ml.accuracyLog)
        var (rep1, rep2, rep3) = repeats
        var literalPosition = 0
        let llBase = ZstdDecoder.literalLengthBaselines, llBits = ZstdDecoder.literalLengthBits
        let mlBase = ZstdDecoder.matchLengthBaselines, mlBits = ZstdDecoder.matchLengthBits
        for index in 0..<sequenceCount {
            let ofCode = Int(of.symbols[ofState])
            let offsetValue = (1 << ofCode) + reader.read(ofCode)
            let mlCode = Int(ml.symbols[mlState])
            let matchLength = mlBase[mlCode] + reader.read(mlBits[mlCode])
            let llCode = Int(ll.symbols[llState])
            let literalLength = llBase[llCode] + reader.read(llBits[llCode])
            if index != sequenceCount - 1 {
                llState = Int(ll.baselines[llState]) + reader.read(Int(ll.bitCounts[llState]))
                mlState = Int(ml.baselines[mlState]) + reader.read(Int(ml.bitCounts[mlState]))
                ofState = Int(of.baselines[ofState]) + reader.read(Int(of.bitCounts[ofState]))
            }
            guard reader.bitPosition >= 0 else { throw CodecError(.corrupt("sequence bitstream overrun"), at: streamAt) }

            var distance: Int
            if offsetValue > 3 {
                distance = offsetValue - 3
                rep3 = rep2
                rep2 = rep1
                rep1 = distance
            } else {
                switch offsetValue + (literalLength == 0 ? 1 : 0) {
                case 1:
                    distance = rep1
                case 2:
                    distance = rep2
                    rep2 = rep1
                    rep1 = distance
                case 3:
                    distance = rep3
                    rep3 = rep2
                    rep2 = rep1
                    rep1 = distance
                default:
                    distance = rep1 - 1
                    rep3 = rep2
                    rep2 = rep1
                    rep1 = distance
                }
            }
            guard literalLength <= literalCount - literalPosition else {
                throw CodecError(.corrupt("sequence uses more literals than decoded"), at: streamAt)
            }
            try output.append(literals + literalPosition, count: literalLength, at: streamAt)
            literalPosition += literalLength
            try output.copyMatch(distance: distance, length: matchLength, at: streamAt)
        }
        guard reader.bitPosition == 0 else { throw CodecError(.corrupt("sequence bitstream not fully consumed"), at: streamAt) }
        repeats = (rep1, rep2, rep3)
        try output.append(literals + literalPosition, count: literalCount - literalPosition, at: streamAt)
    }
}
