import LightstreamCodecs
import Vec64

/// A column chunk decoded to its levels and dense values.
struct DecodedColumnChunk: Sendable {
    /// One definition level per entry; empty when the column's maximum is 0.
    var definitionLevels = Vec64<UInt16>()
    /// One repetition level per entry; empty when the column's maximum is 0.
    var repetitionLevels = Vec64<UInt16>()
    /// The number of level entries (values including nulls).
    var levelCount = 0
    /// The non-null values, unless ``indices`` holds them.
    var values: ValueBuffer
    /// When every data page was dictionary-encoded and the caller asked to keep the dictionary:
    /// the index of each non-null value into ``dictionary``.
    var indices: Vec64<Int32>?
    var dictionary: ValueBuffer?
}

/// Reads the pages of one column chunk: page headers, CRCs, decompression, levels and values.
struct ColumnChunkDecoder {
    let descriptor: ParquetColumnDescriptor
    let options: ParquetReadOptions
    /// Whether byte arrays get 64-bit offsets.
    let largeOffsets: Bool
    /// Whether a dictionary-encoded chunk keeps its indices and dictionary.
    let keepDictionary: Bool
    /// Bytes a page may pass the chunk's declared end by, capped at `dataEnd` (old parquet-mr
    /// wrote chunk sizes that leave out part of the dictionary page header, as Arrow C++ allows).
    var chunkSlack = 0
    /// Where the pages end: the start of the footer.
    var dataEnd = Int.max

    var physical: ParquetPhysicalType { descriptor.physicalType }

    func valueKind() throws(ParquetError) -> ValueBuffer.Kind {
        switch physical {
        case .boolean: return .boolean
        case .int32, .float: return .fixed(byteWidth: 4)
        case .int64, .double: return .fixed(byteWidth: 8)
        case .int96: return .fixed(byteWidth: 12)
        case .fixedLenByteArray: return .fixed(byteWidth: descriptor.element.typeLength ?? 0)
        case .byteArray: return .byteArray(large: largeOffsets)
        default: throw ParquetError(.unsupported("physical type \(physical.rawValue)"))
        }
    }

    static func bitWidth(_ maxLevel: Int) -> Int {
        maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
    }

    /// Decodes the chunk whose pages lie in `file` as `metadata` says.
    /// - Parameter fileBuffer: the file's `Buffer` (whose bytes are `file`), so that the values of
    ///   an uncompressed single-page chunk can be handed over without a copy.
    func decode(file: UnsafeRawBufferPointer, fileBuffer: Buffer? = nil, metadata: ParquetColumnMetadata) throws(ParquetError) -> DecodedColumnChunk {
        guard metadata.type == physical else {
            throw ParquetError(.corruptMetadata("chunk type \(metadata.type) differs from the schema's \(physical)"))
        }
        if metadata.valueCount == 0 {
            var empty = DecodedColumnChunk(values: ValueBuffer(kind: try valueKind()))
            empty.values.finishOffsets()
            return empty
        }
        let decompressor = try PageDecompressor(metadata.codec)
        var start = metadata.dataPageOffset
        if let dictionaryOffset = metadata.dictionaryPageOffset, dictionaryOffset > 0, dictionaryOffset < start {
            start = dictionaryOffset
        }
        let length = metadata.totalCompressedSize
        guard start >= 4, length >= 0, start <= Int64(file.count), length <= Int64(file.count) - start else {
            throw ParquetError(.corruptMetadata("column chunk at \(start) of \(length) bytes lies outside the file of \(file.count) bytes"))
        }
        guard metadata.valueCount >= 0 else { throw ParquetError(.corruptMetadata("chunk num_values \(metadata.valueCount)")) }
        guard metadata.valueCount <= Int64(options.maximumChunkValues) else {
            throw ParquetError(.limitExceeded("column chunk of \(metadata.valueCount) values; maximumChunkValues is \(options.maximumChunkValues)"))
        }
        let end = min(Int(start + length) + chunkSlack, max(dataEnd, Int(start + length)))
        var position = Int(start)

        var chunk = DecodedColumnChunk(values: ValueBuffer(kind: try valueKind()))
        if let fileBuffer, let borrowed = try borrowSinglePage(file, fileBuffer, metadata: metadata, start: Int(start), end: end) {
            chunk.values.borrowed = borrowed
            chunk.values.count = Int(metadata.valueCount)
            chunk.levelCount = Int(metadata.valueCount)
            return chunk
        }
        reserve(&chunk, values: Int(metadata.valueCount), metadata: metadata)
        var dictionary: ValueBuffer?
        var indices: Vec64<Int32>? = keepDictionary ? Vec64<Int32>() : nil
        var scratch = Vec64<UInt8>()
        var pageIndex = 0
        let expected = Int(metadata.valueCount)

        while chunk.levelCount < expected && position < end {
            do throws(ParquetError) {
                var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: file[position..<end]))
                let header = try ParquetPageHeader(reading: &reader)
                let bodyStart = position + reader.position
                guard header.compressedSize <= end - bodyStart else {
                    throw ParquetError(.corruptPage("page of \(header.compressedSize) bytes passes the chunk's end (\(end - bodyStart) left)"))
                }
                guard header.uncompressedSize <= options.maximumPageBytes else {
                    throw ParquetError(.limitExceeded("page of \(header.uncompressedSize) bytes; maximumPageBytes is \(options.maximumPageBytes)"))
                }
                let body = UnsafeRawBufferPointer(rebasing: file[bodyStart..<(bodyStart + header.compressedSize)])
                position = bodyStart + header.compressedSize
                if options.verifyChecksums, let crc = header.crc, CRC32.checksum(body) != crc {
                    throw ParquetError(.checksumMismatch)
                }
                switch header.type {
                case .dictionaryPage:
                    guard let info = header.dictionaryPage else { throw ParquetError(.corruptPage("dictionary page without its header")) }
                    guard dictionary == nil else { throw ParquetError(.corruptPage("second dictionary page in a column chunk")) }
                    guard info.encoding == .plain || info.encoding == .plainDictionary else {
                        throw ParquetError(.unsupported("dictionary page encoding \(info.encoding)"))
                    }
                    guard chunk.levelCount == 0 else { throw ParquetError(.corruptPage("dictionary page after data pages")) }
                    scratch.removeAll()
                    try decompressor.decompress(body, size: header.uncompressedSize, into: &scratch)
                    var values = ValueBuffer(kind: try valueKind())
                    try scratch.withUnsafeBufferPointer { (raw) throws(ParquetError) in
                        _ = try ValueDecoding.plain(UnsafeRawBufferPointer(raw), count: info.valueCount, into: &values)
                    }
                    values.finishOffsets()
                    dictionary = values
                case .dataPage:
                    guard let info = header.dataPage else { throw ParquetError(.corruptPage("data page without its header")) }
                    try checkPageValues(info.valueCount, chunk.levelCount, expected)
                    if descriptor.maxRepetitionLevel == 0 && descriptor.maxDefinitionLevel == 0 && indices == nil,
                       try decodePlainInPlace(body, info.encoding, count: info.valueCount, size: header.uncompressedSize,
                                              decompressor, into: &chunk.values) {
                        chunk.levelCount += info.valueCount
                        pageIndex += 1
                        continue
                    }
                    scratch.removeAll()
                    try decompressor.decompress(body, size: header.uncompressedSize, into: &scratch)
                    try scratch.withUnsafeBufferPointer { (raw) throws(ParquetError) in
                        let page = UnsafeRawBufferPointer(raw)
                        var offset = 0
                        if descriptor.maxRepetitionLevel > 0 {
                            offset += try decodeLevels(page, info.repetitionLevelEncoding, count: info.valueCount,
                                                       maxLevel: descriptor.maxRepetitionLevel, into: &chunk.repetitionLevels)
                        }
                        var nonNull = info.valueCount
                        if descriptor.maxDefinitionLevel > 0 {
                            let before = chunk.definitionLevels.count
                            offset += try decodeLevels(UnsafeRawBufferPointer(rebasing: page[offset...]), info.definitionLevelEncoding,
                                                       count: info.valueCount, maxLevel: descriptor.maxDefinitionLevel,
                                                       into: &chunk.definitionLevels)
                            nonNull = countDefined(chunk.definitionLevels, from: before)
                        }
                        try decodeValues(UnsafeRawBufferPointer(rebasing: page[offset...]), info.encoding, count: nonNull,
                                         dictionary: dictionary, values: &chunk.values, indices: &indices)
                    }
                    chunk.levelCount += info.valueCount
                case .dataPageV2:
                    guard let info = header.dataPageV2 else { throw ParquetError(.corruptPage("data page v2 without its header")) }
                    try checkPageValues(info.valueCount, chunk.levelCount, expected)
                    let levelBytes = info.repetitionLevelsByteLength + info.definitionLevelsByteLength
                    guard levelBytes <= body.count, levelBytes <= header.uncompressedSize else {
                        throw ParquetError(.corruptPage("levels of \(levelBytes) bytes in a page of \(body.count)"))
                    }
                    if descriptor.maxRepetitionLevel > 0 {
                        try decodeLevelsV2(UnsafeRawBufferPointer(rebasing: body[0..<info.repetitionLevelsByteLength]), count: info.valueCount,
                                           maxLevel: descriptor.maxRepetitionLevel, into: &chunk.repetitionLevels)
                    }
                    var nonNull = info.valueCount
                    if descriptor.maxDefinitionLevel > 0 {
                        let before = chunk.definitionLevels.count
                        try decodeLevelsV2(UnsafeRawBufferPointer(rebasing: body[info.repetitionLevelsByteLength..<levelBytes]),
                                           count: info.valueCount, maxLevel: descriptor.maxDefinitionLevel, into: &chunk.definitionLevels)
                        nonNull = countDefined(chunk.definitionLevels, from: before)
                    }
                    let valueBytes = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
                    let valueSize = header.uncompressedSize - levelBytes
                    if indices == nil, info.isCompressed,
                       try decodePlainInPlace(valueBytes, info.encoding, count: nonNull, size: valueSize, decompressor, into: &chunk.values) {
                        // Decompressed straight into the column's values.
                    } else if info.isCompressed && decompressor.compression != .uncompressed {
                        scratch.removeAll()
                        try decompressor.decompress(valueBytes, size: valueSize, into: &scratch)
                        try scratch.withUnsafeBufferPointer { (raw) throws(ParquetError) in
                            try decodeValues(UnsafeRawBufferPointer(raw), info.encoding, count: nonNull,
                                             dictionary: dictionary, values: &chunk.values, indices: &indices)
                        }
                    } else {
                        try decodeValues(valueBytes, info.encoding, count: nonNull,
                                         dictionary: dictionary, values: &chunk.values, indices: &indices)
                    }
                    chunk.levelCount += info.valueCount
                default:
                    break   // index pages and unknown kinds are skipped
                }
            } catch {
                throw error.located(column: descriptor.dottedPath, page: pageIndex, offset: position)
            }
            pageIndex += 1
        }
        if descriptor.maxRepetitionLevel > 0, let first = chunk.repetitionLevels.first, first != 0 {
            throw ParquetError(.corruptPage("the repetition level at the start of the chunk is \(first), not 0"),
                               column: descriptor.dottedPath, page: 0)
        }
        guard chunk.levelCount == expected else {
            throw ParquetError(.corruptPage("column chunk holds \(chunk.levelCount) values, metadata says \(expected)"),
                               column: descriptor.dottedPath, page: pageIndex)
        }
        if let kept = indices, let dictionary {
            chunk.indices = kept
            chunk.dictionary = dictionary
        }
        chunk.values.finishOffsets()
        return chunk
    }

    /// The values of a chunk that is one uncompressed PLAIN data page of a required, flat,
    /// fixed-width column whose values lie 8-byte aligned in the file, as a slice of the file's
    /// memory (zero copy); nil for every other chunk, which the page loop reads.
    private func borrowSinglePage(_ file: UnsafeRawBufferPointer, _ fileBuffer: Buffer, metadata: ParquetColumnMetadata,
                                  start: Int, end: Int) throws(ParquetError) -> Buffer? {
        guard metadata.codec == .uncompressed, descriptor.maxDefinitionLevel == 0, descriptor.maxRepetitionLevel == 0,
              !keepDictionary, case .fixed(let width) = try valueKind(), width > 0, physical != .boolean,
              metadata.dictionaryPageOffset == nil || metadata.dictionaryPageOffset == 0 else { return nil }
        var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: file[start..<end]))
        guard let header = try? ParquetPageHeader(reading: &reader) else { return nil }   // the page loop reports it
        let bodyStart = start + reader.position
        let count = Int(metadata.valueCount)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, header.compressedSize == bytes, header.uncompressedSize == bytes,
              bytes <= end - bodyStart else { return nil }
        switch header.type {
        case .dataPage:
            guard let info = header.dataPage, info.valueCount == count, info.encoding == .plain else { return nil }
        case .dataPageV2:
            guard let info = header.dataPageV2, info.valueCount == count, info.encoding == .plain, info.nullCount == 0,
                  info.definitionLevelsByteLength == 0, info.repetitionLevelsByteLength == 0 else { return nil }
        default:
            return nil
        }
        let body = UnsafeRawBufferPointer(rebasing: file[bodyStart..<(bodyStart + bytes)])
        guard UInt(bitPattern: body.baseAddress) % 8 == 0 else { return nil }
        if options.verifyChecksums, let crc = header.crc, CRC32.checksum(body) != crc {
            throw ParquetError(.checksumMismatch, column: descriptor.dottedPath, page: 0, offset: start)
        }
        return fileBuffer.slice(bodyStart..<(bodyStart + bytes))
    }

    /// Reserves the chunk's buffers once instead of growing them page by page: levels and
    /// fixed-width values from the (already bounded) value count; byte-array data from the chunk's
    /// uncompressed size, but never more than 16 times the bytes the chunk takes in the file, so a
    /// lying size cannot make the reader allocate what the input cannot back.
    private func reserve(_ chunk: inout DecodedColumnChunk, values count: Int, metadata: ParquetColumnMetadata) {
        if descriptor.maxDefinitionLevel > 0 { chunk.definitionLevels.reserveCapacity(count) }
        if descriptor.maxRepetitionLevel > 0 { chunk.repetitionLevels.reserveCapacity(count) }
        switch chunk.values.kind {
        case .fixed(let width):
            let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
            let backed = Int(clamping: metadata.totalCompressedSize) * 16 + (1 << 20)
            if !keepDictionary && !overflow { chunk.values.data.reserveCapacity(Swift.min(bytes, backed, options.maximumChunkBytes)) }
        case .boolean:
            chunk.values.data.reserveCapacity((count + 7) / 8)
        case .byteArray(let large):
            if keepDictionary { return }
            if large { chunk.values.offsets64.reserveCapacity(count + 1) } else { chunk.values.offsets32.reserveCapacity(count + 1) }
            let backed = Int(clamping: metadata.totalCompressedSize) * 16 + (1 << 20)
            chunk.values.data.reserveCapacity(Swift.max(0, Swift.min(Int(clamping: metadata.totalUncompressedSize), backed)))
        }
    }

    /// PLAIN fixed-width values whose page holds nothing else are decompressed straight into the
    /// column's value buffer, saving a copy; false when the page is not of that kind.
    private func decodePlainInPlace(_ body: UnsafeRawBufferPointer, _ encoding: ParquetEncoding, count: Int, size: Int,
                                    _ decompressor: PageDecompressor, into values: inout ValueBuffer) throws(ParquetError) -> Bool {
        guard encoding == .plain, case .fixed(let width) = values.kind, width > 0,
              count.multipliedReportingOverflow(by: width) == (size, false) else { return false }
        try decompressor.decompress(body, size: size, into: &values.data)
        values.count += count
        return true
    }

    private func checkPageValues(_ count: Int, _ sofar: Int, _ expected: Int) throws(ParquetError) {
        guard count <= options.maximumPageValues else {
            throw ParquetError(.limitExceeded("page of \(count) values; maximumPageValues is \(options.maximumPageValues)"))
        }
        guard count <= expected - sofar else {
            throw ParquetError(.corruptPage("page of \(count) values passes the chunk's \(expected)"))
        }
    }

    /// The number of entries from `start` whose definition level is the maximum (values present).
    private func countDefined(_ levels: Vec64<UInt16>, from start: Int) -> Int {
        let maxLevel = UInt16(descriptor.maxDefinitionLevel)
        return levels.withUnsafeBufferPointer { l in
            var n = 0
            for i in start..<l.count where l[i] == maxLevel { n += 1 }
            return n
        }
    }

    /// Decodes data page v1 levels (RLE with a length prefix, or BIT_PACKED); returns the bytes used.
    private func decodeLevels(_ bytes: UnsafeRawBufferPointer, _ encoding: ParquetEncoding, count: Int, maxLevel: Int,
                              into levels: inout Vec64<UInt16>) throws(ParquetError) -> Int {
        let width = Self.bitWidth(maxLevel)
        let before = levels.count
        let used: Int
        switch encoding {
        case .rle:
            let (runs, consumed) = try RLEBitPackedHybridDecoder.lengthPrefixed(bytes)
            var decoder = try RLEBitPackedHybridDecoder(bytes: runs, bitWidth: width)
            try decoder.decode(count: count, appendingTo: &levels)
            used = consumed
        case .bitPacked:
            var consumed = 0
            try levels.appendUninitialized(count: count) { (buffer) throws(ParquetError) in
                do throws(ParquetError) {
                    consumed = try BitPackedLevels.decode(bytes, count: count, bitWidth: width, into: buffer.baseAddress!)
                } catch {
                    buffer.baseAddress!.initialize(repeating: 0, count: count)
                    throw error
                }
            }
            used = consumed
        default:
            throw ParquetError(.unsupported("level encoding \(encoding)"))
        }
        try checkLevels(levels, from: before, maxLevel: maxLevel)
        return used
    }

    /// Decodes data page v2 levels (RLE without a length prefix, in a section of known size).
    private func decodeLevelsV2(_ bytes: UnsafeRawBufferPointer, count: Int, maxLevel: Int, into levels: inout Vec64<UInt16>) throws(ParquetError) {
        let before = levels.count
        var decoder = try RLEBitPackedHybridDecoder(bytes: bytes, bitWidth: Self.bitWidth(maxLevel))
        try decoder.decode(count: count, appendingTo: &levels)
        try checkLevels(levels, from: before, maxLevel: maxLevel)
    }

    private func checkLevels(_ levels: Vec64<UInt16>, from start: Int, maxLevel: Int) throws(ParquetError) {
        let bound = UInt16(maxLevel)
        let bad: Int? = levels.withUnsafeBufferPointer { l in
            var worst: UInt16 = 0
            for i in start..<l.count { worst = Swift.max(worst, l[i]) }
            return worst > bound ? Int(worst) : nil
        }
        if let bad { throw ParquetError(.corruptPage("level \(bad) beyond the maximum \(maxLevel)")) }
    }

    /// Decodes `count` non-null values of a data page.
    private func decodeValues(_ bytes: UnsafeRawBufferPointer, _ encoding: ParquetEncoding, count: Int,
                              dictionary: ValueBuffer?, values: inout ValueBuffer,
                              indices: inout Vec64<Int32>?) throws(ParquetError) {
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetError(.corruptPage("dictionary-encoded page without a dictionary page")) }
            if count == 0 { return }
            var decoder = try RLEBitPackedHybridDecoder.dictionaryIndices(bytes)
            if indices != nil {
                let before = indices!.count
                try decoder.decode(count: count, appendingTo: &indices!)
                try indices!.withUnsafeBufferPointer { (all) throws(ParquetError) in
                    try DictionaryIndices.check(UnsafeBufferPointer(rebasing: all[before...]), dictionaryCount: dictionary.count)
                }
                return
            }
            var scratch = Vec64<Int32>()
            try decoder.decode(count: count, appendingTo: &scratch)
            try scratch.withUnsafeBufferPointer { (all) throws(ParquetError) in
                try DictionaryIndices.check(all, dictionaryCount: dictionary.count)
                try values.appendGathering(all, from: dictionary, maximumBytes: options.maximumChunkBytes)
            }
        default:
            if var kept = indices {
                // A fallback page after dictionary pages: materialise what was kept, then go on plainly.
                if let dictionary {
                    try kept.withUnsafeBufferPointer { (all) throws(ParquetError) in
                        try values.appendGathering(all, from: dictionary, maximumBytes: options.maximumChunkBytes)
                    }
                }
                kept.removeAll()
                indices = nil
            }
            _ = try ValueDecoding.decode(bytes, encoding, count: count, physical: physical, into: &values,
                                         maximumBytes: options.maximumChunkBytes)
        }
    }
}
