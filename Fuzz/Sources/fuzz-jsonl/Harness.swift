import FuzzSupport
import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import Vec64

// JSON Lines: a JSONLinesReader over the input after two parameter bytes. The first byte chooses
// the block size (16, 64, 256 bytes or 1 MiB), the nesting limit (64 or 4), the line limit
// (64 MiB or 200 bytes), a given schema or inference, and the unexpected-field handling; the
// second the chunk size of a second, chunked read. Every batch validates; the chunked read gives
// the same batches (or the same error); a table read completely is written with JSONLinesWriter
// and reads back (with its schema) to the same table.

let givenSchema = Schema([
    Field("a", .int64), Field("b", .utf8), Field("c", .list(of: .int32)), Field("d", .struct([Field("x", .float64), Field("y", .boolean)])),
    Field("e", .timestamp(.millisecond, timezone: "UTC")), Field("f", .decimal128(precision: 12, scale: 3)),
    Field("g", .dictionary(index: .int32, value: .utf8, ordered: false)), Field("h", .binary), Field("i", .map(key: .utf8, value: .int8)),
    Field("j", .date32), Field("k", .uint64),
])

func options(_ a: UInt8) -> JSONLinesReadOptions {
    var options = JSONLinesReadOptions()
    options.blockSize = [16, 64, 256, 1 << 20][Int(a & 3)]
    options.maximumNestingDepth = a & 4 == 0 ? 64 : 4
    options.maximumLineBytes = a & 8 == 0 ? 64 << 20 : 200
    if a & 16 != 0 { options.schema = givenSchema }
    options.unexpectedFields = [.infer, .ignore, .error, .infer][Int(a >> 5) & 3]
    return options
}

func read(_ chunks: [Buffer], _ options: JSONLinesReadOptions) -> Result<[RecordBatch], CSVError> {
    do throws(CSVError) {
        var reader = try JSONLinesReader(source: BufferSource(chunks), options: options)
        var batches: [RecordBatch] = []
        while let batch = try reader.next() {
            do { try batch.validate() } catch { Fuzz.check(false, "a batch does not validate: \(error)") }
            batches.append(batch)
        }
        return .success(batches)
    } catch {
        return .failure(error)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var parameters = FuzzParameters(Fuzz.bytes(data, size))
    let options = options(parameters.byte())
    let chunk = Int(parameters.byte() % 19) + 1
    let input = parameters.rest
    let whole = read([Buffer(copying: input)], options)
    let chunked = read(fuzzChunks(input, size: chunk), options)
    switch (whole, chunked) {
    case let (.success(a), .success(b)):
        Fuzz.check(a == b, "\(a.count) batches whole, \(b.count) in chunks of \(chunk), or different values")
    case let (.failure(a), .failure(b)):
        Fuzz.check(a == b, "whole: \(a); in chunks of \(chunk): \(b)")
    default:
        Fuzz.check(false, "whole: \(whole); in chunks of \(chunk): \(chunked)")
    }
    guard case let .success(batches) = whole, let first = batches.first else { return 0 }
    // What was read writes and reads back equal.
    do {
        let table = try Table(schema: first.schema, batches: batches)
        var writer = JSONLinesWriter(sink: MemorySink(), schema: table.schema)
        try writer.write(table)
        let text = try writer.finish().buffer
        var again = JSONLinesReadOptions()
        again.schema = table.schema
        var reader = try JSONLinesReader(buffer: text, options: again)
        let back = try reader.readAll()
        Fuzz.check(back == table, "the table written as JSON Lines reads back different")
    } catch {
        Fuzz.check(false, "the table read does not write and read back: \(error)")
    }
    return 0
}
