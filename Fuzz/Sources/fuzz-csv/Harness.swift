import FuzzSupport
import LightstreamArrow
import LightstreamCSV
import LightstreamFraming
import Vec64

// CSV reading: a CSVReader with the options the first input byte chooses (a dialect preset in its
// low four bits; skip invalid rows, dictionary-encoded strings, no header and a small block size
// in its high bits), the block size (1...64) from the second byte when small, and chunk sizes
// seeded by the third, over the rest of the input. Every batch must validate and have the
// reader's schema; reading the bytes in one chunk and in random chunks must give the same batches
// and skipped-row counts, or the same error.

/// The columns the schema presets give: integers, decimals, timestamps, text and more.
let givenSchemas: [Schema] = [
    Schema([Field("a", .int64), Field("b", .decimal128(precision: 10, scale: 2)),
            Field("c", .timestamp(.millisecond, timezone: nil)), Field("d", .utf8)]),
    Schema([Field("a", .int32), Field("b", .decimal256(precision: 40, scale: 5)),
            Field("c", .timestamp(.nanosecond, timezone: "UTC")), Field("d", .binary)]),
    Schema([Field("a", .uint8), Field("b", .decimal32(precision: 5, scale: 1)),
            Field("c", .date32), Field("d", .time64(.microsecond)), Field("e", .boolean), Field("f", .float32)]),
]

/// The options a preset number (0...15) and flag bits choose.
func options(_ a: UInt8, blockByte: UInt8) -> CSVReadOptions {
    var o = CSVReadOptions()
    switch a & 0x0F {
    case 1: o.delimiter = UInt8(ascii: ";")
    case 2: o.delimiter = UInt8(ascii: "\t")
    case 3: o.escape = UInt8(ascii: "\\"); o.doubleQuote = false
    case 4: o.commentPrefix = UInt8(ascii: "#")
    case 5: o.quote = nil
    case 6: o.schema = givenSchemas[0]
    case 7: o.schema = givenSchemas[1]
    case 8: o.schema = givenSchemas[2]
    case 9: o.columnTypes = ["a": .int16, "b": .decimal64(precision: 12, scale: 3), "c": .timestamp(.second, timezone: "UTC")]
    case 10: o.delimiter = UInt8(ascii: "|"); o.ignoreEmptyLines = false; o.stringsCanBeNull = true
    case 11: o.maximumRowBytes = 40; o.batchRows = 2
    case 12: o.skipRows = 1; o.includeColumns = ["b", "a"]
    case 13: o.escape = UInt8(ascii: "\\"); o.commentPrefix = UInt8(ascii: "#"); o.nullValues = ["-"]
    case 14: o.columnNames = ["x", "y", "z"]; o.quotedStringsCanBeNull = false
    case 15: o.binaryEncoding = .hex; o.columnTypes = ["a": .binary, "b": .fixedSizeBinary(byteWidth: 2)]
    default: break
    }
    if a & 0x10 != 0 { o.invalidRows = .skip }
    if a & 0x20 != 0 { o.dictionaryEncodeStrings = true }
    if a & 0x40 != 0 { o.header = false }
    if a & 0x80 != 0 { o.blockSize = 1 + Int(blockByte % 64) }
    return o
}

/// The outcome of one read: the batches and skipped-row count, or the error.
struct Outcome {
    var batches: [RecordBatch] = []
    var skipped = 0
    var error: CSVError?
}

/// Reads `chunks` with `options`, checking every batch.
func read(_ chunks: [Buffer], _ options: CSVReadOptions) -> Outcome {
    var outcome = Outcome()
    do {
        var reader = try CSVReader(source: BufferSource(chunks), options: options)
        while let batch = try reader.next() {
            do {
                try batch.validate()
            } catch {
                Fuzz.check(false, "an invalid batch: \(error)")
            }
            Fuzz.check(reader.schema != nil && batch.schema == reader.schema!, "a batch's schema is not the reader's")
            Fuzz.check(batch.columns.allSatisfy { $0.length == batch.length }, "a column's length is not the batch's")
            outcome.batches.append(batch)
            Fuzz.check(outcome.batches.count <= 1 + chunks.reduce(0) { $0 + $1.count }, "more batches than input bytes")
        }
        outcome.skipped = reader.decoder.skippedRows
    } catch {
        outcome.error = error
    }
    return outcome
}

/// Chunk sizes 1...32 drawn from a generator seeded by `seed`.
func randomChunks(_ input: UnsafeRawBufferPointer, seed: UInt8) -> [Buffer] {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
    var chunks: [Buffer] = []
    var start = 0
    while start < input.count {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        let size = 1 + Int(state % 32)
        let end = min(input.count, start + size)
        chunks.append(Buffer(copying: UnsafeRawBufferPointer(rebasing: input[start..<end])))
        start = end
    }
    return chunks
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var parameters = FuzzParameters(Fuzz.bytes(data, size))
    let a = parameters.byte()
    let blockByte = parameters.byte()
    let seed = parameters.byte()
    let input = parameters.rest
    let chosen = options(a, blockByte: blockByte)
    let whole = read([Buffer(copying: input)], chosen)
    let pieces = read(randomChunks(input, seed: seed), chosen)
    Fuzz.check(whole.error == pieces.error,
               "one chunk: \(whole.error.map(String.init(describing:)) ?? "no error"); random chunks: \(pieces.error.map(String.init(describing:)) ?? "no error")")
    if whole.error == nil {
        Fuzz.check(whole.batches.count == pieces.batches.count, "\(whole.batches.count) batches in one chunk, \(pieces.batches.count) in random chunks")
        for (i, (x, y)) in zip(whole.batches, pieces.batches).enumerated() {
            Fuzz.check(x == y, "batch \(i) differs between one chunk and random chunks")
        }
        Fuzz.check(whole.skipped == pieces.skipped, "\(whole.skipped) rows skipped in one chunk, \(pieces.skipped) in random chunks")
    }
    return 0
}
