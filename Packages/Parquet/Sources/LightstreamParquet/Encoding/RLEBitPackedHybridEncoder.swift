import Vec64

/// An encoder of the RLE/bit-packed hybrid encoding (Parquet `RLE = 3`).
///
/// Values are fed one at a time or in bulk; a value repeated at least 8 times from a group
/// boundary becomes an RLE run, everything else is bit-packed in groups of 8 (bit-packed runs of
/// up to 63 groups, so their header is one reserved byte). ``finish()`` pads the last group with
/// zeros and returns the runs (without the 4-byte length prefix; see ``finishLengthPrefixed()``).
struct RLEBitPackedHybridEncoder {
    /// The width of each value in bits (0...64).
    let bitWidth: Int
    /// The runs written so far.
    private(set) var bytes = Vec64<UInt8>()
    /// Values waiting to be bit-packed or absorbed into a run.
    private var buffered: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var bufferedCount = 0
    /// The value of the current repeat and how often it has been seen in a row.
    private var repeatedValue: UInt64 = 0
    private var repeatCount = 0
    /// Groups in the open bit-packed run and the offset of its reserved header byte.
    private var literalGroups = 0
    private var literalHeader = -1
    private let mask: UInt64

    /// An encoder of values `bitWidth` (0...64) bits wide.
    init(bitWidth: Int) {
        precondition(bitWidth >= 0 && bitWidth <= 64, "RLE bit width \(bitWidth) outside 0...64")
        self.bitWidth = bitWidth
        self.mask = BitWords.lowMask(bitWidth)
    }

    /// Adds one value (bits above `bitWidth` are dropped).
    mutating func append(_ value: UInt64) {
        let v = value & mask
        if v == repeatedValue && repeatCount > 0 {
            repeatCount += 1
            // Past the first 8, a repeat extends the RLE run without being buffered.
            if repeatCount > 8 { return }
        } else {
            if repeatCount >= 8 { flushRepeatedRun() }
            repeatCount = 1
            repeatedValue = v
        }
        withUnsafeMutableBytes(of: &buffered) { $0.storeBytes(of: v, toByteOffset: bufferedCount * 8, as: UInt64.self) }
        bufferedCount += 1
        if bufferedCount == 8 { flushBufferedGroup() }
    }

    /// Adds every value of `values`.
    mutating func append<T: FixedWidthInteger>(contentsOf values: UnsafeBufferPointer<T>) {
        for value in values { append(UInt64(truncatingIfNeeded: value)) }
    }

    /// Adds every value of `values`.
    mutating func append<T: FixedWidthInteger>(contentsOf values: [T]) {
        values.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// A full group of 8: dropped when it is the start of a run of 8 or more, else bit-packed.
    private mutating func flushBufferedGroup() {
        if repeatCount >= 8 {
            bufferedCount = 0
            closeLiteralRun()
            return
        }
        writeLiteralGroup()
        repeatCount = 0
    }

    /// Bit-packs the buffered values (padded with zeros to 8) into the open bit-packed run.
    private mutating func writeLiteralGroup() {
        if literalHeader < 0 {
            literalHeader = bytes.count
            bytes.append(0)
        }
        var group = buffered
        let used = bufferedCount
        withUnsafeMutableBytes(of: &group) { p in
            for k in used..<8 { p.storeBytes(of: UInt64(0), toByteOffset: k * 8, as: UInt64.self) }
            BitPacking.append(p.bindMemory(to: UInt64.self).baseAddress!, count: 8, bitWidth: bitWidth, to: &bytes)
        }
        bufferedCount = 0
        literalGroups += 1
        if literalGroups == 63 { closeLiteralRun() }
    }

    /// Writes the header of the open bit-packed run.
    private mutating func closeLiteralRun() {
        guard literalHeader >= 0 else { return }
        bytes[literalHeader] = UInt8(literalGroups << 1 | 1)
        literalHeader = -1
        literalGroups = 0
    }

    /// Writes the current repeat as an RLE run.
    private mutating func flushRepeatedRun() {
        closeLiteralRun()
        // Runs are at most 2^31 - 1 long (the spec's limit); longer repeats take several.
        var left = repeatCount
        while left > 0 {
            let length = Swift.min(left, Int(Int32.max))
            Varint.append(UInt64(length) << 1, to: &bytes)
            var v = repeatedValue
            for _ in 0..<((bitWidth + 7) / 8) {
                bytes.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
            left -= length
        }
        repeatCount = 0
    }

    /// Flushes the pending values and returns the runs; the encoder starts over empty.
    mutating func finish() -> Vec64<UInt8> {
        if repeatCount > 0 && literalGroups == 0 && literalHeader < 0 && (bufferedCount == 0 || bufferedCount == repeatCount) {
            bufferedCount = 0
            flushRepeatedRun()
        } else if bufferedCount > 0 {
            writeLiteralGroup()
        }
        closeLiteralRun()
        let result = bytes
        self = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        return result
    }

    /// ``finish()`` with the 4-byte little-endian length prefix of data page v1 levels.
    mutating func finishLengthPrefixed() -> Vec64<UInt8> {
        let runs = finish()
        var out = Vec64<UInt8>(minimumCapacity: runs.count + 4)
        withUnsafeBytes(of: UInt32(runs.count).littleEndian) { out.append(contentsOf: $0.bindMemory(to: UInt8.self)) }
        runs.withUnsafeBufferPointer { out.append(contentsOf: $0) }
        return out
    }
}
