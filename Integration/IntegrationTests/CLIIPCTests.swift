import Foundation
import Lightstream
import Testing

/// The `lightstream` IPC commands in the exact forms the README documents.
@Suite("lightstream IPC commands")
struct CLIIPCTests {
    static let gold = GoldJSONConformanceTests.integration

    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "lightstream-cli-\(UInt32.random(in: 0...UInt32.max))-" + name
    }

    @Test func convertsBetweenFilesAndStreamsAndValidates() throws {
        let source = Self.gold + "/cpp-21.0.0/generated_nested.stream"
        let file = Self.temporary("nested.arrow")
        let stream = Self.temporary("nested.arrows")
        defer { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: stream) }
        #expect(try Tool.run(["convert", source, file, "--alignment", "8", "--batch-rows", "5"]).status == 0)
        #expect(try Tool.run(["convert", file, stream]).status == 0)
        let validate = try Tool.run(["validate", stream])
        #expect(validate.status == 0 && validate.output.contains("valid:"), "\(validate.output)")
        let original = try IPCFileReader(try GoldJSONConformanceTests.load(Self.gold + "/cpp-21.0.0/generated_nested.arrow_file")).readAll()
        var reader = try IPCStreamReader(try GoldJSONConformanceTests.load(stream))
        #expect(try reader.readAll() == original)
        #expect(try IPCFileReader(try GoldJSONConformanceTests.load(file)).batchCount >= original.batches.count)
    }

    @Test func schemaAndCatTellFilesFromStreamsByContent() throws {
        let misnamed = Self.temporary("really-a-file.stream")
        defer { try? FileManager.default.removeItem(atPath: misnamed) }
        try FileManager.default.copyItem(atPath: Self.gold + "/cpp-21.0.0/generated_primitive.arrow_file", toPath: misnamed)
        let schema = try Tool.run(["schema", misnamed])
        #expect(schema.status == 0 && schema.output.contains("bool_nullable: bool"), "\(schema.output)")
        let cat = try Tool.run(["cat", misnamed, "--limit", "4"])
        #expect(cat.status == 0 && cat.output.contains("rows,"), "\(cat.output)")
    }

    @Test func errorsAreMessagesWithStatusOne() throws {
        let missing = try Tool.run(["cat", "/nonexistent.arrow"])
        #expect(missing.status == 1 && missing.output.hasPrefix("error: "), "\(missing.output)")
        let malformed = try Tool.run(["validate", Self.gold + "/../../malformed/ipc-stream/crash-09f72ba2a52b80366ab676364abec850fc668168"])
        #expect(malformed.status == 1 && malformed.output.hasPrefix("error: "), "\(malformed.output)")
        let unknownCodec = try Tool.run(["convert", Self.gold + "/cpp-21.0.0/generated_primitive.stream", Self.temporary("x.arrows"), "--compression", "brotli"])
        #expect(unknownCodec.status == 1 && unknownCodec.output.hasPrefix("error: "))
        let badExtension = try Tool.run(["convert", Self.gold + "/cpp-21.0.0/generated_primitive.stream", "/tmp/out.txt"])
        #expect(badExtension.status == 1 && badExtension.output.hasPrefix("error: "))
    }

    @Test func convertUnifiesReplacedDictionariesIntoAFile() throws {
        var first = DictionaryBuilder<Int8, String>()
        for v in ["a", "b"] { first.append(v) }
        var second = DictionaryBuilder<Int8, String>()
        for v in ["z", "a", nil] { second.append(v) }
        let table = try Table(batches: [try RecordBatch(["c": first.finish()]), try RecordBatch(["c": second.finish()])])
        var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        let input = Self.temporary("replaced.arrows"), output = Self.temporary("unified.arrow")
        defer { try? FileManager.default.removeItem(atPath: input); try? FileManager.default.removeItem(atPath: output) }
        try Data(try writer.finish().buffer.array).write(to: URL(fileURLWithPath: input))
        let result = try Tool.run(["convert", input, output])
        #expect(result.status == 0, "\(result.output)")
        let back = try IPCFileReader(try GoldJSONConformanceTests.load(output)).readAll()
        let values = back.batches.flatMap { batch in (0..<batch.length).map { batch.columns[0].formatValue(at: $0) } }
        #expect(values == ["a", "b", "z", "a", "null"])
    }

    @Test func integrationModes() throws {
        let json = Self.gold + "/cpp-21.0.0/generated_decimal.json.gz"
        let arrow = Self.temporary("decimal.arrow")
        defer { try? FileManager.default.removeItem(atPath: arrow) }
        #expect(try Tool.run(["integration", "--mode", "json-to-arrow", "--json", json, "--arrow", arrow]).status == 0)
        let validate = try Tool.run(["integration", "--mode", "validate", "--json", json, "--arrow", arrow])
        #expect(validate.status == 0, "\(validate.output)")
        let mismatch = try Tool.run(["integration", "--mode", "validate", "--json", Self.gold + "/cpp-21.0.0/generated_primitive.json.gz", "--arrow", arrow])
        #expect(mismatch.status == 1)
    }

    @Test func conformanceCommandPrintsTheMatrix() throws {
        let result = try Tool.run(["conformance", "--corpus", Self.gold + "/../.."])
        #expect(result.status == 0, "\(result.output.suffix(500))")
        #expect(result.output.contains("cpp-21.0.0/generated_run_end_encoded"))
        #expect(result.output.contains("0 fail unexpectedly"))
    }
}
