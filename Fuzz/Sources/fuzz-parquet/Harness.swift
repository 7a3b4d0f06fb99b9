import FuzzSupport
import LightstreamArrow
import LightstreamParquet
import Vec64

// The Parquet file reader: ParquetFileReader(buffer:) over the input with tight limits (a 1 MiB
// footer, 16 MiB pages, 2^20 values a page), one thread, checksums verified; every row group
// read and validated, then the table of them validated. When the file opens, it is read again
// with the stored Arrow schema ignored and every top-level column asked for as a dictionary.

/// The options of the harness (and of the package's regression replay).
func fuzzOptions(arrowSchema: Bool, dictionaries: Set<String>) -> ParquetReadOptions {
    var options = ParquetReadOptions()
    options.useThreads = false
    options.verifyChecksums = true
    options.useArrowSchema = arrowSchema
    options.dictionaryColumns = dictionaries
    options.maximumFooterBytes = 1 << 20
    options.maximumPageBytes = 16 << 20
    options.maximumPageValues = 1 << 20
    return options
}

/// Reads every row group (at most 64) and checks each batch and the table; returns the reader's
/// top-level field names when the file opened.
@discardableResult
func readAll(_ bytes: Buffer, _ options: ParquetReadOptions) -> [String]? {
    guard let reader = try? ParquetFileReader(buffer: bytes, options: options) else { return nil }
    var batches: [RecordBatch] = []
    for i in 0..<min(reader.rowGroupCount, 64) {
        guard let batch = try? reader.readRowGroup(i) else { continue }
        do {
            try batch.validate()
        } catch {
            Fuzz.check(false, "row group \(i) does not validate: \(error)")
        }
        Fuzz.check(batch.schema == reader.schema, "row group \(i) has another schema than the reader's")
        Fuzz.check(batch.length == Int(reader.metadata.rowGroups[i].rowCount), "row group \(i) has another length than its metadata's")
        batches.append(batch)
    }
    if batches.count == reader.rowGroupCount, let table = try? Table(schema: reader.schema, batches: batches) {
        do {
            try table.validate()
        } catch {
            Fuzz.check(false, "the table does not validate: \(error)")
        }
    }
    return reader.schema.fields.map(\.name)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.buffer(data, size)
    if let names = readAll(bytes, fuzzOptions(arrowSchema: true, dictionaries: [])) {
        readAll(bytes, fuzzOptions(arrowSchema: false, dictionaries: Set(names)))
    }
    return 0
}
