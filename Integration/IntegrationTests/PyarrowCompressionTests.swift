import Foundation
import Lightstream
import Testing

/// Compressed IPC bodies against pyarrow: LZ4 frame and Zstd, both ways.
@Suite("Compressed IPC against pyarrow", .serialized)
struct PyarrowCompressionTests {
    static let ourCodecs: [String] = ["lz4", "zstd"]

    @Test("pyarrow reads our compressed streams and files", arguments: ourCodecs)
    func pyarrowReadsOurs(_ codecName: String) async throws {
        let codec: any IPCBodyCodec = codecName == "lz4" ? CodecBodyCompression.lz4Frame : CodecBodyCompression.zstd
        let table = try RandomTables.table(seed: 7)
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (suffix, options) in [("plain", IPCWriteOptions()), ("compressed", IPCWriteOptions(alignment: 8, codec: codec))] {
            var file = try IPCFileWriter(sink: MemorySink(), schema: table.schema, options: options)
            try file.write(table)
            try PyarrowIPCTests.save(try file.finish().buffer, directory + "/\(suffix).arrow")
            var stream = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: options)
            try stream.write(table)
            try PyarrowIPCTests.save(try stream.finish().buffer, directory + "/\(suffix).arrows")
        }
        let script = """
        import pyarrow as pa
        plain = pa.ipc.open_file("\(directory)/plain.arrow").read_all()
        f = pa.ipc.open_file("\(directory)/compressed.arrow").read_all()
        s = pa.ipc.open_stream("\(directory)/compressed.arrows").read_all()
        f.validate(full=True); s.validate(full=True)
        print(f.equals(plain), s.to_pylist() == plain.to_pylist())
        """
        #expect(try await PyarrowPeer.run(script).trimmingCharacters(in: .whitespacesAndNewlines) == "True True")
    }

    @Test("we read pyarrow's compressed streams and files", arguments: ["lz4", "zstd"])
    func weReadPyarrows(_ codecName: String) async throws {
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = """
        import pyarrow as pa
        n = 5000
        t = pa.table({"i": pa.array(range(n), pa.int64()), "s": pa.array([f"row {i % 97}" for i in range(n)]),
                      "d": pa.array([["a", "b", "c"][i % 3] for i in range(n)]).dictionary_encode(),
                      "f": pa.array([None if i % 11 == 0 else i * 0.25 for i in range(n)])})
        opts = pa.ipc.IpcWriteOptions(compression="\(codecName)")
        with pa.ipc.new_file("\(directory)/c.arrow", t.schema, options=opts) as w: w.write_table(t, max_chunksize=1000)
        with pa.ipc.new_stream("\(directory)/c.arrows", t.schema, options=opts) as w: w.write_table(t, max_chunksize=1000)
        with pa.ipc.new_file("\(directory)/p.arrow", t.schema) as w: w.write_table(t, max_chunksize=1000)
        print("ok")
        """
        #expect(try await PyarrowPeer.run(script).contains("ok"))
        let plain = try IPCFileReader(try GoldJSONConformanceTests.load(directory + "/p.arrow")).readAll()
        let file = try IPCFileReader(try GoldJSONConformanceTests.load(directory + "/c.arrow")).readAll()
        var stream = try IPCStreamReader(try GoldJSONConformanceTests.load(directory + "/c.arrows"))
        #expect(file == plain)
        #expect(try stream.readAll() == plain)
    }
}
