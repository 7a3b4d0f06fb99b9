/// Accumulates the statistics of one page or column chunk while a writer encodes it: the least
/// and greatest non-null value by the column's ``ParquetSortOrder``, the null count, and (for
/// floating-point orders) the number of NaNs.
///
/// Feed it the physical values (nulls left out, counted with ``addNulls(_:)``): whole buffers of
/// INT32, INT64, FLOAT or DOUBLE, counts of booleans, single BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY
/// values or offsets + data of many. Page builders ``merge(_:)`` into a chunk's. Then
/// ``statistics(maximumValueBytes:)`` gives the `Statistics` of the page header or column
/// metadata and ``columnIndexBounds(truncatedTo:)`` the bounds for the column index.
///
/// The rules are parquet.thrift's for `TYPE_ORDER` (as Arrow C++ writes them): NaN never becomes
/// a min or max, an all-NaN page has none; a zero min is written as -0.0 and a zero max as +0.0;
/// unsigned integers compare by bit pattern; decimals in bytes compare by value. The fixed-width
/// loops compare lanes of SIMD registers; byte values are compared in place and copied only
/// when they become the new min or max (the caller's memory is read only during the call).
///
/// ```swift
/// let order = ParquetSortOrder(element)
/// var chunk = StatisticsBuilder(physicalType: .int32, sortOrder: order)
/// var page = StatisticsBuilder(physicalType: .int32, sortOrder: order)
/// values.withUnsafeBufferPointer { page.add($0) }    // the page's non-null values
/// page.addNulls(pageNullCount)
/// let pageStatistics = page.statistics()              // for the page header
/// let bounds = page.columnIndexBounds()               // for the column index (nil: null page)
/// chunk.merge(page)
/// let chunkStatistics = chunk.statistics()            // for the column metadata
/// ```
struct StatisticsBuilder: Sendable {
    /// The physical type of the values.
    let physicalType: ParquetPhysicalType
    /// The order that decides min and max.
    let sortOrder: ParquetSortOrder
    /// The width of FIXED_LEN_BYTE_ARRAY values, when known (each value added is checked against it).
    let typeLength: Int?

    /// The number of nulls added.
    private(set) var nullCount = 0
    /// The number of non-null values added (NaNs included).
    private(set) var valueCount = 0
    /// The number of NaN values added (FLOAT, DOUBLE and FLOAT16 only).
    private(set) var nanCount = 0
    /// Whether a min and max are known: some non-null, non-NaN value was added and the order is
    /// defined. False for a page of nulls only or of NaNs only.
    private(set) var hasMinMax = false

    /// INT32/INT64 under ``ParquetSortOrder/signed``; the ordering keys of half floats.
    private var signedMin = Int64.max, signedMax = Int64.min
    /// INT32/INT64 under ``ParquetSortOrder/unsigned`` (bit patterns), BOOLEAN as 0/1.
    private var unsignedMin = UInt64.max, unsignedMax = UInt64.min
    /// FLOAT (exactly widened) and DOUBLE.
    private var floatMin = Double.infinity, floatMax = -Double.infinity
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values (valid while ``hasMinMax``).
    private var bytesMin: [UInt8] = [], bytesMax: [UInt8] = []

    /// Creates an empty builder for values of `physicalType` ordered by `sortOrder` (as
    /// ``ParquetSortOrder/init(_:)`` decides it for the leaf); `typeLength` is the width of a
    /// FIXED_LEN_BYTE_ARRAY column. The order must fit the physical type (signed or unsigned
    /// integers, float for FLOAT/DOUBLE, bytes orders for byte arrays, anything undefined).
    init(physicalType: ParquetPhysicalType, sortOrder: ParquetSortOrder, typeLength: Int? = nil) {
        precondition(sortOrder.fits(physicalType, typeLength: typeLength),
                     "StatisticsBuilder: order \(sortOrder) does not fit \(physicalType)")
        self.physicalType = physicalType
        self.sortOrder = sortOrder
        self.typeLength = typeLength
    }

    /// Counts `count` null values (which have no physical value).
    mutating func addNulls(_ count: Int) {
        precondition(count >= 0, "StatisticsBuilder: negative null count")
        nullCount += count
    }

    // MARK: - Fixed-width values

    /// Adds INT32 values, compared as signed or (``ParquetSortOrder/unsigned``) as UInt32.
    mutating func add(_ values: UnsafeBufferPointer<Int32>) {
        precondition(physicalType == .int32, "StatisticsBuilder: INT32 values for a \(physicalType) column")
        valueCount += values.count
        guard !values.isEmpty else { return }
        switch sortOrder {
        case .signed:
            let (low, high) = Self.integerMinMax(values)
            includeSigned(Int64(low), Int64(high))
        case .unsigned:
            let (low, high) = values.withMemoryRebound(to: UInt32.self) { Self.integerMinMax($0) }
            includeUnsigned(UInt64(low), UInt64(high))
        default:
            break
        }
    }

    /// Adds INT64 values, compared as signed or (``ParquetSortOrder/unsigned``) as UInt64.
    mutating func add(_ values: UnsafeBufferPointer<Int64>) {
        precondition(physicalType == .int64, "StatisticsBuilder: INT64 values for a \(physicalType) column")
        valueCount += values.count
        guard !values.isEmpty else { return }
        switch sortOrder {
        case .signed:
            let (low, high) = Self.integerMinMax(values)
            includeSigned(low, high)
        case .unsigned:
            let (low, high) = values.withMemoryRebound(to: UInt64.self) { Self.integerMinMax($0) }
            includeUnsigned(low, high)
        default:
            break
        }
    }

    /// Adds FLOAT values: NaNs are counted and otherwise ignored.
    mutating func add(_ values: UnsafeBufferPointer<Float>) {
        precondition(physicalType == .float, "StatisticsBuilder: FLOAT values for a \(physicalType) column")
        valueCount += values.count
        guard !values.isEmpty else { return }
        let (low, high, nans) = Self.floatMinMax(values)
        nanCount += nans
        if sortOrder == .float && low <= high { includeFloat(Double(low), Double(high)) }
    }

    /// Adds DOUBLE values: NaNs are counted and otherwise ignored.
    mutating func add(_ values: UnsafeBufferPointer<Double>) {
        precondition(physicalType == .double, "StatisticsBuilder: DOUBLE values for a \(physicalType) column")
        valueCount += values.count
        guard !values.isEmpty else { return }
        let (low, high, nans) = Self.doubleMinMax(values)
        nanCount += nans
        if sortOrder == .float && low <= high { includeFloat(low, high) }
    }

    /// Adds BOOLEAN values by their counts (false < true).
    mutating func addBooleans(trueCount: Int, falseCount: Int) {
        precondition(physicalType == .boolean, "StatisticsBuilder: BOOLEAN values for a \(physicalType) column")
        precondition(trueCount >= 0 && falseCount >= 0, "StatisticsBuilder: negative boolean count")
        valueCount += trueCount + falseCount
        guard sortOrder == .unsigned, trueCount + falseCount > 0 else { return }
        includeUnsigned(falseCount > 0 ? 0 : 1, trueCount > 0 ? 1 : 0)
    }

    // MARK: - Byte values

    /// Adds one BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value (a FLOAT16 as its 2 little-endian bytes,
    /// an INT96 as its 12), read only during the call.
    mutating func add(bytes value: UnsafeRawBufferPointer) {
        precondition(physicalType == .byteArray || physicalType == .fixedLenByteArray || physicalType == .int96,
                     "StatisticsBuilder: a byte value for a \(physicalType) column")
        if physicalType == .fixedLenByteArray, let typeLength {
            precondition(value.count == typeLength, "StatisticsBuilder: \(value.count) bytes in a FIXED_LEN_BYTE_ARRAY(\(typeLength))")
        }
        valueCount += 1
        switch sortOrder {
        case .bytesUnsigned, .decimalBytes:
            includeBytes(value, value)
        case .float16:
            precondition(value.count == 2, "StatisticsBuilder: a FLOAT16 of \(value.count) bytes")
            if let key = Self.float16Key(UInt16(value[0]) | UInt16(value[1]) << 8) {
                includeSigned(Int64(key), Int64(key))
            } else {
                nanCount += 1
            }
        default:
            break
        }
    }

    /// Adds `offsets.count - 1` byte values laid out as Arrow binary arrays store them: value `i`
    /// is `data[offsets[i]..<offsets[i + 1]]` (offsets absolute into `data`). The bytes are read
    /// only during the call; the new min and max are copied once at its end.
    mutating func addByteArrays<O: FixedWidthInteger>(data: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<O>) {
        precondition(physicalType == .byteArray || physicalType == .fixedLenByteArray,
                     "StatisticsBuilder: byte values for a \(physicalType) column")
        guard offsets.count > 1 else { return }
        let count = offsets.count - 1
        if physicalType == .fixedLenByteArray, let typeLength {
            precondition(Int(offsets[count]) - Int(offsets[0]) == count * typeLength,
                         "StatisticsBuilder: values of other widths in a FIXED_LEN_BYTE_ARRAY(\(typeLength))")
        }
        valueCount += count
        switch sortOrder {
        case .bytesUnsigned:
            let (low, high) = Self.scan(data: data, offsets: offsets, UnsignedBytesOrder.self)
            includeBytes(low, high)
        case .decimalBytes:
            let (low, high) = Self.scan(data: data, offsets: offsets, DecimalBytesOrder.self)
            includeBytes(low, high)
        case .float16:
            var low = Int32.max, high = Int32.min, nans = 0
            for i in 0..<count {
                let value = Self.value(i, data, offsets)
                precondition(value.count == 2, "StatisticsBuilder: a FLOAT16 of \(value.count) bytes")
                if let key = Self.float16Key(UInt16(value[0]) | UInt16(value[1]) << 8) {
                    low = Swift.min(low, key)
                    high = Swift.max(high, key)
                } else {
                    nans += 1
                }
            }
            nanCount += nans
            if low <= high { includeSigned(Int64(low), Int64(high)) }
        default:
            break
        }
    }

    // MARK: - Merging and results

    /// Adds the counts and extremes of `other`, a builder of the same column (pages into their
    /// chunk); the result equals one builder fed both sets of values.
    mutating func merge(_ other: StatisticsBuilder) {
        precondition(other.physicalType == physicalType && other.sortOrder == sortOrder,
                     "StatisticsBuilder: merging \(other.physicalType)/\(other.sortOrder) into \(physicalType)/\(sortOrder)")
        nullCount += other.nullCount
        valueCount += other.valueCount
        nanCount += other.nanCount
        guard other.hasMinMax else { return }
        switch sortOrder {
        case .signed, .float16: includeSigned(other.signedMin, other.signedMax)
        case .unsigned: includeUnsigned(other.unsignedMin, other.unsignedMax)
        case .float: includeFloat(other.floatMin, other.floatMax)
        case .bytesUnsigned, .decimalBytes:
            other.bytesMin.withUnsafeBytes { low in
                other.bytesMax.withUnsafeBytes { high in includeBytes(low, high) }
            }
        case .undefined: break
        }
    }

    /// The statistics to store: min and max as the PLAIN encoding of one value (INT32 in 4
    /// little-endian bytes, INT64 in 8, FLOAT 4, DOUBLE 8, BOOLEAN one byte 0 or 1, byte arrays
    /// their bytes without a length prefix) and the null count.
    ///
    /// Min and max are both left out when there is no non-null, non-NaN value, when the order is
    /// undefined, or when either is longer than `maximumValueBytes` (as parquet-mr and Arrow C++'s
    /// `max_statistics_size`: a truncated value could pass for an exact one). A zero float min is
    /// written as -0.0 and a zero max as +0.0. `nanCount` and `distinctCount` stay nil.
    func statistics(maximumValueBytes: Int = 4096) -> ParquetStatistics {
        var statistics = ParquetStatistics(nullCount: Int64(nullCount))
        if let (low, high) = encodedMinMax(), low.count <= maximumValueBytes, high.count <= maximumValueBytes {
            statistics.min = low
            statistics.max = high
        }
        return statistics
    }

    /// The min and max bounds of this page for the column index (encoded as in
    /// ``statistics(maximumValueBytes:)``), or nil when there are none: only nulls (the writer
    /// marks a null page), only NaNs (parquet.thrift then forbids a column index for the chunk:
    /// `valueCount > 0` tells this case apart), or an undefined order.
    ///
    /// BYTE_ARRAY values under ``ParquetSortOrder/bytesUnsigned`` longer than `length` bytes are
    /// shortened as parquet.thrift allows: the min to a prefix, the max to a prefix whose last
    /// byte is incremented (trailing 0xFF bytes dropped first; when every byte of the prefix is
    /// 0xFF the max stays whole). When the prefix is valid UTF-8 it is cut at a code point
    /// boundary and the max's last code point is incremented instead, so that string bounds stay
    /// valid UTF-8. Decimals, fixed-length bytes and numbers are never shortened.
    func columnIndexBounds(truncatedTo length: Int = 64) -> (min: [UInt8], max: [UInt8])? {
        precondition(length > 0, "StatisticsBuilder: truncation to \(length) bytes")
        guard let (low, high) = encodedMinMax() else { return nil }
        guard sortOrder == .bytesUnsigned && physicalType == .byteArray else { return (low, high) }
        return (BoundTruncation.lowerBound(low, length: length), BoundTruncation.upperBound(high, length: length))
    }

    /// The PLAIN bytes of min and max, or nil without them.
    private func encodedMinMax() -> (min: [UInt8], max: [UInt8])? {
        guard hasMinMax else { return nil }
        switch sortOrder {
        case .signed:
            if physicalType == .int32 {
                return (Self.littleEndian(Int32(truncatingIfNeeded: signedMin)), Self.littleEndian(Int32(truncatingIfNeeded: signedMax)))
            }
            return (Self.littleEndian(signedMin), Self.littleEndian(signedMax))
        case .unsigned:
            switch physicalType {
            case .boolean: return ([UInt8(truncatingIfNeeded: unsignedMin)], [UInt8(truncatingIfNeeded: unsignedMax)])
            case .int32: return (Self.littleEndian(UInt32(truncatingIfNeeded: unsignedMin)), Self.littleEndian(UInt32(truncatingIfNeeded: unsignedMax)))
            default: return (Self.littleEndian(unsignedMin), Self.littleEndian(unsignedMax))
            }
        case .float:
            // parquet.thrift: a zero min is written as -0.0, a zero max as +0.0.
            let low = floatMin == 0 ? -0.0 : floatMin
            let high = floatMax == 0 ? 0.0 : floatMax
            if physicalType == .float {
                return (Self.littleEndian(Float(low).bitPattern), Self.littleEndian(Float(high).bitPattern))
            }
            return (Self.littleEndian(low.bitPattern), Self.littleEndian(high.bitPattern))
        case .float16:
            return (Self.littleEndian(Self.float16Bits(key: signedMin, zero: 0x8000)),
                    Self.littleEndian(Self.float16Bits(key: signedMax, zero: 0x0000)))
        case .bytesUnsigned, .decimalBytes:
            return (bytesMin, bytesMax)
        case .undefined:
            return nil
        }
    }

    // MARK: - Including extremes

    private mutating func includeSigned(_ low: Int64, _ high: Int64) {
        signedMin = Swift.min(signedMin, low)
        signedMax = Swift.max(signedMax, high)
        hasMinMax = true
    }

    private mutating func includeUnsigned(_ low: UInt64, _ high: UInt64) {
        unsignedMin = Swift.min(unsignedMin, low)
        unsignedMax = Swift.max(unsignedMax, high)
        hasMinMax = true
    }

    /// `low` and `high` are not NaN (zeros of either sign compare equal; the sign is fixed on output).
    private mutating func includeFloat(_ low: Double, _ high: Double) {
        if low < floatMin { floatMin = low }
        if high > floatMax { floatMax = high }
        hasMinMax = true
    }

    /// Copies `low` into the min if it is smaller, `high` into the max if it is greater.
    private mutating func includeBytes(_ low: UnsafeRawBufferPointer, _ high: UnsafeRawBufferPointer) {
        if !hasMinMax {
            bytesMin.removeAll(keepingCapacity: true)
            bytesMin.append(contentsOf: low)
            bytesMax.removeAll(keepingCapacity: true)
            bytesMax.append(contentsOf: high)
            hasMinMax = true
            return
        }
        let decimal = sortOrder == .decimalBytes
        let lower = bytesMin.withUnsafeBytes { current in
            decimal ? DecimalBytesOrder.compare(low, current) < 0 : UnsignedBytesOrder.compare(low, current) < 0
        }
        if lower {
            bytesMin.removeAll(keepingCapacity: true)
            bytesMin.append(contentsOf: low)
        }
        let higher = bytesMax.withUnsafeBytes { current in
            decimal ? DecimalBytesOrder.compare(high, current) > 0 : UnsignedBytesOrder.compare(high, current) > 0
        }
        if higher {
            bytesMax.removeAll(keepingCapacity: true)
            bytesMax.append(contentsOf: high)
        }
    }

    // MARK: - Kernels

    /// Min and max of a non-empty buffer; the compare-and-select loop vectorizes.
    @inline(__always)
    private static func integerMinMax<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>) -> (T, T) {
        var low = T.max, high = T.min
        for v in values {
            low = v < low ? v : low
            high = v > high ? v : high
        }
        return (low, high)
    }

    /// Min and max of the non-NaN values (min > max when there are none) and the NaN count, eight
    /// lanes at a time: a NaN lane never wins a comparison, so it is skipped without a branch.
    private static func floatMinMax(_ values: UnsafeBufferPointer<Float>) -> (Float, Float, Int) {
        typealias Lanes = SIMD8<Float>
        let n = values.count
        let base = UnsafeRawPointer(values.baseAddress!)
        var low = Lanes(repeating: .infinity), high = Lanes(repeating: -.infinity)
        var nanLanes = SIMD8<Int32>()
        var i = 0
        while i &+ 8 <= n {
            let v = base.loadUnaligned(fromByteOffset: i &* 4, as: Lanes.self)
            low.replace(with: v, where: v .< low)
            high.replace(with: v, where: v .> high)
            nanLanes &-= SIMD8<Int32>().replacing(with: -1, where: v .!= v)
            i &+= 8
        }
        var l = low.min(), h = high.max()
        var nans = Int(nanLanes.wrappedSum())
        while i < n {
            let v = values[i]
            l = v < l ? v : l
            h = v > h ? v : h
            nans &+= v != v ? 1 : 0
            i &+= 1
        }
        return (l, h, nans)
    }

    /// ``floatMinMax(_:)`` for DOUBLE, four lanes at a time.
    private static func doubleMinMax(_ values: UnsafeBufferPointer<Double>) -> (Double, Double, Int) {
        typealias Lanes = SIMD4<Double>
        let n = values.count
        let base = UnsafeRawPointer(values.baseAddress!)
        var low = Lanes(repeating: .infinity), high = Lanes(repeating: -.infinity)
        var nanLanes = SIMD4<Int64>()
        var i = 0
        while i &+ 4 <= n {
            let v = base.loadUnaligned(fromByteOffset: i &* 8, as: Lanes.self)
            low.replace(with: v, where: v .< low)
            high.replace(with: v, where: v .> high)
            nanLanes &-= SIMD4<Int64>().replacing(with: -1, where: v .!= v)
            i &+= 4
        }
        var l = low.min(), h = high.max()
        var nans = Int(nanLanes.wrappedSum())
        while i < n {
            let v = values[i]
            l = v < l ? v : l
            h = v > h ? v : h
            nans &+= v != v ? 1 : 0
            i &+= 1
        }
        return (l, h, nans)
    }

    /// Value `i` of an offsets + data layout, bounds checked.
    @inline(__always)
    private static func value<O: FixedWidthInteger>(_ i: Int, _ data: UnsafeRawBufferPointer, _ offsets: UnsafeBufferPointer<O>) -> UnsafeRawBufferPointer {
        let start = Int(offsets[i]), end = Int(offsets[i + 1])
        precondition(0 <= start && start <= end && end <= data.count,
                     "StatisticsBuilder: value \(i) at \(start)..<\(end) outside \(data.count) bytes")
        return UnsafeRawBufferPointer(rebasing: data[start..<end])
    }

    /// The least and greatest of at least one value of an offsets + data layout, by `Order`,
    /// pointing into `data`.
    private static func scan<O: FixedWidthInteger, Order: ByteValueOrder>(
        data: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<O>, _: Order.Type
    ) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        var low = value(0, data, offsets)
        var high = low
        for i in 1..<(offsets.count - 1) {
            let v = value(i, data, offsets)
            if Order.compare(v, low) < 0 {
                low = v
            } else if Order.compare(v, high) > 0 {
                high = v
            }
        }
        return (low, high)
    }

    /// An integer whose order is the numeric order of half floats (`-0` and `+0` both 0), or nil
    /// for a NaN.
    @inline(__always)
    static func float16Key(_ bits: UInt16) -> Int32? {
        let magnitude = Int32(bits & 0x7FFF)
        guard magnitude <= 0x7C00 else { return nil }    // exponent all ones with a mantissa: NaN
        return bits & 0x8000 != 0 ? -magnitude : magnitude
    }

    /// The half-float bits of an ordering key; a zero becomes `zero` (-0.0 for a min, +0.0 for a max).
    private static func float16Bits(key: Int64, zero: UInt16) -> UInt16 {
        if key == 0 { return zero }
        return key < 0 ? 0x8000 | UInt16(-key) : UInt16(key)
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

// MARK: - Byte orders

/// A total order of byte values, as a static function so that generic scans specialize on it.
fileprivate protocol ByteValueOrder {
    /// Negative when `a` comes before `b`, zero when they are equal in the order, positive after.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int
}

/// Unsigned lexicographic order (memcmp, then the shorter value first).
fileprivate enum UnsignedBytesOrder: ByteValueOrder {
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0 {
            let pa = a.baseAddress!, pb = b.baseAddress!
            var i = 0
            // Eight bytes at a time: big-endian words compare as the bytes do.
            while i &+ 8 <= n {
                let x = UInt64(bigEndian: pa.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let y = UInt64(bigEndian: pb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if x != y { return x < y ? -1 : 1 }
                i &+= 8
            }
            while i < n {
                let x = pa.load(fromByteOffset: i, as: UInt8.self), y = pb.load(fromByteOffset: i, as: UInt8.self)
                if x != y { return x < y ? -1 : 1 }
                i &+= 1
            }
        }
        return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
    }
}

/// The numeric order of big-endian two's complement integers of any length (an empty value is 0).
fileprivate enum DecimalBytesOrder: ByteValueOrder {
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let negativeA = !a.isEmpty && a[0] >= 0x80
        let negativeB = !b.isEmpty && b[0] >= 0x80
        if negativeA != negativeB { return negativeA ? -1 : 1 }
        // Same sign: extending the shorter value with its sign byte makes them equally long, and
        // equally long two's complement numbers of one sign order as unsigned bytes do.
        let extensionByte: UInt8 = negativeA ? 0xFF : 0x00
        if a.count > b.count {
            let lead = a.count - b.count
            for k in 0..<lead where a[k] != extensionByte { return a[k] > extensionByte ? 1 : -1 }
            return UnsignedBytesOrder.compare(UnsafeRawBufferPointer(rebasing: a[lead...]), b)
        } else if b.count > a.count {
            let lead = b.count - a.count
            for k in 0..<lead where b[k] != extensionByte { return b[k] > extensionByte ? -1 : 1 }
            return UnsignedBytesOrder.compare(a, UnsafeRawBufferPointer(rebasing: b[lead...]))
        }
        return UnsignedBytesOrder.compare(a, b)
    }
}

// MARK: - Truncated bounds

/// Shortened column index bounds for byte strings in unsigned lexicographic order.
fileprivate enum BoundTruncation {
    /// A value of at most `length` bytes that is not greater than `value`: its prefix, cut at a
    /// code point boundary when that prefix is valid UTF-8.
    static func lowerBound(_ value: [UInt8], length: Int) -> [UInt8] {
        guard value.count > length else { return value }
        let cut = codePointBoundary(value, atMost: length)
        if isValidUTF8(value[..<cut]) { return Array(value[..<cut]) }
        return Array(value[..<length])
    }

    /// A value of at most `length` bytes that is not less than `value`, or `value` itself when
    /// there is none. For a valid UTF-8 prefix: the prefix with its last code point incremented
    /// (U+10FFFF, or a code point whose successor would not fit, dropped first), so the bound
    /// stays valid UTF-8. Otherwise the `length`-byte prefix with trailing 0xFF bytes dropped and
    /// the last byte incremented.
    static func upperBound(_ value: [UInt8], length: Int) -> [UInt8] {
        guard value.count > length else { return value }
        let cut = codePointBoundary(value, atMost: length)
        if isValidUTF8(value[..<cut]) {
            var scalars = Array(String(decoding: value[..<cut], as: UTF8.self).unicodeScalars)
            while let last = scalars.popLast() {
                guard let next = successor(of: last) else { continue }
                scalars.append(next)
                var bytes: [UInt8] = []
                for scalar in scalars { bytes.append(contentsOf: UTF8.encode(scalar)!) }
                if bytes.count <= length { return bytes }
                scalars.removeLast()
            }
            return value
        }
        var prefix = Array(value[..<length])
        while prefix.last == 0xFF { prefix.removeLast() }
        guard !prefix.isEmpty else { return value }
        prefix[prefix.count - 1] += 1
        return prefix
    }

    /// The largest index not above `length` that does not fall inside a UTF-8 sequence (at most 3
    /// bytes back; for bytes that are not UTF-8 the result is only a candidate).
    private static func codePointBoundary(_ value: [UInt8], atMost length: Int) -> Int {
        var cut = length
        while cut > 0 && cut > length - 3 && value[cut] & 0xC0 == 0x80 { cut -= 1 }
        return value[cut] & 0xC0 == 0x80 ? length : cut
    }

    private static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The next Unicode scalar (skipping the surrogates), or nil after U+10FFFF.
    private static func successor(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        var next = scalar.value + 1
        if next == 0xD800 { next = 0xE000 }
        return Unicode.Scalar(next)
    }
}
