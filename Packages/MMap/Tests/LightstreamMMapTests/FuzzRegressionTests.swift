#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LightstreamIPC
import LightstreamMMap
import Testing

/// Replays what the `mmap` harness of `Fuzz/` found (`Fuzz/Regressions/mmap`): each input, mapped
/// from a file, opens and reads to validated batches or fails with a typed error. A missing folder
/// fails the test instead of replaying nothing.
@Suite("Fuzz regressions (MMap)")
struct MMapFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()    // Tests/LightstreamMMapTests/x.swift -> repository
        .appendingPathComponent("Fuzz/Regressions/mmap")

    @Test func replays() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(names.contains("README.md"), "\(Self.folder.path) is not a regressions folder")
        for name in names.sorted() where name != "README.md" {
            let path = Self.folder.appendingPathComponent(name).path
            for validation in [MappedValidation.atOpen, .lazily] {
                do {
                    let file = try MappedArrowFile(path: path, options: MappedFileOptions(validation: validation))
                    for i in 0..<min(file.batchCount, 10_000) {
                        do { try file.batch(i).validate() } catch { #expect(error is IPCError, "\(name): \(error)") }
                    }
                } catch {
                    #expect(error is IPCError || error is MemoryMapError, "\(name): \(error)")
                }
            }
        }
    }
}
