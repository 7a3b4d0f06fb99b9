import Foundation
import LightstreamArrow
import Testing
import Vec64
@testable import LightstreamParquet

/// The parquet-testing files of the shared corpus (`../shared/corpus` next to the repository).
enum ParquetCorpus {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamParquetTests/x.swift -> repository
    static let root = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/parquet-testing")

    /// The bytes of `data/NAME` or `bad_data/NAME`; a missing file throws (and fails the test).
    static func file(_ folder: String, _ name: String) throws -> [UInt8] {
        let url = root.appendingPathComponent(folder).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CorpusMissing(path: url.path)
        }
        return [UInt8](try Data(contentsOf: url))
    }

    /// The names in a corpus folder with a suffix; a missing folder throws.
    static func names(_ folder: String, suffix: String) throws -> [String] {
        let path = root.appendingPathComponent(folder).path
        guard FileManager.default.fileExists(atPath: path) else { throw CorpusMissing(path: path) }
        return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(suffix) }.sorted()
    }

    struct CorpusMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "the shared corpus is missing: \(path)" }
    }
}

/// The limits of the fuzz harness: small enough that no hostile file can ask for much memory.
func tightOptions() -> ParquetReadOptions {
    var options = ParquetReadOptions()
    options.useThreads = false
    options.verifyChecksums = true
    options.maximumFooterBytes = 1 << 20
    options.maximumPageBytes = 16 << 20
    options.maximumPageValues = 1 << 20
    return options
}

/// Opens and reads every row group of `bytes`: a table, checked with `validate()`, or the error.
/// A table that does not validate is recorded as an issue.
func readParquet(_ bytes: [UInt8], _ options: ParquetReadOptions = ParquetReadOptions(),
                 _ comment: @autoclosure () -> String = "") -> Result<Table, ParquetError> {
    do throws(ParquetError) {
        let reader = try ParquetFileReader(buffer: Buffer(copying: bytes), options: options)
        let table = try reader.readAll()
        do {
            try table.validate()
        } catch {
            Issue.record("\(comment()): a table that does not validate: \(error)")
        }
        return .success(table)
    } catch {
        return .failure(error)
    }
}

/// The error of reading `bytes`, or nil (with an issue recorded) when it read.
func readError(_ bytes: [UInt8], _ options: ParquetReadOptions = ParquetReadOptions(),
               _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation) -> ParquetError? {
    switch readParquet(bytes, options, comment()) {
    case .success: Issue.record("\(comment()): read without an error", sourceLocation: sourceLocation); return nil
    case .failure(let error): return error
    }
}

// MARK: - Writing Thrift compact bytes for tests

/// Writes Thrift compact protocol bytes (the test's own encoder, independent of the reader).
struct ThriftWriter {
    var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A field header: the id as a delta from the previous field when 1...15, else in long form.
    mutating func field(_ id: Int16, _ type: ThriftType) {
        let delta = Int(id) - Int(lastIDs[lastIDs.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func bool(_ id: Int16, _ value: Bool) { field(id, value ? .boolTrue : .boolFalse) }
    mutating func byte(_ id: Int16, _ value: Int8) { field(id, .byte); bytes.append(UInt8(bitPattern: value)) }
    mutating func i16(_ id: Int16, _ value: Int16) { field(id, .i16); zigzag(Int64(value)) }
    mutating func i32(_ id: Int16, _ value: Int32) { field(id, .i32); zigzag(Int64(value)) }
    mutating func i64(_ id: Int16, _ value: Int64) { field(id, .i64); zigzag(value) }
    mutating func double(_ id: Int16, _ value: Double) {
        field(id, .double)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }
    mutating func binaryValue(_ value: [UInt8]) { varint(UInt64(value.count)); bytes += value }
    mutating func binary(_ id: Int16, _ value: [UInt8]) { field(id, .binary); binaryValue(value) }
    mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    /// A struct value (no field header): the body's fields, then a stop.
    mutating func structValue(_ body: (inout ThriftWriter) -> Void) {
        lastIDs.append(0)
        body(&self)
        bytes.append(0)
        lastIDs.removeLast()
    }

    mutating func structField(_ id: Int16, _ body: (inout ThriftWriter) -> Void) {
        field(id, .struct)
        structValue(body)
    }

    /// A list or set header: the count in the high nibble, or 15 and a varint.
    mutating func listHeader(_ count: Int, _ element: ThriftType) {
        if count < 15 { bytes.append(UInt8(count) << 4 | element.rawValue) } else {
            bytes.append(0xF0 | element.rawValue)
            varint(UInt64(count))
        }
    }

    mutating func list(_ id: Int16, _ element: ThriftType, count: Int, type: ThriftType = .list) {
        field(id, type)
        listHeader(count, element)
    }

    mutating func stop() { bytes.append(0) }
}

// MARK: - A tiny Parquet file built byte by byte

/// One INT32 column, written by the test: `x` (optional, at the top level) or `g.x` (an optional
/// struct `g` of an optional `x`, so definition levels take two bits), one row group, an optional
/// PLAIN dictionary page and one data page v1 (levels in RLE runs of one, values PLAIN or as
/// RLE_DICTIONARY indices). Every knob breaks one thing on purpose.
struct TinyParquet {
    var values: [Int32?] = [7, nil, 9, 7, nil, 11]
    var nested = false
    var dictionary = true

    /// Overrides of what the writer would put there.
    var definitionLevels: [UInt8]?
    var indices: [UInt8]?
    var pageValueCount: Int?
    var chunkValueCount: Int?
    var rowCount: Int?
    var dataPageCompressedSizeDelta = 0
    var dataPageUncompressedSizeDelta = 0
    var dictionaryValueCount: Int?
    var dataPageOffset: Int64?
    var dictionaryPageOffset: Int64?
    var totalCompressedSize: Int64?
    var extraDataPages = 0

    var maxDefinition: UInt8 { nested ? 2 : 1 }
    var distinct: [Int32] {
        var seen: [Int32] = []
        for case let v? in values where !seen.contains(v) { seen.append(v) }
        return seen
    }

    func pageHeader(type: Int32, uncompressed: Int, compressed: Int, _ sub: (inout ThriftWriter) -> Void) -> [UInt8] {
        var w = ThriftWriter()
        w.structValue { w in
            w.i32(1, type)
            w.i32(2, Int32(uncompressed))
            w.i32(3, Int32(compressed))
            sub(&w)
        }
        return w.bytes
    }

    func dataPage() -> [UInt8] {
        var body: [UInt8] = []
        // Definition levels: RLE runs of one value each, after a 4-byte length.
        var runs: [UInt8] = []
        let levels = definitionLevels ?? values.map { $0 == nil ? (nested ? 1 : 0) : maxDefinition }
        for level in levels { runs += [0x02, level] }
        withUnsafeBytes(of: UInt32(runs.count).littleEndian) { body += $0 }
        body += runs
        if dictionary {
            let dict = distinct
            let ids = indices ?? values.compactMap { v in v.map { UInt8(dict.firstIndex(of: $0)!) } }
            body.append(8)   // bit width of the indices
            for id in ids { body += [0x02, id] }
        } else {
            for case let v? in values { withUnsafeBytes(of: v.littleEndian) { body += $0 } }
        }
        let header = pageHeader(type: 0, uncompressed: body.count + dataPageUncompressedSizeDelta,
                                compressed: body.count + dataPageCompressedSizeDelta) { w in
            w.structField(5) { w in
                w.i32(1, Int32(pageValueCount ?? values.count))
                w.i32(2, dictionary ? 8 : 0)
                w.i32(3, 3)
                w.i32(4, 3)
            }
        }
        return header + body
    }

    func dictionaryPage() -> [UInt8] {
        var body: [UInt8] = []
        for v in distinct { withUnsafeBytes(of: v.littleEndian) { body += $0 } }
        let header = pageHeader(type: 2, uncompressed: body.count, compressed: body.count) { w in
            w.structField(7) { w in
                w.i32(1, Int32(dictionaryValueCount ?? distinct.count))
                w.i32(2, 0)
            }
        }
        return header + body
    }

    var bytes: [UInt8] {
        var file = Array("PAR1".utf8)
        let dictionaryStart = file.count
        if dictionary { file += dictionaryPage() }
        let dataStart = file.count
        for _ in 0...extraDataPages { file += dataPage() }
        let chunkLength = file.count - dictionaryStart
        let path = nested ? ["g", "x"] : ["x"]

        var w = ThriftWriter()
        w.structValue { w in
            w.i32(1, 1)
            w.list(2, .struct, count: nested ? 3 : 2)
            w.structValue { w in w.string(4, "schema"); w.i32(5, 1) }
            if nested { w.structValue { w in w.i32(3, 1); w.string(4, "g"); w.i32(5, 1) } }
            w.structValue { w in w.i32(1, 1); w.i32(3, 1); w.string(4, "x") }
            w.i64(3, Int64(rowCount ?? values.count))
            w.list(4, .struct, count: 1)
            w.structValue { w in
                w.list(1, .struct, count: 1)
                w.structValue { w in
                    w.i64(2, Int64(dictionaryStart))
                    w.structField(3) { w in
                        w.i32(1, 1)
                        w.list(2, .i32, count: 3)
                        for e: Int64 in [0, 3, 8] { w.zigzag(e) }
                        w.list(3, .binary, count: path.count)
                        for p in path { w.binaryValue(Array(p.utf8)) }
                        w.i32(4, 0)
                        w.i64(5, Int64(chunkValueCount ?? values.count * (extraDataPages + 1)))
                        w.i64(6, Int64(chunkLength))
                        w.i64(7, totalCompressedSize ?? Int64(chunkLength))
                        w.i64(9, dataPageOffset ?? Int64(dataStart))
                        if dictionary { w.i64(11, dictionaryPageOffset ?? Int64(dictionaryStart)) }
                    }
                }
                w.i64(2, Int64(chunkLength))
                w.i64(3, Int64(rowCount ?? values.count))
            }
        }
        file += w.bytes
        withUnsafeBytes(of: UInt32(w.bytes.count).littleEndian) { file += $0 }
        file += Array("PAR1".utf8)
        return file
    }
}

extension ParquetError.Kind {
    /// The kind's name, to compare kinds without their messages.
    var name: String {
        switch self {
        case .notParquet: "notParquet"
        case .truncated: "truncated"
        case .corruptMetadata: "corruptMetadata"
        case .corruptPage: "corruptPage"
        case .invalidSchema: "invalidSchema"
        case .checksumMismatch: "checksumMismatch"
        case .limitExceeded: "limitExceeded"
        case .unsupported: "unsupported"
        case .codec: "codec"
        case .notFound: "notFound"
        case .invalidInput: "invalidInput"
        }
    }
}
