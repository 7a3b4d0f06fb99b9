import LightstreamArrow
import LightstreamFlatBuffers
import Vec64

/// Options for IPC readers.
public struct IPCReadOptions: Sendable {
    /// Body compression codecs by kind (by default the built-in LZ4 frame and Zstd).
    public var codecs: [IPCCompression: any IPCBodyCodec]
    /// Run the full structural `validate()` on every batch read (recommended for untrusted input;
    /// without it, only the metadata and buffer bounds are checked).
    public var validate: Bool
    /// Run the full structural `validate()` on every dictionary read, even when ``validate`` is
    /// off (the default: a dictionary is read once and every later batch indexes into it).
    public var validateDictionaries: Bool
    /// The bounds on what the input may make the reader do (see ``IPCLimits``).
    public var limits: IPCLimits

    /// Options with the given codecs and limits; full validation is on by default.
    public init(codecs: [IPCCompression: any IPCBodyCodec] = CodecBodyCompression.all, validate: Bool = true,
                validateDictionaries: Bool = true, limits: IPCLimits = .default) {
        self.codecs = codecs
        self.validate = validate
        self.validateDictionaries = validateDictionaries
        self.limits = limits
    }
}

/// The dictionaries seen so far, by id. Deltas are kept as parts and joined in one pass when a
/// record batch needs the dictionary, so a run of deltas costs linear, not quadratic, time.
struct DictionaryMemo {
    /// Dictionaries with every delta applied, as of the last ``resolve()``.
    private(set) var dictionaries: [Int64: ArrayData] = [:]
    /// Deltas not yet joined to their dictionary, in order.
    private var pendingDeltas: [Int64: [ArrayData]] = [:]
    /// The length of each dictionary with its pending deltas.
    private var lengths: [Int64: Int] = [:]

    /// Applies a DictionaryBatch message; returns its id and whether it was a delta.
    @discardableResult
    mutating func apply(_ message: IPCMessage, schema: IPCSchema, options: IPCReadOptions, allowReplacement: Bool) throws -> (Int64, Bool) {
        let id = try message.header.scalar(0, default: Int64(0))
        guard let data = try message.header.table(1) else { throw IPCError("dictionary batch \(id) has no data") }
        let isDelta = try message.header.bool(2)
        guard let valueType = schema.dictionaryValueTypes[id], let path = schema.dictionaryIDs.first(where: { $0.value == id })?.key else {
            throw IPCError("dictionary batch for id \(id), which no field of the schema uses")
        }
        // Dictionaries nested in these values must be complete before the values are read.
        if containsDictionary(valueType) { try resolve() }
        var decoder = try RecordBatchDecoder(header: data, body: message.body, version: message.version, dictionaryIDs: schema.dictionaryIDs,
                                             dictionaries: dictionaries, options: options)
        let values = try decoder.array(Field("dictionary", valueType), path: path, names: ["dictionary \(id)"])
        if options.validate || options.validateDictionaries { try values.validate(path: ["dictionary \(id)"]) }
        if isDelta {
            guard let existing = lengths[id] else { throw IPCError("delta for dictionary \(id) before its first batch") }
            let (total, overflow) = existing.addingReportingOverflow(values.length)
            guard !overflow else { throw IPCError("dictionary \(id) grows past \(Int.max) entries") }
            try options.limits.check(.arrayLength, total, "dictionary \(id) with its deltas has \(total) entries")
            try requireConcatenable(valueType)
            pendingDeltas[id, default: []].append(values)
            lengths[id] = total
        } else {
            if lengths[id] != nil && !allowReplacement {
                throw IPCError("dictionary \(id) is replaced, which the IPC file format does not allow")
            }
            dictionaries[id] = values
            pendingDeltas[id] = nil
            lengths[id] = values.length
        }
        return (id, isDelta)
    }

    /// Joins every pending delta to its dictionary.
    mutating func resolve() throws {
        for (id, deltas) in pendingDeltas {
            guard let base = dictionaries[id] else { continue }
            dictionaries[id] = try concatenate([base] + deltas)
        }
        pendingDeltas = [:]
    }
}

/// Whether `type` has a dictionary-encoded type anywhere below it (or is one).
func containsDictionary(_ type: DataType) -> Bool {
    if case .dictionary = type { return true }
    return type.children.contains { containsDictionary($0.type) }
}

/// Reads a RecordBatch message into a batch of `schema`; the memo's deltas must be resolved.
func readRecordBatch(_ message: IPCMessage, schema: IPCSchema, memo: DictionaryMemo, options: IPCReadOptions) throws -> RecordBatch {
    var decoder = try RecordBatchDecoder(header: message.header, body: message.body, version: message.version,
                                         dictionaryIDs: schema.dictionaryIDs, dictionaries: memo.dictionaries, options: options)
    var columns: [ArrayData] = []
    for (i, field) in schema.schema.fields.enumerated() {
        let column = try decoder.array(field, path: [i], names: [])
        guard column.length == decoder.length else {
            throw IPCError("column has \(column.length) rows, the batch \(decoder.length)", field: [field.name])
        }
        columns.append(column)
    }
    let batch = try RecordBatch(schema: schema.schema, columns: columns, length: decoder.length)
    if options.validate { try batch.validate() }
    return batch
}

/// Throws unless deltas of `type` can be joined (the flat layouts deltas are used with).
func requireConcatenable(_ type: DataType) throws {
    switch type.layout {
    case .fixedWidth, .bitPacked, .variableBinary: return
    default: throw IPCError("delta dictionaries of type \(type) are not supported", kind: .unsupported)
    }
}

/// Joins validated arrays of one flat type (a dictionary and its deltas) into one, copying each
/// part's bytes once.
func concatenate(_ parts: [ArrayData]) throws -> ArrayData {
    guard let first = parts.first else { throw IPCError("no dictionary parts to join") }
    if parts.count == 1 { return first }
    let length = parts.reduce(0) { $0 + $1.length }
    var validity: Buffer?
    if parts.contains(where: { $0.nullCount > 0 }) {
        var bits = Bitmap()
        for part in parts { bits.append(contentsOf: part.validityBitmap ?? Bitmap(repeating: true, count: part.length)) }
        validity = bits.alignedBuffer()
    }
    switch first.type.layout {
    case let .fixedWidth(width):
        var bytes = Vec64<UInt8>(minimumCapacity: length * width)
        for part in parts {
            bytes.append(bytesOf: part.buffers[0].slice(part.offset * width..<(part.offset + part.length) * width))
        }
        return ArrayData(type: first.type, length: length, validity: validity, buffers: [bytes.freeze()])
    case .bitPacked:
        var bits = Bitmap()
        for part in parts { bits.append(contentsOf: try Bitmap(buffer: part.buffers[0], bitOffset: part.offset, count: part.length)) }
        return ArrayData(type: first.type, length: length, validity: validity, buffers: [bits.alignedBuffer()])
    case let .variableBinary(width):
        var data = Vec64<UInt8>()
        var offsets = Vec64<Int64>(minimumCapacity: length + 1)
        offsets.append(0)
        for part in parts where part.length > 0 {
            let start = part.offsetValue(buffer: 0, width: width, at: part.offset)
            let end = part.offsetValue(buffer: 0, width: width, at: part.offset + part.length)
            let shift = Int64(data.count - start)
            for i in 1...part.length { offsets.append(Int64(part.offsetValue(buffer: 0, width: width, at: part.offset + i)) + shift) }
            data.append(bytesOf: part.buffers[1].slice(start..<end))
        }
        let offsetBuffer: Buffer
        if width == 4 {
            guard data.count <= Int(Int32.max) else {
                throw IPCError("a dictionary with its deltas holds \(data.count) bytes, more than 32-bit offsets can address")
            }
            offsetBuffer = Vec64<Int32>(offsets.lazy.map { Int32(truncatingIfNeeded: $0) }).freeze()
        } else {
            offsetBuffer = offsets.freeze()
        }
        return ArrayData(type: first.type, length: length, validity: validity, buffers: [offsetBuffer, data.freeze()])
    default:
        throw IPCError("delta dictionaries of type \(first.type) are not supported", kind: .unsupported)
    }
}
