import LightstreamArrow
import LightstreamFlatBuffers
import Vec64

/// Turns a RecordBatch (or DictionaryBatch data) header and its body into arrays: walks the
/// fields depth-first, taking one field node per array and the buffers its layout needs, every
/// buffer a zero-copy slice of the body checked against it.
struct RecordBatchDecoder {
    let body: Buffer
    let nodes: FlatVector?
    let bufferSpecs: FlatVector?
    let variadicCounts: FlatVector?
    let codec: (any IPCBodyCodec)?
    let limits: IPCLimits
    /// Bytes decompressed so far for this batch (bounded by ``IPCLimits/maximumDecompressedBatchBytes``).
    var decompressedBytes = 0
    let version: Int16
    let dictionaryIDs: [[Int]: Int64]
    let dictionaries: [Int64: ArrayData]
    var nodeIndex = 0
    var bufferIndex = 0
    var variadicIndex = 0
    /// The batch length from the header.
    let length: Int

    init(header: FlatTable, body: Buffer, version: Int16, dictionaryIDs: [[Int]: Int64], dictionaries: [Int64: ArrayData],
         options: IPCReadOptions) throws {
        let codecs = options.codecs
        limits = options.limits
        let length = try header.scalar(0, default: Int64(0))
        guard length >= 0 else { throw IPCError("negative batch length \(length)") }
        try limits.check(.arrayLength, Int(length), "the batch length")
        self.length = Int(length)
        nodes = try header.vector(1, elementSize: 16)
        bufferSpecs = try header.vector(2, elementSize: 16)
        variadicCounts = try header.vector(4, elementSize: 8)
        if let compression = try header.table(3) {
            let raw = try compression.scalar(0, default: Int8(0))
            guard let kind = IPCCompression(rawValue: raw) else { throw IPCError("unknown body compression codec \(raw)") }
            let method = try compression.scalar(1, default: Int8(0))
            guard method == 0 else { throw IPCError("body compression method \(method) is not BUFFER (0)", kind: .unsupported) }
            guard let codec = codecs[kind] else {
                throw IPCError("the body is compressed with \(kind == .lz4Frame ? "LZ4_FRAME" : "ZSTD"), and no codec for it is configured", kind: .unsupported)
            }
            self.codec = codec
        } else {
            codec = nil
        }
        self.body = body
        self.version = version
        self.dictionaryIDs = dictionaryIDs
        self.dictionaries = dictionaries
    }

    mutating func nextNode(_ path: [String]) throws -> (length: Int, nullCount: Int) {
        guard let nodes, nodeIndex < nodes.count else { throw IPCError("the batch has fewer field nodes than the schema needs", field: path) }
        let length = try nodes.structField(at: nodeIndex, offset: 0, as: Int64.self)
        let nulls = try nodes.structField(at: nodeIndex, offset: 8, as: Int64.self)
        nodeIndex += 1
        guard length >= 0, nulls >= 0, nulls <= length else { throw IPCError("field node length \(length), null count \(nulls) are invalid", field: path) }
        try limits.check(.arrayLength, Int(length), "the array length", field: path)
        return (Int(length), Int(nulls))
    }

    mutating func nextBuffer(_ path: [String]) throws -> Buffer {
        guard let bufferSpecs, bufferIndex < bufferSpecs.count else { throw IPCError("the batch has fewer buffers than the schema needs", field: path) }
        let offset = try bufferSpecs.structField(at: bufferIndex, offset: 0, as: Int64.self)
        let length = try bufferSpecs.structField(at: bufferIndex, offset: 8, as: Int64.self)
        bufferIndex += 1
        guard offset >= 0, length >= 0, offset <= Int64(body.count) - length else {
            throw IPCError("buffer \(bufferIndex - 1) at \(offset) of \(length) bytes is outside the \(body.count)-byte body", field: path)
        }
        let raw = body.slice(Int(offset)..<Int(offset + length))
        guard let codec, raw.count > 0 else { return raw }
        guard raw.count >= 8 else { throw IPCError("compressed buffer of \(raw.count) bytes has no length prefix", field: path) }
        let uncompressed = Int64(littleEndian: raw.load(Int64.self, fromByteOffset: 0))
        if uncompressed == -1 { return raw.slice(8..<raw.count) }
        guard uncompressed >= 0 else { throw IPCError("compressed buffer declares length \(uncompressed)", field: path) }
        // The declared length is checked against the limits before anything is allocated for it,
        // and the codec writes at most that many bytes, growing its output as bytes decode.
        try limits.check(.decompressedBufferBytes, Int(uncompressed), "buffer \(bufferIndex - 1) declares an uncompressed length", field: path)
        let total = decompressedBytes.addingReportingOverflow(Int(uncompressed))
        guard !total.overflow else { throw IPCError("the batch's buffers declare more uncompressed bytes than Int holds", field: path) }
        try limits.check(.decompressedBatchBytes, total.partialValue, "the batch's buffers declare uncompressed bytes", field: path)
        decompressedBytes = total.partialValue
        do {
            return try codec.decompress(raw.slice(8..<raw.count), uncompressedLength: Int(uncompressed))
        } catch {
            throw IPCError("buffer \(bufferIndex - 1) does not decompress: \(error)", field: path)
        }
    }

    mutating func array(_ field: Field, path: [Int], names: [String]) throws -> ArrayData {
        let here = names + [field.name]
        let node = try nextNode(here)
        let type = field.type
        let layout = type.layout
        if case .null = layout { return ArrayData(type: type, length: node.length, nullCount: node.length) }
        var validity: Buffer?
        if layout.hasValidity || (version < 4 && layout == .union(.sparse)) || (version < 4 && layout == .union(.dense)) {
            let bitmap = try nextBuffer(here)
            if layout.hasValidity && node.nullCount > 0 { validity = bitmap }
        }
        var buffers: [Buffer] = []
        for _ in 0..<layout.fixedBufferCount { buffers.append(try nextBuffer(here)) }
        if case .binaryView = layout {
            guard let variadicCounts, variadicIndex < variadicCounts.count else { throw IPCError("view array without a variadic buffer count", field: here) }
            let count = try variadicCounts.scalar(at: variadicIndex, as: Int64.self)
            variadicIndex += 1
            guard count >= 0, count <= Int64(bufferSpecs?.count ?? 0) else { throw IPCError("variadic buffer count \(count) is invalid", field: here) }
            for _ in 0..<Int(count) { buffers.append(try nextBuffer(here)) }
        }
        var dictionary: ArrayData?
        if case .dictionary = type {
            guard let id = dictionaryIDs[path] else { throw IPCError("dictionary-encoded field has no dictionary id", field: here) }
            guard let values = dictionaries[id] else { throw IPCError("dictionary \(id) is used before any dictionary batch defines it", field: here) }
            dictionary = values
        }
        var children: [ArrayData] = []
        if case .dictionary = type {} else {
            for (i, child) in type.children.enumerated() {
                children.append(try array(child, path: path + [i], names: here))
            }
        }
        // Bodies compressed per buffer lose alignment guarantees only in decompressed copies,
        // which are freshly allocated and aligned.
        return ArrayData(type: type, length: node.length, validity: validity, buffers: buffers, children: children,
                         dictionary: dictionary, nullCount: layout.hasValidity ? node.nullCount : nil)
    }
}
