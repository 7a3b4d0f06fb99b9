import FuzzSupport
import LightstreamArrow
import LightstreamFlatBuffers
import LightstreamFraming
import LightstreamIPC
import Vec64

// The FlatBuffers reader: the input as an Arrow `Message` root and as a `Footer` root, every
// field of every table walked through the bounds-checked accessors (Schema.fbs, Message.fbs,
// File.fbs), then as the metadata of an IPCMessage: a schema message decoded by the stream
// assembler, a record batch or dictionary message decoded against a fixed schema (over a body
// of zeros) and validated.

/// Walks a FlatBuffer by the Arrow schemas, with a budget of tables so that shared subtables
/// (a DAG) cannot make the walk exponential.
struct ArrowWalker {
    var tablesLeft = 20_000

    mutating func visit(_ table: FlatTable) throws(FlatBufferError) -> Bool {
        tablesLeft -= 1
        return tablesLeft > 0
    }

    mutating func keyValues(_ table: FlatTable, slot: Int) throws(FlatBufferError) {
        guard let vector = try table.vector(slot, elementSize: 4) else { return }
        for i in 0..<vector.count {
            let pair = try vector.table(at: i)
            guard try visit(pair) else { return }
            _ = try pair.string(0)
            _ = try pair.string(1)
        }
    }

    mutating func message(_ root: FlatTable) throws(FlatBufferError) {
        _ = try root.scalar(0, default: Int16(0))
        let kind = try root.scalar(1, default: UInt8(0))
        _ = try root.scalar(3, default: Int64(0))
        try keyValues(root, slot: 4)
        guard let header = try root.table(2), try visit(header) else { return }
        switch kind {
        case 1: try schema(header, depth: 0)
        case 2:
            _ = try header.scalar(0, default: Int64(0))
            _ = try header.bool(2)
            if let data = try header.table(1) { try recordBatch(data) }
        case 3: try recordBatch(header)
        default: break
        }
    }

    mutating func footer(_ root: FlatTable) throws(FlatBufferError) {
        _ = try root.scalar(0, default: Int16(0))
        if let schema = try root.table(1) { try self.schema(schema, depth: 0) }
        for slot in [2, 3] {
            guard let blocks = try root.vector(slot, elementSize: 24) else { continue }
            for i in 0..<blocks.count {
                _ = try blocks.structField(at: i, offset: 0, as: Int64.self)
                _ = try blocks.structField(at: i, offset: 8, as: Int32.self)
                _ = try blocks.structField(at: i, offset: 16, as: Int64.self)
            }
        }
        try keyValues(root, slot: 4)
    }

    mutating func schema(_ table: FlatTable, depth: Int) throws(FlatBufferError) {
        _ = try table.scalar(0, default: Int16(0))
        if let fields = try table.vector(1, elementSize: 4) {
            for i in 0..<fields.count { try field(try fields.table(at: i), depth: depth + 1) }
        }
        try keyValues(table, slot: 2)
        if let features = try table.vector(3, elementSize: 8) {
            for i in 0..<features.count { _ = try features.scalar(at: i, as: Int64.self) }
        }
    }

    mutating func field(_ table: FlatTable, depth: Int) throws(FlatBufferError) {
        guard depth < 80, try visit(table) else { return }
        _ = try table.string(0)
        _ = try table.bool(1)
        _ = try table.scalar(2, default: UInt8(0))
        if let type = try table.table(3), try visit(type) {
            // Every Type table has at most a few scalar fields (bitWidth, precision, unit, ...)
            // and Union has a vector of type ids.
            for slot in 0..<4 { _ = try type.scalar(slot, default: Int32(0)) }
            if let ids = try type.vector(1, elementSize: 4) {
                for i in 0..<min(ids.count, 1000) { _ = try ids.scalar(at: i, as: Int32.self) }
            }
            _ = try type.string(0)
            _ = try type.string(1)
        }
        if let dictionary = try table.table(4), try visit(dictionary) {
            _ = try dictionary.scalar(0, default: Int64(0))
            if let index = try dictionary.table(1) {
                _ = try index.scalar(0, default: Int32(0))
                _ = try index.bool(1)
            }
            _ = try dictionary.bool(2)
            _ = try dictionary.scalar(3, default: Int16(0))
        }
        if let children = try table.vector(5, elementSize: 4) {
            for i in 0..<children.count { try field(try children.table(at: i), depth: depth + 1) }
        }
        try keyValues(table, slot: 6)
    }

    mutating func recordBatch(_ table: FlatTable) throws(FlatBufferError) {
        _ = try table.scalar(0, default: Int64(0))
        for slot in [1, 2] {
            guard let vector = try table.vector(slot, elementSize: 16) else { continue }
            for i in 0..<vector.count {
                _ = try vector.structField(at: i, offset: 0, as: Int64.self)
                _ = try vector.structField(at: i, offset: 8, as: Int64.self)
            }
        }
        if let compression = try table.table(3) {
            _ = try compression.scalar(0, default: Int8(0))
            _ = try compression.scalar(1, default: Int8(0))
        }
        if let counts = try table.vector(4, elementSize: 8) {
            for i in 0..<counts.count { _ = try counts.scalar(at: i, as: Int64.self) }
        }
    }
}

/// The fixed schema record batch and dictionary messages are decoded against.
let sampleTable = try! Table(batches: [
    try RecordBatch([
        "id": Int32Array([1, nil, 3]), "name": StringArray(["a", nil, "ccc"]),
        "values": ListArray([[1, 2], nil, [3]] as [[Int64?]?]), "flag": BooleanArray([true, nil, false]),
        "word": DictionaryArray(["x", "y", "x"]),
    ]),
])

/// The IPC stream of ``sampleTable``: its schema message, dictionary and record batch.
let sampleStream: Buffer = {
    var writer = try! IPCStreamWriter(sink: MemorySink(), schema: sampleTable.schema)
    try! writer.write(sampleTable)
    return try! writer.finish().buffer
}()

/// The messages of an IPC stream.
func messages(_ stream: Buffer) -> [IPCMessage] {
    var reader = FrameReader(decoder: IPCMessageDecoder(), source: BufferSource([stream]))
    var result: [IPCMessage] = []
    while let frame = try? reader.next() {
        guard case let .message(message) = frame else { break }
        result.append(message)
    }
    return result
}

let sampleSchemaMessage = messages(sampleStream)[0]
/// A body of zeros for record batches whose metadata is the input.
let zeros = Buffer(copying: [UInt8](repeating: 0, count: 4096))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.buffer(data, size)
    let flatBuffer = FlatBuffer(bytes)
    var walker = ArrowWalker()
    if let root = try? flatBuffer.root() {
        try? walker.message(root)
        walker.tablesLeft = 20_000
        try? walker.footer(root)
    }
    guard let message = try? IPCMessage(metadata: bytes, body: zeros) else { return 0 }
    var assembler = IPCStreamAssembler()
    do {
        if message.kind != .schema { _ = try assembler.apply(sampleSchemaMessage) }
        if case let .recordBatch(batch) = try assembler.apply(message) {
            do {
                try batch.validate()
            } catch {
                Fuzz.check(false, "a record batch read with validation does not validate: \(error)")
            }
        }
    } catch {}
    return 0
}
