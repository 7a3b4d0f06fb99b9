import Foundation
import Testing
import Vec64
@testable import LightstreamParquet

// MARK: - Helpers

/// Runs `body` over a reader of `bytes` and checks that it consumed all of them.
private func decode<T>(_ bytes: Vec64<UInt8>, _ body: (inout ThriftCompactReader) throws(ParquetError) -> T) throws -> T {
    try bytes.withUnsafeBytes { (raw) throws -> T in
        var reader = ThriftCompactReader(raw)
        let value = try body(&reader)
        #expect(reader.position == raw.count, "the decoder left \(raw.count - reader.position) of \(raw.count) bytes")
        return value
    }
}

/// A struct-typed field header for the decoders that take the field they read.
private let structField = ThriftField(id: 1, type: .struct)

private func roundTrip(_ value: ParquetStatistics, alsoDeprecated: Bool = false) throws -> ParquetStatistics {
    try decode(value.thriftEncoded(alsoDeprecated: alsoDeprecated)) { (r) throws(ParquetError) in try ParquetStatistics(reading: &r, structField) }
}

private func roundTrip(_ value: ParquetLogicalType) throws -> ParquetLogicalType {
    try decode(value.thriftEncoded()) { (r) throws(ParquetError) in try ParquetLogicalType(reading: &r, structField) }
}

private func roundTrip(_ value: ParquetSchemaElement) throws -> ParquetSchemaElement {
    try decode(value.thriftEncoded()) { (r) throws(ParquetError) in try ParquetSchemaElement(reading: &r) }
}

private func roundTrip(_ value: ParquetColumnMetadata, alsoDeprecatedStatistics: Bool = false) throws -> ParquetColumnMetadata {
    try decode(value.thriftEncoded(alsoDeprecatedStatistics: alsoDeprecatedStatistics)) { (r) throws(ParquetError) in
        try ParquetColumnMetadata(reading: &r, structField)
    }
}

private func roundTrip(_ value: ParquetColumnChunk) throws -> ParquetColumnChunk {
    try decode(value.thriftEncoded()) { (r) throws(ParquetError) in try ParquetColumnChunk(reading: &r) }
}

private func roundTrip(_ value: ParquetRowGroup) throws -> ParquetRowGroup {
    try decode(value.thriftEncoded()) { (r) throws(ParquetError) in try ParquetRowGroup(reading: &r) }
}

private func roundTrip(_ value: ParquetFileMetadata, alsoDeprecatedStatistics: Bool = false) throws -> ParquetFileMetadata {
    try value.thriftEncoded(alsoDeprecatedStatistics: { _ in alsoDeprecatedStatistics }).withUnsafeBytes { (raw) throws -> ParquetFileMetadata in
        try ParquetFileMetadata(thrift: raw)
    }
}

private func roundTrip(_ value: ParquetPageHeader) throws -> ParquetPageHeader {
    try decode(value.thriftEncoded()) { (r) throws(ParquetError) in try ParquetPageHeader(reading: &r) }
}

private func roundTrip(_ value: ParquetColumnIndex) throws -> ParquetColumnIndex {
    try value.thriftEncoded().withUnsafeBytes { (raw) throws -> ParquetColumnIndex in try ParquetColumnIndex(thrift: raw) }
}

private func roundTrip(_ value: ParquetOffsetIndex) throws -> ParquetOffsetIndex {
    try value.thriftEncoded().withUnsafeBytes { (raw) throws -> ParquetOffsetIndex in try ParquetOffsetIndex(thrift: raw) }
}

/// The footer as it decodes after this encoder wrote it: logical types the encoder leaves out
/// (``ParquetLogicalType/isThriftEncodable``) are gone and encryption flags are not written.
private func expectedAfterEncoding(_ metadata: ParquetFileMetadata) -> ParquetFileMetadata {
    var m = metadata
    m.isEncrypted = false
    for i in m.schema.indices where m.schema[i].logicalType.map({ !$0.isThriftEncodable }) ?? false {
        m.schema[i].logicalType = nil
    }
    for g in m.rowGroups.indices {
        for c in m.rowGroups[g].columns.indices { m.rowGroups[g].columns[c].isEncrypted = false }
    }
    return m
}

// MARK: - Fixtures

private enum Fixture {
    static let fullStatistics = ParquetStatistics(min: [0, 1, 2], max: [0xFF, 0xFE], nullCount: 3, distinctCount: 7, nanCount: 2)

    static let fullColumnMetadata = ParquetColumnMetadata(
        type: .byteArray, encodings: [.plain, .rle, .rleDictionary, ParquetEncoding(rawValue: 42)],
        path: ["a", "b", "élément", ""], codec: .zstd, valueCount: 1 << 40,
        totalUncompressedSize: 123_456_789_012, totalCompressedSize: 98_765, keyValueMetadata: [
            ParquetKeyValue(key: "k", value: "v"), ParquetKeyValue(key: "", value: nil), ParquetKeyValue(key: "empty", value: ""),
        ], dataPageOffset: 4, indexPageOffset: 17, dictionaryPageOffset: 3, statistics: fullStatistics,
        bloomFilterOffset: 1 << 33, bloomFilterLength: 1024)

    static let minimalColumnMetadata = ParquetColumnMetadata(
        type: .boolean, encodings: [], path: [], codec: .uncompressed, valueCount: 0,
        totalUncompressedSize: 0, totalCompressedSize: 0, keyValueMetadata: [], dataPageOffset: 0)

    static let fullChunk = ParquetColumnChunk(
        filePath: "other.parquet", fileOffset: -1, metadata: fullColumnMetadata, offsetIndexOffset: 1 << 35,
        offsetIndexLength: 77, columnIndexOffset: 1 << 34, columnIndexLength: Int(Int32.max), isEncrypted: false)

    static let minimalChunk = ParquetColumnChunk(fileOffset: 0, isEncrypted: false)

    static let fullRowGroup = ParquetRowGroup(
        columns: [fullChunk, minimalChunk], totalByteSize: 1 << 45, rowCount: Int64(Int32.max) + 1,
        fileOffset: 4, totalCompressedSize: 1 << 44, ordinal: Int(Int16.max))

    static let minimalRowGroup = ParquetRowGroup(columns: [], totalByteSize: 0, rowCount: 0)

    static let schema: [ParquetSchemaElement] = [
        ParquetSchemaElement(name: "schema", childCount: 3),
        ParquetSchemaElement(name: "id", type: .int64, repetition: .required, fieldID: 1,
                             logicalType: .integer(bitWidth: 64, signed: true)),
        ParquetSchemaElement(name: "price", type: .fixedLenByteArray, typeLength: 16, repetition: .optional,
                             convertedType: .decimal, scale: 2, precision: 38, fieldID: 2,
                             logicalType: .decimal(precision: 38, scale: 2)),
        ParquetSchemaElement(name: "tags", repetition: .optional, childCount: 1, convertedType: .list, logicalType: .list),
        ParquetSchemaElement(name: "list", repetition: .repeated, childCount: 1),
        ParquetSchemaElement(name: "element", type: .byteArray, repetition: .optional, convertedType: .utf8, logicalType: .string),
    ]

    static let fullFile = ParquetFileMetadata(
        version: 2, schema: schema, rowCount: 1 << 50, rowGroups: [fullRowGroup, minimalRowGroup],
        keyValueMetadata: [ParquetKeyValue(key: "ARROW:schema", value: String(repeating: "x", count: 300))],
        createdBy: "Lightstream test", isEncrypted: false)

    static let minimalFile = ParquetFileMetadata(
        version: 1, schema: [ParquetSchemaElement(name: "")], rowCount: 0, rowGroups: [], keyValueMetadata: [],
        createdBy: nil, isEncrypted: false)

    /// Every logical type the encoder writes.
    static let logicalTypes: [ParquetLogicalType] = {
        var types: [ParquetLogicalType] = [.string, .map, .list, .enum, .decimal(precision: 9, scale: 0),
                                           .decimal(precision: 76, scale: 40), .date, .unknown, .json, .bson, .uuid, .float16, .variant]
        for unit in [ParquetTimeUnit.millis, .micros, .nanos] {
            for utc in [false, true] {
                types.append(.time(unit: unit, adjustedToUTC: utc))
                types.append(.timestamp(unit: unit, adjustedToUTC: utc))
            }
        }
        for width in [8, 16, 32, 64] {
            types.append(.integer(bitWidth: width, signed: true))
            types.append(.integer(bitWidth: width, signed: false))
        }
        return types
    }()
}

// MARK: - Random metadata

private struct RandomMetadata {
    var rng: SplitMix64

    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func maybe<T>(_ make: (inout RandomMetadata) -> T) -> T? { bool() ? make(&self) : nil }

    /// An i64 from every magnitude: small, 32-bit, extremes.
    mutating func i64() -> Int64 {
        switch int(0...4) {
        case 0: Int64(int(-2...2))
        case 1: Int64.random(in: Int64(Int32.min)...Int64(Int32.max), using: &rng)
        case 2: [Int64.min, Int64.max, Int64(Int32.max) + 1][int(0...2)]
        default: Int64.random(in: Int64.min...Int64.max, using: &rng)
        }
    }

    mutating func i32() -> Int {
        switch int(0...3) {
        case 0: int(-2...20)
        case 1: [Int(Int32.min), Int(Int32.max)][int(0...1)]
        default: int(Int(Int32.min)...Int(Int32.max))
        }
    }

    mutating func count() -> Int { int(0...2) == 0 ? 0 : int(0...3) == 0 ? int(15...40) : int(1...14) }
    mutating func nonNegativeI32() -> Int { abs(i32() % Int(Int32.max)) }

    mutating func bytes() -> [UInt8] { (0..<int(0...20)).map { _ in UInt8.random(in: 0...255, using: &rng) } }

    mutating func string() -> String {
        let alphabet: [String] = ["a", "Z", "0", " ", ".", "é", "日", "🦆", "\u{0}", "\n"]
        return (0..<int(0...12)).map { _ in alphabet[int(0...alphabet.count - 1)] }.joined()
    }

    mutating func statistics() -> ParquetStatistics {
        var s = ParquetStatistics(min: maybe { $0.bytes() }, max: maybe { $0.bytes() }, nullCount: maybe { $0.i64() },
                                  distinctCount: maybe { $0.i64() }, nanCount: maybe { $0.i64() })
        s.isDeprecatedMinMax = (s.min != nil || s.max != nil) && bool()
        return s
    }

    mutating func logicalType() -> ParquetLogicalType { Fixture.logicalTypes[int(0...Fixture.logicalTypes.count - 1)] }

    mutating func keyValues() -> [ParquetKeyValue] {
        (0..<count()).map { _ in ParquetKeyValue(key: string(), value: maybe { $0.string() }) }
    }

    mutating func schemaElement() -> ParquetSchemaElement {
        ParquetSchemaElement(
            name: string(), type: maybe { ParquetPhysicalType(rawValue: Int32($0.int(0...7))) }, typeLength: maybe { $0.i32() },
            repetition: maybe { ParquetRepetition(rawValue: Int32($0.int(0...2)))! }, childCount: maybe { $0.i32() },
            convertedType: maybe { ParquetConvertedType(rawValue: Int32($0.int(0...21))) }, scale: maybe { $0.i32() },
            precision: maybe { $0.i32() }, fieldID: maybe { $0.i32() }, logicalType: maybe { $0.logicalType() })
    }

    mutating func columnMetadata() -> ParquetColumnMetadata {
        ParquetColumnMetadata(
            type: ParquetPhysicalType(rawValue: Int32(i32())), encodings: (0..<count()).map { _ in ParquetEncoding(rawValue: Int32(i32())) },
            path: (0..<count()).map { _ in string() }, codec: ParquetCompression(rawValue: Int32(i32())), valueCount: i64(),
            totalUncompressedSize: i64(), totalCompressedSize: i64(), keyValueMetadata: keyValues(), dataPageOffset: i64(),
            indexPageOffset: maybe { $0.i64() }, dictionaryPageOffset: maybe { $0.i64() }, statistics: maybe { $0.statistics() },
            bloomFilterOffset: maybe { $0.i64() }, bloomFilterLength: maybe { $0.i32() })
    }

    mutating func columnChunk() -> ParquetColumnChunk {
        ParquetColumnChunk(
            filePath: maybe { $0.string() }, fileOffset: i64(), metadata: maybe { $0.columnMetadata() },
            offsetIndexOffset: maybe { $0.i64() }, offsetIndexLength: maybe { $0.i32() },
            columnIndexOffset: maybe { $0.i64() }, columnIndexLength: maybe { $0.i32() }, isEncrypted: false)
    }

    mutating func rowGroup() -> ParquetRowGroup {
        ParquetRowGroup(
            columns: (0..<int(0...4)).map { _ in columnChunk() }, totalByteSize: i64(), rowCount: abs(i64() / 2),
            fileOffset: maybe { $0.i64() }, totalCompressedSize: maybe { $0.i64() },
            ordinal: maybe { Int(Int16.random(in: Int16.min...Int16.max, using: &$0.rng)) })
    }

    mutating func fileMetadata() -> ParquetFileMetadata {
        ParquetFileMetadata(
            version: i32(), schema: (0..<int(1...8)).map { _ in schemaElement() }, rowCount: i64(),
            rowGroups: (0..<int(0...3)).map { _ in rowGroup() }, keyValueMetadata: keyValues(),
            createdBy: maybe { $0.string() }, isEncrypted: false)
    }

    mutating func pageHeader() -> ParquetPageHeader {
        var h = ParquetPageHeader(type: ParquetPageType(rawValue: Int32(int(0...3))), uncompressedSize: nonNegativeI32(),
                                  compressedSize: nonNegativeI32(), crc: maybe { UInt32.random(in: 0...UInt32.max, using: &$0.rng) })
        h.dataPage = maybe {
            ParquetPageHeader.DataPage(valueCount: $0.nonNegativeI32(), encoding: ParquetEncoding(rawValue: Int32($0.i32())),
                  definitionLevelEncoding: ParquetEncoding(rawValue: Int32($0.i32())),
                  repetitionLevelEncoding: ParquetEncoding(rawValue: Int32($0.i32())))
        }
        h.dictionaryPage = maybe { ParquetPageHeader.DictionaryPage(valueCount: $0.nonNegativeI32(), encoding: ParquetEncoding(rawValue: Int32($0.i32()))) }
        h.dataPageV2 = maybe {
            ParquetPageHeader.DataPageV2(valueCount: $0.nonNegativeI32(), nullCount: $0.nonNegativeI32(), rowCount: $0.nonNegativeI32(),
                  encoding: ParquetEncoding(rawValue: Int32($0.i32())), definitionLevelsByteLength: $0.nonNegativeI32(),
                  repetitionLevelsByteLength: $0.nonNegativeI32(), isCompressed: $0.bool())
        }
        return h
    }

    mutating func columnIndex() -> ParquetColumnIndex {
        let pages = count()
        return ParquetColumnIndex(
            nullPages: (0..<pages).map { _ in bool() }, minValues: (0..<pages).map { _ in bytes() },
            maxValues: (0..<pages).map { _ in bytes() }, boundaryOrder: int(0...2),
            nullCounts: maybe { r in (0..<pages).map { _ in r.i64() } })
    }

    mutating func offsetIndex() -> ParquetOffsetIndex {
        ParquetOffsetIndex(pageLocations: (0..<count()).map { _ in
            ParquetPageLocation(offset: i64(), compressedPageSize: nonNegativeI32(), firstRowIndex: i64())
        })
    }
}

// MARK: - Corpus

/// The `.parquet` files under the shared corpus's `parquet-testing/data` (recursively).
private func corpusFiles() throws -> [URL] {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { root.deleteLastPathComponent() }   // Tests/LightstreamParquetTests/x.swift -> repository
    let data = root.appendingPathComponent("../shared/corpus/parquet-testing/data").standardizedFileURL
    guard FileManager.default.fileExists(atPath: data.path),
          let walker = FileManager.default.enumerator(at: data, includingPropertiesForKeys: nil) else {
        throw ParquetCorpus.CorpusMissing(path: data.path)
    }
    return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "parquet" }.sorted { $0.path < $1.path }
}

/// The footer of a plaintext Parquet file: its bytes' range, or nil when the file is not one.
private func footerRange(_ file: [UInt8]) -> Range<Int>? {
    guard file.count >= 12, file.suffix(4).elementsEqual("PAR1".utf8) else { return nil }
    let length = file[(file.count - 8)..<(file.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
    guard length <= file.count - 12 else { return nil }
    return (file.count - 8 - length)..<(file.count - 8)
}

// MARK: - Tests

@Suite("Thrift compact writer")
struct ThriftCompactWriterTests {
    // MARK: Primitives

    @Test func writesTheCompactProtocolBytes() {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeI32(1, Int32(1))        // delta 1, i32 (5), zigzag 2
        w.writeBool(2, true)           // delta 1, true (1)
        w.writeBool(3, false)          // delta 1, false (2)
        w.writeString(19, "ab")        // delta 16: long form, binary (8), zigzag id 38
        w.writeI64(4, -1)              // negative delta: long form, i64 (6), zigzag id 8, zigzag -1 = 1
        w.writeListHeader(5, elementType: .i32, count: 15)   // delta 1, list (9); long count
        for i in 0..<15 { w.writeIntegerElement(Int64(i)) }
        w.writeListHeader(6, elementType: .boolTrue, count: 2)
        w.writeBoolElement(true)
        w.writeBoolElement(false)
        w.endStruct()
        let expected: [UInt8] = [0x15, 0x02, 0x11, 0x12, 0x08, 38, 2, 0x61, 0x62, 0x06, 8, 1, 0x19, 0xF5, 15]
            + (0..<15).map { UInt8($0 * 2) } + [0x19, 0x21, 1, 2, 0]
        #expect(w.bytes.array == expected)
        #expect(w.structDepth == 0)
    }

    @Test func primitivesRoundTripThroughTheReader() throws {
        struct Seen: Equatable {
            var ids: [Int16] = []
            var bools: [Bool] = []
            var i8s: [Int8] = []
            var i16s: [Int16] = []
            var i32s: [Int32] = []
            var i64s: [Int64] = []
            var doubles: [Double] = []
            var strings: [String] = []
            var binaries: [[UInt8]] = []
        }
        let ids: [Int16] = [1, 2, 17, 16, 16, 300, Int16.max, -5, Int16.min, 3, 19, 34, 35, 50]
        var expected = Seen()
        var w = ThriftCompactWriter()
        w.beginStruct()
        for (n, id) in ids.enumerated() {
            expected.ids.append(id)
            switch n % 8 {
            case 0: w.writeBool(id, n % 3 == 0); expected.bools.append(n % 3 == 0)
            case 1: w.writeI8(id, Int8.min); expected.i8s.append(Int8.min)
            case 2: w.writeI16(id, Int16.max); expected.i16s.append(Int16.max)
            case 3: w.writeI32(id, Int32.min); expected.i32s.append(Int32.min)
            case 4:
                let v: Int64 = n % 3 == 0 ? Int64.max : Int64.min
                w.writeI64(id, v); expected.i64s.append(v)
            case 5: w.writeDouble(id, -0.5); expected.doubles.append(-0.5)
            case 6: w.writeString(id, n > 8 ? "" : "héllo 🦆"); expected.strings.append(n > 8 ? "" : "héllo 🦆")
            default: w.writeBinary(id, [UInt8]()); expected.binaries.append([])
            }
        }
        for v: Int64 in [0, -1, 1, Int64.max, Int64.min, Int64(Int32.max) + 1] {
            w.writeI64(1, v)
            expected.ids.append(1)
            expected.i64s.append(v)
        }
        w.endStruct()

        let seen = try decode(w.bytes) { (r) throws(ParquetError) -> Seen in
            var seen = Seen()
            try r.readStruct { r, f throws(ParquetError) in
                seen.ids.append(f.id)
                switch f.type {
                case .boolTrue, .boolFalse: seen.bools.append(try r.bool(f))
                case .byte: seen.i8s.append(try r.i8(f))
                case .i16: seen.i16s.append(try r.i16(f))
                case .i32: seen.i32s.append(try r.i32(f))
                case .i64: seen.i64s.append(try r.i64(f))
                case .double: seen.doubles.append(try r.double(f))
                case .binary:
                    if f.id == -5 { seen.binaries.append(try r.binary(f)) } else { seen.strings.append(try r.string(f)) }
                default: try r.skip(f.type)
                }
            }
            return seen
        }
        #expect(seen == expected)
    }

    @Test(arguments: [0, 1, 14, 15, 16, 1000])
    func listsRoundTrip(count: Int) throws {
        let integers = (0..<count).map { (i: Int) -> Int64 in
            let magnitude = Int64(i % 4) << Int64(i % 61)
            return i % 2 == 0 ? magnitude : -magnitude
        }
        let strings = (0..<count).map { $0 % 7 == 0 ? "" : String(repeating: "é", count: $0 % 20) }
        let bools = (0..<count).map { $0 % 3 == 0 }
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeI64List(1, integers)
        w.writeStringList(2, strings)
        w.writeListHeader(3, elementType: .boolTrue, count: count)
        for b in bools { w.writeBoolElement(b) }
        w.writeListHeader(4, elementType: .struct, count: count)
        for i in 0..<count {
            w.beginStruct()
            w.writeI32(1, i)
            w.writeI64(20, Int64(i))
            w.endStruct()
        }
        w.writeI32(5, 99)   // the outer struct's field ids continue after the list of structs
        w.endStruct()
        // The list header: the count in the high nibble below 15, else a varint after 0xF_.
        #expect(w.bytes.array[1] == (count < 15 ? UInt8(count) << 4 | 6 : 0xF6))

        let (readIntegers, readStrings, readBools, readStructs, last) = try decode(w.bytes) { (r) throws(ParquetError) in
            var integers: [Int64] = [], strings: [String] = [], bools: [Bool] = [], structs: [[Int64]] = [], last: Int32 = 0
            try r.readStruct { r, f throws(ParquetError) in
                switch f.id {
                case 1: integers = try r.integerList(f)
                case 2: strings = try r.stringList(f)
                case 3: try r.readList(f, elementType: .boolTrue) { r, _ throws(ParquetError) in bools.append(try r.boolElement()) }
                case 4:
                    try r.readList(f, elementType: .struct) { r, _ throws(ParquetError) in
                        var fields: [Int64] = []
                        try r.readStruct { r, f throws(ParquetError) in fields.append(Int64(f.id)); fields.append(try r.i64(f)) }
                        structs.append(fields)
                    }
                case 5: last = try r.i32(f)
                default: try r.skip(f.type)
                }
            }
            return (integers, strings, bools, structs, last)
        }
        #expect(readIntegers == integers)
        #expect(readStrings == strings)
        #expect(readBools == bools)
        #expect(readStructs == (0..<count).map { [1, Int64($0), 20, Int64($0)] })
        #expect(last == 99)
    }

    @Test func nestedStructsKeepTheirOwnFieldIDs() throws {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeI32(10, 1)
        w.beginStructField(11)
        w.writeI32(30, 2)            // long form inside, from 0
        w.beginStructField(1)
        w.writeI32(2, 3)
        w.endStruct()
        w.writeI32(31, 4)            // delta 1 from 30 again
        w.endStruct()
        w.writeI32(12, 5)            // delta 1 from 11
        w.endStruct()
        #expect(w.structDepth == 0)

        let seen = try decode(w.bytes) { (r) throws(ParquetError) -> [String] in
            var seen: [String] = []
            func walk(_ r: inout ThriftCompactReader, _ prefix: String) throws(ParquetError) {
                try r.readStruct { r, f throws(ParquetError) in
                    if f.type == .struct {
                        seen.append("\(prefix)\(f.id){")
                        try walk(&r, prefix + "\(f.id).")
                    } else {
                        seen.append("\(prefix)\(f.id)=\(try r.i32(f))")
                    }
                }
            }
            try walk(&r, "")
            return seen
        }
        #expect(seen == ["10=1", "11{", "11.30=2", "11.1{", "11.1.2=3", "11.31=4", "12=5"])
    }

    // MARK: Metadata structs, all fields set and none

    @Test func statisticsRoundTrip() throws {
        let full = Fixture.fullStatistics
        #expect(try roundTrip(full) == full)
        #expect(try roundTrip(full, alsoDeprecated: true) == full)
        #expect(try roundTrip(ParquetStatistics()) == ParquetStatistics())
        #expect(try roundTrip(ParquetStatistics(min: [], max: [])) == ParquetStatistics(min: [], max: []))

        var deprecated = full
        deprecated.isDeprecatedMinMax = true
        #expect(try roundTrip(deprecated) == deprecated)
        #expect(try roundTrip(deprecated, alsoDeprecated: true) == deprecated)

        // alsoDeprecated writes the same bytes to max (1) and min (2) as well.
        let fields = try decode(full.thriftEncoded(alsoDeprecated: true)) { (r) throws(ParquetError) -> [Int16: [UInt8]] in
            var fields: [Int16: [UInt8]] = [:]
            try r.readStruct { r, f throws(ParquetError) in
                if f.type == .binary { fields[f.id] = try r.binary(f) } else { try r.skip(f.type) }
            }
            return fields
        }
        #expect(fields == [1: full.max!, 2: full.min!, 5: full.max!, 6: full.min!])
        #expect(full.thriftEncoded().count < full.thriftEncoded(alsoDeprecated: true).count)
    }

    @Test func logicalTypesRoundTrip() throws {
        for type in Fixture.logicalTypes {
            #expect(try roundTrip(type) == type)
        }
        for type in [ParquetLogicalType.geometry, .geography, .other(99)] {
            #expect(!type.isThriftEncodable)
            let element = ParquetSchemaElement(name: "g", type: .byteArray, repetition: .optional, logicalType: type)
            #expect(try roundTrip(element).logicalType == nil)
        }
    }

    @Test func schemaElementsRoundTrip() throws {
        for element in Fixture.schema {
            #expect(try roundTrip(element) == element)
        }
        let full = ParquetSchemaElement(
            name: "every field", type: .fixedLenByteArray, typeLength: 12, repetition: .repeated, childCount: 0,
            convertedType: .interval, scale: -1, precision: Int(Int32.max), fieldID: Int(Int32.min),
            logicalType: .timestamp(unit: .nanos, adjustedToUTC: true))
        #expect(try roundTrip(full) == full)
        #expect(try roundTrip(ParquetSchemaElement(name: "")) == ParquetSchemaElement(name: ""))
    }

    @Test func columnMetadataRoundTrips() throws {
        #expect(try roundTrip(Fixture.fullColumnMetadata) == Fixture.fullColumnMetadata)
        #expect(try roundTrip(Fixture.fullColumnMetadata, alsoDeprecatedStatistics: true) == Fixture.fullColumnMetadata)
        #expect(try roundTrip(Fixture.minimalColumnMetadata) == Fixture.minimalColumnMetadata)
    }

    @Test func columnChunksAndRowGroupsRoundTrip() throws {
        #expect(try roundTrip(Fixture.fullChunk) == Fixture.fullChunk)
        #expect(try roundTrip(Fixture.minimalChunk) == Fixture.minimalChunk)
        #expect(try roundTrip(Fixture.fullRowGroup) == Fixture.fullRowGroup)
        #expect(try roundTrip(Fixture.minimalRowGroup) == Fixture.minimalRowGroup)
    }

    @Test func fileMetadataRoundTrips() throws {
        #expect(try roundTrip(Fixture.fullFile) == Fixture.fullFile)
        #expect(try roundTrip(Fixture.fullFile, alsoDeprecatedStatistics: true) == Fixture.fullFile)
        #expect(try roundTrip(Fixture.minimalFile) == Fixture.minimalFile)
    }

    @Test func fileMetadataWritesATypeDefinedOrderPerLeaf() throws {
        func columnOrders(_ bytes: Vec64<UInt8>) throws -> [[Int16]]? {
            try decode(bytes) { (r) throws(ParquetError) -> [[Int16]]? in
                var orders: [[Int16]]?
                try r.readStruct { r, f throws(ParquetError) in
                    guard f.id == 7 else { return try r.skip(f.type) }
                    orders = []
                    try r.readList(f, elementType: .struct) { r, _ throws(ParquetError) in
                        var members: [Int16] = []
                        try r.readStruct { r, f throws(ParquetError) in
                            members.append(f.id)
                            try r.readStruct(f) { r, f throws(ParquetError) in members.append(-1); try r.skip(f.type) }
                        }
                        orders?.append(members)
                    }
                }
                return orders
            }
        }
        #expect(Fixture.fullFile.leafColumnCount == 3)
        #expect(try columnOrders(Fixture.fullFile.thriftEncoded()) == [[1], [1], [1]])
        #expect(try columnOrders(Fixture.fullFile.thriftEncoded(typeDefinedColumnOrders: 5)) == Array(repeating: [1], count: 5))
        #expect(try columnOrders(Fixture.fullFile.thriftEncoded(typeDefinedColumnOrders: 0)) == nil)
        #expect(try columnOrders(Fixture.minimalFile.thriftEncoded()) == nil)
    }

    @Test func alsoDeprecatedStatisticsIsAskedPerLeafColumn() throws {
        var asked: [Int] = []
        let bytes = Fixture.fullRowGroup.thriftEncoded { asked.append($0); return $0 == 0 }
        #expect(asked == [0, 1])
        #expect(bytes.count == Fixture.fullRowGroup.thriftEncoded().count + 2 + 2 + Fixture.fullStatistics.min!.count + Fixture.fullStatistics.max!.count)
    }

    @Test func pageHeadersRoundTrip() throws {
        var data = ParquetPageHeader(type: .dataPage, uncompressedSize: 100, compressedSize: 60, crc: 0xFFFF_FFFF)
        data.dataPage = .init(valueCount: 10, encoding: .rleDictionary, definitionLevelEncoding: .rle, repetitionLevelEncoding: .bitPacked)
        #expect(try roundTrip(data) == data)

        var dictionary = ParquetPageHeader(type: .dictionaryPage, uncompressedSize: 0, compressedSize: 0)
        dictionary.dictionaryPage = .init(valueCount: 0, encoding: .plain)
        #expect(try roundTrip(dictionary) == dictionary)

        for compressed in [false, true] {
            var v2 = ParquetPageHeader(type: .dataPageV2, uncompressedSize: Int(Int32.max), compressedSize: 1, crc: 0)
            v2.dataPageV2 = .init(valueCount: 7, nullCount: 2, rowCount: 3, encoding: .deltaBinaryPacked,
                                  definitionLevelsByteLength: 4, repetitionLevelsByteLength: 0, isCompressed: compressed)
            #expect(try roundTrip(v2) == v2)
        }

        var all = data
        all.dictionaryPage = dictionary.dictionaryPage
        all.dataPageV2 = .init(valueCount: 1, nullCount: 1, rowCount: 1, encoding: .plain,
                               definitionLevelsByteLength: 1, repetitionLevelsByteLength: 1, isCompressed: false)
        #expect(try roundTrip(all) == all)
        let bare = ParquetPageHeader(type: .indexPage, uncompressedSize: 0, compressedSize: 0)
        #expect(try roundTrip(bare) == bare)
    }

    @Test func pageIndexesRoundTrip() throws {
        let columnIndex = ParquetColumnIndex(
            nullPages: [false, true, false], minValues: [[1, 0, 0, 0], [], [0xFF]], maxValues: [[9, 0, 0, 0], [], [0xFF, 0]],
            boundaryOrder: 1, nullCounts: [0, 5, Int64.max])
        #expect(try roundTrip(columnIndex) == columnIndex)
        var withoutCounts = columnIndex
        withoutCounts.nullCounts = nil
        #expect(try roundTrip(withoutCounts) == withoutCounts)
        let empty = ParquetColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: 0)
        #expect(try roundTrip(empty) == empty)

        let offsetIndex = ParquetOffsetIndex(pageLocations: [
            ParquetPageLocation(offset: 4, compressedPageSize: 100, firstRowIndex: 0),
            ParquetPageLocation(offset: 1 << 40, compressedPageSize: Int(Int32.max), firstRowIndex: Int64.max),
        ])
        #expect(try roundTrip(offsetIndex) == offsetIndex)
        #expect(try roundTrip(ParquetOffsetIndex(pageLocations: [])) == ParquetOffsetIndex(pageLocations: []))
    }

    // MARK: Property: random metadata

    @Test(arguments: [1, 2, 3, 42, 1234, 0xDEAD_BEEF] as [UInt64])
    func randomMetadataRoundTrips(seed: UInt64) throws {
        var random = RandomMetadata(rng: SplitMix64(seed: seed))
        for _ in 0..<40 {
            let statistics = random.statistics()
            #expect(try roundTrip(statistics) == statistics)
            #expect(try roundTrip(statistics, alsoDeprecated: true) == statistics)
            let element = random.schemaElement()
            #expect(try roundTrip(element) == element)
            let metadata = random.columnMetadata()
            #expect(try roundTrip(metadata) == metadata)
            let chunk = random.columnChunk()
            #expect(try roundTrip(chunk) == chunk)
            let group = random.rowGroup()
            #expect(try roundTrip(group) == group)
            let header = random.pageHeader()
            #expect(try roundTrip(header) == header)
            let columnIndex = random.columnIndex()
            #expect(try roundTrip(columnIndex) == columnIndex)
            let offsetIndex = random.offsetIndex()
            #expect(try roundTrip(offsetIndex) == offsetIndex)
        }
        for _ in 0..<10 {
            let file = random.fileMetadata()
            #expect(try roundTrip(file) == file)
            #expect(try roundTrip(file, alsoDeprecatedStatistics: true) == file)
        }
    }

    // MARK: The corpus's footers and page headers

    @Test func corpusFootersRoundTrip() throws {
        var footers = 0
        var pageHeaders = 0
        var identicalPageHeaders = 0
        var pageIndexes = 0
        var skipped: [String] = []
        for url in try corpusFiles() {
            let file = [UInt8](try Data(contentsOf: url))
            guard let footer = footerRange(file) else { skipped.append(url.lastPathComponent); continue }
            let first: ParquetFileMetadata
            do {
                first = try file.withUnsafeBytes { (raw) throws(ParquetError) in
                    try ParquetFileMetadata(thrift: UnsafeRawBufferPointer(rebasing: raw[footer]))
                }
            } catch {
                skipped.append(url.lastPathComponent)
                continue
            }
            let encoded = first.thriftEncoded()
            let second = try encoded.withUnsafeBytes { (raw) throws -> ParquetFileMetadata in try ParquetFileMetadata(thrift: raw) }
            #expect(second == expectedAfterEncoding(first), "\(url.lastPathComponent)")
            // Encoding what was decoded again gives the same bytes.
            #expect(second.thriftEncoded().array == encoded.array, "\(url.lastPathComponent)")
            let withDeprecated = try first.thriftEncoded(alsoDeprecatedStatistics: { _ in true })
                .withUnsafeBytes { (raw) throws -> ParquetFileMetadata in try ParquetFileMetadata(thrift: raw) }
            #expect(withDeprecated == expectedAfterEncoding(first), "\(url.lastPathComponent)")
            footers += 1
            guard !first.isEncrypted else { continue }
            let pages = try roundTripPageHeaders(file, first, dataEnd: footer.lowerBound, name: url.lastPathComponent)
            pageHeaders += pages.count
            identicalPageHeaders += pages.identical
            pageIndexes += try roundTripPageIndexes(file, first, name: url.lastPathComponent)
        }
        #expect(footers >= 50, "only \(footers) corpus footers decoded; skipped \(skipped)")
        #expect(pageHeaders >= 1000, "only \(pageHeaders) corpus page headers decoded")
        // parquet-mr, parquet-cpp and others order fields and pick forms as this writer does.
        #expect(pageIndexes >= 50, "only \(pageIndexes) corpus page indexes decoded")
        #expect(identicalPageHeaders >= 500, "only \(identicalPageHeaders) of \(pageHeaders) page headers re-encode byte for byte")
    }

    /// Round-trips the offset and column indexes of every column chunk that has them; returns
    /// how many it did.
    private func roundTripPageIndexes(_ file: [UInt8], _ metadata: ParquetFileMetadata, name: String) throws -> Int {
        func bytes(_ offset: Int64?, _ length: Int?) -> ArraySlice<UInt8>? {
            guard let offset, let length, offset >= 0, length >= 0, offset < Int64(file.count),
                  Int64(length) <= Int64(file.count) - offset else { return nil }
            return file[Int(offset)..<(Int(offset) + length)]
        }
        var count = 0
        for group in metadata.rowGroups {
            for chunk in group.columns {
                if let slice = bytes(chunk.offsetIndexOffset, chunk.offsetIndexLength),
                   let index = try? slice.withUnsafeBytes({ (raw) throws(ParquetError) in try ParquetOffsetIndex(thrift: raw) }) {
                    #expect(try roundTrip(index) == index, "\(name) offset index")
                    count += 1
                }
                if let slice = bytes(chunk.columnIndexOffset, chunk.columnIndexLength),
                   let index = try? slice.withUnsafeBytes({ (raw) throws(ParquetError) in try ParquetColumnIndex(thrift: raw) }) {
                    #expect(try roundTrip(index) == index, "\(name) column index")
                    count += 1
                }
            }
        }
        return count
    }

    /// Walks the pages of the first row groups' column chunks, round-tripping each page header;
    /// returns how many it did, and how many of those it wrote back byte for byte as the file's
    /// writer did (those without the page statistics and `is_sorted` this encoder does not have).
    private func roundTripPageHeaders(_ file: [UInt8], _ metadata: ParquetFileMetadata, dataEnd: Int,
                                      name: String) throws -> (count: Int, identical: Int) {
        var count = 0
        var identical = 0
        for group in metadata.rowGroups.prefix(2) {
            for chunk in group.columns {
                guard let column = chunk.metadata else { continue }
                var position = Int(column.dataPageOffset)
                if let dictionary = column.dictionaryPageOffset, dictionary > 0, dictionary < column.dataPageOffset {
                    position = Int(dictionary)
                }
                guard position >= 4, position < dataEnd else { continue }
                let end = column.totalCompressedSize < Int64(dataEnd - position) ? position + Int(column.totalCompressedSize) : dataEnd
                var pages = 0
                while position >= 4, position < end, pages < 32 {
                    let parsed = file.withUnsafeBytes { (raw) -> (ParquetPageHeader, Int)? in
                        var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: raw[position..<end]))
                        guard let header = try? ParquetPageHeader(reading: &reader) else { return nil }
                        return (header, reader.position)
                    }
                    guard let parsed else { break }
                    let (header, length) = parsed
                    #expect(try roundTrip(header) == header, "\(name) page at \(position)")
                    if header.thriftEncoded().array.elementsEqual(file[position..<(position + length)]) { identical += 1 }
                    count += 1
                    pages += 1
                    position += length + header.compressedSize
                }
            }
        }
        return (count, identical)
    }
}
