import ArrowIntegrationJSON
import Foundation
import Lightstream
import Testing

/// Every gold case Lightstream supports reads (as IPC file and as IPC stream) to exactly what its
/// integration JSON describes; the unsupported ones fail with a clear error.
@Suite("Gold files against their JSON")
struct GoldJSONConformanceTests {
    /// `../shared/corpus/arrow-ipc-stream/integration` from the repository root, and nowhere else
    /// (``ArrowIntegrationJSONTests/corpusIsPresent()`` fails when it is missing).
    static var integration: String {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }   // Integration/IntegrationTests/x.swift -> repository root
        return root.appendingPathComponent("../shared/corpus/arrow-ipc-stream/integration").standardizedFileURL.path
    }

    static var cases: [String] {
        let producers = (try? FileManager.default.contentsOfDirectory(atPath: integration)) ?? []
        return producers.sorted().flatMap { producer -> [String] in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: integration + "/" + producer)) ?? []
            return files.filter { $0.hasSuffix(".arrow_file") }.map { "\(producer)/\($0.dropLast(".arrow_file".count))" }.sorted()
        }
    }

    /// The cases Lightstream refuses, and why (the README lists them too).
    static func unsupported(_ name: String) -> String? {
        if name.hasPrefix("1.0.0-bigendian/") { return "big-endian" }
        return nil
    }

    static func load(_ path: String) throws -> Buffer {
        Buffer(copying: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test("file and stream equal the JSON", arguments: cases)
    func matchesJSON(_ name: String) throws {
        let base = Self.integration + "/" + name
        let truth = try ArrowIntegrationJSON.read(path: base + ".json.gz")
        do {
            let file = try IPCFileReader(try Self.load(base + ".arrow_file"))
            var stream = try IPCStreamReader(try Self.load(base + ".stream"))
            let fromStream = try stream.readAll()
            let fromFile = try file.readAll()
            #expect(Self.unsupported(name) == nil, "\(name) was expected to fail")
            #expect(fromFile.batches.count == truth.batches.count)
            for (ours, expected) in zip(fromFile.batches, truth.batches) {
                #expect(ours.length == expected.length)
                for (i, (a, b)) in zip(ours.columns, expected.columns).enumerated() {
                    #expect(Self.equalIgnoringMapNames(a, b), "\(name): column \(ours.schema.fields[i].name)")
                }
            }
            #expect(fromStream.rowCount == fromFile.rowCount)
        } catch let error as IPCError {
            guard let why = Self.unsupported(name) else { throw error }
            #expect(error.reason.contains(why == "big-endian" ? "big-endian" : "codec"), "\(error)")
        }
    }

    @Test("the JSON's data survives our writer (file and stream)", arguments: cases)
    func jsonThroughOurWriter(_ name: String) throws {
        let truth = try ArrowIntegrationJSON.read(path: Self.integration + "/" + name + ".json.gz")
        let table = try Table(schema: truth.schema, batches: truth.batches)
        var file = try IPCFileWriter(sink: MemorySink(), schema: truth.schema)
        try file.write(table)
        #expect(try IPCFileReader(try file.finish().buffer).readAll() == table)
        var stream = try IPCStreamWriter(sink: MemorySink(), schema: truth.schema, options: IPCWriteOptions(alignment: 8))
        try stream.write(table)
        var reader = try IPCStreamReader(try stream.finish().buffer)
        #expect(try reader.readAll() == table)
    }

    /// Logical equality, where map entry field names (which producers spell differently) don't count.
    static func equalIgnoringMapNames(_ a: ArrayData, _ b: ArrayData) -> Bool {
        a.logicallyEquals(b) || a.logicallyEquals(b.withType(a.type))
    }
}
