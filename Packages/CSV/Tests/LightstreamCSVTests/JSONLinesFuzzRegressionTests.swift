import Foundation
import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import Testing
import Vec64

/// Replays what the `jsonl` harness of `Fuzz/` found (`Fuzz/Regressions/jsonl`) under every
/// option set the harness's first byte can choose, whole and in chunks: batches that validate and
/// agree, or the same typed error, never a crash. A missing folder fails the test.
@Suite("Fuzz regressions (JSON Lines)")
struct JSONLinesFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Packages/CSV/Tests/LightstreamCSVTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions/jsonl")

    /// The harness's given schema (Fuzz/Sources/fuzz-jsonl/Harness.swift).
    static let givenSchema = Schema([
        Field("a", .int64), Field("b", .utf8), Field("c", .list(of: .int32)), Field("d", .struct([Field("x", .float64), Field("y", .boolean)])),
        Field("e", .timestamp(.millisecond, timezone: "UTC")), Field("f", .decimal128(precision: 12, scale: 3)),
        Field("g", .dictionary(index: .int32, value: .utf8, ordered: false)), Field("h", .binary), Field("i", .map(key: .utf8, value: .int8)),
        Field("j", .date32), Field("k", .uint64),
    ])

    static func options(_ a: UInt8) -> JSONLinesReadOptions {
        var options = JSONLinesReadOptions()
        options.blockSize = [16, 64, 256, 1 << 20][Int(a & 3)]
        options.maximumNestingDepth = a & 4 == 0 ? 64 : 4
        options.maximumLineBytes = a & 8 == 0 ? 64 << 20 : 200
        if a & 16 != 0 { options.schema = givenSchema }
        options.unexpectedFields = [.infer, .ignore, .error, .infer][Int(a >> 5) & 3]
        return options
    }

    static func read(_ chunks: [[UInt8]], _ options: JSONLinesReadOptions) -> Result<[RecordBatch], CSVError> {
        do throws(CSVError) {
            var reader = try JSONLinesReader(source: BufferSource(chunks: chunks), options: options)
            var batches: [RecordBatch] = []
            while let batch = try reader.next() {
                #expect(throws: Never.self) { try batch.validate() }
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
            let input = Array(bytes.dropFirst(2))
            for a in [bytes.first ?? 0] + [0, 0x13, 0x1F, 0x2C, 0x48] {
                let options = Self.options(a)
                let whole = Self.read([input], options)
                for size in [1, 7] {
                    let chunks = stride(from: 0, to: input.count, by: size).map { Array(input[$0..<min($0 + size, input.count)]) }
                    let chunked = Self.read(chunks, options)
                    switch (whole, chunked) {
                    case let (.success(x), .success(y)): #expect(x == y, "\(name), options \(a), chunks of \(size)")
                    case let (.failure(x), .failure(y)): #expect(x == y, "\(name), options \(a), chunks of \(size)")
                    default: Issue.record("\(name), options \(a), chunks of \(size): \(whole) vs \(chunked)")
                    }
                }
            }
        }
    }
}
