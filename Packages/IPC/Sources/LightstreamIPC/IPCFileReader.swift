import LightstreamArrow
import LightstreamFlatBuffers
import Vec64

/// The magic bytes at both ends of an Arrow IPC file.
let arrowMagic: [UInt8] = Array("ARROW1".utf8)

/// Reads an Arrow IPC file held in a ``Buffer`` (a memory map or a file read into memory):
/// the footer first, then any record batch by index. Arrays point into the buffer without copies.
public struct IPCFileReader: Sendable {
    /// The whole file.
    public let file: Buffer
    /// The file's schema with the dictionary ids of its dictionary-encoded fields.
    public let ipcSchema: IPCSchema
    let options: IPCReadOptions
    let recordBatchBlocks: [(offset: Int, metadataLength: Int, bodyLength: Int)]
    let memo: DictionaryMemo

    /// The file's schema.
    public var schema: Schema { ipcSchema.schema }
    /// The number of record batches.
    public var batchCount: Int { recordBatchBlocks.count }

    /// Checks the magic, reads the footer and schema, and loads the dictionaries.
    public init(_ file: Buffer, options: IPCReadOptions = IPCReadOptions()) throws {
        self.file = file
        self.options = options
        let n = file.count
        guard n >= 6 + 2 + 4 + 6, file.slice(0..<6).array == arrowMagic, file.slice((n - 6)..<n).array == arrowMagic else {
            throw IPCError("not an Arrow IPC file: the ARROW1 magic is missing at the start or end (\(n) bytes)")
        }
        let footerLength = Int(Int32(littleEndian: file.load(Int32.self, fromByteOffset: n - 10)))
        guard footerLength > 0, footerLength <= n - 18 else { throw IPCError("footer length \(footerLength) does not fit in a \(n)-byte file") }
        try options.limits.check(.metadataBytes, footerLength, "the footer length")
        let footer: FlatTable
        do {
            footer = try FlatBuffer(file.slice((n - 10 - footerLength)..<(n - 10))).root()
            let version = try footer.scalar(0, default: Int16(0))
            // Old writers (Arrow 0.14) leave it out (V1 by default); each message carries its own.
            guard version <= 4 else {
                throw IPCError("the footer's metadata version \(version) is newer than V5 (4) and not supported", kind: .unsupported)
            }
            guard let schemaTable = try footer.table(1) else { throw IPCError("the footer has no schema") }
            ipcSchema = try SchemaDecoder.decode(schemaTable, limits: options.limits)
        } catch {
            throw IPCError.wrap(error, message: nil)
        }
        func blocks(_ slot: Int) throws -> [(Int, Int, Int)] {
            guard let vector = try footer.vector(slot, elementSize: 24) else { return [] }
            return try (0..<vector.count).map { i in
                let offset = try vector.structField(at: i, offset: 0, as: Int64.self)
                let metadata = try vector.structField(at: i, offset: 8, as: Int32.self)
                let body = try vector.structField(at: i, offset: 16, as: Int64.self)
                // At least a 4-byte length prefix and a 4-byte root offset: anything shorter could not
                // even hold the prefix that is read before the metadata is parsed.
                guard offset >= 8, metadata >= 8, body >= 0, offset <= Int64(n), Int64(metadata) <= Int64(n) - offset,
                      body <= Int64(n) - offset - Int64(metadata) else {
                    throw IPCError("footer block \(i) (offset \(offset), metadata \(metadata), body \(body)) is outside the \(n)-byte file")
                }
                return (Int(offset), Int(metadata), Int(body))
            }
        }
        recordBatchBlocks = try blocks(3).map { (offset: $0.0, metadataLength: $0.1, bodyLength: $0.2) }
        var memo = DictionaryMemo()
        for (i, block) in try blocks(2).enumerated() {
            do {
                let message = try Self.message(file, at: block, limits: options.limits)
                guard message.kind == .dictionaryBatch else { throw IPCError("dictionary block holds a \(message.kind) message") }
                try memo.apply(message, schema: ipcSchema, options: options, allowReplacement: false)
            } catch {
                throw IPCError.wrap(error, message: i)
            }
        }
        do {
            try memo.resolve()
        } catch {
            throw IPCError.wrap(error, message: nil)
        }
        self.memo = memo
    }

    /// The message of a footer block, whose bounds the footer reading checked (metadata at least
    /// 8 bytes, block inside the file).
    static func message(_ file: Buffer, at block: (Int, Int, Int), limits: IPCLimits) throws -> IPCMessage {
        let (offset, metadataLength, bodyLength) = block
        var prefix = 4
        var length = Int(Int32(littleEndian: file.load(Int32.self, fromByteOffset: offset)))
        if length == -1 {
            prefix = 8
            length = Int(Int32(littleEndian: file.load(Int32.self, fromByteOffset: offset + 4)))
        }
        guard length > 0, length <= metadataLength - prefix else {
            throw IPCError("message metadata length \(length) does not fit its block of \(metadataLength) bytes")
        }
        try limits.check(.metadataBytes, length, "the message metadata length")
        let metadata = file.slice((offset + prefix)..<(offset + prefix + length))
        var body = file.slice((offset + metadataLength)..<(offset + metadataLength + bodyLength))
        if !body.isAligned(to: 8) { body = body.copied() }
        return try IPCMessage(metadata: metadata, body: body)
    }

    /// Record batch `index` (in `0..<batchCount`, else a trap as for an array), read from its block.
    public func batch(_ index: Int) throws -> RecordBatch {
        precondition(index >= 0 && index < batchCount, "IPCFileReader: batch \(index) of \(batchCount)")
        do {
            let block = recordBatchBlocks[index]
            let message = try Self.message(file, at: (block.offset, block.metadataLength, block.bodyLength), limits: options.limits)
            guard message.kind == .recordBatch else { throw IPCError("record batch block holds a \(message.kind) message") }
            return try readRecordBatch(message, schema: ipcSchema, memo: memo, options: options)
        } catch {
            throw IPCError.wrap(error, message: index)
        }
    }

    /// Every batch as a table.
    public func readAll() throws -> Table {
        do {
            return try Table(schema: schema, batches: (0..<batchCount).map(batch))
        } catch let error as ArrowSchemaError {
            throw IPCError("\(error)")
        }
    }
}
