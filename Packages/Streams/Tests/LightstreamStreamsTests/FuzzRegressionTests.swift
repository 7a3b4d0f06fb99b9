import Foundation
import LightstreamArrow
import LightstreamStreams
import Testing
import Vec64

/// Replays what the `connection` harness of `Fuzz/` found (`Fuzz/Regressions/connection`): the
/// message connection protocol over each input, in every chunk size the harness can choose (a
/// superset of the one its first byte selected), receives validated tables or fails with a typed
/// error, never a crash. A missing folder fails the test.
@Suite("Fuzz regressions (connection protocol)")
struct ConnectionFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamStreamsTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions/connection")

    /// The harness's connection types: two messages and two tables, in its registration order.
    static func types() throws -> ConnectionTypes {
        let rows = try RecordBatch(["id": Int32Array([1, 2, nil, 4]), "name": StringArray(["a", nil, "ccc", "dddd"])])
        let lists = try RecordBatch([
            "values": ListArray([[1, 2], nil, [3]] as [[Int64?]?]), "flag": BooleanArray([true, nil, false]),
            "word": DictionaryArray(["x", "y", "x"]),
        ])
        var types = ConnectionTypes()
        types.registerMessage("hello")
        types.registerTable("rows", schema: rows.schema)
        types.registerMessage("raw")
        types.registerTable("lists", schema: lists.schema)
        return types
    }

    @Test func replays() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(names.contains("README.md"), "\(Self.folder.path) is not a regressions folder")
        let types = try Self.types()
        for name in names.sorted() where name != "README.md" {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            for input in [bytes, Array(bytes.dropFirst())] {
                for chunk in [1 << 20, 1, 3, 7, 64, 1000] {
                    var receiver = MessageReceiver(types: types, source: MemoryByteStream(Buffer(copying: input), chunkSize: chunk),
                                                   maximumPayloadLength: 1 << 20)
                    do {
                        while let message = try await receiver.next() {
                            if case let .table(_, table) = message { #expect(throws: Never.self, "\(name)") { try table.validate() } }
                        }
                    } catch {}
                }
            }
        }
    }
}
