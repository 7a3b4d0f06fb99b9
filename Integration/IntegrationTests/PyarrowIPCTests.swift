import Foundation
import Lightstream
import Testing

/// What Lightstream writes, pyarrow reads and finds equal; what pyarrow writes, Lightstream
/// reads (and writes back for pyarrow to compare).
@Suite("IPC against pyarrow", .serialized)
struct PyarrowIPCTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "lightstream-ipc-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func save(_ buffer: Buffer, _ path: String) throws {
        try Data(buffer.array).write(to: URL(fileURLWithPath: path))
    }

    @Test func pyarrowReadsOurRewritesOfEveryGoldCase() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var pairs: [String] = []
        for name in GoldJSONConformanceTests.cases where GoldJSONConformanceTests.unsupported(name) == nil {
            let original = GoldJSONConformanceTests.integration + "/" + name + ".arrow_file"
            let table = try IPCFileReader(try GoldJSONConformanceTests.load(original)).readAll()
            let stem = directory + "/" + name.replacingOccurrences(of: "/", with: "__")
            for (alignment, suffix) in [(64, ""), (8, "-a8")] {
                var file = try IPCFileWriter(sink: MemorySink(), schema: table.schema, options: IPCWriteOptions(alignment: alignment))
                try file.write(table)
                try Self.save(try file.finish().buffer, stem + suffix + ".arrow")
                var stream = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: IPCWriteOptions(alignment: alignment))
                try stream.write(table)
                try Self.save(try stream.finish().buffer, stem + suffix + ".arrows")
            }
            pairs.append("(\"\(original)\", \"\(stem)\")")
        }
        let script = """
        import pyarrow as pa
        failures = []
        for original, stem in [\(pairs.joined(separator: ", "))]:
            expected = pa.ipc.open_file(original).read_all()
            for suffix in ["", "-a8"]:
                try:
                    ours_file = pa.ipc.open_file(stem + suffix + ".arrow").read_all()
                    ours_stream = pa.ipc.open_stream(stem + suffix + ".arrows").read_all()
                    for kind, ours in [("file", ours_file), ("stream", ours_stream)]:
                        if not ours.equals(expected):
                            failures.append(f"{stem}{suffix} {kind}: not equal")
                        ours.validate()
                except Exception as e:
                    failures.append(f"{stem}{suffix}: {type(e).__name__}: {e}")
        print(len(failures))
        for f in failures: print(f)
        """
        let output = try await PyarrowPeer.run(script).split(separator: "\n").map(String.init)
        #expect(output.first == "0", "\(output.prefix(10))")
        #expect(pairs.count == GoldJSONConformanceTests.cases.filter { GoldJSONConformanceTests.unsupported($0) == nil }.count)
        #expect(pairs.count > 60)
    }

    @Test func weReadWhatPyarrowWritesAndItReadsItBack() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = """
        import pyarrow as pa, datetime, decimal
        n = 1000
        table = pa.table({
            "i64": pa.array([i if i % 7 else None for i in range(n)], pa.int64()),
            "f32": pa.array([i * 0.5 for i in range(n)], pa.float32()),
            "s": pa.array([f"row {i}" if i % 5 else None for i in range(n)]),
            "ls": pa.array([[f"x{j}" for j in range(i % 4)] for i in range(n)], pa.list_(pa.string())),
            "d": pa.array([["red", "green", "blue"][i % 3] for i in range(n)]).dictionary_encode(),
            "ts": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i) for i in range(n)], pa.timestamp("us", tz="UTC")),
            "dec": pa.array([decimal.Decimal(i) / 100 for i in range(n)], pa.decimal128(12, 2)),
            "st": pa.array([{"a": i, "b": str(i)} for i in range(n)]),
            "b": pa.array([i % 3 == 0 for i in range(n)]),
            "sv": pa.array([f"view string number {i}" for i in range(n)], pa.string_view()),
        })
        for name, opts in [("plain", pa.ipc.IpcWriteOptions()), ("legacy", pa.ipc.IpcWriteOptions(use_legacy_format=True))]:
            with pa.ipc.new_stream("\(directory)/py-" + name + ".arrows", table.schema, options=opts) as w:
                w.write_table(table, max_chunksize=300)
            with pa.ipc.new_file("\(directory)/py-" + name + ".arrow", table.schema, options=opts) as w:
                w.write_table(table, max_chunksize=300)
        print("ok")
        """
        #expect(try await PyarrowPeer.run(script).contains("ok"))
        for name in ["plain", "legacy"] {
            let fileBytes = try GoldJSONConformanceTests.load(directory + "/py-\(name).arrow")
            let fromFile = try IPCFileReader(fileBytes).readAll()
            var stream = try IPCStreamReader(try GoldJSONConformanceTests.load(directory + "/py-\(name).arrows"))
            let fromStream = try stream.readAll()
            #expect(fromFile == fromStream)
            #expect(fromFile.rowCount == 1000)
            #expect(fromFile.batches.count == 4)
            var writer = try IPCStreamWriter(sink: MemorySink(), schema: fromFile.schema)
            try writer.write(fromFile)
            try Self.save(try writer.finish().buffer, directory + "/back-\(name).arrows")
        }
        let check = """
        import pyarrow as pa
        for name in ["plain", "legacy"]:
            original = pa.ipc.open_file("\(directory)/py-" + name + ".arrow").read_all()
            back = pa.ipc.open_stream("\(directory)/back-" + name + ".arrows").read_all()
            print(name, back.equals(original))
        """
        let lines = try await PyarrowPeer.run(check)
        #expect(lines.contains("plain True") && lines.contains("legacy True"), "\(lines)")
    }
}

/// Random tables from seeds, both ways through pyarrow.
@Suite("Random tables against pyarrow", .serialized)
struct PyarrowRandomTableTests {
    @Test("pyarrow reads ours and writes them back equal", arguments: [1, 2, 3] as [UInt64])
    func randomTables(_ seed: UInt64) async throws {
        let table = try RandomTables.table(seed: seed)
        try table.validate()
        let directory = try PyarrowIPCTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for alignment in [8, 64] {
            var stream = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: IPCWriteOptions(alignment: alignment))
            try stream.write(table)
            try PyarrowIPCTests.save(try stream.finish().buffer, directory + "/ours-\(alignment).arrows")
            var file = try IPCFileWriter(sink: MemorySink(), schema: table.schema, options: IPCWriteOptions(alignment: alignment))
            try file.write(table)
            try PyarrowIPCTests.save(try file.finish().buffer, directory + "/ours-\(alignment).arrow")
        }
        // pyarrow reads both, checks they agree and are valid, and writes the stream back with
        // dictionary deltas, and the file (unified dictionaries) back.
        let script = """
        import pyarrow as pa
        out = []
        for a in [8, 64]:
            s = pa.ipc.open_stream("\(directory)/ours-%d.arrows" % a).read_all()
            f = pa.ipc.open_file("\(directory)/ours-%d.arrow" % a).read_all()
            s.validate(full=True); f.validate(full=True)
            # Dictionaries differ by design (a file applies every delta up front); values must not.
            out.append("equal" if s.to_pylist() == f.to_pylist() else "differ")
            out.append(str(s.num_rows))
            opts = pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True)
            with pa.ipc.new_stream("\(directory)/back-%d.arrows" % a, s.schema, options=opts) as w:
                for batch in s.to_batches():
                    w.write_batch(batch)
        print(" ".join(out))
        """
        let output = try await PyarrowPeer.run(script).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output == "equal \(table.rowCount) equal \(table.rowCount)", "\(output)")
        for alignment in [8, 64] {
            var back = try IPCStreamReader(try GoldJSONConformanceTests.load(directory + "/back-\(alignment).arrows"))
            let roundTripped = try back.readAll()
            #expect(roundTripped.rowCount == table.rowCount)
            for (c, field) in table.schema.fields.enumerated() {
                let ours = table.batches.flatMap { b in (0..<b.length).map { b.columns[c].formatValue(at: $0) } }
                let theirs = roundTripped.batches.flatMap { b in (0..<b.length).map { b.columns[c].formatValue(at: $0) } }
                #expect(ours == theirs, "column \(field.name), seed \(seed), alignment \(alignment)")
            }
        }
    }
}
