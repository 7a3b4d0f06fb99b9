import Vec64

/// The raw LZ4 block format (`lz4_raw`): one block, no header, no checksum, no stored size.
///
/// Compression is a fast greedy hash-table matcher over a 64 KiB window. Decompression checks
/// every length and offset; the decompressed size is unknown up front, so the output grows
/// geometrically up to `limit`.
public struct LZ4RawCodec: CompressionCodec {
    public var name: String { "lz4_raw" }

    public init() {}

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>) throws(CodecError) {
        guard let base = input.baseAddress, input.count > 0 else {
            output.append(0)   // a lone token: no literals, no match
            return
        }
        let source = base.bindMemory(to: UInt8.self, capacity: input.count)
        let start = output.count
        var written = 0
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: LZ4Block.hashTableSize) { table in
            output.appendUninitialized(count: LZ4Block.compressBound(input.count)) { destination in
                written = LZ4Block.compress(source, count: input.count, into: destination.baseAddress!,
                                            table: table.baseAddress!)
            }
        }
        output.resize(to: start + written, fill: 0)
    }

    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int
    ) throws(CodecError) {
        guard let base = input.baseAddress, input.count > 0 else { throw CodecError(.truncated, at: 0) }
        let source = base.bindMemory(to: UInt8.self, capacity: input.count)
        let limit = max(0, limit)
        let start = output.count
        var consumed = 0
        var produced = 0
        // A first guess at the output size; each time it is too small it doubles, up to `limit`.
        var target = min(limit, max(input.count * 4, 1 << 16))
        while true {
            var outcome = LZ4Block.DecodeOutcome.finished(produced: 0)
            let room = target - produced
            output.reserveWithin(extra: room, start: start, limit: limit)
            output.appendUninitialized(count: room) { destination in
                outcome = LZ4Block.decompress(
                    source + consumed, count: input.count - consumed, inputOffset: consumed,
                    into: destination.baseAddress!, capacity: room, history: produced)
            }
            switch outcome {
            case .finished(let count):
                output.resize(to: start + produced + count, fill: 0)
                return
            case .outputFull(let inputCount, let outputCount):
                consumed += inputCount
                produced += outputCount
                output.resize(to: start + produced, fill: 0)
                if target >= limit {
                    output.resize(to: start, fill: 0)
                    throw CodecError(.outputTooLarge(limit: limit), at: consumed)
                }
                target = target > limit / 2 ? limit : target * 2
            case .failed(let error):
                output.resize(to: start, fill: 0)
                throw error
            }
        }
    }
}
