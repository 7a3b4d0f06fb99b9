import Foundation
import Lightstream
import Testing

/// Values of an uncompressed single-page chunk of a required fixed-width column are handed over
/// as slices of the mapped file when they lie 8-byte aligned in it; every other chunk is copied.
@Suite("Parquet zero-copy reads")
struct ParquetZeroCopyTests {
    @Test func alignedPlainPagesPointIntoTheFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ls-parquet-zero-copy-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Sixteen row counts move the page header's length, so some files put the values of the
        // first column 8-byte aligned.
        _ = try await PyarrowPeer.run("""
            import numpy as np, pyarrow as pa, pyarrow.parquet as pq
            for n in range(1000, 1016):
                t = pa.table({"a": pa.array(np.arange(n, dtype=np.int64) * 3), "b": pa.array(np.arange(n, dtype=np.float64) / 2)})
                schema = pa.schema([pa.field("a", pa.int64(), False), pa.field("b", pa.float64(), False)])
                pq.write_table(t.cast(schema), "\(directory.path)/f%d.parquet" % n, compression="none",
                               use_dictionary=False, data_page_size=1 << 30, write_statistics=False)
            """)
        var borrowedColumns = 0
        for n in 1000..<1016 {
            let reader = try ParquetFileReader(path: directory.path + "/f\(n).parquet")
            let batch = try reader.readRowGroup(0)
            try batch.validate()
            let a = batch.columns[0], b = batch.columns[1]
            #expect(a.length == n)
            for i in [0, n / 2, n - 1] {
                #expect(a.buffers[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 8, as: Int64.self) } == Int64(i * 3))
                #expect(b.buffers[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 8, as: Double.self) } == Double(i) / 2)
            }
            for column in [a, b] where column.buffers[0].sharesOwner(with: reader.file) {
                #expect(column.buffers[0].isAligned(to: 8))
                borrowedColumns += 1
            }
        }
        // With 32 chunks at eight possible alignments, some are aligned; all must read right.
        #expect(borrowedColumns > 0)
    }
}
