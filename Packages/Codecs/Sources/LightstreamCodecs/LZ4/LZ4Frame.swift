import Vec64

/// The LZ4 frame format (`lz4_frame`): magic number, frame descriptor, blocks, end mark and
/// optional xxHash32 checksums.
///
/// Decompression reads any sequence of LZ4 frames and skippable frames: independent and linked
/// blocks, compressed and stored blocks, all four block maximum sizes, block and content
/// checksums (verified) and the content size (checked against `limit` and the decoded size).
/// Dictionaries and the legacy format are reported as ``CodecError/Kind/unsupported(_:)``.
///
/// Compression writes one frame of independent blocks with the content size and a content
/// checksum; a block that does not shrink is stored uncompressed.
public struct LZ4FrameCodec: CompressionCodec {
    /// The largest uncompressed size of one block of a frame.
    public enum BlockMaximumSize: UInt8, Sendable, CaseIterable {
        case kib64 = 4, kib256 = 5, mib1 = 6, mib4 = 7

        /// The size in bytes.
        public var bytes: Int { 1 << (8 + 2 * Int(rawValue)) }
    }

    public var name: String { "lz4_frame" }
    /// The block maximum size compression uses.
    public var blockMaximumSize: BlockMaximumSize
    /// Whether compression stores the content size in the frame header.
    public var storesContentSize: Bool
    /// Whether compression follows each block with its xxHash32.
    public var blockChecksums: Bool

    public init(blockMaximumSize: BlockMaximumSize = .mib4, storesContentSize: Bool = true, blockChecksums: Bool = false) {
        self.blockMaximumSize = blockMaximumSize
        self.storesContentSize = storesContentSize
        self.blockChecksums = blockChecksums
    }

    static var frameMagic: UInt32 { 0x184D_2204 }
    static var legacyMagic: UInt32 { 0x184C_2102 }
    static var skippableMagicMask: UInt32 { 0xFFFF_FFF0 }
    static var skippableMagic: UInt32 { 0x184D_2A50 }
    static var uncompressedBit: UInt32 { 0x8000_0000 }

    // MARK: - Compression

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError) {
        var descriptor: [UInt8] = [
            0x40 | 0x20 | (blockChecksums ? 0x10 : 0) | (storesContentSize ? 0x08 : 0) | 0x04,
            blockMaximumSize.rawValue << 4,
        ]
        if storesContentSize {
            let size = UInt64(input.count)
            for i in 0..<8 { descriptor.append(UInt8(truncatingIfNeeded: size >> (8 * UInt64(i)))) }
        }
        let headerChecksum = UInt8(truncatingIfNeeded: XXHash32.hash(descriptor) >> 8)
        Self.appendLE32(Self.frameMagic, to: &output)
        output.append(contentsOf: descriptor)
        output.append(headerChecksum)

        if let base = input.baseAddress, input.count > 0 {
            let source = base.bindMemory(to: UInt8.self, capacity: input.count)
            let blockSize = blockMaximumSize.bytes
            let checksums = blockChecksums
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: LZ4Block.hashTableSize) { table in
                var position = 0
                while position < input.count {
                    let length = min(blockSize, input.count - position)
                    let blockStart = output.count
                    var stored = 0
                    output.appendUninitialized(count: 4 + LZ4Block.compressBound(length)) { destination in
                        let d = destination.baseAddress!
                        let written = LZ4Block.compress(source + position, count: length, into: d + 4,
                                                        table: table.baseAddress!)
                        var sizeField: UInt32
                        if written < length {
                            stored = written
                            sizeField = UInt32(written)
                        } else {
                            (d + 4).update(from: source + position, count: length)
                            stored = length
                            sizeField = UInt32(length) | Self.uncompressedBit
                        }
                        UnsafeMutableRawPointer(d).storeBytes(of: sizeField.littleEndian, as: UInt32.self)
                    }
                    output.resize(to: blockStart + 4 + stored, fill: 0)
                    if checksums {
                        let sum = output.withUnsafeBytes { all in
                            XXHash32.hash(UnsafeRawBufferPointer(rebasing: all[(blockStart + 4)...]))
                        }
                        Self.appendLE32(sum, to: &output)
                    }
                    position += length
                }
            }
        }
        Self.appendLE32(0, to: &output)   // end mark
        Self.appendLE32(XXHash32.hash(input), to: &output)
    }

    static func appendLE32(_ value: UInt32, to output: inout Vec64<UInt8>) {
        output.append(UInt8(truncatingIfNeeded: value))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value >> 16))
        output.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    // MARK: - Decompression

    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        let start = output.count
        do throws(CodecError) {
            guard input.count > 0 else { throw CodecError(.truncated, at: 0) }
            var reader = FrameReader(input: input, outputStart: start, limit: max(0, limit))
            while reader.position < input.count {
                try reader.readFrame(into: &output)
            }
        } catch {
            output.resize(to: start, fill: 0)
            throw error
        }
    }
}

/// Walks a sequence of frames in the input, appending decoded content to the output.
private struct FrameReader {
    let input: UnsafeRawBufferPointer
    let outputStart: Int
    let limit: Int
    var position = 0

    init(input: UnsafeRawBufferPointer, outputStart: Int, limit: Int) {
        self.input = input
        self.outputStart = outputStart
        self.limit = limit
    }

    var remaining: Int { input.count - position }

    func byte(_ at: Int) -> UInt8 { input[at] }

    func le32(_ at: Int) -> UInt32 {
        UInt32(littleEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    func need(_ count: Int) throws(CodecError) {
        if remaining < count { throw CodecError(.truncated, at: input.count) }
    }

    /// Bytes still allowed in the output.
    func room(_ output: Vec64<UInt8>) -> Int { limit - (output.count - outputStart) }

    mutating func readFrame(into output: inout Vec64<UInt8>) throws(CodecError) {
        try need(4)
        let magic = le32(position)
        if magic & LZ4FrameCodec.skippableMagicMask == LZ4FrameCodec.skippableMagic {
            try need(8)
            let size = Int(le32(position + 4))
            position += 8
            try need(size)
            position += size
            return
        }
        if magic == LZ4FrameCodec.legacyMagic {
            throw CodecError(.unsupported("legacy LZ4 frame format"), at: position)
        }
        guard magic == LZ4FrameCodec.frameMagic else {
            throw CodecError(.corrupt("not an LZ4 frame: magic number 0x\(String(magic, radix: 16))"), at: position)
        }
        position += 4

        // Frame descriptor.
        let descriptorStart = position
        try need(3)
        let flags = byte(position)
        let blockDescriptor = byte(position + 1)
        guard flags >> 6 == 1 else {
            throw CodecError(.unsupported("LZ4 frame version \(flags >> 6)"), at: position)
        }
        guard flags & 0x02 == 0 else { throw CodecError(.corrupt("reserved FLG bit set"), at: position) }
        guard blockDescriptor & 0x8F == 0 else {
            throw CodecError(.corrupt("reserved BD bits set"), at: position + 1)
        }
        let sizeCode = Int(blockDescriptor >> 4)
        guard sizeCode >= 4 else {
            throw CodecError(.corrupt("invalid block maximum size code \(sizeCode)"), at: position + 1)
        }
        let blockMaximum = 1 << (8 + 2 * sizeCode)
        let independent = flags & 0x20 != 0
        let hasBlockChecksums = flags & 0x10 != 0
        let hasContentSize = flags & 0x08 != 0
        let hasContentChecksum = flags & 0x04 != 0
        let hasDictionary = flags & 0x01 != 0
        let descriptorLength = 2 + (hasContentSize ? 8 : 0) + (hasDictionary ? 4 : 0)
        try need(descriptorLength + 1)
        let expected = UInt8(truncatingIfNeeded: XXHash32.hash(
            UnsafeRawBufferPointer(rebasing: input[descriptorStart..<(descriptorStart + descriptorLength)])) >> 8)
        guard expected == byte(descriptorStart + descriptorLength) else {
            throw CodecError(.checksumMismatch, at: descriptorStart + descriptorLength)
        }
        if hasDictionary {
            throw CodecError(.unsupported("LZ4 frame with a dictionary"), at: descriptorStart)
        }
        var contentSize: UInt64?
        if hasContentSize {
            let size = UInt64(le32(position + 2)) | UInt64(le32(position + 6)) << 32
            if size > UInt64(room(output)) {
                throw CodecError(.outputTooLarge(limit: limit), at: position + 2)
            }
            contentSize = size
            // LZ4 expands at most ~255 times, so a lying header cannot reserve much more than that.
            output.reserveCapacity(output.count + min(Int(size), remaining.multipliedReportingOverflow(by: 256).partialValue))
        }
        position += descriptorLength + 1

        // Blocks.
        let frameStart = output.count
        while true {
            try need(4)
            let field = le32(position)
            let fieldPosition = position
            position += 4
            if field == 0 { break }
            let stored = field & LZ4FrameCodec.uncompressedBit != 0
            let size = Int(field & ~LZ4FrameCodec.uncompressedBit)
            guard size <= blockMaximum else {
                throw CodecError(.corrupt("block size \(size) exceeds the block maximum \(blockMaximum)"),
                                 at: fieldPosition)
            }
            try need(size + (hasBlockChecksums ? 4 : 0))
            let data = UnsafeRawBufferPointer(rebasing: input[position..<(position + size)])
            if hasBlockChecksums && XXHash32.hash(data) != le32(position + size) {
                throw CodecError(.checksumMismatch, at: position + size)
            }
            let room = room(output)
            // Bytes the content size still allows (unbounded without one).
            let declared = contentSize.map { Int($0) - (output.count - frameStart) } ?? Int.max
            if stored {
                guard size <= room else { throw CodecError(.outputTooLarge(limit: limit), at: position) }
                guard size <= declared else {
                    throw CodecError(.corrupt("frame decodes to more than its content size"), at: position)
                }
                output.reserveWithin(extra: size, start: outputStart, limit: limit)
                output.append(contentsOf: data.bindMemory(to: UInt8.self))
            } else {
                let capacity = min(blockMaximum, room, max(0, declared))
                let history = independent ? 0 : min(1 << 16, output.count - frameStart)
                let before = output.count
                var outcome = LZ4Block.DecodeOutcome.finished(produced: 0)
                let source = data.baseAddress!.bindMemory(to: UInt8.self, capacity: data.count)
                let blockPosition = position
                output.reserveWithin(extra: capacity, start: outputStart, limit: limit)
                output.appendUninitialized(count: capacity) { destination in
                    outcome = LZ4Block.decompress(
                        source, count: size, inputOffset: blockPosition,
                        into: destination.baseAddress!, capacity: capacity, history: history)
                }
                switch outcome {
                case .finished(let produced):
                    output.resize(to: before + produced, fill: 0)
                case .outputFull(let consumed, _):
                    output.resize(to: before, fill: 0)
                    if capacity == room && room < min(blockMaximum, declared) {
                        throw CodecError(.outputTooLarge(limit: limit), at: position + consumed)
                    }
                    if capacity == blockMaximum {
                        throw CodecError(.corrupt("block decodes to more than the block maximum \(blockMaximum)"),
                                         at: position + consumed)
                    }
                    throw CodecError(.corrupt("frame decodes to more than its content size"), at: position + consumed)
                case .failed(let error):
                    throw error
                }
            }
            position += size + (hasBlockChecksums ? 4 : 0)
        }

        // Footer.
        if hasContentChecksum {
            try need(4)
            let actual = output.withUnsafeBytes { all in
                XXHash32.hash(UnsafeRawBufferPointer(rebasing: all[frameStart...]))
            }
            guard actual == le32(position) else { throw CodecError(.checksumMismatch, at: position) }
            position += 4
        }
        if let contentSize, UInt64(output.count - frameStart) != contentSize {
            throw CodecError(.corrupt("frame content size \(contentSize) but \(output.count - frameStart) bytes decoded"),
                             at: descriptorStart + 2)
        }
    }
}
