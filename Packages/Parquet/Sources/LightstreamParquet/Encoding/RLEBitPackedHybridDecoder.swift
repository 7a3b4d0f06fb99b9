import Vec64

/// A streaming decoder of the RLE/bit-packed hybrid encoding (Parquet `RLE = 3`): definition and
/// repetition levels, dictionary indices and RLE booleans.
///
/// It decodes the run stream that follows the optional 4-byte length prefix (the caller strips
/// that, see ``lengthPrefixed(_:)``). Each `decode` call continues where the last one stopped, in
/// the middle of a run if need be. Nothing is allocated from a run header: a header that claims
/// more values than its bytes hold yields only the values that are there (a bit-packed run's last
/// group may end early at the end of the page), and the caller's buffer bounds every call.
///
/// The decoder keeps a pointer to `bytes`; they must outlive it.
struct RLEBitPackedHybridDecoder {
    /// The encoded runs.
    let bytes: UnsafeRawBufferPointer
    /// The width of each value in bits (0...64).
    let bitWidth: Int
    /// Bytes of an RLE run's repeated value: the width rounded up to whole bytes.
    private let valueByteWidth: Int
    /// The byte offset of the next run header.
    private var position = 0
    /// Values left in the current run.
    private var runRemaining = 0
    /// Whether the current run is an RLE run (else bit-packed).
    private var runIsRLE = false
    /// The repeated value of the current RLE run.
    private var runValue: UInt64 = 0
    /// The byte offset of the current bit-packed run's values.
    private var packedStart = 0
    /// Values of the current bit-packed run already decoded.
    private var packedIndex = 0

    /// A decoder of the runs in `bytes` with values of `bitWidth` bits.
    ///
    /// - Throws: `.corruptPage` when `bitWidth` is outside 0...64.
    init(bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= 64 else {
            throw ParquetError(.corruptPage("RLE/bit-packed bit width \(bitWidth) is outside 0...64"))
        }
        self.bytes = bytes
        self.bitWidth = bitWidth
        self.valueByteWidth = (bitWidth + 7) / 8
    }

    /// The run bytes of a length-prefixed RLE/bit-packed block (data page v1 levels, RLE
    /// booleans): a 4-byte little-endian length, then that many bytes.
    ///
    /// - Returns: the runs and the bytes the block takes including the prefix.
    /// - Throws: `.truncated` when the prefix or the runs it announces pass the end of `bytes`.
    static func lengthPrefixed(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> (runs: UnsafeRawBufferPointer, consumed: Int) {
        guard bytes.count >= 4 else {
            throw ParquetError(.truncated("RLE length prefix needs 4 bytes, \(bytes.count) left"))
        }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - 4 else {
            throw ParquetError(.truncated("RLE length prefix announces \(length) bytes, \(bytes.count - 4) left"))
        }
        return (UnsafeRawBufferPointer(rebasing: bytes[4 ..< 4 + length]), 4 + length)
    }

    /// A decoder of an RLE_DICTIONARY (or PLAIN_DICTIONARY) data page's values: one byte of bit
    /// width (at most 32), then the runs of indices (no length prefix).
    ///
    /// - Throws: `.truncated` for an empty page, `.corruptPage` for a width above 32.
    static func dictionaryIndices(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> RLEBitPackedHybridDecoder {
        guard bytes.count >= 1 else {
            throw ParquetError(.truncated("dictionary indices: the bit width byte is missing"))
        }
        let bitWidth = Int(bytes.load(as: UInt8.self))
        guard bitWidth <= 32 else {
            throw ParquetError(.corruptPage("dictionary index bit width \(bitWidth) exceeds 32"))
        }
        return try RLEBitPackedHybridDecoder(bytes: UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: bitWidth)
    }

    /// The bytes read so far: the end of the last run header and run data started.
    var bytesConsumed: Int { position }

    /// Starts the next run. Returns false at the end of the bytes.
    private mutating func nextRun() throws(ParquetError) -> Bool {
        while position < bytes.count {
            let headerAt = position
            let header = try Varint.read(bytes, at: &position, maxBytes: 5, what: "RLE run header")
            guard header <= UInt64(UInt32.max) else {
                throw ParquetError(.corruptPage("RLE run header \(header) at byte \(headerAt) exceeds 32 bits"))
            }
            if header & 1 == 0 {
                let length = Int(header >> 1)
                guard valueByteWidth <= bytes.count - position else {
                    throw ParquetError(.truncated("RLE run at byte \(headerAt) needs a \(valueByteWidth)-byte value, \(bytes.count - position) left"))
                }
                var value: UInt64 = 0
                for k in 0..<valueByteWidth {
                    value |= UInt64(bytes.load(fromByteOffset: position + k, as: UInt8.self)) << UInt64(8 * k)
                }
                guard value & ~BitWords.lowMask(bitWidth) == 0 else {
                    throw ParquetError(.corruptPage("RLE run at byte \(headerAt) repeats \(value), wider than \(bitWidth) bits"))
                }
                position += valueByteWidth
                if length == 0 { continue }
                runIsRLE = true
                runValue = value
                runRemaining = length
                return true
            } else {
                let claimed = Int(header >> 1) * 8
                let available = bytes.count - position
                let runBytes = Int(header >> 1) * bitWidth
                packedStart = position
                packedIndex = 0
                if runBytes <= available {
                    runRemaining = claimed
                    position += runBytes
                } else {
                    // The page ends inside the run: keep the values whose bits are all there.
                    runRemaining = bitWidth == 0 ? claimed : available * 8 / bitWidth
                    position = bytes.count
                }
                if runRemaining == 0 { continue }
                runIsRLE = false
                return true
            }
        }
        return false
    }

    /// Decodes up to `count` values into `output`, truncating each to `T`.
    ///
    /// - Returns: the number of values written; fewer than `count` only when the runs end.
    /// - Throws: `.corruptPage` for a malformed run or when `bitWidth` exceeds `T`'s width,
    ///   `.truncated` for a run header or value cut off by the end of the bytes.
    mutating func decode<T: FixedWidthInteger>(into output: UnsafeMutablePointer<T>, count: Int) throws(ParquetError) -> Int {
        guard bitWidth <= T.bitWidth else {
            throw ParquetError(.corruptPage("RLE/bit-packed bit width \(bitWidth) exceeds the \(T.bitWidth) bits of the values"))
        }
        var written = 0
        while written < count {
            if runRemaining == 0 {
                guard try nextRun() else { break }
            }
            let take = Swift.min(runRemaining, count - written)
            if runIsRLE {
                (output + written).update(repeating: T(truncatingIfNeeded: runValue), count: take)
            } else {
                BitPacking.unpack(
                    bytes.baseAddress! + packedStart, byteCount: bytes.count - packedStart,
                    firstValue: packedIndex, count: take, bitWidth: bitWidth, into: output + written)
                packedIndex += take
            }
            runRemaining -= take
            written += take
        }
        return written
    }

    /// Decodes up to `buffer.count` values into `buffer`; returns how many were written.
    mutating func decode<T: FixedWidthInteger>(into buffer: UnsafeMutableBufferPointer<T>) throws(ParquetError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        return try decode(into: base, count: buffer.count)
    }

    /// Decodes exactly `count` values, appending them to `output`.
    ///
    /// - Throws: `.truncated` when the runs hold fewer values.
    mutating func decode<T: FixedWidthInteger>(count: Int, appendingTo output: inout Vec64<T>) throws(ParquetError) {
        let before = output.count
        var got = 0
        try output.appendUninitialized(count: count) { (buffer) throws(ParquetError) in
            got = try decode(into: buffer)
            // Never leave uninitialised elements behind, even when throwing below.
            if got < count { (buffer.baseAddress! + got).initialize(repeating: 0, count: count - got) }
        }
        if got < count {
            output.resize(to: before + got, fill: 0)
            throw ParquetError(.truncated("RLE/bit-packed runs hold \(got) values, \(count) expected"))
        }
    }

    /// Decodes up to `count` booleans (bit width 1) into bits `bitOffset...` of the bitmap `bits`
    /// (LSB-first, as Arrow), growing it; runs are filled or copied many bits at a time.
    ///
    /// - Returns: the number of values written; fewer than `count` only when the runs end.
    mutating func decodeBooleans(count: Int, into bits: inout Vec64<UInt8>, at bitOffset: Int) throws(ParquetError) -> Int {
        guard bitWidth == 1 else {
            throw ParquetError(.corruptPage("RLE booleans need bit width 1, not \(bitWidth)"))
        }
        var written = 0
        while written < count {
            if runRemaining == 0 {
                guard try nextRun() else { break }
            }
            let take = Swift.min(runRemaining, count - written)
            if runIsRLE {
                BitPacking.fillBits(runValue != 0, count: take, into: &bits, at: bitOffset + written)
            } else {
                BitPacking.copyBits(
                    from: bytes.baseAddress! + packedStart, byteCount: bytes.count - packedStart,
                    sourceBit: packedIndex, count: take, into: &bits, at: bitOffset + written)
                packedIndex += take
            }
            runRemaining -= take
            written += take
        }
        return written
    }

    /// Skips up to `count` values without decoding them; returns how many were skipped.
    mutating func skip(_ count: Int) throws(ParquetError) -> Int {
        var skipped = 0
        while skipped < count {
            if runRemaining == 0 {
                guard try nextRun() else { break }
            }
            let take = Swift.min(runRemaining, count - skipped)
            if !runIsRLE { packedIndex += take }
            runRemaining -= take
            skipped += take
        }
        return skipped
    }
}

/// Checks of decoded dictionary indices.
enum DictionaryIndices {
    /// Checks that every index is in `0 ..< dictionaryCount`.
    ///
    /// - Throws: `.corruptPage` naming the first index out of range and its position.
    static func check(_ indices: UnsafeBufferPointer<Int32>, dictionaryCount: Int) throws(ParquetError) {
        // Negative indices are >= 2^31 as UInt32, so they fail against any limit up to 2^31.
        let limit = UInt32(Swift.max(0, Swift.min(dictionaryCount, 1 << 31)))
        // A branch-free reduction first; the slow search only runs on bad input.
        var bad: UInt32 = 0
        for index in indices {
            bad |= UInt32(bitPattern: index) >= limit ? 1 : 0
        }
        guard bad != 0 else { return }
        for (i, index) in indices.enumerated() where index < 0 || Int(index) >= dictionaryCount {
            throw ParquetError(.corruptPage("dictionary index \(index) at value \(i) is outside the dictionary of \(dictionaryCount) values"))
        }
    }
}
