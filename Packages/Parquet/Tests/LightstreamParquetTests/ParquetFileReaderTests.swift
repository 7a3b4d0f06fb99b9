import Foundation
import LightstreamArrow
@testable import LightstreamParquet
import Testing

/// Reads parquet-testing files in place from `../shared/corpus` (relative to the repository root);
/// a missing corpus fails these tests.
private enum ReaderCorpus {
    static var data: String {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("../shared/corpus/parquet-testing/data").standardizedFileURL.path
    }

    static func open(_ name: String, _ configure: (inout ParquetReadOptions) -> Void = { _ in }) throws -> ParquetFileReader {
        var options = ParquetReadOptions()
        configure(&options)
        return try ParquetFileReader(path: data + "/" + name, options: options)
    }
}

@Suite struct ParquetFileReaderTests {
    @Test func readsValuesOfEveryPrimitiveColumn() throws {
        let table = try ReaderCorpus.open("alltypes_plain.parquet").readAll()
        #expect(table.rowCount == 8)
        let batch = table.batches[0]
        #expect(try batch.column(named: "id").integerValue(at: 0) == 4)
        #expect(try batch.column(named: "bigint_col").integerValue(at: 1) == 10)
        #expect(try batch.column(named: "string_col").binaryValue(at: 1).array == Array("1".utf8))
        let timestamps = try batch.column(named: "timestamp_col")
        #expect(timestamps.type == .timestamp(.nanosecond, timezone: nil))
        // 2009-03-01 00:01:00 from an INT96 (Julian day + nanoseconds of the day).
        let nanoseconds = timestamps.buffers[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: Int64.self) }
        #expect(nanoseconds == 1_235_865_660_000_000_000)
        try table.validate()
    }

    @Test func projectsByNameAndByDottedPath() throws {
        let reader = try ReaderCorpus.open("nested_structs.rust.parquet") { $0.columns = ["roll_num.max", "count"] }
        #expect(reader.schema.fields.map(\.name) == ["roll_num", "count"])
        guard case .struct(let members) = reader.schema.fields[0].type else { Issue.record("not a struct"); return }
        #expect(members.map(\.name) == ["max"])
        let table = try reader.readAll()
        try table.validate()
        #expect(throws: ParquetError.self) { try ReaderCorpus.open("nested_structs.rust.parquet") { $0.columns = ["nope"] } }
    }

    @Test func batchesNeverSpanRowGroupsAndMatchReadAll() throws {
        let reader = try ReaderCorpus.open("alltypes_tiny_pages.parquet") { $0.batchSize = 1000 }
        var iterator = reader.batches()
        var lengths: [Int] = []
        var batches: [RecordBatch] = []
        while let batch = try iterator.next() {
            lengths.append(batch.length)
            batches.append(batch)
        }
        #expect(lengths == [1000, 1000, 1000, 1000, 1000, 1000, 1000, 300])
        let whole = try reader.readAll()
        let joined = try Table(schema: reader.schema, batches: batches)
        for column in 0..<reader.schema.fields.count {
            var row = 0
            for batch in joined.batches {
                for i in 0..<batch.length {
                    #expect(batch.columns[column].isNull(i) == whole.batches[0].columns[column].isNull(row + i))
                }
                row += batch.length
            }
        }
    }

    @Test(arguments: [true, false])
    func threadsDoNotChangeTheResult(useThreads: Bool) throws {
        let serial = try ReaderCorpus.open("nullable.impala.parquet") { $0.useThreads = false }.readAll()
        let other = try ReaderCorpus.open("nullable.impala.parquet") { $0.useThreads = useThreads }.readAll()
        #expect(serial == other)
        try other.validate()
    }

    @Test func dictionaryColumnsKeepTheFileDictionary() throws {
        let reader = try ReaderCorpus.open("alltypes_tiny_pages.parquet") { $0.dictionaryColumns = ["string_col"] }
        #expect(reader.schema.field(named: "string_col")?.type == .dictionary(index: .int32, value: .utf8, ordered: false))
        let table = try reader.readAll()
        try table.validate()
        let column = try table.batches[0].column(named: "string_col")
        #expect(column.dictionary != nil)
        #expect((column.dictionary?.length ?? 0) <= 10)
    }

    @Test func readsThePageIndex() throws {
        let reader = try ReaderCorpus.open("alltypes_tiny_pages.parquet")
        let offsets = try #require(try reader.offsetIndex(rowGroup: 0, column: 0))
        #expect(offsets.pageLocations.count > 1)
        #expect(offsets.pageLocations.first?.firstRowIndex == 0)
        #expect(zip(offsets.pageLocations, offsets.pageLocations.dropFirst()).allSatisfy { $0.firstRowIndex < $1.firstRowIndex })
        let index = try #require(try reader.columnIndex(rowGroup: 0, column: 0))
        #expect(index.nullPages.count == offsets.pageLocations.count)
        #expect(ParquetValue(plain: index.minValues[0], type: .int32) != nil)
    }

    @Test func rowGroupSelection() throws {
        let reader = try ReaderCorpus.open("alltypes_tiny_pages.parquet") { $0.rowGroups = [0] }
        #expect(try reader.readAll().rowCount == 7300)
        #expect(throws: ParquetError.self) { try reader.readRowGroup(1) }
    }

    @Test func typedStatistics() throws {
        let reader = try ReaderCorpus.open("alltypes_tiny_pages.parquet")
        let chunk = try #require(reader.metadata.rowGroups[0].columns[0].metadata)
        let statistics = try #require(chunk.statistics)
        #expect(ParquetValue(plain: try #require(statistics.min), type: chunk.type) == .int32(0))
        #expect(ParquetValue(plain: try #require(statistics.max), type: chunk.type) == .int32(7299))
    }

    @Test func checksumsAreVerifiedOnRequest() throws {
        let good = try ReaderCorpus.open("datapage_v1-snappy-compressed-checksum.parquet") { $0.verifyChecksums = true }
        #expect(try good.readAll().rowCount == 5120)
        let bad = try ReaderCorpus.open("datapage_v1-corrupt-checksum.parquet") { $0.verifyChecksums = true }
        do {
            _ = try bad.readAll()
            Issue.record("a corrupt page CRC was not detected")
        } catch {
            #expect(error.kind == .checksumMismatch)
            #expect(error.column != nil && error.page != nil)
        }
    }

    @Test func unsupportedCodecNamesTheColumn() throws {
        let reader = try ReaderCorpus.open("large_string_map.brotli.parquet")
        do {
            _ = try reader.readAll()
            Issue.record("BROTLI read")
        } catch {
            #expect(error.kind == .unsupported("codec BROTLI is not supported"))
            #expect(error.column != nil)
        }
    }
}
