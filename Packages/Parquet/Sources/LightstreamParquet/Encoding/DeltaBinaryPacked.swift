import Vec64

/// A streaming decoder of DELTA_BINARY_PACKED (Parquet `DELTA_BINARY_PACKED = 5`) into `Int32`
/// or `Int64` values, with the spec's wrapping (two's complement) arithmetic.
///
/// The header is read and checked by `init`: block size a positive multiple of 128, miniblocks per
/// block dividing it into multiples of 32, value count at most `Int32.max`. Each `decode` call
/// continues where the last stopped; miniblocks are unpacked straight into the caller's buffer,
/// so nothing is allocated from a header's claims. ``bytesConsumed`` is where the encoding ends
/// once every value is decoded (DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY data follows it).
///
/// The decoder keeps a pointer to `bytes`; they must outlive it.
struct DeltaBinaryPackedDecoder<T: FixedWidthInteger & SignedInteger & BitwiseCopyable> {
    /// The encoded bytes.
    let bytes: UnsafeRawBufferPointer
    /// Values per block, miniblocks per block, values per miniblock (from the header).
    let blockSize: Int
    let miniblocksPerBlock: Int
    let valuesPerMiniblock: Int
    /// The value count the header claims (not to be trusted for allocation).
    let totalCount: Int
    /// Values not yet decoded.
    private(set) var remaining: Int
    /// The last value decoded (or the header's first value before any).
    private var last: T
    private var firstPending: Bool
    /// The next unread byte (the next block header or miniblock).
    private var position: Int
    /// The current block's min delta, the offset of its bit widths, and the next miniblock number.
    private var minDelta: T = 0
    private var widthsOffset = 0
    private var miniblockIndex = 0
    /// The current miniblock: its data offset, bit width and values already decoded.
    private var miniblockStart = 0
    private var miniblockWidth = 0
    private var miniblockUsed = 0
    private var inBlock = false

    /// Reads and checks the header at the start of `bytes`.
    ///
    /// - Throws: `.truncated` when the header is cut off, `.corruptPage` for an invalid one.
    init(bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        self.bytes = bytes
        var p = 0
        let blockSize = try Varint.read(bytes, at: &p, what: "DELTA block size")
        let miniblocks = try Varint.read(bytes, at: &p, what: "DELTA miniblock count")
        let total = try Varint.read(bytes, at: &p, what: "DELTA value count")
        let first = try Varint.read(bytes, at: &p, what: "DELTA first value")
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Int32.max) else {
            throw ParquetError(.corruptPage("DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128 below 2^31"))
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError(.corruptPage("DELTA_BINARY_PACKED: \(miniblocks) miniblocks do not split a block of \(blockSize) into multiples of 32"))
        }
        guard total <= UInt64(Int32.max) else {
            throw ParquetError(.corruptPage("DELTA_BINARY_PACKED value count \(total) exceeds 2^31 - 1"))
        }
        self.blockSize = Int(blockSize)
        self.miniblocksPerBlock = Int(miniblocks)
        self.valuesPerMiniblock = Int(blockSize / miniblocks)
        self.totalCount = Int(total)
        self.remaining = Int(total)
        self.last = T(truncatingIfNeeded: Varint.unzigzag(first))
        self.firstPending = total > 0
        self.position = p
    }

    /// The bytes the encoding takes; exact once every value has been decoded (the padding of the
    /// last miniblock included, as far as the bytes reach).
    var bytesConsumed: Int { Swift.min(position, bytes.count) }

    /// Starts the next miniblock, reading a block header first when the block is done.
    private mutating func nextMiniblock() throws(ParquetError) {
        if !inBlock || miniblockIndex == miniblocksPerBlock {
            let at = position
            let raw = try Varint.read(bytes, at: &position, what: "DELTA min delta")
            minDelta = T(truncatingIfNeeded: Varint.unzigzag(raw))
            guard miniblocksPerBlock <= bytes.count - position else {
                throw ParquetError(.truncated("DELTA_BINARY_PACKED block at byte \(at): \(miniblocksPerBlock) miniblock bit widths pass the end"))
            }
            widthsOffset = position
            position += miniblocksPerBlock
            miniblockIndex = 0
            inBlock = true
        }
        let width = Int(bytes.load(fromByteOffset: widthsOffset + miniblockIndex, as: UInt8.self))
        guard width <= T.bitWidth else {
            throw ParquetError(.corruptPage("DELTA_BINARY_PACKED miniblock bit width \(width) at byte \(widthsOffset + miniblockIndex) exceeds \(T.bitWidth)"))
        }
        miniblockWidth = width
        miniblockStart = position
        miniblockUsed = 0
        miniblockIndex += 1
        position += valuesPerMiniblock / 8 * width
    }

    /// Decodes up to `count` values into `output`.
    ///
    /// - Returns: the values written: `min(count, remaining)`.
    /// - Throws: `.truncated` when a block or miniblock passes the end of the bytes,
    ///   `.corruptPage` for a miniblock wider than `T`.
    mutating func decode(into output: UnsafeMutablePointer<T>, count: Int) throws(ParquetError) -> Int {
        let n = Swift.min(Swift.max(count, 0), remaining)
        var i = 0
        if n > 0 && firstPending {
            output[0] = last
            firstPending = false
            i = 1
        }
        let base = bytes.baseAddress
        while i < n {
            if !inBlock || miniblockUsed == valuesPerMiniblock {
                try nextMiniblock()
            }
            // Chunks of at most 512 values stay in L1 between unpacking and the prefix sum.
            let take = Swift.min(n - i, valuesPerMiniblock - miniblockUsed, 512)
            let available = bytes.count - miniblockStart
            let needed = ((miniblockUsed + take) * miniblockWidth + 7) >> 3
            guard needed <= available else {
                throw ParquetError(.truncated("DELTA_BINARY_PACKED miniblock at byte \(miniblockStart) needs \(needed) bytes, \(Swift.max(available, 0)) left"))
            }
            let o = output + i
            if miniblockWidth == 0 {
                var v = last
                for k in 0..<take {
                    v = v &+ minDelta
                    o[k] = v
                }
                last = v
            } else {
                BitPacking.unpack(base! + miniblockStart, byteCount: available, firstValue: miniblockUsed,
                                  count: take, bitWidth: miniblockWidth, into: o)
                var v = last
                let d = minDelta
                for k in 0..<take {
                    v = v &+ d &+ o[k]
                    o[k] = v
                }
                last = v
            }
            miniblockUsed += take
            i += take
        }
        remaining -= n
        return n
    }

    /// Decodes up to `count` values (the caller's bound, e.g. the page's value count), appending
    /// them to `output`, growing it as values arrive rather than from the header's claim.
    mutating func decode(count: Int, appendingTo output: inout Vec64<T>) throws(ParquetError) {
        var left = Swift.min(count, remaining)
        while left > 0 {
            let chunk = Swift.min(left, Swift.max(4096, output.count))
            var got = 0
            try output.appendUninitialized(count: chunk) { (buffer) throws(ParquetError) in
                do throws(ParquetError) {
                    got = try decode(into: buffer.baseAddress!, count: chunk)
                } catch {
                    buffer.initialize(repeating: 0)
                    throw error
                }
            }
            left -= got
        }
    }
}

/// An encoder of DELTA_BINARY_PACKED (Parquet `DELTA_BINARY_PACKED = 5`).
enum DeltaBinaryPackedEncoder {
    /// Appends `values` DELTA_BINARY_PACKED to `out`, with `blockSize` values per block (a positive
    /// multiple of 128) split into `miniblocksPerBlock` miniblocks (of a multiple of 32 values).
    static func encode<T: FixedWidthInteger & SignedInteger>(
        _ values: UnsafeBufferPointer<T>, blockSize: Int = 128, miniblocksPerBlock: Int = 4, to out: inout Vec64<UInt8>
    ) {
        precondition(blockSize > 0 && blockSize % 128 == 0, "block size must be a multiple of 128")
        precondition(miniblocksPerBlock > 0 && blockSize % miniblocksPerBlock == 0 && (blockSize / miniblocksPerBlock) % 32 == 0,
                     "miniblocks must hold multiples of 32 values")
        Varint.append(UInt64(blockSize), to: &out)
        Varint.append(UInt64(miniblocksPerBlock), to: &out)
        Varint.append(UInt64(values.count), to: &out)
        Varint.append(Varint.zigzag(Int64(values.first ?? 0)), to: &out)
        guard values.count > 1 else { return }
        let perMiniblock = blockSize / miniblocksPerBlock
        var deltas = [T](repeating: 0, count: blockSize)
        var previous = values[0]
        var i = 1
        while i < values.count {
            let n = Swift.min(blockSize, values.count - i)
            var minDelta = T.max
            for k in 0..<n {
                let d = values[i + k] &- previous
                previous = values[i + k]
                deltas[k] = d
                if d < minDelta { minDelta = d }
            }
            Varint.append(Varint.zigzag(Int64(minDelta)), to: &out)
            // Relative deltas (wrapping), then one bit width per miniblock.
            for k in 0..<n { deltas[k] = deltas[k] &- minDelta }
            let usedMiniblocks = (n + perMiniblock - 1) / perMiniblock
            var widths = [Int](repeating: 0, count: miniblocksPerBlock)
            for m in 0..<usedMiniblocks {
                var all: T.Magnitude = 0
                for k in (m * perMiniblock) ..< Swift.min(n, (m + 1) * perMiniblock) { all |= T.Magnitude(truncatingIfNeeded: deltas[k]) }
                widths[m] = T.bitWidth - all.leadingZeroBitCount
                out.append(UInt8(widths[m]))
            }
            for _ in usedMiniblocks..<miniblocksPerBlock { out.append(0) }
            for k in n..<blockSize { deltas[k] = 0 }
            deltas.withUnsafeBufferPointer { d in
                for m in 0..<usedMiniblocks {
                    BitPacking.append(d.baseAddress! + m * perMiniblock, count: perMiniblock, bitWidth: widths[m], to: &out)
                }
            }
            i += n
        }
    }
}
