import Foundation
import LightstreamArrow
import Testing
import Vec64
@testable import LightstreamParquet

/// Replays what the `parquet` harness of `Fuzz/` found (`Fuzz/Regressions/parquet`): each input is
/// read as the harness reads it (tight limits, checksums verified; with the stored Arrow schema,
/// then without it and with every top-level column as a dictionary) and gives tables that
/// validate or a `ParquetError`, never a crash. A missing folder fails the test.
@Suite("Fuzz regressions (Parquet)")
struct ParquetFuzzRegressionTests {
    static let folder = ParquetCorpus.repository.appendingPathComponent("Fuzz/Regressions/parquet")

    @Test func replays() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(names.contains("README.md"), "\(Self.folder.path) is not a regressions folder")
        for name in names.sorted() where name != "README.md" {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            var options = tightOptions()
            guard let names = Self.readEachRowGroup(bytes, options, name) else { continue }
            options.useArrowSchema = false
            options.dictionaryColumns = Set(names)
            Self.readEachRowGroup(bytes, options, name)
        }
    }

    /// As the harness: opens the file, reads every row group (at most 64), failing ones skipped,
    /// and validates each batch; returns the top-level names when the file opened.
    @discardableResult
    static func readEachRowGroup(_ bytes: [UInt8], _ options: ParquetReadOptions, _ name: String) -> [String]? {
        guard let reader = try? ParquetFileReader(buffer: Buffer(copying: bytes), options: options) else { return nil }
        for i in 0..<min(reader.rowGroupCount, 64) {
            guard let batch = try? reader.readRowGroup(i) else { continue }
            #expect(throws: Never.self, "\(name), row group \(i)") { try batch.validate() }
            #expect(batch.length == Int(reader.metadata.rowGroups[i].rowCount), "\(name), row group \(i)")
        }
        return reader.schema.fields.map(\.name)
    }
}
