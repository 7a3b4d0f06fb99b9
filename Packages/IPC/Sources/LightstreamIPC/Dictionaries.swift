import LightstreamArrow
import LightstreamFlatBuffers
import Vec64

/// Options for IPC readers.
public struct IPCReadOptions: Sendable {
    /// Body compression codecs by kind (by default the built-in LZ4 frame and Zstd).
    public var codecs: [IPCCompression: any IPCBodyCodec]
    /// Run the full structural `validate()` on every batch and dictionary read (recommended for
    /// untrusted input; without it, only the metadata and buffer bounds are checked).
    public var validate: Bool

    /// Options with the given codecs; full validation is on by default.
    public init(codecs: [IPCCompression: any IPCBodyCodec] = CodecBodyCompression.all, validate: Bool = true) {
        self.codecs = codecs
        self.validate = validate
    }
}

/// The dictionaries seen so far, by id.
struct DictionaryMemo {
    var dictionaries: [Int64: ArrayData] = [:]

    /// Applies a DictionaryBatch message; returns its id and whether it was a delta.
    @discardableResult
    mutating func apply(_ message: IPCMessage, schema: IPCSchema, options: IPCReadOptions, allowReplacement: Bool) throws -> (Int64, Bool) {
        let id = try message.header.scalar(0, default: Int64(0))
        guard let data = try message.header.table(1) else { throw IPCError("dictionary batch \(id) has no data") }
        let isDelta = try message.header.bool(2)
        guard let valueType = schema.dictionaryValueTypes[id], let path = schema.dictionaryIDs.first(where: { $0.value == id })?.key else {
            throw IPCError("dictionary batch for id \(id), which no field of the schema uses")
        }
        var decoder = try RecordBatchDecoder(header: data, body: message.body, version: message.version, dictionaryIDs: schema.dictionaryIDs,
                                             dictionaries: dictionaries, codecs: options.codecs)
        let values = try decoder.array(Field("dictionary", valueType), path: path, names: ["dictionary \(id)"])
        if options.validate { try values.validate(path: ["dictionary \(id)"]) }
        if isDelta {
            guard let existing = dictionaries[id] else { throw IPCError("delta for dictionary \(id) before its first batch") }
            dictionaries[id] = try concatenate(existing, values)
        } else {
            if dictionaries[id] != nil && !allowReplacement {
                throw IPCError("dictionary \(id) is replaced, which the IPC file format does not allow")
            }
            dictionaries[id] = values
        }
        return (id, isDelta)
    }
}

/// Reads a RecordBatch message into a batch of `schema`.
func readRecordBatch(_ message: IPCMessage, schema: IPCSchema, memo: DictionaryMemo, options: IPCReadOptions) throws -> RecordBatch {
    var decoder = try RecordBatchDecoder(header: message.header, body: message.body, version: message.version,
                                         dictionaryIDs: schema.dictionaryIDs, dictionaries: memo.dictionaries, codecs: options.codecs)
    var columns: [ArrayData] = []
    for (i, field) in schema.schema.fields.enumerated() {
        let column = try decoder.array(field, path: [i], names: [])
        guard column.length == decoder.length else {
            throw IPCError("column has \(column.length) rows, the batch \(decoder.length)", field: [field.name])
        }
        columns.append(column)
    }
    let batch = try RecordBatch(schema: schema.schema, columns: columns)
    if options.validate { try batch.validate() }
    return batch
}

/// Appends `b` to `a` (dictionary deltas), for the flat layouts deltas are used with.
func concatenate(_ a: ArrayData, _ b: ArrayData) throws -> ArrayData {
    guard a.type == b.type else { throw IPCError("delta dictionary of type \(b.type) for a dictionary of \(a.type)") }
    let length = a.length + b.length
    var validity: Buffer?
    if a.nullCount + b.nullCount > 0 {
        var bits = a.validityBitmap ?? Bitmap(repeating: true, count: a.length)
        bits.append(contentsOf: b.validityBitmap ?? Bitmap(repeating: true, count: b.length))
        validity = bits.alignedBuffer()
    }
    switch a.type.layout {
    case let .fixedWidth(width):
        var bytes = Vec64<UInt8>()
        for part in [a, b] { bytes.append(contentsOf: part.buffers[0].slice(part.offset * width..<(part.offset + part.length) * width).array) }
        return ArrayData(type: a.type, length: length, validity: validity, buffers: [bytes.freeze()])
    case .bitPacked:
        var bits = try Bitmap(buffer: a.buffers[0], bitOffset: a.offset, count: a.length)
        bits.append(contentsOf: try Bitmap(buffer: b.buffers[0], bitOffset: b.offset, count: b.length))
        return ArrayData(type: a.type, length: length, validity: validity, buffers: [bits.alignedBuffer()])
    case let .variableBinary(width):
        var data = Vec64<UInt8>()
        var offsets = Vec64<Int64>([0])
        for part in [a, b] {
            for i in 0..<part.length {
                data.append(contentsOf: part.binaryValue(at: i).array)
                offsets.append(Int64(data.count))
            }
        }
        let offsetBuffer = width == 4 ? Vec64<Int32>(offsets.map { Int32($0) }).freeze() : offsets.freeze()
        return ArrayData(type: a.type, length: length, validity: validity, buffers: [offsetBuffer, data.freeze()])
    default:
        throw IPCError("delta dictionaries of type \(a.type) are not supported")
    }
}
