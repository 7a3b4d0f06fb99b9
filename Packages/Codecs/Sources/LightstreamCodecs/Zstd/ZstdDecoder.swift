import Vec64

/// Decodes Zstandard frames (RFC 8878): every read and every offset and length is checked.
enum ZstdDecoder {
    static let magic: UInt32 = 0xFD2F_B528
    static let blockMaximumSize = 128 * 1024

    static func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        guard let raw = input.baseAddress, input.count > 0 else { throw CodecError(.truncated, at: 0) }
        let base = raw.bindMemory(to: UInt8.self, capacity: input.count)
        let count = input.count
        let initial = output.count
        var position = 0
        do throws(CodecError) {
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
                let (header, blocksAt) = try ZstdFrameHeader.read(base, count: count, at: position + 4)
                let budget = max(0, limit - (output.count - initial))
                if let contentSize = header.contentSize, contentSize > budget {
                    throw CodecError(.outputTooLarge(limit: limit), at: position + 4)
                }
                position = try decodeFrame(base, count: count, header: header, blocksAt: blocksAt,
                                           into: &output, budget: budget, limit: limit)
            }
        } catch {
            output.resize(to: initial, fill: 0)
            throw error
        }
    }

    /// Decodes one frame's blocks straight into `output` and returns where the frame ends.
    ///
    /// The frame grows the vector itself, never past its maximum (the declared content size, or
    /// the caller's remaining `budget`), so decoding never reserves more than the limit: before
    /// each block it makes room for the largest block the frame allows, doubling the room up to
    /// the maximum. A declared content size is reserved at once only when the rest of the input
    /// could produce it (a block of at least 4 bytes yields at most 128 KiB): a lying header must
    /// not allocate more than the input can justify.
    static func decodeFrame(
        _ base: UnsafePointer<UInt8>, count: Int, header: ZstdFrameHeader, blocksAt: Int,
        into output: inout Vec64<UInt8>, budget: Int, limit: Int
    ) throws(CodecError) -> Int {
        let start = output.count
        let maximum = header.contentSize ?? budget
        let plausible = ((count - blocksAt) / 4 + 1) * (128 << 10)
        let slack = ZstdOutputBuffer.slack
        var frame: ZstdFrameDecoder?
        var room = 0
        var position = blocksAt
        var isLast = false
        while !isLast {
            let decoded = frame?.output.count ?? 0
            let wanted = min(decoded + header.blockMaximum, maximum)
            if wanted > room || frame == nil {
                var newRoom = min(max(wanted, room * 2, 1 << 16), maximum)
                if room == 0, let contentSize = header.contentSize, contentSize <= plausible { newRoom = contentSize }
                // Exactly this much (Vec64's own growth doubles its capacity, past any limit).
                output.reserveCapacity(start + newRoom + slack)
                output.appendUninitialized(count: start + newRoom + slack - output.count) { _ in }
                room = newRoom
            }
            try output.withUnsafeMutableBufferPointer { (all) throws(CodecError) in
                let memory = all.baseAddress! + start
                let decoder: ZstdFrameDecoder
                if let frame {
                    decoder = frame
                    decoder.output.lend(memory, capacity: room)
                } else {
                    decoder = ZstdFrameDecoder(base: base, count: count, header: header, output: ZstdOutputBuffer(
                        lending: memory, capacity: room, maximum: maximum, isContentSize: header.contentSize != nil, limit: limit))
                    frame = decoder
                }
                (position, isLast) = try decoder.decodeBlock(at: position)
                if isLast { position = try decoder.finish(at: position, frameStart: blocksAt) }
            }
        }
        output.resize(to: start + (frame?.output.count ?? 0), fill: 0)
        return position
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

/// The state of one frame being decoded: its output, the literals of the current block, the
/// previous entropy tables and the repeat offsets.
final class ZstdFrameDecoder {
    let base: UnsafePointer<UInt8>
    let count: Int
    let header: ZstdFrameHeader
    let output: ZstdOutputBuffer
    /// The current block's literals, with ``ZstdOutputBuffer/slack`` bytes to spare for chunked copies.
    let literals = UnsafeMutablePointer<UInt8>.allocate(capacity: ZstdDecoder.blockMaximumSize + ZstdOutputBuffer.slack)
    /// Decoded sequences waiting to be executed.
    let sequences = UnsafeMutablePointer<ZstdSequence>.allocate(capacity: ZstdFrameDecoder.sequenceChunk)
    var huffman: ZstdHuffmanTable?
    var sequenceTables = ZstdSequenceTables()
    var repeats = (1, 4, 8)

    init(base: UnsafePointer<UInt8>, count: Int, header: ZstdFrameHeader, output: ZstdOutputBuffer) {
        self.base = base
        self.count = count
        self.header = header
        self.output = output
    }

    deinit {
        literals.deallocate()
        sequences.deallocate()
    }

    /// Decodes the block at `position` into ``output``; returns where the next one starts and
    /// whether this was the frame's last block.
    func decodeBlock(at start: Int) throws(CodecError) -> (next: Int, isLast: Bool) {
        var position = start
        let blockMaximum = header.blockMaximum
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
            let before = output.count
            try decodeCompressedBlock(base + position, size: size, at: position)
            // RFC 8878 3.1.1.2.4: a block decompresses to at most the block maximum.
            guard output.count - before <= blockMaximum else {
                throw CodecError(.corrupt("block decodes to \(output.count - before) bytes, above the maximum \(blockMaximum)"), at: blockStart)
            }
            position += size
        default:
            throw CodecError(.corrupt("reserved block type"), at: blockStart)
        }
        return (position, isLast)
    }

    /// After the last block (ending at `position`): checks the content checksum and the content
    /// size the header announces; returns the frame's end.
    func finish(at position: Int, frameStart: Int) throws(CodecError) -> Int {
        var position = position
        if header.hasChecksum {
            guard count - position >= 4 else { throw CodecError(.truncated, at: position) }
            let stored = ZstdDecoder.readLE32(base, position)
            let computed = UInt32(truncatingIfNeeded: XXHash64.hash(output.base, count: output.count))
            guard stored == computed else { throw CodecError(.checksumMismatch, at: position) }
            position += 4
        }
        if let contentSize = header.contentSize, contentSize != output.count {
            throw CodecError(.corrupt("frame content size \(contentSize) but \(output.count) bytes decoded"), at: frameStart)
        }
        return position
    }

    // MARK: - Compressed blocks

    func decodeCompressedBlock(_ p: UnsafePointer<UInt8>, size: Int, at offset: Int) throws(CodecError) {
        let (literalCount, used) = try decodeLiterals(p, size: size, at: offset)
        try decodeSequences(p + used, size: size - used, at: offset + used, literalCount: literalCount)
    }

    /// Decodes a block's literals section (RFC 8878 section 3.1.1.3.1) into `literals`; returns
    /// the literal count and the section's size.
    private func decodeLiterals(_ p: UnsafePointer<UInt8>, size: Int, at offset: Int) throws(CodecError) -> (count: Int, used: Int) {
        guard size >= 1 else { throw CodecError(.corrupt("empty compressed block"), at: offset) }
        let b0 = Int(p[0])
        let literalsType = b0 & 3
        let sizeFormat = (b0 >> 2) & 3
        if literalsType < 2 {
            var headerSize = 1
            var literalCount: Int
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
                // Copied so that chunked copies may read past the last literal.
                literals.update(from: p + headerSize, count: literalCount)
                return (literalCount, headerSize + literalCount)
            }
            guard size - headerSize >= 1 else { throw CodecError(.corrupt("RLE literals overrun the block"), at: offset) }
            literals.update(repeating: p[headerSize], count: literalCount)
            return (literalCount, headerSize + 1)
        }
        var headerSize: Int
        var literalCount: Int
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
        if sizeFormat == 0 {
            try table.decodeStream(q, count: remaining, at: streamsAt, into: literals, n: literalCount)
        } else {
            try table.decodeFourStreams(q, count: remaining, at: streamsAt, into: literals, n: literalCount)
        }
        return (literalCount, headerSize + compressedSize)
    }

}
