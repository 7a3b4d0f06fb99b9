import Foundation
import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import Testing
import Vec64

/// Replays what the `csv` harness of `Fuzz/` found (`Fuzz/Regressions/csv`): each input, with and
/// without the harness's three parameter bytes, under the options its first byte selects and a
/// spread of the other option sets the harness can choose, in one chunk and in small chunks.
/// Reading gives valid batches with the reader's schema (the same in both chunkings) or a
/// `CSVError` (the same in both), never a crash. A missing folder fails the test.
@Suite("Fuzz regressions (CSV)")
struct CSVFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamCSVTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions/csv")

    /// The harness's option sets (Fuzz/Sources/fuzz-csv/Harness.swift, `options(_:blockByte:)`).
    static func options(_ a: UInt8, blockByte: UInt8) -> CSVReadOptions {
        var o = CSVReadOptions()
        switch a & 0x0F {
        case 1: o.delimiter = UInt8(ascii: ";")
        case 2: o.delimiter = UInt8(ascii: "\t")
        case 3: o.escape = UInt8(ascii: "\\"); o.doubleQuote = false
        case 4: o.commentPrefix = UInt8(ascii: "#")
        case 5: o.quote = nil
        case 6: o.schema = Schema([Field("a", .int64), Field("b", .decimal128(precision: 10, scale: 2)),
                                   Field("c", .timestamp(.millisecond, timezone: nil)), Field("d", .utf8)])
        case 7: o.schema = Schema([Field("a", .int32), Field("b", .decimal256(precision: 40, scale: 5)),
                                   Field("c", .timestamp(.nanosecond, timezone: "UTC")), Field("d", .binary)])
        case 8: o.schema = Schema([Field("a", .uint8), Field("b", .decimal32(precision: 5, scale: 1)), Field("c", .date32),
                                   Field("d", .time64(.microsecond)), Field("e", .boolean), Field("f", .float32)])
        case 9: o.columnTypes = ["a": .int16, "b": .decimal64(precision: 12, scale: 3), "c": .timestamp(.second, timezone: "UTC")]
        case 10: o.delimiter = UInt8(ascii: "|"); o.ignoreEmptyLines = false; o.stringsCanBeNull = true
        case 11: o.maximumRowBytes = 40; o.batchRows = 2
        case 12: o.skipRows = 1; o.includeColumns = ["b", "a"]
        case 13: o.escape = UInt8(ascii: "\\"); o.commentPrefix = UInt8(ascii: "#"); o.nullValues = ["-"]
        case 14: o.columnNames = ["x", "y", "z"]; o.quotedStringsCanBeNull = false
        case 15: o.binaryEncoding = .hex; o.columnTypes = ["a": .binary, "b": .fixedSizeBinary(byteWidth: 2)]
        default: break
        }
        if a & 0x10 != 0 { o.invalidRows = .skip }
        if a & 0x20 != 0 { o.dictionaryEncodeStrings = true }
        if a & 0x40 != 0 { o.header = false }
        if a & 0x80 != 0 { o.blockSize = 1 + Int(blockByte % 64) }
        return o
    }

    /// The batches (each checked) or the error of reading `chunks`.
    static func read(_ chunks: [Buffer], _ options: CSVReadOptions, _ name: String) -> Result<[RecordBatch], CSVError> {
        do {
            var reader = try CSVReader(source: BufferSource(chunks), options: options)
            var batches: [RecordBatch] = []
            while let batch = try reader.next() {
                #expect(throws: Never.self, "\(name)") { try batch.validate() }
                #expect(batch.schema == reader.schema, "\(name)")
                batches.append(batch)
            }
            return .success(batches)
        } catch {
            return .failure(error)
        }
    }

    @Test func replays() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(names.contains("README.md"), "\(Self.folder.path) is not a regressions folder")
        for name in names.sorted() where name != "README.md" {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let first = bytes.first ?? 0, block = bytes.count > 1 ? bytes[1] : 0
            var choices: Set<UInt8> = [first]
            for preset: UInt8 in 0..<16 {
                for flags: UInt8 in [0, 0x10, 0x20, 0x40, 0x90] { choices.insert(preset | flags) }
            }
            for a in choices.sorted() {
                let options = Self.options(a, blockByte: block)
                for input in [Array(bytes.dropFirst(3)), bytes] {
                    let whole = Self.read([Buffer(copying: input)], options, name)
                    let pieces = Self.read(stride(from: 0, to: input.count, by: 7).map { Buffer(copying: input[$0..<min($0 + 7, input.count)]) }, options, name)
                    switch (whole, pieces) {
                    case let (.success(x), .success(y)): #expect(x.count == y.count && zip(x, y).allSatisfy { $0 == $1 }, "\(name), options \(a)")
                    case let (.failure(x), .failure(y)): #expect(x == y, "\(name), options \(a)")
                    default: Issue.record("\(name), options \(a): one chunk \(whole), 7-byte chunks \(pieces)")
                    }
                }
            }
        }
    }
}
