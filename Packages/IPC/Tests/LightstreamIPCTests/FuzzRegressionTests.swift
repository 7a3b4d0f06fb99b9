import Foundation
import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming
import LightstreamIPC
import Testing
import Vec64

/// Replays what the IPC harnesses of `Fuzz/` found (`Fuzz/Regressions/{ipc-stream,ipc-file,flatbuffers}`):
/// every input reads to validated batches or to an `IPCError`, never a crash. A missing folder
/// fails the test instead of replaying nothing.
@Suite("Fuzz regressions (IPC)")
struct IPCFuzzRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamIPCTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions")

    /// The inputs of one harness's folder (every file but its README).
    static func inputs(_ harness: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = regressions.appendingPathComponent(harness)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.contains("README.md"), "\(folder.path) is not a regressions folder")
        return try names.filter { $0 != "README.md" }.sorted().map { name in
            (name, [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }

    /// Reads `bytes` as a stream (whole and in chunks), as a file and as one message's metadata.
    static func replay(_ bytes: [UInt8], name: String) {
        func stream(_ open: () throws -> IPCStreamReader<BufferSource>) {
            do {
                var reader = try open()
                var count = 0
                while let batch = try reader.next(), count < 10_000 {
                    #expect(throws: Never.self, "\(name)") { try batch.validate() }
                    count += 1
                }
            } catch {
                #expect(error is IPCError, "\(name): \(error)")
            }
        }
        stream { try IPCStreamReader(Buffer(copying: bytes)) }
        if let last = bytes.last {
            let size = Int(last % 61) + 3
            let chunks = stride(from: 0, to: bytes.count, by: size).map { Buffer(copying: bytes[$0..<min($0 + size, bytes.count)]) }
            stream { try IPCStreamReader(source: BufferSource(chunks)) }
        }
        do {
            let reader = try IPCFileReader(Buffer(copying: bytes))
            for i in 0..<min(reader.batchCount, 10_000) {
                do { try reader.batch(i).validate() } catch { #expect(error is IPCError, "\(name): \(error)") }
            }
        } catch {
            #expect(error is IPCError, "\(name): \(error)")
        }
        do {
            _ = try IPCMessage(metadata: Buffer(copying: bytes), body: Buffer())
        } catch {
            #expect(error is IPCError || error is FlatBufferError, "\(name): \(error)")
        }
    }

    @Test(arguments: ["ipc-stream", "ipc-file", "flatbuffers"])
    func replays(_ harness: String) throws {
        for (name, bytes) in try Self.inputs(harness) { Self.replay(bytes, name: "\(harness)/\(name)") }
    }
}
