import Foundation
import Lightstream

/// Reading and writing Arrow data for the CLI: IPC files and streams by path or `-`.
enum ArrowIO {
    /// The bytes of `path`, or of standard input for `-`.
    /// Files are memory-mapped (no copy: arrays point into the page cache); stdin is read.
    static func readBytes(_ path: String) throws -> Buffer {
        if path == "-" {
            return FileHandle.standardInput.readDataToEndOfFile().withUnsafeBytes { Buffer(copying: $0) }
        }
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no such file: \(path)") }
        return try MemoryMap.map(path: path, hint: .sequential)
    }

    /// Whether bytes hold an IPC file (the ARROW1 magic) rather than a stream.
    static func isFile(_ bytes: Buffer) -> Bool {
        bytes.count >= 6 && bytes.slice(0..<6).array == Array("ARROW1".utf8)
    }

    /// Reads an IPC file or stream, told apart by content.
    static func readTable(_ path: String) throws -> Table {
        let bytes = try readBytes(path)
        if isFile(bytes) { return try IPCFileReader(bytes).readAll() }
        var reader = try IPCStreamReader(bytes)
        return try reader.readAll()
    }

    enum Format { case file, stream }

    /// The output format a path's extension names.
    static func format(of path: String) throws -> Format {
        if path == "-" { return .stream }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "arrow", "feather", "ipc": return .file
        case "arrows", "stream": return .stream
        default: throw CLIError("cannot tell the format of '\(path)': use .arrow, .feather or .ipc for an IPC file, .arrows or .stream for an IPC stream, - for a stream on stdout")
        }
    }

    /// Writes `table` to `path` in the format its extension names.
    static func write(_ table: Table, to path: String, options: IPCWriteOptions) throws {
        let bytes: Buffer
        switch try format(of: path) {
        case .stream:
            var writer = try IPCStreamWriter(sink: MemorySink(), schema: table.schema, options: options)
            try writer.write(table)
            bytes = try writer.finish().buffer
        case .file:
            let unified = try DictionaryUnifier.unify(table)
            var writer = try IPCFileWriter(sink: MemorySink(), schema: unified.schema, options: options)
            try writer.write(unified)
            bytes = try writer.finish().buffer
        }
        let data = bytes.withUnsafeBytes { Data($0) }
        if path == "-" {
            FileHandle.standardOutput.write(data)
        } else {
            try data.write(to: URL(fileURLWithPath: path))
        }
    }
}

/// A CLI failure: printed as `error: ...` with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Gives every top-level dictionary-encoded column one dictionary across all batches (the IPC
/// file format forbids replacing a dictionary): the distinct dictionaries are concatenated and
/// each batch's indices shifted to its dictionary's place.
enum DictionaryUnifier {
    static func unify(_ table: Table) throws -> Table {
        var columns = table.batches.map(\.columns)
        for (c, field) in table.schema.fields.enumerated() {
            guard case let .dictionary(indexType, valueType, _) = field.type else { continue }
            var distinct: [ArrayData] = []
            var base: [Int] = []
            for batch in table.batches {
                guard let dictionary = batch.columns[c].dictionary else { continue }
                if let i = distinct.firstIndex(where: { $0.logicallyEquals(dictionary) }) {
                    base.append(distinct[..<i].reduce(0) { $0 + $1.length })
                } else if let last = distinct.last, dictionary.length > last.length, dictionary.slice(0..<last.length).logicallyEquals(last), distinct.count == 1 {
                    // A grown dictionary: the writer sends it as a delta.
                    distinct[0] = dictionary
                    base.append(0)
                } else {
                    base.append(distinct.reduce(0) { $0 + $1.length })
                    distinct.append(dictionary)
                }
            }
            guard distinct.count > 1 else { continue }
            let merged = try concatenateAll(distinct, type: valueType)
            for b in table.batches.indices {
                let column = columns[b][c]
                var indices = PrimitiveBuilder<Int64>()
                for i in 0..<column.length {
                    if column.isNull(i) { indices.appendNull() } else { indices.append(Int64(column.integerValue(at: i) + base[b])) }
                }
                let wide = indices.finish()
                columns[b][c] = try narrow(wide, to: indexType, dictionary: merged, type: field.type, length: merged.length)
            }
        }
        return try Table(name: table.name, schema: table.schema,
                         batches: columns.map { try RecordBatch(schema: table.schema, columns: $0) })
    }

    static func concatenateAll(_ parts: [ArrayData], type: DataType) throws -> ArrayData {
        switch type {
        case .utf8, .largeUtf8, .utf8View:
            let strings = try parts.flatMap { Array(try StringArray($0)) }
            return StringArray(strings, type: type).data
        case .binary, .largeBinary:
            let values = try parts.flatMap { Array(try BinaryArray($0)) }
            return BinaryArray(values, type: type).data
        default:
            guard let width = type.byteWidth else { throw CLIError("cannot unify dictionaries of type \(type) for an IPC file; write a stream instead") }
            var bytes = Vec64<UInt8>()
            var validity = Bitmap()
            for part in parts {
                bytes.append(contentsOf: part.buffers[0].slice(part.offset * width..<(part.offset + part.length) * width).array)
                for i in 0..<part.length { validity.append(!part.isNull(i)) }
            }
            let length = parts.reduce(0) { $0 + $1.length }
            return ArrayData(type: type, length: length, validity: validity.unsetBitCount > 0 ? validity.alignedBuffer() : nil, buffers: [bytes.freeze()])
        }
    }

    static func narrow(_ indices: ArrayData, to indexType: DataType, dictionary: ArrayData, type: DataType, length: Int) throws -> ArrayData {
        let wide = try PrimitiveArray<Int64>(indices)
        func build<T: ArrowNativeType & FixedWidthInteger>(_: T.Type) throws -> Buffer {
            var out = Vec64<T>(minimumCapacity: wide.length)
            for i in 0..<wide.length {
                let v = wide.value(at: i)
                guard let narrowed = T(exactly: v) else { throw CLIError("unified dictionary of \(length) values does not fit \(indexType) indices") }
                out.append(wide.isNull(i) ? 0 : narrowed)
            }
            return out.freeze()
        }
        let buffer: Buffer = switch indexType {
        case .int8: try build(Int8.self)
        case .int16: try build(Int16.self)
        case .int32: try build(Int32.self)
        case .uint8: try build(UInt8.self)
        case .uint16: try build(UInt16.self)
        case .uint32: try build(UInt32.self)
        case .uint64: try build(UInt64.self)
        default: try build(Int64.self)
        }
        return ArrayData(type: type, length: indices.length, validity: indices.validity, buffers: [buffer], dictionary: dictionary, nullCount: indices.nullCount)
    }
}
