import LightstreamArrow
import LightstreamCodecs
import Vec64

/// The options of one leaf column, resolved from ``ParquetWriteOptions``.
struct ColumnWriteSettings: Sendable {
    var compression: ParquetCompression
    var compressionLevel: Int?
    var dictionary: Bool
    /// The encoding of values that are not dictionary-encoded.
    var encoding: ParquetEncoding
    var statistics: Bool
    var dataPageBytes: Int
    var dataPageRows: Int
    var dictionaryPageBytes: Int
    var pageVersion: ParquetDataPageVersion
    var pageIndex: Bool
    var checksums: Bool
    var maximumStatisticsBytes: Int
}

/// One column chunk, encoded: its pages (headers and bodies, in file order) and metadata with
/// offsets relative to the chunk's first byte.
struct EncodedColumnChunk {
    var pieces: [Buffer]
    var byteCount: Int
    var metadata: ParquetColumnMetadata
    var pageLocations: [ParquetPageLocation]
    var columnIndex: ParquetColumnIndex?
}

/// Encodes the values and levels of one leaf column into the pages of a column chunk:
/// dictionary-encoded while the dictionary stays under its size limit (then PLAIN or the
/// column's encoding for the rest of the chunk, as Arrow C++ does), data pages of version 1 or
/// 2 that start on row boundaries, compressed with the column's codec, with statistics and
/// page-index entries.
struct ColumnChunkWriter {
    let plan: ParquetLeafPlan
    let settings: ColumnWriteSettings
    private let codec: (any CompressionCodec)?
    private let physical: ParquetPhysicalType
    private let maxDefinition: Int16
    private let maxRepetition: Int16
    private let sortOrder: ParquetSortOrder

    // Pages written so far (data pages; the dictionary page goes first at `finish`).
    private var dataPages: [Buffer] = []
    private var dataBytes = 0
    private var uncompressedBytes = 0
    private var encodings: [ParquetEncoding] = []
    private var pageLocations: [ParquetPageLocation] = []
    private var columnIndex = ParquetColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: 0, nullCounts: [])
    private var chunkStatistics: StatisticsBuilder
    private var totalLevels = 0
    private var totalRows = 0

    // The page being filled.
    private var pendingDefinitions = Vec64<Int16>()
    private var pendingRepetitions = Vec64<Int16>()
    private var pendingLevels = 0
    private var pendingRows = 0
    private var pendingNulls = 0
    private var pendingValueCount = 0
    /// PLAIN bytes (or raw fixed-width bytes for other encodings; raw byte-array data for the
    /// delta byte-array encodings, with ``pendingOffsets``).
    private var pendingValues = Vec64<UInt8>()
    private var pendingOffsets = Vec64<Int32>()
    private var pendingBitCount = 0
    private var pendingIndices = Vec64<Int32>()
    private var pageStatistics: StatisticsBuilder

    // Dictionary state.
    private var usingDictionary: Bool
    private var fixedDictionary: FixedWidthDictionary?
    private var bytesDictionary: ByteStringInterner<Int32>?
    private var arrowDictionary: (identity: ObjectIdentifier, remap: Vec64<Int32>)?

    init(plan: ParquetLeafPlan, settings: ColumnWriteSettings) throws(ParquetError) {
        self.plan = plan
        self.settings = settings
        physical = plan.descriptor.physicalType
        maxDefinition = Int16(plan.descriptor.maxDefinitionLevel)
        maxRepetition = Int16(plan.descriptor.maxRepetitionLevel)
        sortOrder = ParquetSortOrder(plan.descriptor.element)
        chunkStatistics = StatisticsBuilder(physicalType: physical, sortOrder: sortOrder, typeLength: plan.descriptor.element.typeLength)
        pageStatistics = chunkStatistics
        codec = try Self.codec(settings.compression, level: settings.compressionLevel, column: plan.dottedPath)
        try Self.check(settings.encoding, physical: physical, column: plan.dottedPath)
        usingDictionary = settings.dictionary && physical != .boolean && plan.conversion != .null
        if usingDictionary {
            if physical == .byteArray {
                bytesDictionary = ByteStringInterner<Int32>()
            } else {
                fixedDictionary = FixedWidthDictionary(width: plan.conversion.fixedWidth ?? 4)
            }
        }
    }

    /// The codec that compresses pages, nil for none.
    static func codec(_ compression: ParquetCompression, level: Int?, column: String) throws(ParquetError) -> (any CompressionCodec)? {
        switch compression {
        case .uncompressed: return nil
        case .snappy: return SnappyCodec()
        case .zstd: return ZstdCodec(level: level ?? 1)
        case .gzip: return GzipCodec(level: level ?? 6)
        case .lz4Raw: return LZ4RawCodec()
        default:
            throw ParquetError(.unsupported("column \(column): writing codec \(compression) (write with none, snappy, zstd, gzip or lz4_raw)"))
        }
    }

    /// Refuses an encoding the physical type cannot take.
    static func check(_ encoding: ParquetEncoding, physical: ParquetPhysicalType, column: String) throws(ParquetError) {
        let fits: Bool
        switch encoding {
        case .plain: fits = true
        case .deltaBinaryPacked: fits = physical == .int32 || physical == .int64
        case .deltaLengthByteArray: fits = physical == .byteArray
        case .deltaByteArray: fits = physical == .byteArray || physical == .fixedLenByteArray
        case .byteStreamSplit: fits = [.int32, .int64, .float, .double, .fixedLenByteArray].contains(physical)
        case .rleDictionary, .plainDictionary:
            throw ParquetError(.invalidInput("column \(column): dictionary encoding is the `dictionary` option, not a value encoding"))
        default: fits = false
        }
        guard fits else {
            throw ParquetError(.invalidInput("column \(column): encoding \(encoding) cannot hold \(physical) values"))
        }
    }

    private var valueEncoding: ParquetEncoding { settings.encoding }

    /// The estimated bytes of the page being filled.
    private var pendingBytes: Int {
        if usingDictionary {
            let entries = fixedDictionary?.count ?? bytesDictionary?.count ?? 0
            return pendingIndices.count * Swift.max(1, Self.bitWidth(entries)) / 8 + pendingLevels / 4
        }
        if physical == .boolean { return pendingBitCount / 8 + pendingLevels / 4 }
        return pendingValues.count + pendingOffsets.count * 4 + pendingLevels / 4
    }

    static func bitWidth(_ count: Int) -> Int {
        count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
    }

    // MARK: - Appending

    /// Adds a shredded piece of the column (one batch's worth).
    mutating func append(_ leaf: ShreddedLeaf) throws(ParquetError) {
        let values = leaf.values
        var dictionaryValues: ArrayData?
        if case .dictionary = values.type { dictionaryValues = values.dictionary }
        let source = LeafValues(array: values, selection: leaf.selection, conversion: plan.conversion)
        let hasDefinitions = maxDefinition > 0
        let hasRepetitions = maxRepetition > 0
        var entry = 0
        var position = 0
        let width = plan.conversion.fixedWidth
        while entry < leaf.levelCount {
            // Room left in the page being filled.
            let roomRows = settings.dataPageRows - pendingRows
            let roomBytes = settings.dataPageBytes - pendingBytes
            if pendingLevels > 0 && (roomRows <= 0 || roomBytes <= 0) {
                try flushPage()
                continue
            }
            // Take entries up to the room, ending on a row boundary.
            var end = entry
            var taken = 0
            var rows = 0
            var bytes = 0
            let perValue: Int
            if usingDictionary {
                perValue = 1
            } else if physical == .boolean {
                perValue = 0
            } else {
                perValue = width ?? 0
            }
            let dense = !hasRepetitions && leaf.selection.count == leaf.levelCount
            if dense && perValue > 0 && physical != .byteArray {
                // Flat required fixed width: arithmetic.
                let byRows = roomRows
                let byBytes = Swift.max(1, roomBytes / perValue)
                let n = Swift.min(leaf.levelCount - entry, Swift.max(1, Swift.min(byRows, byBytes)))
                end = entry + n
                taken = n
                rows = n
            } else {
                let isBytes = physical == .byteArray && !usingDictionary && dictionaryValues == nil
                func walk(_ access: ByteArrayAccess?) {
                    while end < leaf.levelCount {
                        let startsRow = !hasRepetitions || leaf.repetitionLevels[end] == 0
                        if startsRow {
                            if rows >= Swift.max(1, roomRows) || (rows > 0 && bytes >= roomBytes) { break }
                            rows += 1
                        }
                        if !hasDefinitions || leaf.definitionLevels[end] == maxDefinition {
                            if let access {
                                bytes += 4 + access.value(source.slot(position + taken)).count
                            } else {
                                bytes += perValue
                            }
                            taken += 1
                        }
                        end += 1
                    }
                }
                if isBytes {
                    source.withByteArrays { walk($0) }
                } else {
                    walk(nil)
                }
            }
            // A full page of a required fixed-width column in PLAIN: its body is the Arrow buffer.
            if pendingLevels == 0, taken == end - entry, !usingDictionary, dictionaryValues == nil, valueEncoding == .plain,
               !hasRepetitions, !hasDefinitions || codec == nil || settings.pageVersion == .v2,
               taken >= settings.dataPageRows || taken * (width ?? 0) >= settings.dataPageBytes,
               let borrowed = source.borrowed(position, position + taken) {
                try writeBorrowedPage(source, borrowed, position ..< position + taken)
                entry = end
                position += taken
                continue
            }
            try appendRange(leaf, source: source, dictionaryValues: dictionaryValues,
                            entries: entry ..< end, positions: position ..< position + taken, rows: rows)
            entry = end
            position += taken
            if pendingRows >= settings.dataPageRows || pendingBytes >= settings.dataPageBytes {
                try flushPage()
            }
            if usingDictionary && dictionaryBytes > settings.dictionaryPageBytes {
                try fallBackToPlain()
            }
        }
        totalRows += leaf.rowCount
    }

    /// The PLAIN bytes of the dictionary page so far.
    private var dictionaryBytes: Int {
        if let fixedDictionary { return fixedDictionary.byteCount }
        if let bytesDictionary { return bytesDictionary.data.count + 4 * bytesDictionary.count }
        return 0
    }

    /// Adds entries `entries` of `leaf` (with values `positions`) to the page being filled.
    private mutating func appendRange(_ leaf: ShreddedLeaf, source: LeafValues, dictionaryValues: ArrayData?,
                                      entries: Range<Int>, positions: Range<Int>, rows: Int) throws(ParquetError) {
        if maxDefinition > 0 {
            leaf.definitionLevels.withUnsafeBufferPointer { d in
                pendingDefinitions.append(contentsOf: UnsafeBufferPointer(rebasing: d[entries]))
            }
        }
        if maxRepetition > 0 {
            leaf.repetitionLevels.withUnsafeBufferPointer { r in
                pendingRepetitions.append(contentsOf: UnsafeBufferPointer(rebasing: r[entries]))
            }
        }
        let nulls = entries.count - positions.count
        pendingNulls += maxDefinition > 0 ? nulls : 0
        pageStatistics.addNulls(maxDefinition > 0 ? nulls : 0)
        pendingLevels += entries.count
        pendingRows += rows
        pendingValueCount += positions.count
        guard !positions.isEmpty else { return }
        let a = positions.lowerBound, b = positions.upperBound

        if let dictionaryValues {
            try appendDictionaryIndices(source: source, dictionary: dictionaryValues, a, b)
            return
        }
        if usingDictionary {
            if let fixed = fixedDictionary {
                var dictionary = fixed
                fixedDictionary = nil
                defer { fixedDictionary = dictionary }
                if source.keepsBytes, let slots = source.slotRange(a, b), let width = plan.conversion.fixedWidth {
                    source.array.buffers[0].withUnsafeBytes { raw in
                        dictionary.intern(raw.baseAddress! + (source.array.offset + slots.lowerBound) * width, count: b - a, ids: &pendingIndices)
                    }
                } else {
                    var scratch = Vec64<UInt8>()
                    source.appendFixed(a, b, to: &scratch)
                    scratch.withUnsafeBytes { raw in
                        dictionary.intern(raw.baseAddress!, count: b - a, ids: &pendingIndices)
                    }
                }
                return
            }
            if var interner = bytesDictionary {
                bytesDictionary = nil
                defer { bytesDictionary = interner }
                try source.withByteArrays { (access) throws(ParquetError) in
                    pendingIndices.reserveCapacity(pendingIndices.count + (b - a))
                    for p in a..<b {
                        guard let id = interner.intern(access.value(source.slot(p))) else {
                            throw ParquetError(.limitExceeded("column \(plan.dottedPath): dictionary over 2 GiB"))
                        }
                        pendingIndices.append(id)
                    }
                }
                return
            }
        }
        try appendPlain(source, a, b)
    }

    /// Appends values `a..<b` of `source` unencoded (PLAIN bytes, raw bytes or bits), with
    /// their statistics.
    private mutating func appendPlain(_ source: LeafValues, _ a: Int, _ b: Int) throws(ParquetError) {
        switch physical {
        case .boolean:
            source.appendBits(a, b, to: &pendingValues, bitCount: pendingBitCount)
            pendingBitCount += b - a
            if settings.statistics {
                let trues = source.trueCount(a, b)
                pageStatistics.addBooleans(trueCount: trues, falseCount: (b - a) - trues)
            }
        case .byteArray:
            let delta = valueEncoding == .deltaLengthByteArray || valueEncoding == .deltaByteArray
            try source.withByteArrays { (access) throws(ParquetError) in
                for p in a..<b {
                    let value = access.value(source.slot(p))
                    guard value.count <= Int(Int32.max) else {
                        throw ParquetError(.limitExceeded("column \(plan.dottedPath): a value of \(value.count) bytes (BYTE_ARRAY holds less than 2 GiB)"))
                    }
                    if delta {
                        if pendingOffsets.isEmpty { pendingOffsets.append(0) }
                        pendingValues.append(contentsOf: value.bindMemory(to: UInt8.self))
                        guard pendingValues.count <= Int(Int32.max) else {
                            throw ParquetError(.limitExceeded("column \(plan.dottedPath): a page over 2 GiB"))
                        }
                        pendingOffsets.append(Int32(pendingValues.count))
                    } else {
                        withUnsafeBytes(of: UInt32(value.count).littleEndian) { pendingValues.append(contentsOf: $0.bindMemory(to: UInt8.self)) }
                        pendingValues.append(contentsOf: value.bindMemory(to: UInt8.self))
                    }
                    if settings.statistics { pageStatistics.add(bytes: value) }
                }
            }
        default:
            let start = pendingValues.count
            source.appendFixed(a, b, to: &pendingValues)
            if settings.statistics { addFixedStatistics(pendingValues, from: start) }
        }
    }

    /// Feeds the fixed-width values of `bytes` from byte `start` on to the page statistics.
    private mutating func addFixedStatistics(_ bytes: Vec64<UInt8>, from start: Int) {
        bytes.withUnsafeBytes { raw in
            let region = UnsafeRawBufferPointer(rebasing: raw[start...])
            switch physical {
            case .int32: pageStatistics.add(region.bindMemory(to: Int32.self))
            case .int64: pageStatistics.add(region.bindMemory(to: Int64.self))
            case .float: pageStatistics.add(region.bindMemory(to: Float.self))
            case .double: pageStatistics.add(region.bindMemory(to: Double.self))
            default:
                let width = plan.conversion.fixedWidth ?? 1
                var p = 0
                while p + width <= region.count {
                    pageStatistics.add(bytes: UnsafeRawBufferPointer(rebasing: region[p ..< p + width]))
                    p += width
                }
            }
        }
    }

    /// Arrow dictionary input: the indices of values `a..<b` mapped into the chunk's dictionary
    /// (each distinct Arrow dictionary is added once, not each value hashed), or, without a
    /// chunk dictionary, the values looked up and appended unencoded.
    private mutating func appendDictionaryIndices(source: LeafValues, dictionary: ArrayData, _ a: Int, _ b: Int) throws(ParquetError) {
        let indices = source.array
        func arrowIndex(_ p: Int) -> Int { indices.integerValue(at: source.slot(p)) }
        guard usingDictionary else {
            // Look the values up: a selection of the dictionary's slots.
            var slots = Vec64<Int>(minimumCapacity: b - a)
            for p in a..<b { slots.append(arrowIndex(p)) }
            try appendPlain(LeafValues(array: dictionary, selection: .indices(slots), conversion: plan.conversion), 0, b - a)
            return
        }
        let identity = ObjectIdentifier(dictionary)
        if arrowDictionary?.identity != identity {
            var remap = Vec64<Int32>(minimumCapacity: dictionary.length)
            let all = LeafValues(array: dictionary, selection: .range(0 ..< dictionary.length), conversion: plan.conversion)
            if var fixed = fixedDictionary {
                fixedDictionary = nil
                var scratch = Vec64<UInt8>()
                all.appendFixed(0, dictionary.length, to: &scratch)
                scratch.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { fixed.intern(base, count: dictionary.length, ids: &remap) }
                }
                fixedDictionary = fixed
            } else if var interner = bytesDictionary {
                bytesDictionary = nil
                defer { bytesDictionary = interner }
                try all.withByteArrays { (access) throws(ParquetError) in
                    for slot in 0..<dictionary.length {
                        guard let id = interner.intern(access.value(slot)) else {
                            throw ParquetError(.limitExceeded("column \(plan.dottedPath): dictionary over 2 GiB"))
                        }
                        remap.append(id)
                    }
                }
            }
            arrowDictionary = (identity, remap)
        }
        let remap = arrowDictionary!.remap
        pendingIndices.reserveCapacity(pendingIndices.count + (b - a))
        for p in a..<b {
            let index = arrowIndex(p)
            guard index >= 0 && index < remap.count else {
                throw ParquetError(.invalidInput("column \(plan.dottedPath): dictionary index \(index) outside a dictionary of \(remap.count)"))
            }
            pendingIndices.append(remap[index])
        }
    }

    /// Writes values `positions` of `source` (a column without repetition whose entries here are
    /// all values: required, or optional without nulls) as one PLAIN page whose values are
    /// `borrowed`, a slice of the Arrow buffer: written by reference without compression, and
    /// read by the compressor in place with one (v2 pages, or v1 pages without levels).
    private mutating func writeBorrowedPage(_ source: LeafValues, _ borrowed: Buffer, _ positions: Range<Int>) throws(ParquetError) {
        if settings.statistics {
            borrowed.withUnsafeBytes { raw in
                switch physical {
                case .int32: pageStatistics.add(raw.bindMemory(to: Int32.self))
                case .int64: pageStatistics.add(raw.bindMemory(to: Int64.self))
                case .float: pageStatistics.add(raw.bindMemory(to: Float.self))
                case .double: pageStatistics.add(raw.bindMemory(to: Double.self))
                default:
                    let width = plan.conversion.fixedWidth ?? 1
                    var p = 0
                    while p + width <= raw.count {
                        pageStatistics.add(bytes: UnsafeRawBufferPointer(rebasing: raw[p ..< p + width]))
                        p += width
                    }
                }
            }
        }
        if !encodings.contains(.plain) { encodings.append(.plain) }
        let n = positions.count
        var levels = Vec64<UInt8>()
        if maxDefinition > 0 {
            levels = encodeLevels(Vec64(repeating: maxDefinition, count: 1), count: n, maximum: maxDefinition,
                                  prefixed: settings.pageVersion == .v1)
            if !encodings.contains(.rle) { encodings.append(.rle) }
        }
        let values = codec == nil ? borrowed : try borrowed.withUnsafeBytes { (b) throws(ParquetError) in try compress(b) }
        var body: [Buffer] = levels.isEmpty ? [values] : [levels.freeze(), values]
        var header: ParquetPageHeader
        let bodySize = body.reduce(0) { $0 + $1.count }
        if settings.pageVersion == .v2 {
            header = ParquetPageHeader(type: .dataPageV2, uncompressedSize: levels.count + borrowed.count, compressedSize: bodySize)
            header.dataPageV2 = .init(valueCount: n, nullCount: 0, rowCount: n, encoding: .plain, definitionLevelsByteLength: levels.count,
                                      repetitionLevelsByteLength: 0, isCompressed: codec != nil)
        } else {
            header = ParquetPageHeader(type: .dataPage, uncompressedSize: levels.count + borrowed.count, compressedSize: bodySize)
            header.dataPage = .init(valueCount: n, encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
        }
        if body.isEmpty { body = [Buffer()] }
        pendingLevels = n
        try writePage(header, body: body, uncompressedSize: levels.count + borrowed.count, rows: n)
        pendingLevels = 0
    }

    /// The dictionary grew past its limit: the page being filled is written dictionary-encoded,
    /// and the rest of the chunk goes unencoded (PLAIN or the column's encoding).
    private mutating func fallBackToPlain() throws(ParquetError) {
        try flushPage()
        usingDictionaryAfterFallback = true
        usingDictionary = false
        arrowDictionary = nil
    }

    /// Whether the chunk has a dictionary page for its first pages.
    private var usingDictionaryAfterFallback = false

    // MARK: - Pages

    /// Encodes the levels with the RLE/bit-packed hybrid (length-prefixed for v1 pages).
    private func encodeLevels(_ levels: Vec64<Int16>, count: Int? = nil, maximum: Int16, prefixed: Bool) -> Vec64<UInt8> {
        let bitWidth = Self.bitWidth(Int(maximum) + 1)
        // All levels alike (no nulls, no lists): one RLE run, without feeding each level.
        // `count` repeats a single given level that many times.
        let uniform = count != nil || levels.withUnsafeBufferPointer { l -> Bool in
            guard let first = l.first else { return false }
            var same = true
            for v in l where v != first { same = false; break }
            return same
        }
        let total = count ?? levels.count
        if uniform && total <= Int(Int32.max) {
            var out = Vec64<UInt8>()
            if prefixed { out.append(contentsOf: [0, 0, 0, 0]) }
            Varint.append(UInt64(total) << 1, to: &out)
            var value = UInt16(bitPattern: levels[0])
            for _ in 0..<((bitWidth + 7) / 8) {
                out.append(UInt8(truncatingIfNeeded: value))
                value >>= 8
            }
            if prefixed {
                let length = UInt32(out.count - 4).littleEndian
                out.withUnsafeMutableBufferPointer { o in
                    withUnsafeBytes(of: length) { for k in 0..<4 { o[k] = $0[k] } }
                }
            }
            return out
        }
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        levels.withUnsafeBufferPointer { encoder.append(contentsOf: $0) }
        return prefixed ? encoder.finishLengthPrefixed() : encoder.finish()
    }

    /// The values section of the page being filled, with its encoding.
    private mutating func encodeValues() throws(ParquetError) -> (Vec64<UInt8>, ParquetEncoding) {
        if usingDictionary {
            let entries = fixedDictionary?.count ?? bytesDictionary?.count ?? 0
            let width = Swift.max(1, Self.bitWidth(entries))
            var encoder = RLEBitPackedHybridEncoder(bitWidth: width)
            pendingIndices.withUnsafeBufferPointer { encoder.append(contentsOf: $0) }
            var out = Vec64<UInt8>()
            out.append(UInt8(width))
            let runs = encoder.finish()
            runs.withUnsafeBufferPointer { out.append(contentsOf: $0) }
            return (out, .rleDictionary)
        }
        switch valueEncoding {
        case .deltaBinaryPacked:
            var out = Vec64<UInt8>()
            pendingValues.withUnsafeBytes { raw in
                if physical == .int32 {
                    DeltaBinaryPackedEncoder.encode(raw.bindMemory(to: Int32.self), to: &out)
                } else {
                    DeltaBinaryPackedEncoder.encode(raw.bindMemory(to: Int64.self), to: &out)
                }
            }
            return (out, .deltaBinaryPacked)
        case .byteStreamSplit:
            var out = Vec64<UInt8>()
            let width = plan.conversion.fixedWidth ?? 4
            pendingValues.withUnsafeBytes { ByteStreamSplit.encode($0, byteWidth: width, to: &out) }
            return (out, .byteStreamSplit)
        case .deltaLengthByteArray, .deltaByteArray:
            var offsets = pendingOffsets
            if physical == .fixedLenByteArray {
                let width = plan.conversion.fixedWidth ?? 1
                offsets = Vec64((0...(pendingValueCount)).map { Int32($0 * width) })
            } else if offsets.isEmpty {
                offsets.append(0)
            }
            var out = Vec64<UInt8>()
            let encoding = valueEncoding
            try offsets.withUnsafeBufferPointer { (o) throws(ParquetError) in
                try pendingValues.withUnsafeBytes { (d) throws(ParquetError) in
                    if encoding == .deltaLengthByteArray {
                        try DeltaLengthByteArray.encode(offsets: o, data: d, to: &out)
                    } else {
                        try DeltaByteArray.encode(offsets: o, data: d, to: &out)
                    }
                }
            }
            return (out, encoding)
        default:
            return (pendingValues, .plain)
        }
    }

    /// Compresses `body` with the column's codec (or returns it as it is).
    private func compress(_ body: UnsafeRawBufferPointer) throws(ParquetError) -> Buffer {
        guard let codec else { return Buffer(copying: body) }
        var out = Vec64<UInt8>(minimumCapacity: body.count / 2 + 64)
        do { try codec.compress(body, into: &out) } catch { throw ParquetError(.codec(error), column: plan.dottedPath) }
        return out.freeze()
    }

    /// Writes the page being filled, if any.
    private mutating func flushPage() throws(ParquetError) {
        guard pendingLevels > 0 else { return }
        let (values, encoding) = try encodeValues()
        if !encodings.contains(encoding) { encodings.append(encoding) }
        if (maxDefinition > 0 || maxRepetition > 0) && !encodings.contains(.rle) { encodings.append(.rle) }
        // Statistics of dictionary-encoded pages: the distinct values the page uses.
        if usingDictionary && settings.statistics { addDictionaryPageStatistics() }

        let body: Buffer
        let uncompressedSize: Int
        var header: ParquetPageHeader
        if settings.pageVersion == .v2 {
            let repetitions = maxRepetition > 0 ? encodeLevels(pendingRepetitions, maximum: maxRepetition, prefixed: false) : Vec64()
            let definitions = maxDefinition > 0 ? encodeLevels(pendingDefinitions, maximum: maxDefinition, prefixed: false) : Vec64()
            let compressed = try values.withUnsafeBytes { (v) throws(ParquetError) in try compress(v) }
            var joined = Vec64<UInt8>(minimumCapacity: repetitions.count + definitions.count + compressed.count)
            repetitions.withUnsafeBufferPointer { joined.append(contentsOf: $0) }
            definitions.withUnsafeBufferPointer { joined.append(contentsOf: $0) }
            joined.append(bytesOf: compressed)
            body = joined.freeze()
            uncompressedSize = repetitions.count + definitions.count + values.count
            header = ParquetPageHeader(type: .dataPageV2, uncompressedSize: uncompressedSize, compressedSize: body.count)
            header.dataPageV2 = .init(valueCount: pendingLevels, nullCount: pendingNulls, rowCount: pendingRows, encoding: encoding,
                                      definitionLevelsByteLength: definitions.count, repetitionLevelsByteLength: repetitions.count,
                                      isCompressed: codec != nil)
        } else {
            var page = Vec64<UInt8>()
            if maxRepetition > 0 { encodeLevels(pendingRepetitions, maximum: maxRepetition, prefixed: true).withUnsafeBufferPointer { page.append(contentsOf: $0) } }
            if maxDefinition > 0 { encodeLevels(pendingDefinitions, maximum: maxDefinition, prefixed: true).withUnsafeBufferPointer { page.append(contentsOf: $0) } }
            if page.isEmpty {
                body = try values.withUnsafeBytes { (v) throws(ParquetError) in try compressOrBorrow(v, values) }
                uncompressedSize = values.count
            } else {
                values.withUnsafeBufferPointer { page.append(contentsOf: $0) }
                body = try page.withUnsafeBytes { (p) throws(ParquetError) in try compressOrBorrow(p, page) }
                uncompressedSize = page.count
            }
            header = ParquetPageHeader(type: .dataPage, uncompressedSize: uncompressedSize, compressedSize: body.count)
            header.dataPage = .init(valueCount: pendingLevels, encoding: encoding, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
        }
        try writePage(header, body: body, uncompressedSize: uncompressedSize, rows: pendingRows)
        pendingDefinitions.removeAll()
        pendingRepetitions.removeAll()
        pendingValues = Vec64()
        pendingOffsets.removeAll()
        pendingIndices.removeAll()
        pendingLevels = 0
        pendingRows = 0
        pendingNulls = 0
        pendingValueCount = 0
        pendingBitCount = 0
    }

    /// The compressed form of `bytes`, or `storage` itself, frozen, when there is no codec.
    private func compressOrBorrow(_ bytes: UnsafeRawBufferPointer, _ storage: Vec64<UInt8>) throws(ParquetError) -> Buffer {
        codec == nil ? storage.freeze() : try compress(bytes)
    }

    /// Adds the distinct dictionary values the pending indices use to the page statistics.
    private mutating func addDictionaryPageStatistics() {
        let entries = fixedDictionary?.count ?? bytesDictionary?.count ?? 0
        guard entries > 0, !pendingIndices.isEmpty else { return }
        var used = Vec64<UInt8>(zeroedCount: entries)
        pendingIndices.withUnsafeBufferPointer { ids in
            used.withUnsafeMutableBufferPointer { u in for id in ids { u[Int(id)] = 1 } }
        }
        if let fixed = fixedDictionary {
            let width = fixed.width
            var picked = Vec64<UInt8>()
            fixed.values.withUnsafeBytes { v in
                for id in 0..<entries where used[id] != 0 {
                    picked.append(contentsOf: UnsafeBufferPointer(rebasing: v.bindMemory(to: UInt8.self)[(id * width) ..< ((id + 1) * width)]))
                }
            }
            addFixedStatistics(picked, from: 0)
        } else if let interner = bytesDictionary {
            interner.offsets.withUnsafeBufferPointer { o in
                interner.data.withUnsafeBytes { d in
                    for id in 0..<entries where used[id] != 0 {
                        let start = Int(o[id]), end = Int(o[id + 1])
                        pageStatistics.add(bytes: UnsafeRawBufferPointer(rebasing: d[start ..< end]))
                    }
                }
            }
        }
    }

    /// Appends a page (header and body) to the chunk, with its page-index entries.
    private mutating func writePage(_ header: ParquetPageHeader, body: Buffer, uncompressedSize: Int, rows: Int) throws(ParquetError) {
        try writePage(header, body: [body], uncompressedSize: uncompressedSize, rows: rows)
    }

    /// Appends a page whose body is `body`'s pieces back to back.
    private mutating func writePage(_ header: ParquetPageHeader, body: [Buffer], uncompressedSize: Int, rows: Int) throws(ParquetError) {
        var header = header
        try Self.checkPageSizes(header, column: plan.dottedPath)
        if settings.checksums {
            var crc = CRC32()
            for piece in body { piece.withUnsafeBytes { crc.update($0) } }
            header.crc = crc.value
        }
        let headerBytes = header.thriftEncoded().freeze()
        let bodySize = body.reduce(0) { $0 + $1.count }
        let location = ParquetPageLocation(offset: Int64(dataBytes), compressedPageSize: headerBytes.count + bodySize,
                                           firstRowIndex: Int64(pageFirstRow))
        dataPages.append(headerBytes)
        dataPages.append(contentsOf: body)
        dataBytes += headerBytes.count + bodySize
        uncompressedBytes += headerBytes.count + uncompressedSize
        totalLevels += pendingLevels
        pageFirstRow += rows
        pageLocations.append(location)
        if settings.pageIndex {
            let bounds = settings.statistics ? pageStatistics.columnIndexBounds() : nil
            columnIndex.nullPages.append(bounds == nil)
            columnIndex.minValues.append(bounds?.min ?? [])
            columnIndex.maxValues.append(bounds?.max ?? [])
            columnIndex.nullCounts?.append(Int64(pageStatistics.nullCount))
        }
        chunkStatistics.merge(pageStatistics)
        pageStatistics = StatisticsBuilder(physicalType: physical, sortOrder: sortOrder, typeLength: plan.descriptor.element.typeLength)
    }

    private var pageFirstRow = 0

    /// Page sizes and counts are 32-bit in the format: a page past them is an error, not a trap.
    static func checkPageSizes(_ header: ParquetPageHeader, column: String) throws(ParquetError) {
        let counts = [header.uncompressedSize, header.compressedSize, header.dataPage?.valueCount ?? 0,
                      header.dataPageV2?.valueCount ?? 0, header.dictionaryPage?.valueCount ?? 0]
        guard counts.allSatisfy({ $0 <= Int(Int32.max) }) else {
            throw ParquetError(.limitExceeded("column \(column): a page of \(header.uncompressedSize) bytes or more than 2^31 values"))
        }
    }

    // MARK: - Finishing

    /// Writes the last page and the dictionary page, and returns the chunk.
    mutating func finish() throws(ParquetError) -> EncodedColumnChunk {
        try flushPage()
        var pieces: [Buffer] = []
        var offset = 0
        var dictionaryPageOffset: Int64?
        var uncompressed = uncompressedBytes
        var allEncodings = encodings
        if usingDictionary || usingDictionaryAfterFallback {
            let (plain, count): (Vec64<UInt8>, Int)
            if let fixed = fixedDictionary {
                (plain, count) = (fixed.values, fixed.count)
            } else if let interner = bytesDictionary {
                var out = Vec64<UInt8>()
                try interner.offsets.withUnsafeBufferPointer { (o) throws(ParquetError) in
                    try interner.data.withUnsafeBytes { (d) throws(ParquetError) in try PlainByteArray.encode(offsets: o, data: d, to: &out) }
                }
                (plain, count) = (out, interner.count)
            } else {
                (plain, count) = (Vec64(), 0)
            }
            let body = try plain.withUnsafeBytes { (p) throws(ParquetError) in try compressOrBorrow(p, plain) }
            var header = ParquetPageHeader(type: .dictionaryPage, uncompressedSize: plain.count, compressedSize: body.count)
            header.dictionaryPage = .init(valueCount: count, encoding: .plain)
            try Self.checkPageSizes(header, column: plan.dottedPath)
            if settings.checksums {
                var crc = CRC32()
                body.withUnsafeBytes { crc.update($0) }
                header.crc = crc.value
            }
            let headerBytes = header.thriftEncoded().freeze()
            pieces = [headerBytes, body]
            dictionaryPageOffset = 0
            offset = headerBytes.count + body.count
            uncompressed += headerBytes.count + plain.count
            if !allEncodings.contains(.plain) { allEncodings.insert(.plain, at: 0) }
        }
        pieces += dataPages
        let locations = pageLocations.map {
            ParquetPageLocation(offset: $0.offset + Int64(offset), compressedPageSize: $0.compressedPageSize, firstRowIndex: $0.firstRowIndex)
        }
        var metadata = ParquetColumnMetadata(
            type: physical, encodings: allEncodings.isEmpty ? [.plain] : allEncodings, path: plan.descriptor.path,
            codec: settings.compression, valueCount: Int64(totalLevels),
            totalUncompressedSize: Int64(uncompressed), totalCompressedSize: Int64(offset + dataBytes),
            keyValueMetadata: [], dataPageOffset: Int64(offset))
        metadata.dictionaryPageOffset = dictionaryPageOffset
        if settings.statistics {
            metadata.statistics = chunkStatistics.statistics(maximumValueBytes: settings.maximumStatisticsBytes)
        }
        var index: ParquetColumnIndex?
        if settings.pageIndex {
            index = columnIndex
            index?.boundaryOrder = boundaryOrder()
        }
        return EncodedColumnChunk(pieces: pieces, byteCount: offset + dataBytes, metadata: metadata,
                                  pageLocations: locations, columnIndex: index)
    }

    /// The ColumnIndex's boundary order of the pages written.
    private func boundaryOrder() -> Int {
        BoundaryOrder.of(minValues: columnIndex.minValues, maxValues: columnIndex.maxValues, nullPages: columnIndex.nullPages,
                         order: sortOrder, physicalType: physical)
    }
}
